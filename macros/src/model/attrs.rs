//! Parsing `#[model(...)]` on the struct and `#[field(...)]` on its fields.

use crate::attribute::string_value;
use syn::meta::ParseNestedMeta;
use syn::{Expr, ExprArray, Lit, LitStr};

/// Keys of `#[model(...)]`.
pub const MODEL_KEYS: &[&str] = &[
    "app",
    "name",
    "verbose_name",
    "verbose_name_plural",
    "table",
    "url",
    "api_url",
    "display",
    "ordering",
    "search",
    "unique_together",
    "clean",
];

/// Keys of `#[field(...)]`.
pub const FIELD_KEYS: &[&str] = &[
    "label",
    "help",
    "max_length",
    "long",
    "slug",
    "min",
    "max",
    "max_digits",
    "decimal_places",
    "default",
    "unique",
    "index",
    "on_delete",
];

/// `#[model(...)]`.
#[derive(Default)]
pub struct ModelArgs {
    pub app: Option<LitStr>,
    pub name: Option<LitStr>,
    pub verbose_name: Option<LitStr>,
    pub verbose_name_plural: Option<LitStr>,
    pub table: Option<LitStr>,
    pub url: Option<LitStr>,
    pub api_url: Option<LitStr>,
    pub display: Option<LitStr>,
    pub ordering: Vec<LitStr>,
    pub search: Vec<LitStr>,
    pub unique_together: Vec<Vec<LitStr>>,
    pub clean: Option<syn::Path>,
}

/// An integer given to `min`, `max`, `max_length`, `max_digits` or `decimal_places`, with its
/// token.
pub struct Int {
    pub value: i64,
    pub expr: Expr,
}

/// `#[field(...)]`.
#[derive(Default)]
pub struct FieldArgs {
    pub label: Option<LitStr>,
    pub help: Option<LitStr>,
    pub max_length: Option<Int>,
    pub long: Option<syn::Path>,
    pub slug: Option<syn::Path>,
    pub min: Option<Int>,
    pub max: Option<Int>,
    pub max_digits: Option<Int>,
    pub decimal_places: Option<Int>,
    pub default: Option<(String, Expr)>,
    pub unique: Option<syn::Path>,
    pub index: Option<syn::Path>,
    pub on_delete: Option<LitStr>,
}

fn unknown(meta: &ParseNestedMeta<'_>, key: &str, keys: &[&str], attribute: &str) -> syn::Error {
    let hint = crate::checks::nearest(key, keys)
        .map(|known| format!(" (did you mean `{known}`?)"))
        .unwrap_or_default();
    meta.error(format!(
        "unknown key `{key}` in #[{attribute}]{hint}; known keys: {}",
        keys.join(", ")
    ))
}

fn key_of(
    meta: &ParseNestedMeta<'_>,
    seen: &mut Vec<String>,
    attribute: &str,
) -> syn::Result<String> {
    let Some(ident) = meta.path.get_ident() else {
        return Err(meta.error(format!("expected a key of #[{attribute}]")));
    };
    let key = ident.to_string();
    if seen.contains(&key) {
        return Err(meta.error(format!("duplicate key `{key}` in #[{attribute}]")));
    }
    seen.push(key.clone());
    Ok(key)
}

fn strings(expr: &Expr, key: &str) -> syn::Result<Vec<LitStr>> {
    let Expr::Array(ExprArray { elems, .. }) = expr else {
        return Err(syn::Error::new_spanned(
            expr,
            format!("`{key}` takes a list of field names, e.g. [\"name\"]"),
        ));
    };
    elems
        .iter()
        .map(|element| match element {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(lit), ..
            }) => Ok(lit.clone()),
            other => Err(syn::Error::new_spanned(
                other,
                format!("`{key}` takes string literals"),
            )),
        })
        .collect()
}

fn integer(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<Int> {
    let expr: Expr = meta.value()?.parse()?;
    let value = match &expr {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Int(int), ..
        }) => int.base10_parse::<i64>().ok(),
        Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr: inner,
            ..
        }) => match &**inner {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Int(int), ..
            }) => int.base10_parse::<i64>().ok().map(|v| -v),
            _ => None,
        },
        _ => None,
    };
    match value {
        Some(value) => Ok(Int { value, expr }),
        None => Err(syn::Error::new_spanned(
            expr,
            format!("`{key}` takes an integer literal"),
        )),
    }
}

fn flag(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<syn::Path> {
    if meta.input.peek(syn::Token![=]) {
        return Err(meta.error(format!("`{key}` is a flag: write `{key}` without a value")));
    }
    Ok(meta.path.clone())
}

/// The text form of a default value (`"deny"`, `42`, `-1`, `true`).
fn default_value(meta: &ParseNestedMeta<'_>) -> syn::Result<(String, Expr)> {
    let expr: Expr = meta.value()?.parse()?;
    let text = match &expr {
        Expr::Lit(syn::ExprLit { lit, .. }) => match lit {
            Lit::Str(s) => Some(s.value()),
            Lit::Int(i) => i.base10_parse::<i64>().ok().map(|v| v.to_string()),
            Lit::Float(f) if f.suffix().is_empty() => Some(f.base10_digits().to_string()),
            Lit::Bool(b) => Some(b.value.to_string()),
            _ => None,
        },
        Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr: inner,
            ..
        }) => match &**inner {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Int(i), ..
            }) => i.base10_parse::<i64>().ok().map(|v| (-v).to_string()),
            Expr::Lit(syn::ExprLit {
                lit: Lit::Float(f), ..
            }) if f.suffix().is_empty() => Some(format!("-{}", f.base10_digits())),
            _ => None,
        },
        _ => None,
    };
    match text {
        Some(text) => Ok((text, expr)),
        None => Err(syn::Error::new_spanned(
            expr,
            "`default` takes a string, number or boolean literal",
        )),
    }
}

impl ModelArgs {
    pub fn parse_key(
        &mut self,
        meta: ParseNestedMeta<'_>,
        seen: &mut Vec<String>,
    ) -> syn::Result<()> {
        let key = key_of(&meta, seen, "model")?;
        match key.as_str() {
            "app" => self.app = Some(string_value(&meta, &key)?),
            "name" => self.name = Some(string_value(&meta, &key)?),
            "verbose_name" => self.verbose_name = Some(string_value(&meta, &key)?),
            "verbose_name_plural" => self.verbose_name_plural = Some(string_value(&meta, &key)?),
            "table" => self.table = Some(string_value(&meta, &key)?),
            "url" => self.url = Some(string_value(&meta, &key)?),
            "api_url" => self.api_url = Some(string_value(&meta, &key)?),
            "display" => self.display = Some(string_value(&meta, &key)?),
            "ordering" => self.ordering = strings(&meta.value()?.parse()?, &key)?,
            "search" => self.search = strings(&meta.value()?.parse()?, &key)?,
            "clean" => self.clean = Some(flag(&meta, &key)?),
            "unique_together" => {
                let expr: Expr = meta.value()?.parse()?;
                let Expr::Array(groups) = &expr else {
                    return Err(syn::Error::new_spanned(
                        expr,
                        "`unique_together` takes a list of lists of field names, e.g. [[\"device\", \"name\"]]",
                    ));
                };
                for group in &groups.elems {
                    if !matches!(group, Expr::Array(_)) {
                        return Err(syn::Error::new_spanned(
                            group,
                            "`unique_together` takes a list of lists of field names, e.g. [[\"device\", \"name\"]]",
                        ));
                    }
                    self.unique_together.push(strings(group, &key)?);
                }
            }
            _ => return Err(unknown(&meta, &key, MODEL_KEYS, "model")),
        }
        Ok(())
    }
}

impl FieldArgs {
    pub fn parse_key(
        &mut self,
        meta: ParseNestedMeta<'_>,
        seen: &mut Vec<String>,
    ) -> syn::Result<()> {
        let key = key_of(&meta, seen, "field")?;
        match key.as_str() {
            "label" => self.label = Some(string_value(&meta, &key)?),
            "help" => self.help = Some(string_value(&meta, &key)?),
            "max_length" => self.max_length = Some(integer(&meta, &key)?),
            "long" => self.long = Some(flag(&meta, &key)?),
            "slug" => self.slug = Some(flag(&meta, &key)?),
            "min" => self.min = Some(integer(&meta, &key)?),
            "max" => self.max = Some(integer(&meta, &key)?),
            "max_digits" => self.max_digits = Some(integer(&meta, &key)?),
            "decimal_places" => self.decimal_places = Some(integer(&meta, &key)?),
            "default" => self.default = Some(default_value(&meta)?),
            "unique" => self.unique = Some(flag(&meta, &key)?),
            "index" => self.index = Some(flag(&meta, &key)?),
            "on_delete" => self.on_delete = Some(string_value(&meta, &key)?),
            _ => return Err(unknown(&meta, &key, FIELD_KEYS, "field")),
        }
        Ok(())
    }
}

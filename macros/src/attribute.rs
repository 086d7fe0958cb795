//! Parsing `#[netbox_plugin(key = value, ...)]` into [`PluginArgs`].

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Expr, ExprArray, Lit, LitStr, Type};

/// Every key the attribute accepts, for the "did you mean" hint.
pub const KEYS: &[&str] = &[
    "name",
    "verbose_name",
    "version",
    "description",
    "author",
    "author_email",
    "base_url",
    "min_version",
    "max_version",
    "release_track",
    "required_settings",
    "secret_settings",
    "default_settings",
    "settings",
];

/// A default setting's literal value.
pub enum DefaultValue {
    Bool(bool),
    Integer(i64),
    Float(f64),
    Str(String),
}

/// The attribute's arguments, each with the token it came from (for error spans).
#[derive(Default)]
pub struct PluginArgs {
    pub name: Option<LitStr>,
    pub verbose_name: Option<LitStr>,
    pub version: Option<LitStr>,
    pub description: Option<LitStr>,
    pub author: Option<LitStr>,
    pub author_email: Option<LitStr>,
    pub base_url: Option<LitStr>,
    pub min_version: Option<LitStr>,
    pub max_version: Option<LitStr>,
    pub release_track: Option<LitStr>,
    pub required_settings: Vec<LitStr>,
    pub secret_settings: Vec<LitStr>,
    pub default_settings: Vec<(syn::Ident, DefaultValue)>,
    pub settings: Option<Type>,
    seen: Vec<String>,
}

impl PluginArgs {
    /// Parses one `key = value` (or `default_settings(...)`) of the attribute.
    pub fn parse_key(&mut self, meta: ParseNestedMeta<'_>) -> syn::Result<()> {
        let Some(ident) = meta.path.get_ident() else {
            return Err(meta.error("expected a key such as `name = \"my_plugin\"`"));
        };
        let key = ident.to_string();
        if self.seen.contains(&key) {
            return Err(meta.error(format!(
                "duplicate key `{key}`: give each key of #[netbox_plugin] once"
            )));
        }
        match key.as_str() {
            "name" => self.name = Some(string_value(&meta, &key)?),
            "verbose_name" => self.verbose_name = Some(string_value(&meta, &key)?),
            "version" => self.version = Some(string_value(&meta, &key)?),
            "description" => self.description = Some(string_value(&meta, &key)?),
            "author" => self.author = Some(string_value(&meta, &key)?),
            "author_email" => self.author_email = Some(string_value(&meta, &key)?),
            "base_url" => self.base_url = Some(string_value(&meta, &key)?),
            "min_version" => self.min_version = Some(string_value(&meta, &key)?),
            "max_version" => self.max_version = Some(string_value(&meta, &key)?),
            "release_track" => self.release_track = Some(string_value(&meta, &key)?),
            "required_settings" => self.required_settings = string_list(&meta, &key)?,
            "secret_settings" => self.secret_settings = string_list(&meta, &key)?,
            "default_settings" => self.default_settings = default_settings(&meta)?,
            "settings" => self.settings = Some(meta.value()?.parse::<Type>()?),
            _ => return Err(meta.error(unknown_key_message(&key))),
        }
        self.seen.push(key);
        Ok(())
    }
}

fn unknown_key_message(key: &str) -> String {
    let nearest = crate::checks::nearest(key, KEYS);
    match nearest {
        Some(known) => {
            format!("unknown key `{key}` in #[netbox_plugin]: did you mean `{known}`?")
        }
        None => format!(
            "unknown key `{key}` in #[netbox_plugin]: expected one of {}",
            KEYS.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

pub fn string_value(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<LitStr> {
    let expr: Expr = meta.value()?.parse()?;
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(lit), ..
        }) => Ok(lit),
        other => Err(syn::Error::new_spanned(
            other,
            format!("`{key}` takes a string literal, e.g. {key} = \"...\""),
        )),
    }
}

fn string_list(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<Vec<LitStr>> {
    let array: ExprArray = meta.value()?.parse().map_err(|error| {
        syn::Error::new(
            error.span(),
            format!("`{key}` takes a list of strings, e.g. {key} = [\"zoo\"]"),
        )
    })?;
    array
        .elems
        .into_iter()
        .map(|element| match element {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(lit), ..
            }) => Ok(lit),
            other => Err(syn::Error::new_spanned(
                other,
                "a setting name must be a string literal, e.g. \"zoo\"",
            )),
        })
        .collect()
}

fn default_settings(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<(syn::Ident, DefaultValue)>> {
    if meta.input.peek(syn::Token![=]) {
        return Err(meta.error(
            "write default settings as `default_settings(key = value, ...)`, e.g. default_settings(loud = false)",
        ));
    }
    let mut values = Vec::new();
    meta.parse_nested_meta(|inner| {
        let Some(key) = inner.path.get_ident().cloned() else {
            return Err(inner.error("a setting name must be a plain identifier, e.g. `loud`"));
        };
        let expr: Expr = inner.value()?.parse()?;
        values.push((key, default_value(expr)?));
        Ok(())
    })?;
    Ok(values)
}

fn default_value(expr: Expr) -> syn::Result<DefaultValue> {
    let not_a_literal = |span: Span| {
        syn::Error::new(
            span,
            "a default setting must be a literal: a string, an integer, a float or a bool",
        )
    };
    match expr {
        Expr::Lit(syn::ExprLit { lit, .. }) => match lit {
            Lit::Bool(value) => Ok(DefaultValue::Bool(value.value)),
            Lit::Str(value) => Ok(DefaultValue::Str(value.value())),
            Lit::Int(value) => Ok(DefaultValue::Integer(value.base10_parse()?)),
            Lit::Float(value) => Ok(DefaultValue::Float(value.base10_parse()?)),
            other => Err(not_a_literal(other.span())),
        },
        Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr,
            ..
        }) => match default_value(*expr)? {
            DefaultValue::Integer(value) => Ok(DefaultValue::Integer(-value)),
            DefaultValue::Float(value) => Ok(DefaultValue::Float(-value)),
            _ => Err(syn::Error::new(
                Span::call_site(),
                "only numbers can be negative",
            )),
        },
        other => Err(not_a_literal(other.span())),
    }
}

//! Expansion of `#[derive(Model)]`: checks the struct and its attributes, then implements the
//! framework's `Model` trait with a static `ModelSchema`.

mod attrs;
mod generate;

use crate::naming;
use attrs::{FieldArgs, ModelArgs};
use proc_macro2::TokenStream;
use syn::{Data, DeriveInput, Fields, LitStr, Type};

/// Keys every object has, which a model cannot declare as fields.
const RESERVED: &[&str] = &[
    "id",
    "url",
    "display",
    "display_url",
    "created",
    "last_updated",
];

/// What the derive can tell of a field's type from its tokens.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Text,
    Integer,
    Decimal,
    ForeignKey,
    ManyToMany,
    /// Another type implementing `FieldType` (a `Choices` enum, say).
    Other,
}

/// One checked field.
pub struct ModelField {
    pub ident: syn::Ident,
    pub vis: syn::Visibility,
    pub name: String,
    pub ty: Type,
    pub shape: Shape,
    pub optional: bool,
    pub args: FieldArgs,
}

/// The checked struct.
pub struct ModelDef {
    pub ident: syn::Ident,
    pub app: String,
    pub name: String,
    pub verbose_name: String,
    pub verbose_name_plural: String,
    pub table: String,
    pub url: String,
    pub api_url: String,
    pub display: String,
    pub args: ModelArgs,
    pub fields: Vec<ModelField>,
}

/// `T` of `Option<T>` (by the last path segment), or `None`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let segment = path.path.segments.last()?;
    if segment.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    match args.args.first() {
        Some(syn::GenericArgument::Type(inner)) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

fn shape(ty: &Type) -> Shape {
    let Type::Path(path) = ty else {
        return Shape::Other;
    };
    let Some(segment) = path.path.segments.last() else {
        return Shape::Other;
    };
    match segment.ident.to_string().as_str() {
        "String" => Shape::Text,
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" => Shape::Integer,
        "ForeignKey" => Shape::ForeignKey,
        "Decimal" => Shape::Decimal,
        "ManyToMany" => Shape::ManyToMany,
        _ => Shape::Other,
    }
}

/// Collects errors instead of stopping at the first.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(errors) => errors.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub fn at(&mut self, tokens: impl quote::ToTokens, message: impl std::fmt::Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    pub fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

/// Parses every `#[name(...)]` of `attrs`; the bool says whether all of it parsed.
fn parse_attrs<T>(
    attrs: &[syn::Attribute],
    name: &str,
    errors: &mut Errors,
    mut parse: impl FnMut(&mut T, syn::meta::ParseNestedMeta<'_>, &mut Vec<String>) -> syn::Result<()>,
) -> (T, bool)
where
    T: Default,
{
    let mut args = T::default();
    let mut seen = Vec::new();
    let mut parsed = true;
    for attr in attrs.iter().filter(|a| a.path().is_ident(name)) {
        if let Err(error) = attr.parse_nested_meta(|meta| parse(&mut args, meta, &mut seen)) {
            errors.push(error);
            parsed = false;
        }
    }
    (args, parsed)
}

/// The range of a primitive integer type, by name.
fn integer_range(ty: &Type) -> Option<(i64, i64)> {
    let Type::Path(path) = ty else { return None };
    Some(
        match path.path.segments.last()?.ident.to_string().as_str() {
            "i8" => (i8::MIN.into(), i8::MAX.into()),
            "i16" => (i16::MIN.into(), i16::MAX.into()),
            "i32" => (i32::MIN.into(), i32::MAX.into()),
            "i64" => (i64::MIN, i64::MAX),
            "u8" => (0, u8::MAX.into()),
            "u16" => (0, u16::MAX.into()),
            "u32" => (0, u32::MAX.into()),
            _ => return None,
        },
    )
}

fn check_field(field: &ModelField, errors: &mut Errors) {
    let args = &field.args;
    if RESERVED.contains(&field.name.as_str()) {
        errors.at(&field.ident, format!("`{}` is a field every object has (id, created, last_updated, url, display): choose another name", field.name));
    } else if !naming::is_identifier(&field.name) || field.name.starts_with("r#") {
        errors.at(
            &field.ident,
            "a field name takes lowercase letters, digits and _",
        );
    }
    let text_keys = [args.long.as_ref(), args.slug.as_ref()];
    match field.shape {
        Shape::Text => {
            let given = usize::from(args.max_length.is_some()) + text_keys.iter().flatten().count();
            if given == 0 {
                errors.at(&field.ty, "a text field needs `#[field(max_length = N)]` (one line), `#[field(long)]` (several lines) or `#[field(slug)]`");
            } else if given > 1 {
                errors.at(&field.ident, "give one of `max_length`, `long` and `slug`");
            }
        }
        _ => {
            if let Some(length) = &args.max_length {
                errors.at(&length.expr, "`max_length` is for text (String) fields");
            }
            for path in text_keys.into_iter().flatten() {
                errors.at(path, "`long` and `slug` are for text (String) fields");
            }
        }
    }
    if let Some(length) = &args.max_length
        && length.value < 1
    {
        errors.at(&length.expr, "`max_length` must be at least 1");
    }
    if field.shape != Shape::Integer && field.shape != Shape::Other {
        for bound in [&args.min, &args.max].into_iter().flatten() {
            errors.at(&bound.expr, "`min` and `max` are for integer fields");
        }
    }
    if let (Some(min), Some(max)) = (&args.min, &args.max)
        && min.value > max.value
    {
        errors.at(
            &min.expr,
            format!(
                "`min` ({}) is greater than `max` ({})",
                min.value, max.value
            ),
        );
    }
    check_digits(field, errors);
    check_many_to_many(field, errors);
    match (&args.on_delete, field.shape) {
        (Some(on_delete), Shape::ForeignKey) => match on_delete.value().as_str() {
            "protect" | "cascade" => {}
            "set_null" if field.optional => {}
            "set_null" => errors.at(
                on_delete,
                "`set_null` empties the reference: the field must be an Option<ForeignKey<..>>",
            ),
            other => errors.at(
                on_delete,
                format!(
                    "unknown on_delete `{other}`: expected \"protect\", \"cascade\" or \"set_null\""
                ),
            ),
        },
        (Some(on_delete), _) => errors.at(on_delete, "`on_delete` is for ForeignKey fields"),
        (None, _) => {}
    }
    if let Some((_, expr)) = &args.default
        && field.shape == Shape::ForeignKey
    {
        errors.at(expr, "a foreign key has no default");
    }
}

/// A many-to-many field: optional by itself, and no column (nothing unique, indexed or
/// defaulted).
fn check_many_to_many(field: &ModelField, errors: &mut Errors) {
    if field.shape != Shape::ManyToMany {
        return;
    }
    if field.optional {
        errors.at(
            &field.ty,
            "a ManyToMany field is optional already (no references is an empty list): drop the Option",
        );
    }
    let args = &field.args;
    for path in [&args.unique, &args.index].into_iter().flatten() {
        errors.at(
            path,
            "a ManyToMany field is a join table, not a column: it cannot be unique or indexed",
        );
    }
    if let Some((_, expr)) = &args.default {
        errors.at(expr, "a ManyToMany field has no default (it starts empty)");
    }
}

/// `max_digits` and `decimal_places`: both on a decimal field, neither elsewhere.
fn check_digits(field: &ModelField, errors: &mut Errors) {
    let args = &field.args;
    let given = [&args.max_digits, &args.decimal_places];
    if field.shape != Shape::Decimal {
        if field.shape != Shape::Other {
            for int in given.into_iter().flatten() {
                errors.at(
                    &int.expr,
                    "`max_digits` and `decimal_places` are for decimal fields",
                );
            }
        }
        return;
    }
    let (Some(digits), Some(places)) = (&args.max_digits, &args.decimal_places) else {
        errors.at(
            &field.ty,
            "a decimal field needs `#[field(max_digits = N, decimal_places = N)]`",
        );
        return;
    };
    if !(1..=15).contains(&digits.value) {
        errors.at(
            &digits.expr,
            "`max_digits` is between 1 and 15 (values travel as JSON numbers, exact to 15 digits)",
        );
    }
    if places.value < 0 || places.value > digits.value {
        errors.at(
            &places.expr,
            format!(
                "`decimal_places` is between 0 and `max_digits` ({})",
                digits.value
            ),
        );
    }
}

fn check_names(def: &ModelDef, errors: &mut Errors) {
    let field = |lit: &LitStr| def.fields.iter().find(|f| f.name == lit.value());
    let known = || {
        def.fields
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut check = |lit: &LitStr, what: &str| {
        if field(lit).is_none() {
            errors.at(
                lit,
                format!(
                    "{what} names `{}`, which is not a field of this model (fields: {})",
                    lit.value(),
                    known()
                ),
            );
        }
    };
    if let Some(display) = &def.args.display {
        check(display, "`display`");
    }
    for lit in &def.args.ordering {
        let name = lit.value();
        let bare = LitStr::new(name.strip_prefix('-').unwrap_or(&name), lit.span());
        check(&bare, "`ordering`");
    }
    for lit in &def.args.search {
        check(lit, "`search`");
    }
    for group in &def.args.unique_together {
        for lit in group {
            check(lit, "`unique_together`");
        }
    }
    let mut no_column = |lit: &LitStr, what: &str| {
        if field(lit).is_some_and(|f| f.shape == Shape::ManyToMany) {
            errors.at(
                lit,
                format!(
                    "{what} names `{}`, a ManyToMany field: it has no column to {}",
                    lit.value(),
                    match what {
                        "`ordering`" => "order by",
                        "`display`" => "show",
                        _ => "compare",
                    }
                ),
            );
        }
    };
    if let Some(display) = &def.args.display {
        no_column(display, "`display`");
    }
    for lit in &def.args.ordering {
        let name = lit.value();
        no_column(
            &LitStr::new(name.strip_prefix('-').unwrap_or(&name), lit.span()),
            "`ordering`",
        );
    }
    for group in &def.args.unique_together {
        for lit in group {
            no_column(lit, "`unique_together`");
        }
    }
    for lit in &def.args.search {
        if let Some(field) = field(lit)
            && matches!(
                field.shape,
                Shape::Integer | Shape::ForeignKey | Shape::ManyToMany
            )
        {
            errors.at(lit, format!("`search` names `{}`, which is not text: search fields are text or choice fields", lit.value()));
        }
    }
}

/// Expands `#[derive(Model)]` on `input`.
pub fn expand(input: TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(input)?;
    let mut errors = Errors::default();
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "#[derive(Model)] goes on a struct with named fields",
        ));
    };
    let Fields::Named(named) = &data.fields else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "#[derive(Model)] goes on a struct with named fields, one per model field",
        ));
    };
    if !input.generics.params.is_empty() {
        errors.at(&input.generics, "a model cannot be generic");
    }
    let (args, _): (ModelArgs, _) = parse_attrs(
        &input.attrs,
        "model",
        &mut errors,
        |a: &mut ModelArgs, m, s| a.parse_key(m, s),
    );
    let mut fields = Vec::new();
    for field in &named.named {
        let Some(ident) = field.ident.clone() else {
            continue;
        };
        let (field_args, parsed): (FieldArgs, _) = parse_attrs(
            &field.attrs,
            "field",
            &mut errors,
            |a: &mut FieldArgs, m, s| a.parse_key(m, s),
        );
        let optional_inner = option_inner(&field.ty);
        let model_field = ModelField {
            name: syn::ext::IdentExt::unraw(&ident).to_string(),
            ident,
            vis: field.vis.clone(),
            ty: field.ty.clone(),
            shape: shape(optional_inner.unwrap_or(&field.ty)),
            optional: optional_inner.is_some(),
            args: field_args,
        };
        // A field whose attribute did not parse is reported once, for that.
        if parsed {
            check_field(&model_field, &mut errors);
        }
        if let Some((low, high)) = integer_range(optional_inner.unwrap_or(&field.ty)) {
            for bound in [&model_field.args.min, &model_field.args.max]
                .into_iter()
                .flatten()
            {
                if !(low..=high).contains(&bound.value) {
                    errors.at(
                        &bound.expr,
                        format!(
                            "{} lies outside the range of the field's type ({low} to {high})",
                            bound.value
                        ),
                    );
                }
            }
        }
        fields.push(model_field);
    }
    if fields.is_empty() {
        errors.at(&input.ident, "a model needs at least one field");
    }
    let struct_name = input.ident.to_string();
    let app = match &args.app {
        Some(app) => app.value(),
        None => std::env::var("CARGO_CRATE_NAME").unwrap_or_default(),
    };
    if !naming::is_identifier(&app) {
        let message = format!(
            "app `{app}` is not a lowercase identifier (letters, digits, _): write #[model(app = \"my_plugin\")] with the plugin's name"
        );
        match &args.app {
            Some(lit) => errors.at(lit, message),
            None => errors.at(&input.ident, message),
        }
    }
    let name = args
        .name
        .as_ref()
        .map_or_else(|| struct_name.to_lowercase(), LitStr::value);
    if let Some(lit) = &args.name
        && !naming::is_identifier(&name)
    {
        errors.at(
            lit,
            format!("model name `{name}` is not a lowercase identifier (letters, digits, _)"),
        );
    }
    let verbose_name = args
        .verbose_name
        .as_ref()
        .map_or_else(|| naming::verbose_name(&struct_name), LitStr::value);
    let verbose_name_plural = args
        .verbose_name_plural
        .as_ref()
        .map_or_else(|| naming::plural(&verbose_name), LitStr::value);
    let table = args
        .table
        .as_ref()
        .map_or_else(|| format!("{app}_{name}"), LitStr::value);
    if let Some(lit) = &args.table
        && !naming::is_identifier(&table)
    {
        errors.at(
            lit,
            format!("table `{table}` is not a lowercase identifier (letters, digits, _)"),
        );
    }
    let url = args
        .url
        .as_ref()
        .map_or_else(|| naming::url_segment(&verbose_name_plural), LitStr::value);
    if let Some(lit) = &args.url
        && !crate::checks::is_slug(&url)
    {
        errors.at(
            lit,
            format!("url `{url}` is not a URL slug: lowercase letters and digits joined by - or _"),
        );
    }
    let api_url = args
        .api_url
        .as_ref()
        .map_or_else(|| url.clone(), LitStr::value);
    if let Some(lit) = &args.api_url
        && !crate::checks::is_slug(&api_url)
    {
        errors.at(lit, format!("api_url `{api_url}` is not a URL slug: lowercase letters and digits joined by - or _"));
    }
    let display = match &args.display {
        Some(display) => display.value(),
        None => fields
            .iter()
            .find(|f| f.name == "name")
            .or_else(|| fields.first())
            .map(|f| f.name.clone())
            .unwrap_or_default(),
    };
    let def = ModelDef {
        ident: input.ident.clone(),
        app,
        name,
        verbose_name,
        verbose_name_plural,
        table,
        url,
        api_url,
        display,
        args,
        fields,
    };
    check_names(&def, &mut errors);
    errors.finish()?;
    Ok(generate::generate(&def))
}

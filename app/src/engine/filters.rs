//! List filters as NetBox's REST API takes them: `<name>[__<lookup>]=<value>`, where the name
//! is `id`, a field (`status`), a foreign key by id (`site_id`) or by the referenced object's
//! slug or display name (`site`), or `created`/`last_updated`.
//!
//! Repeated values of one filter are OR-ed (`?status=active&status=planned`), negated lookups
//! (`__n`, `__nic`, ...) exclude every value, different filters are AND-ed. A filter, lookup or
//! value that does not apply is an error naming it, never an empty result: an unknown filter
//! (NetBox ignores those), an invalid choice, a non-number for a number.

use super::clean::{FieldErrors, add_error};
use super::custom_field_filters;
use super::custom_fields::Definition;
use super::network_filters;
use super::registry::ModelRegistry;
use super::scalars;
use super::sql::{Stored, col, column, literal_like, read_expr, stamp_column, typed};
use super::tags;
use netbox_framework::migrations::Backend;
use netbox_framework::models::{Field, FieldKind, ModelSchema};
use sea_query::{Cond, Expr, ExprTrait, Func, Query, SimpleExpr};

/// The lookups a filter name may end with (`name__ic`).
pub const LOOKUPS: &[&str] = &[
    "n", "ic", "nic", "isw", "nisw", "iew", "niew", "ie", "nie", "empty", "lt", "lte", "gt", "gte",
];

/// Lookups on text: contains, starts with, ends with, equals (all ignoring case), and their
/// negations.
const TEXT_LOOKUPS: &[&str] = &[
    "n", "ic", "nic", "isw", "nisw", "iew", "niew", "ie", "nie", "empty",
];
/// Lookups on numbers and times.
const ORDER_LOOKUPS: &[&str] = &["n", "lt", "lte", "gt", "gte", "empty"];

/// What a filter name refers to.
#[derive(Clone, Copy)]
enum Target {
    /// The `id` column.
    Id,
    /// A field's own column (a foreign key's `<name>_id`).
    Field(&'static Field),
    /// A foreign key matched by a field of the referenced model (`site=<slug>`).
    Related {
        field: &'static Field,
        target: &'static ModelSchema,
        by: &'static Field,
    },
    /// `created` or `last_updated`.
    Stamp(&'static str),
    /// A many-to-many field, matched by the id of a linked object.
    Links {
        schema: &'static ModelSchema,
        field: &'static Field,
    },
}

impl Target {
    fn resolve(models: &ModelRegistry, schema: &'static ModelSchema, name: &str) -> Option<Self> {
        match name {
            "id" => return Some(Target::Id),
            "created" => return Some(Target::Stamp("created")),
            "last_updated" => return Some(Target::Stamp("last_updated")),
            _ => {}
        }
        for field in schema.fields {
            match field.kind {
                FieldKind::ForeignKey { model } => {
                    if name.strip_suffix("_id") == Some(field.name) {
                        return Some(Target::Field(field));
                    }
                    if name == field.name {
                        let target = models.get(model)?.schema;
                        let by = target
                            .field("slug")
                            .or_else(|| target.field(target.display_field))?;
                        return Some(Target::Related { field, target, by });
                    }
                }
                FieldKind::ManyToMany { .. } if name == field.name => {
                    return Some(Target::Links { schema, field });
                }
                _ if name == field.name => return Some(Target::Field(field)),
                _ => {}
            }
        }
        None
    }

    /// The lookups that apply.
    fn lookups(self) -> &'static [&'static str] {
        match self {
            Target::Id => &["n", "lt", "lte", "gt", "gte"],
            Target::Stamp(_) => ORDER_LOOKUPS,
            Target::Related { .. } => &["n"],
            Target::Links { .. } => &["n", "empty"],
            Target::Field(field) => match field.kind {
                FieldKind::Integer { .. }
                | FieldKind::Decimal { .. }
                | FieldKind::Date
                | FieldKind::DateTime => ORDER_LOOKUPS,
                FieldKind::ForeignKey { .. } | FieldKind::Boolean => &["n", "empty"],
                FieldKind::IntegerList { .. } | FieldKind::Json => &["empty"],
                _ => TEXT_LOOKUPS,
            },
        }
    }

    fn is_integer(self) -> bool {
        match self {
            Target::Id => true,
            Target::Field(field) => field.is_integer(),
            _ => false,
        }
    }

    /// The column compared.
    fn expr(self, backend: Backend) -> Expr {
        match self {
            Target::Id => col("id"),
            Target::Field(field) | Target::Related { field, .. } => column(field),
            // (Matched by a subquery on its join table; never compared as a column.)
            Target::Links { .. } => col("id"),
            Target::Stamp(name) => stamp_column(name, backend),
        }
    }
}

/// One filter value as SQL, or the message saying why it does not apply.
fn value_of(target: Target, text: &str, backend: Backend) -> Result<Expr, String> {
    let time = |text: String| {
        typed(
            Stored::DateTime,
            backend,
            sea_query::Value::String(Some(text)),
        )
    };
    if let Target::Stamp(_) = target {
        return scalars::date_or_time(text).map(time);
    }
    value_of_plain(target, text).map(|value| match target {
        Target::Field(field) => typed(Stored::of(field), backend, value),
        _ => Expr::val(value),
    })
}

/// One filter value as its column holds it (decimals, dates and times as text).
fn value_of_plain(target: Target, text: &str) -> Result<sea_query::Value, String> {
    if let Target::Field(field) = target {
        match field.kind {
            FieldKind::Boolean => {
                return match text.trim().to_ascii_lowercase().as_str() {
                    "true" | "1" => Ok(sea_query::Value::Bool(Some(true))),
                    "false" | "0" => Ok(sea_query::Value::Bool(Some(false))),
                    _ => Err(format!("“{text}” is not true or false.")),
                };
            }
            FieldKind::Decimal { .. } => {
                return text
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|number| number.is_finite())
                    .map(|_| sea_query::Value::String(Some(text.trim().to_string())))
                    .ok_or_else(|| format!("“{text}” is not a number."));
            }
            FieldKind::Date => {
                return scalars::date(text).map(|date| sea_query::Value::String(Some(date)));
            }
            FieldKind::DateTime => {
                return scalars::date_or_time(text)
                    .map(|time| sea_query::Value::String(Some(time)));
            }
            FieldKind::IpAddress | FieldKind::IpNetwork | FieldKind::IpInterface => {
                return super::clean::network_value(field.kind, text)
                    .map(|value| sea_query::Value::String(Some(value)));
            }
            FieldKind::IntegerList { .. } | FieldKind::Json => {
                return Err(
                    "A list or document is filtered by whether it is empty (__empty).".to_string(),
                );
            }
            _ => {}
        }
    }
    if target.is_integer() {
        return text
            .trim()
            .parse::<i64>()
            .map(|n| sea_query::Value::BigInt(Some(n)))
            .map_err(|_| format!("“{text}” is not a whole number."));
    }
    if let Target::Field(Field {
        kind: FieldKind::Choice(choices),
        ..
    }) = target
        && !choices.iter().any(|(value, _)| *value == text)
    {
        return Err(format!(
            "Select a valid choice. {text} is not one of the available choices."
        ));
    }
    Ok(sea_query::Value::String(Some(text.to_string())))
}

/// `text` in the case `lower()` gives on `backend`: SQLite's folds ASCII letters only,
/// PostgreSQL's every letter.
pub fn fold_case(text: &str, backend: Backend) -> String {
    match backend {
        Backend::Sqlite => text.to_ascii_lowercase(),
        Backend::Postgres => text.to_lowercase(),
    }
}

/// The condition `target <lookup> value` for one value (negated lookups are given without
/// their `n`, and negated by the caller).
fn condition(
    target: Target,
    lookup: &str,
    text: &str,
    backend: Backend,
) -> Result<SimpleExpr, String> {
    let expr = target.expr(backend);
    // Addresses and networks as their text (`10.0.0.0/8`) on PostgreSQL.
    let lowered = || match target {
        Target::Field(field) if field.is_network() => {
            Func::lower(read_expr(&field.column(), Stored::of(field), backend))
        }
        _ => Func::lower(target.expr(backend)),
    };
    let folded = || fold_case(text, backend);
    Ok(match lookup {
        "empty" => {
            let empty = match text {
                "true" | "1" | "True" => true,
                "false" | "0" | "False" => false,
                _ => return Err(format!("“{text}” is not true or false.")),
            };
            if let Target::Links { schema, field } = target {
                // Objects without links (or with some).
                let linked = Query::select()
                    .column("from_id")
                    .from(schema.join_table(field))
                    .take();
                return Ok(if empty {
                    col("id").not_in_subquery(linked)
                } else {
                    col("id").in_subquery(linked)
                });
            }
            let mut none = Cond::any().add(expr.clone().is_null());
            match target {
                Target::Field(field)
                    if matches!(field.kind, FieldKind::IntegerList { .. } | FieldKind::Json) =>
                {
                    none = none.add(expr.clone().eq("[]")).add(expr.eq("{}"));
                }
                Target::Field(field) if !field.is_text() => {}
                Target::Stamp(_) => {}
                _ if !target.is_integer() => none = none.add(expr.eq("")),
                _ => {}
            }
            if empty {
                none.into()
            } else {
                none.not().into()
            }
        }
        "ic" => lowered().like(literal_like("%", &folded(), "%")),
        "isw" => lowered().like(literal_like("", &folded(), "%")),
        "iew" => lowered().like(literal_like("%", &folded(), "")),
        "ie" => lowered().eq(folded()),
        "lt" => expr.lt(value_of(target, text, backend)?),
        "lte" => expr.lte(value_of(target, text, backend)?),
        "gt" => expr.gt(value_of(target, text, backend)?),
        "gte" => expr.gte(value_of(target, text, backend)?),
        _ => match target {
            Target::Field(field)
                if matches!(field.kind, FieldKind::ForeignKey { .. }) && text == "null" =>
            {
                expr.is_null()
            }
            // Objects linked to the given id.
            Target::Links { schema, field } => {
                let id = text
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| format!("“{text}” is not a whole number."))?;
                col("id").in_subquery(
                    Query::select()
                        .column("from_id")
                        .from(schema.join_table(field))
                        .and_where(col("to_id").eq(id))
                        .take(),
                )
            }
            Target::Field(field)
                if let Some(host) = network_filters::host_condition(field, text, backend) =>
            {
                host
            }
            Target::Related { target, by, .. } => {
                let value = if by.is_integer() {
                    text.trim()
                        .parse::<i64>()
                        .map(|n| sea_query::Value::BigInt(Some(n)))
                        .map_err(|_| format!("“{text}” is not a whole number."))?
                } else {
                    sea_query::Value::String(Some(text.to_string()))
                };
                expr.in_subquery(
                    Query::select()
                        .column("id")
                        .from(target.table)
                        .and_where(column(by).eq(value))
                        .take(),
                )
            }
            _ => expr.eq(value_of(target, text, backend)?),
        },
    })
}

/// The condition of one filter name and all its values.
fn group(target: Target, lookup: &str, values: &[&str], backend: Backend) -> Result<Cond, String> {
    if !lookup.is_empty() && !target.lookups().contains(&lookup) {
        return Err(format!(
            "The lookup “__{lookup}” does not apply to this field."
        ));
    }
    let (negated, base) = match lookup {
        "n" => (true, ""),
        "nic" | "nisw" | "niew" | "nie" => (true, &lookup[1..]),
        other => (false, other),
    };
    let mut conditions = Vec::with_capacity(values.len());
    for text in values {
        conditions.push((condition(target, base, text, backend)?, *text == "null"));
    }
    Ok(if negated {
        // A negated match keeps objects without a value too (SQL's NOT would drop NULLs),
        // except when the value excluded is `null` itself.
        conditions.into_iter().fold(Cond::all(), |all, (matched, null)| {
            if null && matches!(target, Target::Field(f) if matches!(f.kind, FieldKind::ForeignKey { .. })) {
                all.add(matched.not())
            } else {
                all.add(
                    Cond::any()
                        .add(matched.not())
                        .add(target.expr(backend).is_null()),
                )
            }
        })
    } else {
        let conditions = conditions.into_iter().map(|(condition, _)| condition);
        conditions.into_iter().fold(Cond::any(), Cond::add)
    })
}

/// The kind of value a filter takes (for the API's description of its parameters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// A whole number (ids, integer fields, foreign keys by id).
    Integer,
    /// Any text.
    Text,
    /// One of a field's choices.
    Choice(&'static [(&'static str, &'static str)]),
    /// `true` or `false` (`__empty`).
    Boolean,
    /// A date or an RFC 3339 time.
    Time,
    /// A number (decimals).
    Number,
}

/// Every filter `schema` accepts, `name[__lookup]`, with the kind of value it takes, in field
/// order.
pub fn names(models: &ModelRegistry, schema: &'static ModelSchema) -> Vec<(String, ValueKind)> {
    let mut targets: Vec<(String, Target)> = vec![("id".into(), Target::Id)];
    for field in schema.fields {
        if let FieldKind::ForeignKey { .. } = field.kind {
            targets.push((format!("{}_id", field.name), Target::Field(field)));
        }
        if let Some(target) = Target::resolve(models, schema, field.name) {
            targets.push((field.name.to_string(), target));
        }
    }
    targets.push(("created".into(), Target::Stamp("created")));
    targets.push(("last_updated".into(), Target::Stamp("last_updated")));
    let mut names: Vec<(String, ValueKind)> = network_filters::names(schema)
        .into_iter()
        .map(|(name, _)| (name.to_string(), ValueKind::Text))
        .collect();
    if tags::has_features(schema) {
        names.extend(tags::FILTERS.iter().map(|name| {
            let kind = match name.starts_with("tag_id") {
                true => ValueKind::Integer,
                false => ValueKind::Text,
            };
            (name.to_string(), kind)
        }));
    }
    for (name, target) in targets {
        let exact = match target {
            Target::Id | Target::Links { .. } => ValueKind::Integer,
            Target::Stamp(_) => ValueKind::Time,
            Target::Related { .. } => ValueKind::Text,
            Target::Field(field) => match field.kind {
                FieldKind::Choice(choices) => ValueKind::Choice(choices),
                FieldKind::Boolean => ValueKind::Boolean,
                FieldKind::Decimal { .. } => ValueKind::Number,
                FieldKind::Date | FieldKind::DateTime => ValueKind::Time,
                _ if field.is_integer() => ValueKind::Integer,
                _ => ValueKind::Text,
            },
        };
        let list = matches!(target, Target::Field(f) if matches!(f.kind, FieldKind::IntegerList { .. } | FieldKind::Json));
        if !list {
            names.push((name.clone(), exact));
        }
        for lookup in target.lookups() {
            let kind = match *lookup {
                "empty" => ValueKind::Boolean,
                "n" | "lt" | "lte" | "gt" | "gte" => exact,
                _ => ValueKind::Text,
            };
            names.push((format!("{name}__{lookup}"), kind));
        }
    }
    names
}

/// The conditions of `filters` (`(name, value)` pairs as in the query string) on `schema`'s
/// table; every filter that does not apply is an error under its name.
pub fn conditions(
    models: &ModelRegistry,
    schema: &'static ModelSchema,
    filters: &[(String, String)],
    definitions: &[Definition],
    backend: Backend,
) -> Result<Cond, FieldErrors> {
    // Values by filter name, in order of first appearance; empty values are no filter, as in
    // NetBox (a form submits every input).
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for (key, value) in filters.iter().filter(|(_, value)| !value.is_empty()) {
        match groups.iter_mut().find(|(name, _)| name == key) {
            Some((_, values)) => values.push(value),
            None => groups.push((key, vec![value])),
        }
    }
    let mut all = Cond::all();
    let mut errors = FieldErrors::new();
    for (key, values) in groups {
        let (name, lookup) = match key.rsplit_once("__") {
            Some((name, lookup)) if LOOKUPS.contains(&lookup) => (name, lookup),
            _ => (key, ""),
        };
        let feature = tags::condition(schema, key, &values).or_else(|| {
            custom_field_filters::condition(schema, definitions, key, &values, backend)
        });
        if let Some(found) = feature {
            match found {
                Ok(condition) => all = all.add(condition),
                Err(message) => add_error(&mut errors, key, message),
            }
            continue;
        }
        if let Some((filter, field)) = network_filters::resolve(schema, key) {
            let matched: Result<Vec<_>, String> = values
                .iter()
                .map(|value| network_filters::condition(filter, field, value, backend))
                .collect();
            match matched {
                Ok(matched) => all = all.add(matched.into_iter().fold(Cond::any(), Cond::add)),
                Err(message) => add_error(&mut errors, key, message),
            }
            continue;
        }
        let Some(target) = Target::resolve(models, schema, name) else {
            add_error(&mut errors, key, "Unknown filter.");
            continue;
        };
        match group(target, lookup, &values, backend) {
            Ok(condition) => all = all.add(condition),
            Err(message) => add_error(&mut errors, key, message),
        }
    }
    if errors.is_empty() {
        Ok(all)
    } else {
        Err(errors)
    }
}

//! The filters of custom fields: `cf_<name>[__<lookup>]=<value>` compares one value of each
//! object's document (`extras_customfielddata`), by the field's type.

use super::custom_fields::{DATA, Definition};
use super::scalars;
use netbox_framework::extras::CustomFieldType;
use netbox_framework::migrations::Backend;
use netbox_framework::models::ModelSchema;
use sea_query::{ExprTrait, Query};
use serde_json::Value;

/// The lookups of `cf_` filters.
const LOOKUPS: &[&str] = &[
    "n", "ic", "nic", "isw", "nisw", "iew", "niew", "ie", "nie", "empty", "lt", "lte", "gt", "gte",
];

/// The SQL of custom field `name`'s value in a row of the values table: text on PostgreSQL;
/// SQLite's `json_extract` gives numbers and booleans as such. (Names are checked to be
/// lowercase letters, digits and underscores when defined.)
fn value_sql(name: &str, backend: Backend) -> String {
    match backend {
        Backend::Sqlite => format!("json_extract(\"data\", '$.\"{name}\"')"),
        Backend::Postgres => format!("(CAST(\"data\" AS JSONB) ->> '{name}')"),
    }
}

/// The ids (as `id`) of objects of `schema` whose searchable custom fields (search weight
/// above 0) hold `lowered` (already in the case `lower()` gives), if any field is searchable.
pub fn search(
    schema: &ModelSchema,
    definitions: &[Definition],
    lowered: &str,
    backend: Backend,
) -> Option<sea_query::SelectStatement> {
    let like = || super::sql::literal_like("%", lowered, "%");
    let any = definitions
        .iter()
        .filter(|definition| {
            definition.search_weight > 0
                && definition
                    .name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        .fold(sea_query::Cond::any(), |any, definition| {
            let text = match backend {
                Backend::Sqlite => format!(
                    "lower(CAST({} AS TEXT))",
                    value_sql(&definition.name, backend)
                ),
                Backend::Postgres => format!("lower({})", value_sql(&definition.name, backend)),
            };
            any.add(sea_query::Expr::cust(text).like(like()))
        });
    if any.is_empty() {
        return None;
    }
    Some(
        Query::select()
            .expr_as(sea_query::Expr::col("object_id"), "id")
            .from(DATA)
            .and_where(sea_query::Expr::col("object_type").eq(schema.key()))
            .cond_where(any)
            .take(),
    )
}

/// `sql` with its one value placeholder written `{}` bound to `value`, for `backend`.
fn with_value(backend: Backend, sql: &str, value: sea_query::Expr) -> sea_query::Expr {
    let placeholder = match backend {
        Backend::Sqlite => "?",
        Backend::Postgres => "$1",
    };
    sea_query::Expr::cust_with_exprs(sql.replace("{}", placeholder), [value])
}

/// The condition of filter `key` (`cf_<name>[__<lookup>]`) with `values` (OR-ed; negated
/// lookups exclude every value), if `key` is a custom-field filter of `schema`.
pub fn condition(
    schema: &ModelSchema,
    definitions: &[Definition],
    key: &str,
    values: &[&str],
    backend: Backend,
) -> Option<Result<sea_query::Cond, String>> {
    let rest = key.strip_prefix("cf_")?;
    let (name, lookup) = match rest.rsplit_once("__") {
        Some((name, lookup)) if LOOKUPS.contains(&lookup) => (name, lookup),
        _ => (rest, ""),
    };
    let plain = |name: &str| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let Some(definition) = definitions
        .iter()
        .find(|d| d.name == name && plain(&d.name))
    else {
        return Some(Err(format!(
            "There is no custom field “{name}” on these objects."
        )));
    };
    Some(filter(schema, definition, lookup, values, backend))
}

fn filter(
    schema: &ModelSchema,
    definition: &Definition,
    lookup: &str,
    values: &[&str],
    backend: Backend,
) -> Result<sea_query::Cond, String> {
    use CustomFieldType as T;
    use sea_query::{Cond, Expr as E};
    let name = &definition.name;
    let value_sql = value_sql(name, backend);
    // Only numbers compare as numbers (a value kept from before a type change does not).
    let number_sql = match backend {
        Backend::Sqlite => format!(
            "(CASE WHEN json_type(\"data\", '$.\"{name}\"') IN ('integer', 'real') THEN CAST({value_sql} AS REAL) END)"
        ),
        Backend::Postgres => format!(
            "(CASE WHEN jsonb_typeof(CAST(\"data\" AS JSONB) -> '{name}') = 'number' THEN CAST({value_sql} AS DOUBLE PRECISION) END)"
        ),
    };
    let holding = |inner: sea_query::Expr| {
        E::col("id").in_subquery(
            Query::select()
                .column("object_id")
                .from(DATA)
                .and_where(E::col("object_type").eq(schema.key()))
                .and_where(inner)
                .take(),
        )
    };
    let (negated, base) = match lookup {
        "n" => (true, ""),
        "nic" | "nisw" | "niew" | "nie" => (true, &lookup[1..]),
        other => (false, other),
    };
    let text_kind = matches!(
        definition.kind,
        T::Text | T::LongText | T::Url | T::Select | T::Date | T::DateTime
    );
    let ordered_kind = matches!(
        definition.kind,
        T::Integer | T::Decimal | T::Date | T::DateTime
    );
    let applies = match base {
        "" | "empty" => true,
        "ic" | "isw" | "iew" | "ie" => text_kind,
        _ => ordered_kind,
    };
    if !applies {
        return Err(format!(
            "The lookup “__{lookup}” does not apply to this custom field."
        ));
    }
    let mut matched = Vec::with_capacity(values.len());
    for text in values {
        let number = || {
            text.trim()
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .ok_or_else(|| format!("“{text}” is not a number."))
        };
        let inner: sea_query::Expr = match (base, definition.kind) {
            ("empty", _) => {
                let empty = match *text {
                    "true" | "1" | "True" => true,
                    "false" | "0" | "False" => false,
                    _ => return Err(format!("“{text}” is not true or false.")),
                };
                let present = holding(E::cust(format!("{value_sql} IS NOT NULL")));
                matched.push(if empty { present.not() } else { present });
                continue;
            }
            ("ic" | "isw" | "iew" | "ie", _) => {
                let folded = super::filters::fold_case(text, backend);
                let like = match base {
                    "ic" => super::sql::literal_like("%", &folded, "%"),
                    "isw" => super::sql::literal_like("", &folded, "%"),
                    "iew" => super::sql::literal_like("%", &folded, ""),
                    _ => {
                        let inner = E::cust(format!("lower({value_sql})")).eq(folded);
                        matched.push(holding(inner));
                        continue;
                    }
                };
                E::cust(format!("lower({value_sql})")).like(like)
            }
            ("lt" | "lte" | "gt" | "gte", T::Integer | T::Decimal) => {
                let column = E::cust(number_sql.clone());
                let n = number()?;
                match base {
                    "lt" => column.lt(n),
                    "lte" => column.lte(n),
                    "gt" => column.gt(n),
                    _ => column.gte(n),
                }
            }
            ("lt" | "lte" | "gt" | "gte", _) => {
                let time = match definition.kind {
                    T::Date => scalars::date(text)?,
                    _ => scalars::date_or_time(text)?,
                };
                let column = E::cust(value_sql.clone());
                match base {
                    "lt" => column.lt(time),
                    "lte" => column.lte(time),
                    "gt" => column.gt(time),
                    _ => column.gte(time),
                }
            }
            (_, T::Integer | T::Decimal) => E::cust(number_sql.clone()).eq(number()?),
            (_, T::Object) => {
                let id = text
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| format!("“{text}” is not an object id."))?;
                E::cust(number_sql.clone()).eq(id as f64)
            }
            (_, T::Boolean) => {
                let truth = match text.trim().to_ascii_lowercase().as_str() {
                    "true" | "1" => true,
                    "false" | "0" => false,
                    _ => return Err(format!("“{text}” is not true or false.")),
                };
                match backend {
                    Backend::Sqlite => E::cust(value_sql.clone()).eq(i64::from(truth)),
                    Backend::Postgres => E::cust(value_sql.clone()).eq(truth.to_string()),
                }
            }
            (_, T::MultiSelect | T::MultiObject) => {
                let item = match definition.kind {
                    T::MultiObject => Value::from(
                        text.trim()
                            .parse::<i64>()
                            .map_err(|_| format!("“{text}” is not an object id."))?,
                    ),
                    _ => Value::String(text.to_string()),
                };
                match backend {
                    Backend::Sqlite => with_value(
                        backend,
                        &format!(
                            "EXISTS (SELECT 1 FROM json_each(\"data\", '$.\"{name}\"') WHERE json_each.value = {{}})"
                        ),
                        E::val(match &item {
                            Value::String(text) => sea_query::Value::String(Some(text.clone())),
                            other => sea_query::Value::BigInt(other.as_i64()),
                        }),
                    ),
                    Backend::Postgres => with_value(
                        backend,
                        &format!("(CAST(\"data\" AS JSONB) -> '{name}') @> CAST({{}} AS JSONB)"),
                        E::val(Value::Array(vec![item]).to_string()),
                    ),
                }
            }
            (_, T::Json) => {
                return Err(
                    "A JSON custom field is filtered by whether it is empty (__empty).".into(),
                );
            }
            (_, T::Date) => E::cust(value_sql.clone()).eq(scalars::date(text)?),
            (_, T::DateTime) => E::cust(value_sql.clone()).eq(scalars::date_or_time(text)?),
            (_, T::Select) if !definition.choices.iter().any(|(value, _)| value == text) => {
                return Err(format!("“{text}” is not one of the available choices."));
            }
            _ => E::cust(value_sql.clone()).eq(text.to_string()),
        };
        matched.push(holding(inner));
    }
    Ok(if negated {
        matched
            .into_iter()
            .fold(Cond::all(), |all, m| all.add(m.not()))
    } else {
        matched.into_iter().fold(Cond::any(), Cond::add)
    })
}

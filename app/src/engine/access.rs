//! Object permissions in SQL: the objects an action is allowed on, as a condition the model's
//! queries carry (`WHERE ... AND (<constraints>)`), never as filtering in Rust.
//!
//! Each attribute filter is `<field>` or `<field>__<lookup>`: `id`, any field name (a foreign
//! key by its name or `<name>_id`), with the lookups `exact` (the default), `in`, `iexact`,
//! `contains`, `icontains`, `startswith`, `lt`, `lte`, `gt`, `gte` and `isnull`.

use super::Actor;
use super::sql::{col, literal_like};
use crate::auth::permissions::Scope;
use netbox_framework::models::{Field, FieldKind, ModelSchema};
use sea_query::{Cond, Expr, ExprTrait, Func, Value as SqlValue};
use serde_json::Value;

/// The action is not allowed on any object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NothingAllowed;

/// What an action on a model is allowed on, for one actor.
#[derive(Debug, Clone)]
pub enum Allowed {
    /// Nothing: the action is refused.
    Nothing,
    /// Every object.
    Everything,
    /// The objects matching the condition.
    Matching(Cond),
}

impl Allowed {
    /// What `actor` may do with `action` on `schema`'s objects.
    pub fn of(actor: &Actor, schema: &ModelSchema, action: &str) -> Self {
        match actor.grants.scope(&schema.key(), action) {
            None => Allowed::Nothing,
            Some(Scope::All) => Allowed::Everything,
            Some(Scope::AnyOf(sets)) => {
                let mut any = Cond::any();
                for filters in sets {
                    match filter_set(schema, filters) {
                        Ok(all) => any = any.add(all),
                        Err(error) => tracing::warn!(
                            model = %schema.key(),
                            %error,
                            "a permission constraint cannot apply: it matches nothing"
                        ),
                    }
                }
                if any.is_empty() {
                    Allowed::Nothing
                } else {
                    Allowed::Matching(any)
                }
            }
        }
    }

    /// The condition to add to a query (`None`: no restriction); `Err` when nothing is allowed.
    pub fn condition(self) -> Result<Option<Cond>, NothingAllowed> {
        match self {
            Allowed::Nothing => Err(NothingAllowed),
            Allowed::Everything => Ok(None),
            Allowed::Matching(cond) => Ok(Some(cond)),
        }
    }
}

/// The condition of one filter set (all filters hold).
fn filter_set(
    schema: &ModelSchema,
    filters: &serde_json::Map<String, Value>,
) -> Result<Cond, String> {
    let mut all = Cond::all();
    for (attribute, value) in filters {
        all = all.add(filter(schema, attribute, value)?);
    }
    Ok(all)
}

/// The column and kind of an attribute name (`id`, a field, or a foreign key's `<name>_id`).
fn column_of(schema: &ModelSchema, name: &str) -> Option<(Expr, Option<&'static Field>)> {
    if name == "id" {
        return Some((col("id"), None));
    }
    let field = schema.fields.iter().find(|field| {
        field.name == name
            || matches!(field.kind, FieldKind::ForeignKey { .. }) && field.column() == name
    })?;
    Some((Expr::col(field.column()), Some(field)))
}

/// A JSON value as the SQL value of a column of `field` (`None`: `id`).
fn sql_value(field: Option<&Field>, value: &Value) -> Result<SqlValue, String> {
    let integer = field.is_none_or(Field::is_integer);
    match value {
        Value::Null => Ok(SqlValue::String(None)),
        Value::Number(number) if integer => number
            .as_i64()
            .map(|n| SqlValue::BigInt(Some(n)))
            .ok_or_else(|| format!("{number} is not a whole number")),
        Value::String(text) if integer => text
            .trim()
            .parse::<i64>()
            .map(|n| SqlValue::BigInt(Some(n)))
            .map_err(|_| format!("`{text}` is not a whole number")),
        Value::String(text) => Ok(SqlValue::String(Some(text.clone()))),
        Value::Bool(flag) if integer => Ok(SqlValue::BigInt(Some(i64::from(*flag)))),
        other if !integer => Ok(SqlValue::String(Some(match other {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        }))),
        other => Err(format!("{other} cannot be compared with a number")),
    }
}

/// Whether one attribute filter of a constraint can apply to `schema` (a known field, a
/// known lookup, a value of the right type); `Err` says why not. Permissions are checked with
/// it when saved, so a constraint never silently matches nothing.
pub fn check_filter(schema: &ModelSchema, attribute: &str, value: &Value) -> Result<(), String> {
    filter(schema, attribute, value).map(|_| ())
}

fn filter(schema: &ModelSchema, attribute: &str, value: &Value) -> Result<Cond, String> {
    let (name, lookup) = attribute.split_once("__").unwrap_or((attribute, "exact"));
    let (column, field) = column_of(schema, name)
        .ok_or_else(|| format!("`{name}` is not a field of {}", schema.key()))?;
    if let Some(field) = field
        && matches!(
            field.kind,
            FieldKind::Decimal { .. }
                | FieldKind::Date
                | FieldKind::DateTime
                | FieldKind::ManyToMany { .. }
        )
    {
        return Err(format!(
            "`{name}` is a decimal, date, date-time or many-to-many field, which permission constraints cannot compare yet"
        ));
    }
    let text = |value: &Value| match value {
        Value::String(text) => text.to_lowercase(),
        other => other.to_string(),
    };
    let like = |prefix: &str, suffix: &str| {
        Func::lower(column.clone()).like(literal_like(prefix, &text(value), suffix))
    };
    let expr = match lookup {
        "exact" if value.is_null() => column.is_null(),
        "exact" => column.eq(sql_value(field, value)?),
        "in" => {
            let items = value
                .as_array()
                .ok_or_else(|| format!("`{attribute}` needs a list"))?;
            let values = items
                .iter()
                .map(|item| sql_value(field, item))
                .collect::<Result<Vec<_>, _>>()?;
            column.is_in(values)
        }
        "iexact" => Func::lower(column.clone()).eq(text(value)),
        "contains" | "icontains" => like("%", "%"),
        "startswith" => like("", "%"),
        "lt" => column.lt(sql_value(field, value)?),
        "lte" => column.lte(sql_value(field, value)?),
        "gt" => column.gt(sql_value(field, value)?),
        "gte" => column.gte(sql_value(field, value)?),
        "isnull" => match value {
            Value::Bool(true) => column.is_null(),
            Value::Bool(false) => column.is_not_null(),
            other => return Err(format!("`{attribute}` needs true or false, not {other}")),
        },
        other => {
            return Err(format!(
                "`{other}` is not a supported lookup (in `{attribute}`)"
            ));
        }
    };
    Ok(Cond::all().add(expr))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::permissions::Grants;
    use crate::db::statement::render;
    use netbox_framework::migrations::Backend;
    use sea_query::Query;
    use serde_json::json;
    use std::sync::Arc;

    fn sql(constraints: Value) -> String {
        let schema = crate::builtin::dcim::DEVICE;
        let mut grants = Grants::nothing();
        let scope = crate::auth::permissions::scope_of(Some(&constraints), 7).expect("valid");
        grants.grant(schema, "view", scope);
        let actor = Actor {
            user: "jane".into(),
            request_id: String::new(),
            grants: Arc::new(grants),
        };
        let Allowed::Matching(cond) = Allowed::of(&actor, schema, "view") else {
            return "nothing or everything".into();
        };
        let select = Query::select()
            .column("id")
            .from("dcim_device")
            .cond_where(cond)
            .take();
        let (text, values) = render(Backend::Postgres, &select);
        format!("{text} {values:?}")
    }

    #[test]
    fn constraints_become_sql_with_bound_values() {
        let text = sql(json!([{"site_id": 3, "status": "active"}, {"id__in": [1, "$user"]}]));
        assert!(
            text.contains(r#"("site_id" = $1 AND "status" = $2) OR "id" IN ($3, $4)"#),
            "{text}"
        );
        assert!(
            text.contains("BigInt(Some(7))"),
            "$user is the user's id: {text}"
        );
        assert_eq!(
            sql(json!({"site": "x"})),
            "nothing or everything",
            "not a number: no match"
        );
        assert_eq!(
            sql(json!({"colour": 1})),
            "nothing or everything",
            "unknown field"
        );
    }
}

//! The links of many-to-many fields: each field's join table (`<table>_<field>`, rows
//! `from_id` → `to_id`) rewritten to what an object's values list, inside the write's
//! transaction.

use super::sql::statement;
use super::write::Connection;
use netbox_framework::migrations::Backend;
use netbox_framework::models::{FieldKind, ModelSchema};
use sea_query::{Expr, ExprTrait, Query};
use serde_json::{Map, Value};

/// The ids a many-to-many value lists.
fn ids(value: Option<&Value>) -> Vec<i64> {
    value
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default()
}

/// Makes the links of object `id` those `after` lists, for every many-to-many field whose
/// list differs from `before` (all of them for a new object): the links no longer listed are
/// deleted, the new ones inserted.
pub(super) async fn save(
    connection: &mut Connection,
    backend: Backend,
    schema: &ModelSchema,
    id: i64,
    before: Option<&Map<String, Value>>,
    after: &Map<String, Value>,
) -> Result<(), sqlx::Error> {
    for field in schema.fields {
        if !matches!(field.kind, FieldKind::ManyToMany { .. }) {
            continue;
        }
        let wanted = ids(after.get(field.name));
        let had = before.map(|b| ids(b.get(field.name))).unwrap_or_default();
        if before.is_some() && wanted == had {
            continue;
        }
        let table = format!("{}_{}", schema.table, field.name);
        let gone: Vec<i64> = had
            .iter()
            .copied()
            .filter(|i| !wanted.contains(i))
            .collect();
        if !gone.is_empty() {
            let delete = Query::delete()
                .from_table(table.clone())
                .and_where(Expr::col("from_id").eq(id))
                .and_where(Expr::col("to_id").is_in(gone))
                .take();
            statement(backend, &delete)
                .execute(&mut *connection)
                .await?;
        }
        let new: Vec<i64> = wanted
            .iter()
            .copied()
            .filter(|i| !had.contains(i))
            .collect();
        if new.is_empty() {
            continue;
        }
        let mut insert = Query::insert()
            .into_table(table)
            .columns(["from_id", "to_id"])
            .take();
        for target in new {
            insert.values_panic([Expr::val(id), Expr::val(target)]);
        }
        statement(backend, &insert)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

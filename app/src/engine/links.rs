//! The links of many-to-many fields: each field's join table (`<table>_<field>`, rows
//! `from_id` → `to_id`) rewritten to what an object's values list, inside the write's
//! transaction.

use super::sql::statement;
use super::write::Connection;
use netbox_framework::migrations::Backend;
use netbox_framework::models::{FieldKind, ModelSchema};
use sea_query::{Expr, ExprTrait, OnConflict, Query};
use serde_json::{Map, Value};

/// The ids a many-to-many value lists.
fn ids(value: Option<&Value>) -> Vec<i64> {
    value
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default()
}

/// Makes the links of object `id` those `after` lists, for every many-to-many field whose
/// list differs from `before` (all of them for a new object): links not listed are deleted,
/// listed ones inserted unless present. Written against what the join table holds, not
/// against `before`, so that a concurrent writer's links are never half kept (PostgreSQL
/// reads the join table as of each statement).
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
        if before.is_some_and(|before| ids(before.get(field.name)) == wanted) {
            continue;
        }
        let table = schema.join_table(field);
        let mut delete = Query::delete()
            .from_table(table.clone())
            .and_where(Expr::col("from_id").eq(id))
            .take();
        if !wanted.is_empty() {
            delete.and_where(Expr::col("to_id").is_not_in(wanted.iter().copied()));
        }
        if before.is_some() {
            statement(backend, &delete)
                .execute(&mut *connection)
                .await?;
        }
        if wanted.is_empty() {
            continue;
        }
        let mut insert = Query::insert()
            .into_table(table)
            .columns(["from_id", "to_id"])
            .on_conflict(
                OnConflict::columns(["from_id", "to_id"])
                    .do_nothing()
                    .to_owned(),
            )
            .take();
        for target in wanted {
            insert.values_panic([Expr::val(id), Expr::val(target)]);
        }
        statement(backend, &insert)
            .execute(&mut *connection)
            .await?;
    }
    Ok(())
}

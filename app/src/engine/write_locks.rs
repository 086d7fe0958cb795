//! The locks a bulk write takes first, in one order, so that two bulk writes never deadlock.

use super::super::clean;
use super::super::sql::{col, statement};
use super::super::store::Store;
use super::{Connection, Step};
use sea_query::{ExprTrait, LockType, Query};
use serde_json::Value;

impl Store<'_> {
    /// Locks, before a bulk write, every row it will lock anyway, in ascending id order per
    /// table: its objects (for updates and deletes) and the objects they refer to. Two bulk
    /// writes then take their locks in the same order and never deadlock (PostgreSQL; SQLite
    /// serializes writers).
    pub(super) async fn lock_in_order(
        &self,
        connection: &mut Connection,
        steps: &[Step<'_>],
    ) -> Result<(), sqlx::Error> {
        let backend = self.database().backend();
        // Ascending, in chunks of ascending ids (a statement binds a bounded number of values).
        let lock = |table: &'static str, mut ids: Vec<i64>, lock: LockType| {
            ids.sort_unstable();
            ids.dedup();
            ids.chunks(10_000)
                .map(|chunk| {
                    Query::select()
                        .column("id")
                        .from(table)
                        .and_where(col("id").is_in(chunk.iter().copied()))
                        .order_by("id", sea_query::Order::Asc)
                        .lock(lock)
                        .take()
                })
                .collect::<Vec<_>>()
        };
        let own: Vec<i64> = steps
            .iter()
            .filter_map(|step| match step {
                Step::Update(id, ..) | Step::Delete(id) => Some(*id),
                Step::Create(..) => None,
            })
            .collect();
        if !own.is_empty() {
            let kind = if steps.iter().any(|s| matches!(s, Step::Delete(_))) {
                LockType::Update
            } else {
                LockType::NoKeyUpdate
            };
            for select in lock(self.schema().table, own, kind) {
                statement(backend, &select)
                    .fetch_all(&mut *connection)
                    .await?;
            }
        }
        for field in self.schema().fields {
            use netbox_framework::models::FieldKind::{ForeignKey, ManyToMany};
            let (ForeignKey { model } | ManyToMany { model }) = field.kind else {
                continue;
            };
            let Some(target) = self.models().get(model) else {
                continue;
            };
            // A reference's id, or a many-to-many field's ids (given as ids or objects).
            let referenced: Vec<i64> = steps
                .iter()
                .filter_map(|step| match step {
                    Step::Create(input, _) | Step::Update(_, input, ..) => input.get(field.name),
                    Step::Delete(_) => None,
                })
                .flat_map(|value| match value {
                    Value::Array(items) => items.iter().collect(),
                    value => vec![value],
                })
                .filter_map(|value| clean::integer(value.get("id").unwrap_or(value)))
                .collect();
            if !referenced.is_empty() {
                for select in lock(target.schema.table, referenced, LockType::KeyShare) {
                    statement(backend, &select)
                        .fetch_all(&mut *connection)
                        .await?;
                }
            }
        }
        Ok(())
    }
}

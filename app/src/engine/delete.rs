//! Deleting one object inside a write's transaction, following the references to it: each
//! referring model's field says whether the delete is refused (`protect`), takes the referring
//! objects with it (`cascade`) or empties their reference (`set_null`).

use super::changelog::Action;
use super::registry::MountedModel;
use super::sql::{col, column, now_value, statement};
use super::store::Store;
use super::write::{Connection, Failure};
use super::{Object, WriteError};
use netbox_framework::models::OnDelete;
use netbox_framework::signals::Signal;
use sea_query::{Expr, ExprTrait, LockType, Query};
use serde_json::Value;
use sqlx::Row;

impl Store<'_> {
    /// Deletes object `id` inside the transaction. Objects referring to it are counted (for
    /// `pre_delete`), then as their field says: protected references refuse the delete,
    /// cascading ones are deleted first (each with its signals and change record; `depth`
    /// levels down, the actor's permission on the object deleted covers them, as in NetBox),
    /// `set_null` ones are emptied.
    pub(super) async fn delete_in(
        &self,
        connection: &mut Connection,
        id: i64,
        depth: usize,
    ) -> Result<Object, Failure> {
        /// Cascades deeper than this are refused (a cycle of cascading references).
        const MAX_DEPTH: usize = 16;
        let schema = self.schema();
        let object = self
            .fetch_locked(connection, id, LockType::Update)
            .await?
            .ok_or(WriteError::NotFound)?;
        if depth == 0 && !self.within(connection, id, "delete").await? {
            return Err(WriteError::NotFound.into());
        }
        if depth == 0 {
            self.check_version(&object)?;
        }
        let backend = self.database().backend();
        let mut blockers = Vec::new();
        let mut references: Vec<(String, i64)> = Vec::new();
        let mut cascades = Vec::new();
        for (model, field) in self.models().references_to(&schema.key()) {
            let Some(field) = model.schema.field(field) else {
                continue;
            };
            let mut referring = Query::select()
                .column("id")
                .from(model.schema.table)
                .and_where(column(field).eq(id))
                .take();
            if model.schema.table == schema.table {
                // An object referring to itself goes with it.
                referring.and_where(col("id").ne(id));
            }
            let ids: Vec<i64> = statement(backend, &referring)
                .fetch_all(&mut *connection)
                .await?
                .iter()
                .map(|row| row.try_get(0))
                .collect::<Result<_, _>>()?;
            if ids.is_empty() {
                continue;
            }
            let found = ids.len() as i64;
            references.push((model.schema.key(), found));
            match field.on_delete {
                OnDelete::Protect => {
                    let noun = if found == 1 {
                        model.schema.verbose_name
                    } else {
                        model.schema.verbose_name_plural
                    };
                    blockers.push(format!("{found} {}", noun.to_lowercase()));
                }
                OnDelete::Cascade => cascades.push((model, ids)),
                OnDelete::SetNull => {
                    let empty = Query::update()
                        .table(model.schema.table)
                        .value(field.column(), Expr::val(Option::<i64>::None))
                        .and_where(column(field).eq(id))
                        .take();
                    statement(backend, &empty).execute(&mut *connection).await?;
                }
            }
        }
        // Plugins may refuse first, with their own explanation.
        self.send(Signal::PreDelete, Some(&object), None, &references)
            .map_err(WriteError::Conflict)?;
        if blockers.is_empty() && !cascades.is_empty() {
            if depth >= MAX_DEPTH {
                return Err(WriteError::Conflict(format!(
                    "deleting this {} cascades more than {MAX_DEPTH} levels deep (a cycle of references?)",
                    schema.verbose_name.to_lowercase()
                ))
                .into());
            }
            for (model, ids) in cascades {
                let child = self.of_model(model);
                for child_id in ids {
                    Box::pin(child.delete_in(connection, child_id, depth + 1)).await?;
                }
            }
        }
        if !blockers.is_empty() {
            let display = object
                .get(schema.display_field)
                .and_then(Value::as_str)
                .unwrap_or_default();
            return Err(WriteError::Conflict(format!(
                "{} “{display}” cannot be deleted: it is still referenced by {}. Delete or reassign them first.",
                schema.verbose_name,
                blockers.join(" and ")
            ))
            .into());
        }
        let linked = self.linking(connection, id).await?;
        let delete = Query::delete()
            .from_table(schema.table)
            .and_where(col("id").eq(id))
            .take();
        statement(self.database().backend(), &delete)
            .execute(&mut *connection)
            .await?;
        super::features::forget(connection, backend, schema, id).await?;
        super::features::definition_written(connection, backend, schema, Some(&object), None)
            .await?;
        self.record(connection, Action::Delete, id, Some(&object), None)
            .await?;
        // The objects that linked to it lost a link (the join tables cascade): each is
        // updated, as NetBox records a change of its many-to-many field.
        for (model, linking_id, before) in linked {
            let store = self.of_model(model);
            let touch = Query::update()
                .table(model.schema.table)
                .value("last_updated", now_value(backend))
                .and_where(col("id").eq(linking_id))
                .take();
            statement(backend, &touch).execute(&mut *connection).await?;
            if let Some(after) = store.fetch(connection, linking_id).await? {
                store
                    .record(
                        connection,
                        Action::Update,
                        linking_id,
                        Some(&before),
                        Some(&after),
                    )
                    .await?;
            }
        }
        if depth > 0 {
            // A cascaded object's `post_delete` goes out as it goes (Django's order); the
            // objects deleted by the request get theirs after the commit.
            let _ = self.send(Signal::PostDelete, Some(&object), None, &[]);
        }
        Ok(object)
    }

    /// The objects whose many-to-many fields link to object `id` (other than itself), each
    /// locked and as it is before the delete.
    async fn linking(
        &self,
        connection: &mut Connection,
        id: i64,
    ) -> Result<Vec<(&MountedModel, i64, Object)>, Failure> {
        let backend = self.database().backend();
        let mut found: Vec<(&MountedModel, i64, Object)> = Vec::new();
        for (model, field) in self.models().links_to(&self.schema().key()) {
            let select = Query::select()
                .column("from_id")
                .from(model.schema.join_table(field))
                .and_where(col("to_id").eq(id))
                .order_by("from_id", sea_query::Order::Asc)
                .take();
            let ids: Vec<i64> = statement(backend, &select)
                .fetch_all(&mut *connection)
                .await?
                .iter()
                .map(|row| row.try_get(0))
                .collect::<Result<_, _>>()?;
            let store = self.of_model(model);
            for from in ids {
                let seen = found
                    .iter()
                    .any(|(m, other, _)| m.schema.table == model.schema.table && *other == from);
                let itself = model.schema.table == self.schema().table && from == id;
                if seen || itself {
                    continue;
                }
                if let Some(before) = store
                    .fetch_locked(connection, from, LockType::NoKeyUpdate)
                    .await?
                {
                    found.push((model, from, before));
                }
            }
        }
        Ok(found)
    }
}

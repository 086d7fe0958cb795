//! Creating, updating and deleting objects, one at a time or in bulk. Every call is one write
//! transaction that changes nothing when any item fails: the checks, the `pre_*` receivers,
//! the statements and the change-log entries run inside it; the `post_*` receivers run after
//! the commit.
//!
//! Updates and deletes lock the row they read (`SELECT ... FOR NO KEY UPDATE` /
//! `FOR UPDATE` on PostgreSQL; SQLite serializes writers with `BEGIN IMMEDIATE`), and a
//! reference check locks the referenced row (`FOR KEY SHARE`), so concurrent writers never
//! lose each other's changes, each change-log entry's "before" is the previous entry's
//! "after", and a delete racing the creation of a referencing object is a 409 or a 400, never
//! a database error.

#[path = "write_locks.rs"]
mod locks;

use super::changelog::Action;
use super::clean::{self, FieldErrors, Mode, add_error};
use super::features;
use super::sql::{col, now_value, read_integer, row_values, statement};
use super::store::Store;
use super::{Object, WriteError};
use crate::plugins::guard::{PluginFailure, call_plugin};
use netbox_framework::signals::Signal;
use sea_query::{DynIden, Expr, ExprTrait, LockType, Query};
use serde_json::{Map, Value};

pub(super) type Connection = sqlx::AnyConnection;

/// Why a bulk write changed nothing.
#[derive(Debug)]
pub enum BulkError {
    /// Invalid input: the messages of every item, in request order (empty for valid items).
    Invalid(Vec<FieldErrors>),
    /// The item at `index` (0-based, in request order) failed otherwise.
    Item {
        /// Position of the item in the request.
        index: usize,
        /// What went wrong.
        error: WriteError,
    },
    /// The whole request failed (no permission, the database).
    All(WriteError),
}

impl BulkError {
    /// The error of a one-item write.
    fn single(self) -> WriteError {
        match self {
            BulkError::Invalid(mut items) => WriteError::Invalid(items.pop().unwrap_or_default()),
            BulkError::Item { error, .. } | BulkError::All(error) => error,
        }
    }
}

impl From<sqlx::Error> for BulkError {
    fn from(error: sqlx::Error) -> Self {
        BulkError::All(WriteError::Database(error))
    }
}

/// A failed step inside a write transaction.
pub(super) enum Failure {
    /// The write is refused.
    Refused(WriteError),
    /// The database refused a statement on a constraint (another writer got there first);
    /// explained once the transaction is rolled back.
    Constraint {
        error: sqlx::Error,
        values: Object,
        id: Option<i64>,
    },
}

impl From<WriteError> for Failure {
    fn from(error: WriteError) -> Self {
        Failure::Refused(error)
    }
}

impl From<sqlx::Error> for Failure {
    fn from(error: sqlx::Error) -> Self {
        Failure::Refused(WriteError::Database(error))
    }
}

/// What a step did, for the `post_*` receivers after the commit.
pub(super) enum Done {
    Saved(Option<Object>, Object),
    Deleted(Object),
}

/// The entity tag of an object as it is now: a weak validator over its stored values, sent as
/// `ETag` and compared with `If-Match`.
///
/// ```
/// let object = serde_json::json!({"id": 1, "name": "a"});
/// let tag = netbox_app::engine::write::etag(object.as_object().unwrap());
/// assert!(tag.starts_with("W/\"") && tag.len() == 20, "{tag}");
/// ```
pub fn etag(object: &Object) -> String {
    let digest = crate::db::sha256_hex(&serde_json::to_string(object).unwrap_or_default());
    format!("W/\"{}\"", &digest[..16])
}

/// Whether an `If-Match` header value (one tag, a list, or `*`) accepts `current`.
fn matches(condition: &str, current: &str) -> bool {
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_string();
    condition
        .split(',')
        .any(|tag| tag.trim() == "*" || bare(tag) == bare(current))
}

impl Store<'_> {
    /// `errors` with the model's own validation's (`ModelSchema::clean`), which runs once
    /// every field is valid; a panic in it is an error of the object naming the plugin.
    fn model_clean(&self, values: &Object, mut errors: FieldErrors) -> FieldErrors {
        let Some(check) = self.schema().clean else {
            return errors;
        };
        if !errors.is_empty() {
            return errors;
        }
        match call_plugin(self.owner(), "clean", || check(values)) {
            Ok(()) => {}
            Err(PluginFailure::Error(found)) => {
                for (field, messages) in found.messages() {
                    for message in messages {
                        add_error(&mut errors, field, message.clone());
                    }
                }
            }
            Err(PluginFailure::Panic(_)) => add_error(
                &mut errors,
                "__all__",
                format!("The validation of plugin “{}” failed.", self.owner()),
            ),
        }
        errors
    }

    /// `Err(Stale)` when the client asked for a version the object no longer has.
    pub(super) fn check_version(&self, current: &Object) -> Result<(), WriteError> {
        match self.expected() {
            Some(condition) if !matches(condition, &etag(current)) => Err(WriteError::Stale),
            _ => Ok(()),
        }
    }

    /// The tags and custom-field values of a write (see [`features::prepare`]).
    async fn features(
        &self,
        connection: &mut Connection,
        input: &Map<String, Value>,
        current: Option<&Object>,
        values: &mut Object,
        errors: &mut FieldErrors,
    ) -> Result<features::Extras, sqlx::Error> {
        let (backend, models, schema) = (self.database().backend(), self.models(), self.schema());
        features::prepare(
            connection, backend, models, schema, input, current, values, errors,
        )
        .await
    }

    /// The object just written, read back inside the write's transaction: it must still be
    /// within the actor's `action` constraints (else the write is refused).
    async fn read_back(
        &self,
        connection: &mut Connection,
        id: i64,
        action: &str,
    ) -> Result<Object, Failure> {
        if !self.within(connection, id, action).await? {
            return Err(self.outside(action).into());
        }
        Ok(self
            .fetch(connection, id)
            .await?
            .ok_or(WriteError::NotFound)?)
    }

    async fn insert_in(
        &self,
        connection: &mut Connection,
        input: &Map<String, Value>,
        reject_unknown: bool,
    ) -> Result<Object, Failure> {
        let (schema, backend) = (self.schema(), self.database().backend());
        let (mut values, mut errors) =
            clean::clean_partial(schema, input, Mode::Create, reject_unknown);
        let extras = self
            .features(connection, input, None, &mut values, &mut errors)
            .await?;
        let errors = self.model_clean(&values, errors);
        self.checks()
            .check(connection, &values, None, errors)
            .await?;
        self.send(Signal::PreSave, None, Some(&values), &[])
            .map_err(refusal)?;
        let (mut columns, mut row): (Vec<DynIden>, Vec<Expr>) =
            row_values(schema, backend, &values).into_iter().unzip();
        columns.extend([DynIden::from("created"), DynIden::from("last_updated")]);
        row.extend([now_value(backend), now_value(backend)]);
        let insert = Query::insert()
            .into_table(schema.table)
            .columns(columns)
            .values_panic(row)
            .returning_col("id")
            .take();
        let row = match statement(self.database().backend(), &insert)
            .fetch_one(&mut *connection)
            .await
        {
            Ok(row) => row,
            Err(error) => {
                return Err(Failure::Constraint {
                    error,
                    values,
                    id: None,
                });
            }
        };
        let id = read_integer(&row, 0)?.unwrap_or_default();
        extras
            .save(connection, backend, schema, id, None, &values)
            .await?;
        let created = self.read_back(connection, id, "add").await?;
        self.record(connection, Action::Create, id, None, Some(&created))
            .await?;
        Ok(created)
    }

    async fn update_in(
        &self,
        connection: &mut Connection,
        id: i64,
        input: &Map<String, Value>,
        mode: Mode,
        reject_unknown: bool,
    ) -> Result<(Object, Object), Failure> {
        let (schema, backend) = (self.schema(), self.database().backend());
        let (changes, mut errors) = clean::clean_partial(schema, input, mode, reject_unknown);
        let existing = self
            .fetch_locked(connection, id, LockType::NoKeyUpdate)
            .await?
            .ok_or(WriteError::NotFound)?;
        if !self.within(connection, id, "change").await? {
            return Err(WriteError::NotFound.into());
        }
        self.check_version(&existing)?;
        let mut values = existing.clone();
        values.extend(changes);
        let extras = self
            .features(connection, input, Some(&existing), &mut values, &mut errors)
            .await?;
        let errors = self.model_clean(&values, errors);
        self.checks()
            .check(connection, &values, Some(id), errors)
            .await?;
        self.send(Signal::PreSave, Some(&existing), Some(&values), &[])
            .map_err(refusal)?;
        let mut assignments = row_values(schema, backend, &values);
        assignments.push((DynIden::from("last_updated"), now_value(backend)));
        let update = Query::update()
            .table(schema.table)
            .values(assignments)
            .and_where(col("id").eq(id))
            .take();
        if let Err(error) = statement(self.database().backend(), &update)
            .execute(&mut *connection)
            .await
        {
            return Err(Failure::Constraint {
                error,
                values,
                id: Some(id),
            });
        }
        extras
            .save(connection, backend, schema, id, Some(&existing), &values)
            .await?;
        let updated = self.read_back(connection, id, "change").await?;
        self.record(
            connection,
            Action::Update,
            id,
            Some(&existing),
            Some(&updated),
        )
        .await?;
        Ok((existing, updated))
    }

    /// Runs one step inside a write transaction.
    async fn step(&self, connection: &mut Connection, step: &Step<'_>) -> Result<Done, Failure> {
        Ok(match *step {
            Step::Create(input, reject_unknown) => Done::Saved(
                None,
                self.insert_in(connection, input, reject_unknown).await?,
            ),
            Step::Update(id, input, mode, reject_unknown) => {
                let (before, after) = self
                    .update_in(connection, id, input, mode, reject_unknown)
                    .await?;
                Done::Saved(Some(before), after)
            }
            Step::Delete(id) => Done::Deleted(self.delete_in(connection, id, 0).await?),
        })
    }

    /// Runs `steps` in one write transaction; commits only when every step succeeded.
    /// Invalid input stops nothing but the commit: later items are still checked, so that the
    /// answer lists every invalid item (unless the database refused a statement).
    async fn transact(&self, steps: &[Step<'_>]) -> Result<Vec<Done>, BulkError> {
        for step in steps
            .iter()
            .map(Step::action)
            .collect::<std::collections::BTreeSet<_>>()
        {
            self.allowed(step).map_err(BulkError::All)?;
        }
        let count = steps.len();
        let mut transaction = self.database().begin_write().await?;
        if count > 1 {
            self.lock_in_order(&mut transaction, steps).await?;
        }
        let mut done = Vec::with_capacity(count);
        let mut invalid: Vec<FieldErrors> = Vec::new();
        for (index, step) in steps.iter().enumerate() {
            match self.step(&mut transaction, step).await {
                Ok(item) => done.push(item),
                Err(Failure::Refused(WriteError::Invalid(errors))) => {
                    invalid.resize(index, FieldErrors::new());
                    invalid.push(errors);
                }
                Err(Failure::Refused(error)) => {
                    transaction.rollback().await?;
                    return Err(BulkError::Item { index, error });
                }
                Err(Failure::Constraint { error, values, id }) => {
                    // Release the write lock first: the explanation reads in a transaction
                    // of its own.
                    transaction.rollback().await?;
                    return Err(match self.checks().explain(error, &values, id).await {
                        WriteError::Invalid(errors) => {
                            invalid.resize(index, FieldErrors::new());
                            invalid.push(errors);
                            BulkError::Invalid(invalid)
                        }
                        error => BulkError::Item { index, error },
                    });
                }
            }
        }
        if !invalid.is_empty() {
            transaction.rollback().await?;
            invalid.resize(count, FieldErrors::new());
            return Err(BulkError::Invalid(invalid));
        }
        transaction.commit().await?;
        super::features::committed(self.schema().key().as_str());
        for item in &done {
            let _ = match item {
                Done::Saved(before, after) => {
                    self.send(Signal::PostSave, before.as_ref(), Some(after), &[])
                }
                Done::Deleted(object) => self.send(Signal::PostDelete, Some(object), None, &[]),
            };
        }
        Ok(done)
    }

    /// One write inside a transaction the caller holds (the data API's transactions): the
    /// permission, the step itself; its `post_*` signal is [`Store::after_commit`]'s, once the
    /// caller commits. A constraint the database refuses (a race) is a conflict: the caller's
    /// transaction cannot go on.
    pub(super) async fn step_in(
        &self,
        connection: &mut Connection,
        step: &Step<'_>,
    ) -> Result<Done, WriteError> {
        self.allowed(step.action())?;
        match self.step(connection, step).await {
            Ok(done) => Ok(done),
            Err(Failure::Refused(error)) => Err(error),
            Err(Failure::Constraint { error, .. }) => {
                tracing::info!(%error, "constraint refused inside a plugin's transaction");
                Err(WriteError::Conflict(
                    "Another change got there first; try again.".to_string(),
                ))
            }
        }
    }

    /// Sends the `post_*` signal of a write done by [`Store::step_in`], after its commit.
    pub(super) fn after_commit(&self, done: &Done) {
        let _ = match done {
            Done::Saved(before, after) => {
                self.send(Signal::PostSave, before.as_ref(), Some(after), &[])
            }
            Done::Deleted(object) => self.send(Signal::PostDelete, Some(object), None, &[]),
        };
    }

    /// Creates objects from inputs (see [`clean::clean`]), all or none; returns them in input
    /// order. Per object, inside the one transaction: the checks, `pre_save`,
    /// `INSERT INTO <table> ... RETURNING id` and the change-log entry.
    pub async fn create_many(
        &self,
        inputs: &[Map<String, Value>],
        reject_unknown: bool,
    ) -> Result<Vec<Object>, BulkError> {
        let steps: Vec<Step> = inputs
            .iter()
            .map(|input| Step::Create(input, reject_unknown))
            .collect();
        Ok(saved(self.transact(&steps).await?))
    }

    /// Creates one object (see [`Store::create_many`]).
    pub async fn create(
        &self,
        input: &Map<String, Value>,
        reject_unknown: bool,
    ) -> Result<Object, WriteError> {
        let done = self
            .transact(&[Step::Create(input, reject_unknown)])
            .await
            .map_err(BulkError::single)?;
        saved(done).pop().ok_or(WriteError::NotFound)
    }

    /// Updates objects, `(id, input)` each (`Mode::Replace` or `Mode::Patch`), all or none;
    /// returns them in input order. Per object, inside the one transaction: the row read and
    /// locked, the version check ([`Store::expecting`]), the checks, `pre_save`,
    /// `UPDATE <table> SET ... WHERE id` and the change-log entry.
    pub async fn update_many(
        &self,
        items: &[(i64, Map<String, Value>)],
        mode: Mode,
        reject_unknown: bool,
    ) -> Result<Vec<Object>, BulkError> {
        let steps: Vec<Step> = items
            .iter()
            .map(|(id, input)| Step::Update(*id, input, mode, reject_unknown))
            .collect();
        Ok(saved(self.transact(&steps).await?))
    }

    /// Updates one object (see [`Store::update_many`]).
    pub async fn update(
        &self,
        id: i64,
        input: &Map<String, Value>,
        mode: Mode,
        reject_unknown: bool,
    ) -> Result<Object, WriteError> {
        let done = self
            .transact(&[Step::Update(id, input, mode, reject_unknown)])
            .await
            .map_err(BulkError::single)?;
        saved(done).pop().ok_or(WriteError::NotFound)
    }

    /// Creates and updates objects in one transaction, all or none (a bulk import): an item
    /// with an id updates that object with what it gives (`Mode::Patch`), one without creates
    /// an object. Needs the `add` and `change` permissions its items use.
    pub async fn save_many(
        &self,
        items: &[(Option<i64>, Map<String, Value>)],
    ) -> Result<Vec<Object>, BulkError> {
        let steps: Vec<Step> = items
            .iter()
            .map(|(id, input)| match id {
                Some(id) => Step::Update(*id, input, Mode::Patch, true),
                None => Step::Create(input, true),
            })
            .collect();
        Ok(saved(self.transact(&steps).await?))
    }

    /// Deletes objects unless others refer to them, all or none; returns what was deleted.
    /// Per object, inside the one transaction: the row read and locked, the version check,
    /// the references counted, `pre_delete`, `DELETE FROM <table> WHERE id` and the
    /// change-log entry.
    pub async fn delete_many(&self, ids: &[i64]) -> Result<Vec<Object>, BulkError> {
        let steps: Vec<Step> = ids.iter().map(|id| Step::Delete(*id)).collect();
        Ok(deleted(self.transact(&steps).await?))
    }

    /// Deletes one object (see [`Store::delete_many`]).
    pub async fn delete(&self, id: i64) -> Result<Object, WriteError> {
        let done = self
            .transact(&[Step::Delete(id)])
            .await
            .map_err(BulkError::single)?;
        deleted(done).pop().ok_or(WriteError::NotFound)
    }
}

/// One write of a transaction.
pub(super) enum Step<'a> {
    Create(&'a Map<String, Value>, bool),
    Update(i64, &'a Map<String, Value>, Mode, bool),
    Delete(i64),
}

impl Step<'_> {
    /// The permission action the step needs.
    fn action(&self) -> &'static str {
        match self {
            Step::Create(..) => "add",
            Step::Update(..) => "change",
            Step::Delete(_) => "delete",
        }
    }
}

/// The deleted objects of a transaction's steps.
fn deleted(done: Vec<Done>) -> Vec<Object> {
    done.into_iter()
        .filter_map(|item| match item {
            Done::Deleted(object) => Some(object),
            Done::Saved(..) => None,
        })
        .collect()
}

/// The saved objects of a transaction's steps.
fn saved(done: Vec<Done>) -> Vec<Object> {
    done.into_iter()
        .filter_map(|item| match item {
            Done::Saved(_, after) => Some(after),
            Done::Deleted(_) => None,
        })
        .collect()
}

/// A `pre_save` refusal as the error the user sees next to the form (or in the 400 body).
fn refusal(message: String) -> WriteError {
    let mut errors = FieldErrors::new();
    add_error(&mut errors, "__all__", message);
    WriteError::Invalid(errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_accepts_the_current_tag_a_list_or_any() {
        let current = "W/\"0123456789abcdef\"";
        assert!(matches("W/\"0123456789abcdef\"", current));
        assert!(matches("\"0123456789abcdef\"", current));
        assert!(matches("\"x\", W/\"0123456789abcdef\"", current));
        assert!(matches("*", current));
        assert!(!matches("W/\"fedcba9876543210\"", current));
    }
}

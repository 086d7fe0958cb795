//! The checks of a write inside its transaction: referenced objects exist, unique fields and
//! `unique_together` groups stay unique. Failures are messages per field, as a form shows them;
//! a constraint the database reports anyway (a race with another writer) is explained the
//! same way.

use super::clean::{FieldErrors, add_error};
use super::registry::ModelRegistry;
use super::sql::{bind, col, column, statement, value};
use super::{Object, WriteError};
use crate::db::Database;
use netbox_framework::models::ModelSchema;
use sea_query::{Asterisk, Expr, ExprTrait, LockType, Query, SelectStatement};
use serde_json::Value;
use sqlx::Row;

/// "A site", "An access list".
fn with_article(noun: &str) -> String {
    let noun = noun.to_lowercase();
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "An"
    } else {
        "A"
    };
    format!("{article} {noun}")
}

/// `SELECT COUNT(*) FROM <table>`.
fn count_in(table: &'static str) -> SelectStatement {
    Query::select()
        .expr(Expr::col(Asterisk).count())
        .from(table)
        .take()
}

/// The checks of writes to one model.
pub(super) struct Checks<'a> {
    pub(super) database: &'a Database,
    pub(super) models: &'a ModelRegistry,
    pub(super) schema: &'static ModelSchema,
}

impl Checks<'_> {
    async fn count(
        &self,
        connection: &mut sqlx::AnyConnection,
        select: &SelectStatement,
    ) -> Result<i64, sqlx::Error> {
        statement(self.database.backend(), select)
            .fetch_one(&mut *connection)
            .await?
            .try_get(0)
    }

    /// Checks references and uniqueness of `values` inside the write's transaction, adding
    /// to `errors` (fields that already have an error are not checked again); fails when any
    /// error is known.
    pub(super) async fn check(
        &self,
        connection: &mut sqlx::AnyConnection,
        values: &Object,
        id: Option<i64>,
        mut errors: FieldErrors,
    ) -> Result<(), WriteError> {
        let schema = self.schema;
        let not_this = |select: &mut SelectStatement| {
            if let Some(id) = id {
                select.and_where(col("id").ne(id));
            }
        };
        for field in schema.fields {
            let Some(given) = values.get(field.name).filter(|value| !value.is_null()) else {
                continue;
            };
            if let netbox_framework::models::FieldKind::ForeignKey { model } = field.kind
                && let Some(target) = self.models.get(model).map(|m| m.schema)
            {
                // Locked until the write commits, so that the referenced object cannot be
                // deleted in between (PostgreSQL; SQLite serializes writers).
                let select = Query::select()
                    .column("id")
                    .from(target.table)
                    .and_where(col("id").eq(value(field, given)))
                    .lock(LockType::KeyShare)
                    .take();
                let found = statement(self.database.backend(), &select)
                    .fetch_optional(&mut *connection)
                    .await?;
                if found.is_none() {
                    add_error(
                        &mut errors,
                        field.name,
                        format!("{} {given} does not exist.", target.verbose_name),
                    );
                }
            }
            if let netbox_framework::models::FieldKind::ManyToMany { model } = field.kind
                && let Some(target) = self.models.get(model).map(|m| m.schema)
                && let Some(items) = given.as_array().filter(|items| !items.is_empty())
            {
                // Locked like a foreign key's target.
                let wanted: Vec<i64> = items.iter().filter_map(Value::as_i64).collect();
                let select = Query::select()
                    .column("id")
                    .from(target.table)
                    .and_where(col("id").is_in(wanted.iter().copied()))
                    .lock(LockType::KeyShare)
                    .take();
                let rows = statement(self.database.backend(), &select)
                    .fetch_all(&mut *connection)
                    .await?;
                let found: Vec<i64> = rows
                    .iter()
                    .filter_map(|row| super::sql::read_integer(row, 0).ok().flatten())
                    .collect();
                for id in wanted.iter().filter(|id| !found.contains(id)) {
                    add_error(
                        &mut errors,
                        field.name,
                        format!("{} {id} does not exist.", target.verbose_name),
                    );
                }
            }
            if field.unique && given.as_str() != Some("") {
                let mut select = count_in(schema.table)
                    .and_where(column(field).eq(bind(field, self.database.backend(), given)))
                    .take();
                not_this(&mut select);
                if self.count(connection, &select).await? > 0 {
                    add_error(
                        &mut errors,
                        field.name,
                        format!(
                            "{} with this {} already exists.",
                            with_article(schema.verbose_name),
                            field.label.to_lowercase()
                        ),
                    );
                }
            }
        }
        for group in schema.unique_together {
            if group.iter().any(|name| {
                errors.contains_key(*name) || values.get(*name).is_none_or(Value::is_null)
            }) {
                continue;
            }
            let mut select = count_in(schema.table);
            for name in *group {
                if let Some(field) = schema.field(name) {
                    let given = values.get(*name).unwrap_or(&Value::Null);
                    select.and_where(column(field).eq(bind(field, self.database.backend(), given)));
                }
            }
            not_this(&mut select);
            if self.count(connection, &select).await? > 0 {
                let labels: Vec<String> = group
                    .iter()
                    .filter_map(|n| schema.field(n))
                    .map(|f| f.label.to_lowercase())
                    .collect();
                add_error(
                    &mut errors,
                    "__all__",
                    format!(
                        "{} with this {} already exists.",
                        with_article(schema.verbose_name),
                        labels.join(" and ")
                    ),
                );
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(WriteError::Invalid(errors))
        }
    }

    /// Turns a constraint violation that our checks did not see coming (another request
    /// wrote the same values between check and write) into the field errors the checks give
    /// now; any other error stays a database error.
    pub(super) async fn explain(
        &self,
        error: sqlx::Error,
        values: &Object,
        id: Option<i64>,
    ) -> WriteError {
        let is_conflict = error
            .as_database_error()
            .is_some_and(|e| e.is_unique_violation() || e.is_foreign_key_violation());
        if !is_conflict {
            return WriteError::Database(error);
        }
        let recheck = async {
            let mut transaction = self.database.begin_write().await?;
            let outcome = self
                .check(&mut transaction, values, id, FieldErrors::new())
                .await;
            transaction.rollback().await?;
            outcome
        };
        match recheck.await {
            Err(WriteError::Invalid(errors)) => WriteError::Invalid(errors),
            _ => {
                let mut errors = FieldErrors::new();
                add_error(
                    &mut errors,
                    "__all__",
                    "Another request changed the same data at the same time; check the values and try again.",
                );
                WriteError::Invalid(errors)
            }
        }
    }
}

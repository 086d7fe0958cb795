//! The data of one model: list with search, filters and pagination; get; create, update and
//! delete, each in one transaction that changes nothing when any check fails, with the
//! plugins' signals around it and its change-log entry inside it.

use super::Actor;
use super::changelog::{self, Action, Change};
use super::clean::{self, FieldErrors, Mode, add_error};
use super::registry::{ModelRegistry, MountedModel};
use super::signals::send;
use super::sql::{
    Param, Params, column, id_and_display, now, quoted, read_integer, read_object, select_list,
};
use crate::db::Database;
use netbox_framework::models::{FieldKind, ModelSchema};
use netbox_framework::signals::Signal;
use serde_json::{Map, Value};
use sqlx::{AssertSqlSafe, Row};
use std::collections::HashMap;

/// An object: `id`, every field (foreign keys as the referenced id), `created`,
/// `last_updated`.
pub type Object = Map<String, Value>;

/// Why a write changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The input is invalid (messages per field).
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// No object has that id.
    #[error("not found")]
    NotFound,
    /// The write conflicts with other objects (e.g. deleting a referenced object).
    #[error("{0}")]
    Conflict(String),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// What a list shows.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Quick search in the model's search fields.
    pub q: Option<String>,
    /// `(field, value)` equality filters; foreign keys as `<field>_id`.
    pub filters: Vec<(String, String)>,
    /// Page size.
    pub limit: i64,
    /// Objects skipped.
    pub offset: i64,
}

/// A model's data in one database.
pub struct Store<'a> {
    database: &'a Database,
    models: &'a ModelRegistry,
    model: &'a MountedModel,
    actor: Actor,
}

impl<'a> Store<'a> {
    /// The store of `model`.
    pub fn new(database: &'a Database, models: &'a ModelRegistry, model: &'a MountedModel) -> Self {
        Store {
            database,
            models,
            model,
            actor: Actor::system("system"),
        }
    }

    /// Records changes as made by `actor`.
    pub fn by(mut self, actor: Actor) -> Self {
        self.actor = actor;
        self
    }

    /// Reads one object inside a transaction.
    async fn fetch(
        &self,
        connection: &mut sqlx::AnyConnection,
        id: i64,
    ) -> Result<Option<Object>, sqlx::Error> {
        let schema = self.schema();
        let mut params = Params::new(self.database.backend());
        let sql = format!(
            "SELECT {} FROM {} WHERE id = {}",
            select_list(schema),
            schema.table,
            params.push(Param::Int(id))
        );
        let row = params.query(sql).fetch_optional(&mut *connection).await?;
        row.map(|row| read_object(schema, &row)).transpose()
    }

    /// Runs this model's receivers of `signal` (see [`send`]).
    fn send(
        &self,
        signal: Signal,
        before: Option<&Object>,
        after: Option<&Object>,
        references: &[(String, i64)],
    ) -> Result<(), String> {
        send(
            self.models,
            signal,
            &self.schema().key(),
            before,
            after,
            references,
        )
    }

    /// Writes the change-log entry of a change, in the change's transaction.
    async fn record(
        &self,
        connection: &mut sqlx::AnyConnection,
        action: Action,
        id: i64,
        before: Option<&Object>,
        after: Option<&Object>,
    ) -> Result<(), sqlx::Error> {
        let change = Change {
            schema: self.schema(),
            id,
            action,
            actor: &self.actor,
            before,
            after,
        };
        changelog::record(self.database, connection, change).await
    }

    fn schema(&self) -> &'static ModelSchema {
        self.model.schema
    }

    /// `WHERE` clause of a list query; unknown filters are field errors.
    fn conditions(&self, query: &ListQuery, params: &mut Params) -> Result<String, FieldErrors> {
        let schema = self.schema();
        let mut conditions = Vec::new();
        let mut errors = FieldErrors::new();
        if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let pattern = format!("%{}%", q.to_lowercase());
            let alternatives: Vec<String> = schema
                .search_fields
                .iter()
                .map(|name| {
                    format!(
                        "LOWER({name}) LIKE {}",
                        params.push(Param::Text(pattern.clone()))
                    )
                })
                .collect();
            if !alternatives.is_empty() {
                conditions.push(format!("({})", alternatives.join(" OR ")));
            }
        }
        for (key, value) in &query.filters {
            let field = schema.fields.iter().find(|field| match field.kind {
                FieldKind::ForeignKey { .. } => key == &format!("{}_id", field.name),
                _ => key == field.name,
            });
            match field {
                Some(field) if field.is_integer() => match value.trim().parse::<i64>() {
                    Ok(number) => conditions.push(format!(
                        "{} = {}",
                        column(field),
                        params.push(Param::Int(number))
                    )),
                    Err(_) => add_error(
                        &mut errors,
                        key,
                        format!("`{value}` is not a whole number."),
                    ),
                },
                Some(field) => conditions.push(format!(
                    "{} = {}",
                    column(field),
                    params.push(Param::Text(value.clone()))
                )),
                None => add_error(&mut errors, key, "Unknown filter."),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        })
    }

    /// The total count and one page of objects.
    pub async fn list(&self, query: &ListQuery) -> Result<(i64, Vec<Object>), WriteError> {
        let schema = self.schema();
        let backend = self.database.backend();
        let mut params = Params::new(backend);
        let conditions = self
            .conditions(query, &mut params)
            .map_err(WriteError::Invalid)?;
        let count_sql = format!("SELECT COUNT(*) FROM {}{conditions}", schema.table);
        let count: i64 = params
            .query(count_sql)
            .fetch_one(self.database.pool())
            .await?
            .try_get(0)?;

        let mut params = Params::new(backend);
        let conditions = self
            .conditions(query, &mut params)
            .map_err(WriteError::Invalid)?;
        let limit = params.push(Param::Int(query.limit));
        let offset = params.push(Param::Int(query.offset));
        let sql = format!(
            "SELECT {} FROM {}{conditions} ORDER BY {}, id LIMIT {limit} OFFSET {offset}",
            select_list(schema),
            schema.table,
            schema.ordering
        );
        let rows = params.query(sql).fetch_all(self.database.pool()).await?;
        let objects = rows
            .iter()
            .map(|row| read_object(schema, row))
            .collect::<Result<_, _>>()?;
        Ok((count, objects))
    }

    /// One object.
    pub async fn get(&self, id: i64) -> Result<Option<Object>, sqlx::Error> {
        let mut connection = self.database.pool().acquire().await?;
        self.fetch(&mut connection, id).await
    }

    /// The display names of objects of `model` by id (for links to referenced objects).
    pub async fn displays(
        &self,
        model: &MountedModel,
        ids: &[i64],
    ) -> Result<HashMap<i64, String>, sqlx::Error> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let mut params = Params::new(self.database.backend());
        let list: Vec<String> = ids.iter().map(|id| params.push(Param::Int(*id))).collect();
        let display = quoted(model.schema.display_field);
        let sql = format!(
            "SELECT id, {display} FROM {} WHERE id IN ({})",
            model.schema.table,
            list.join(", ")
        );
        let rows = params.query(sql).fetch_all(self.database.pool()).await?;
        id_and_display(&rows)
    }

    /// Up to 1000 `(id, display)` of `model`, for a form's select input.
    pub async fn choices(&self, model: &MountedModel) -> Result<Vec<(i64, String)>, sqlx::Error> {
        let display = quoted(model.schema.display_field);
        let sql = format!(
            "SELECT id, {display} FROM {} ORDER BY {display}, id LIMIT 1000",
            model.schema.table
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .fetch_all(self.database.pool())
            .await?;
        id_and_display(&rows)
    }

    /// Checks references and uniqueness of `values` inside the write's transaction, adding
    /// to `errors` (fields that already have an error are not checked again); fails when any
    /// error is known.
    async fn check(
        &self,
        connection: &mut sqlx::AnyConnection,
        values: &Object,
        id: Option<i64>,
        mut errors: FieldErrors,
    ) -> Result<(), WriteError> {
        let schema = self.schema();
        let backend = self.database.backend();
        let count = |sql: String, params: Params| params.query(sql);
        for field in schema.fields {
            let Some(value) = values.get(field.name).filter(|value| !value.is_null()) else {
                continue;
            };
            if let FieldKind::ForeignKey { model } = field.kind {
                let target = self.models.get(model).map(|m| m.schema);
                if let Some(target) = target {
                    let mut params = Params::new(backend);
                    let sql = format!(
                        "SELECT COUNT(*) FROM {} WHERE id = {}",
                        target.table,
                        params.push(Param::of(value))
                    );
                    let found: i64 = count(sql, params)
                        .fetch_one(&mut *connection)
                        .await?
                        .try_get(0)?;
                    if found == 0 {
                        add_error(
                            &mut errors,
                            field.name,
                            format!("{} {value} does not exist.", target.verbose_name),
                        );
                    }
                }
            }
            if field.unique && value.as_str() != Some("") {
                let mut params = Params::new(backend);
                let mut sql = format!(
                    "SELECT COUNT(*) FROM {} WHERE {} = {}",
                    schema.table,
                    column(field),
                    params.push(Param::of(value))
                );
                if let Some(id) = id {
                    sql.push_str(&format!(" AND id <> {}", params.push(Param::Int(id))));
                }
                let found: i64 = count(sql, params)
                    .fetch_one(&mut *connection)
                    .await?
                    .try_get(0)?;
                if found > 0 {
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
            let mut params = Params::new(backend);
            let mut conditions = Vec::new();
            for name in *group {
                let Some(field) = schema.field(name) else {
                    continue;
                };
                let value = values.get(*name).cloned().unwrap_or(Value::Null);
                conditions.push(format!(
                    "{} = {}",
                    column(field),
                    params.push(Param::of(&value))
                ));
            }
            if let Some(id) = id {
                conditions.push(format!("id <> {}", params.push(Param::Int(id))));
            }
            let sql = format!(
                "SELECT COUNT(*) FROM {} WHERE {}",
                schema.table,
                conditions.join(" AND ")
            );
            let found: i64 = count(sql, params)
                .fetch_one(&mut *connection)
                .await?
                .try_get(0)?;
            if found > 0 {
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

    /// Creates an object from input (see [`clean::clean`]); returns it.
    pub async fn create(
        &self,
        input: &Map<String, Value>,
        reject_unknown: bool,
    ) -> Result<Object, WriteError> {
        let schema = self.schema();
        let (values, errors) = clean::clean_partial(schema, input, Mode::Create, reject_unknown);
        let mut transaction = self.database.begin_write().await?;
        self.check(&mut transaction, &values, None, errors).await?;
        self.send(Signal::PreSave, None, Some(&values), &[])
            .map_err(refusal)?;
        let mut params = Params::new(self.database.backend());
        let mut columns = Vec::new();
        let mut placeholders = Vec::new();
        for field in schema.fields {
            columns.push(column(field));
            placeholders
                .push(params.push(Param::of(values.get(field.name).unwrap_or(&Value::Null))));
        }
        let stamp = now();
        for column in ["created", "last_updated"] {
            columns.push(column.to_string());
            placeholders.push(params.push(Param::Text(stamp.clone())));
        }
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({}) RETURNING id",
            schema.table,
            columns.join(", "),
            placeholders.join(", ")
        );
        let row = match params.query(sql).fetch_one(&mut *transaction).await {
            Ok(row) => row,
            Err(error) => return Err(self.explain(error, &values, None).await),
        };
        let id = read_integer(&row, 0)?.unwrap_or_default();
        let created = self
            .fetch(&mut transaction, id)
            .await?
            .ok_or(WriteError::NotFound)?;
        self.record(&mut transaction, Action::Create, id, None, Some(&created))
            .await?;
        transaction.commit().await?;
        let _ = self.send(Signal::PostSave, None, Some(&created), &[]);
        Ok(created)
    }

    /// Updates an object (`Mode::Replace` or `Mode::Patch`); returns it.
    pub async fn update(
        &self,
        id: i64,
        input: &Map<String, Value>,
        mode: Mode,
        reject_unknown: bool,
    ) -> Result<Object, WriteError> {
        let schema = self.schema();
        let (changes, errors) = clean::clean_partial(schema, input, mode, reject_unknown);
        let mut transaction = self.database.begin_write().await?;
        let existing = self
            .fetch(&mut transaction, id)
            .await?
            .ok_or(WriteError::NotFound)?;
        let mut values = existing.clone();
        values.extend(changes);
        self.check(&mut transaction, &values, Some(id), errors)
            .await?;
        self.send(Signal::PreSave, Some(&existing), Some(&values), &[])
            .map_err(refusal)?;
        let mut params = Params::new(self.database.backend());
        let mut assignments: Vec<String> = schema
            .fields
            .iter()
            .map(|field| {
                format!(
                    "{} = {}",
                    column(field),
                    params.push(Param::of(values.get(field.name).unwrap_or(&Value::Null)))
                )
            })
            .collect();
        assignments.push(format!(
            "last_updated = {}",
            params.push(Param::Text(now()))
        ));
        let sql = format!(
            "UPDATE {} SET {} WHERE id = {}",
            schema.table,
            assignments.join(", "),
            params.push(Param::Int(id))
        );
        if let Err(error) = params.query(sql).execute(&mut *transaction).await {
            return Err(self.explain(error, &values, Some(id)).await);
        }
        let updated = self
            .fetch(&mut transaction, id)
            .await?
            .ok_or(WriteError::NotFound)?;
        self.record(
            &mut transaction,
            Action::Update,
            id,
            Some(&existing),
            Some(&updated),
        )
        .await?;
        transaction.commit().await?;
        let _ = self.send(Signal::PostSave, Some(&existing), Some(&updated), &[]);
        Ok(updated)
    }

    /// Turns a constraint violation that our checks did not see coming (another request
    /// wrote the same values between check and write) into the field errors the checks give
    /// now; any other error stays a database error.
    async fn explain(&self, error: sqlx::Error, values: &Object, id: Option<i64>) -> WriteError {
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

    /// Deletes an object unless others refer to it; returns what was deleted.
    pub async fn delete(&self, id: i64) -> Result<Object, WriteError> {
        let schema = self.schema();
        let mut transaction = self.database.begin_write().await?;
        let object = self
            .fetch(&mut transaction, id)
            .await?
            .ok_or(WriteError::NotFound)?;
        let mut blockers = Vec::new();
        let mut references: Vec<(String, i64)> = Vec::new();
        for (model, field) in self.models.references_to(&schema.key()) {
            let column = model.schema.field(field).map(column).unwrap_or_default();
            let mut params = Params::new(self.database.backend());
            let sql = format!(
                "SELECT COUNT(*) FROM {} WHERE {column} = {}",
                model.schema.table,
                params.push(Param::Int(id))
            );
            let found: i64 = params
                .query(sql)
                .fetch_one(&mut *transaction)
                .await?
                .try_get(0)?;
            if found > 0 {
                references.push((model.schema.key(), found));
                let noun = if found == 1 {
                    model.schema.verbose_name
                } else {
                    model.schema.verbose_name_plural
                };
                blockers.push(format!("{found} {}", noun.to_lowercase()));
            }
        }
        // Plugins may refuse first, with their own explanation.
        self.send(Signal::PreDelete, Some(&object), None, &references)
            .map_err(WriteError::Conflict)?;
        if !blockers.is_empty() {
            let display = object
                .get(schema.display_field)
                .and_then(Value::as_str)
                .unwrap_or_default();
            return Err(WriteError::Conflict(format!(
                "{} “{display}” cannot be deleted: it is still referenced by {}. Delete or reassign them first.",
                schema.verbose_name,
                blockers.join(" and ")
            )));
        }
        let mut params = Params::new(self.database.backend());
        let sql = format!(
            "DELETE FROM {} WHERE id = {}",
            schema.table,
            params.push(Param::Int(id))
        );
        params.query(sql).execute(&mut *transaction).await?;
        self.record(&mut transaction, Action::Delete, id, Some(&object), None)
            .await?;
        transaction.commit().await?;
        let _ = self.send(Signal::PostDelete, Some(&object), None, &[]);
        Ok(object)
    }
}

/// A `pre_save` refusal as the error the user sees next to the form (or in the 400 body).
fn refusal(message: String) -> WriteError {
    let mut errors = FieldErrors::new();
    add_error(&mut errors, "__all__", message);
    WriteError::Invalid(errors)
}

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

//! The SQL behind a model: list with search, filters and pagination; get; create, update and
//! delete, each in one transaction that changes nothing when any check fails.
//!
//! Table and column names come from static schemas, never from input; values are always bound.

use super::clean::{self, FieldErrors, Mode, add_error};
use super::registry::{ModelRegistry, MountedModel};
use crate::db::Database;
use actix_web::HttpMessage;
use netbox_framework::migrations::Backend;
use netbox_framework::models::{Field, FieldKind, ModelSchema};
use netbox_framework::signals::{Abort, Event, Signal};
use serde_json::{Map, Value};
use sqlx::any::AnyRow;
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

enum Param {
    Int(i64),
    Text(String),
    Null,
}

impl Param {
    fn of(value: &Value) -> Param {
        match value {
            Value::Null => Param::Null,
            Value::Number(number) => number.as_i64().map(Param::Int).unwrap_or(Param::Null),
            Value::String(text) => Param::Text(text.clone()),
            other => Param::Text(other.to_string()),
        }
    }
}

/// Collects bound parameters and writes the backend's placeholder for each.
struct Params {
    backend: Backend,
    values: Vec<Param>,
}

impl Params {
    fn new(backend: Backend) -> Self {
        Params {
            backend,
            values: Vec::new(),
        }
    }

    fn push(&mut self, value: Param) -> String {
        self.values.push(value);
        match self.backend {
            Backend::Sqlite => "?".to_string(),
            Backend::Postgres => format!("${}", self.values.len()),
        }
    }

    fn query(self, sql: String) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for value in self.values {
            query = match value {
                Param::Int(number) => query.bind(number),
                Param::Text(text) => query.bind(text),
                Param::Null => query.bind(None::<i64>),
            };
        }
        query
    }
}

/// A column name quoted for SQL (both backends use double quotes), so that names such as
/// `index` work.
fn quoted(column: &str) -> String {
    format!("\"{column}\"")
}

fn column(field: &Field) -> String {
    quoted(&field.column())
}

fn select_list(schema: &ModelSchema) -> String {
    let mut columns = vec!["id".to_string()];
    columns.extend(schema.fields.iter().map(column));
    columns.push("created".to_string());
    columns.push("last_updated".to_string());
    columns.join(", ")
}

fn read_integer(row: &AnyRow, index: usize) -> Result<Option<i64>, sqlx::Error> {
    match row.try_get::<Option<i64>, _>(index) {
        Ok(value) => Ok(value),
        Err(_) => Ok(row.try_get::<Option<i32>, _>(index)?.map(i64::from)),
    }
}

/// A column as text, whether it holds text or an integer (display fields may be either).
fn read_text(row: &AnyRow, index: usize) -> Result<String, sqlx::Error> {
    match row.try_get::<Option<String>, _>(index) {
        Ok(text) => Ok(text.unwrap_or_default()),
        Err(_) => Ok(read_integer(row, index)?
            .map(|n| n.to_string())
            .unwrap_or_default()),
    }
}

/// `(id, display)` pairs from rows of `SELECT id, <display field>`.
fn id_and_display<C: FromIterator<(i64, String)>>(rows: &[AnyRow]) -> Result<C, sqlx::Error> {
    rows.iter()
        .map(|row| {
            Ok((
                read_integer(row, 0)?.unwrap_or_default(),
                read_text(row, 1)?,
            ))
        })
        .collect()
}

fn read_object(schema: &ModelSchema, row: &AnyRow) -> Result<Object, sqlx::Error> {
    let mut object = Map::new();
    object.insert(
        "id".into(),
        Value::from(read_integer(row, 0)?.unwrap_or_default()),
    );
    for (index, field) in schema.fields.iter().enumerate() {
        let value = if field.is_integer() {
            read_integer(row, index + 1)?
                .map(Value::from)
                .unwrap_or(Value::Null)
        } else {
            Value::String(
                row.try_get::<Option<String>, _>(index + 1)?
                    .unwrap_or_default(),
            )
        };
        object.insert(field.name.to_string(), value);
    }
    let base = schema.fields.len() + 1;
    object.insert(
        "created".into(),
        Value::String(row.try_get::<String, _>(base)?),
    );
    object.insert(
        "last_updated".into(),
        Value::String(row.try_get::<String, _>(base + 1)?),
    );
    Ok(object)
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

fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// Who makes a change, for the change log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// User name (`anonymous` until sign-in exists).
    pub user: String,
    /// Id of the request that made the change (empty outside requests).
    pub request_id: String,
}

impl Actor {
    /// A change made by a command rather than a request (e.g. `demo-data`).
    pub fn system(name: &str) -> Self {
        Actor {
            user: name.to_string(),
            request_id: String::new(),
        }
    }

    /// The (anonymous) user of a request and its id.
    pub fn of(request: &actix_web::HttpRequest) -> Self {
        let request_id = request
            .extensions()
            .get::<crate::server::RequestId>()
            .map(|id| id.0.clone())
            .unwrap_or_default();
        Actor {
            user: "anonymous".to_string(),
            request_id,
        }
    }
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

    /// Runs the receivers of `signal` for this model, in plugin order. For `pre_*` signals the
    /// first refusal (or failure) is returned; `post_*` failures are logged.
    fn send(
        &self,
        signal: Signal,
        before: Option<&Object>,
        after: Option<&Object>,
        references: &[(String, i64)],
    ) -> Result<(), String> {
        let key = self.schema().key();
        for active in self.models.receivers(signal, &key) {
            let event = Event::new(signal, &key, &active.context)
                .objects(before, after)
                .references(references);
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                (active.receiver.function)(&event)
            }));
            let failure = match outcome {
                Ok(Ok(())) => continue,
                Ok(Err(Abort(message))) => message,
                Err(_) => {
                    tracing::error!(
                        plugin = active.plugin,
                        receiver = active.receiver.name,
                        "a signal receiver panicked"
                    );
                    format!(
                        "The plugin “{}” failed while handling this change.",
                        active.plugin
                    )
                }
            };
            if matches!(signal, Signal::PreSave | Signal::PreDelete) {
                return Err(failure);
            }
            tracing::warn!(plugin = active.plugin, receiver = active.receiver.name, message = %failure, "a post-change receiver failed");
        }
        Ok(())
    }

    /// Writes the change-log entry of a change, in the change's transaction.
    async fn record(
        &self,
        connection: &mut sqlx::AnyConnection,
        action: &str,
        id: i64,
        before: Option<&Object>,
        after: Option<&Object>,
    ) -> Result<(), sqlx::Error> {
        let schema = self.schema();
        let shown = after
            .or(before)
            .map(|object| match object.get(schema.display_field) {
                Some(Value::String(text)) => text.clone(),
                Some(other) => other.to_string(),
                None => String::new(),
            });
        let json = |object: Option<&Object>| {
            object
                .map(|o| Value::Object(o.clone()).to_string())
                .unwrap_or_default()
        };
        let mut params = Params::new(self.database.backend());
        let values = [
            params.push(Param::Text(now())),
            params.push(Param::Text(self.actor.user.clone())),
            params.push(Param::Text(self.actor.request_id.clone())),
            params.push(Param::Text(action.to_string())),
            params.push(Param::Text(schema.key())),
            params.push(Param::Int(id)),
            params.push(Param::Text(shown.unwrap_or_default())),
            params.push(Param::Text(json(before))),
            params.push(Param::Text(json(after))),
        ];
        let sql = format!(
            "INSERT INTO core_objectchange (time, user_name, request_id, action, object_type, object_id, object_repr, prechange_data, postchange_data) VALUES ({})",
            values.join(", ")
        );
        params.query(sql).execute(&mut *connection).await?;
        Ok(())
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
        self.record(&mut transaction, "create", id, None, Some(&created))
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
            "update",
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
        self.record(&mut transaction, "delete", id, Some(&object), None)
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

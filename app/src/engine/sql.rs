//! SQL assembly shared by the engine: bound parameters with each backend's placeholders,
//! quoted identifiers, and reading rows into objects.
//!
//! Table and column names come from static schemas, never from input; values are always bound.

use super::store::Object;
use netbox_framework::migrations::Backend;
use netbox_framework::models::{Field, ModelSchema};
use serde_json::{Map, Value};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

/// A value to bind.
pub enum Param {
    /// An integer.
    Int(i64),
    /// A text.
    Text(String),
    /// SQL `NULL`.
    Null,
}

impl Param {
    /// The parameter for a JSON value (numbers that are not integers bind as `NULL`).
    pub fn of(value: &Value) -> Param {
        match value {
            Value::Null => Param::Null,
            Value::Number(number) => number.as_i64().map(Param::Int).unwrap_or(Param::Null),
            Value::String(text) => Param::Text(text.clone()),
            other => Param::Text(other.to_string()),
        }
    }
}

/// Collects bound parameters and writes the backend's placeholder for each (`?` on SQLite,
/// `$n` on PostgreSQL: sqlx's `Any` driver does not rewrite them).
pub struct Params {
    backend: Backend,
    values: Vec<Param>,
}

impl Params {
    /// No parameters yet.
    pub fn new(backend: Backend) -> Self {
        Params {
            backend,
            values: Vec::new(),
        }
    }

    /// Adds a value; returns its placeholder.
    pub fn push(&mut self, value: Param) -> String {
        self.values.push(value);
        match self.backend {
            Backend::Sqlite => "?".to_string(),
            Backend::Postgres => format!("${}", self.values.len()),
        }
    }

    /// The query `sql` with every value bound.
    pub fn query(
        self,
        sql: String,
    ) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
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
pub fn quoted(column: &str) -> String {
    format!("\"{column}\"")
}

/// A field's column, quoted.
pub fn column(field: &Field) -> String {
    quoted(&field.column())
}

/// `id`, every field's column, `created`, `last_updated`.
pub fn select_list(schema: &ModelSchema) -> String {
    let mut columns = vec!["id".to_string()];
    columns.extend(schema.fields.iter().map(column));
    columns.push("created".to_string());
    columns.push("last_updated".to_string());
    columns.join(", ")
}

/// An integer column (4 or 8 bytes), `None` when NULL.
pub fn read_integer(row: &AnyRow, index: usize) -> Result<Option<i64>, sqlx::Error> {
    match row.try_get::<Option<i64>, _>(index) {
        Ok(value) => Ok(value),
        Err(_) => Ok(row.try_get::<Option<i32>, _>(index)?.map(i64::from)),
    }
}

/// A column as text, whether it holds text or an integer (display fields may be either).
pub fn read_text(row: &AnyRow, index: usize) -> Result<String, sqlx::Error> {
    match row.try_get::<Option<String>, _>(index) {
        Ok(text) => Ok(text.unwrap_or_default()),
        Err(_) => Ok(read_integer(row, index)?
            .map(|n| n.to_string())
            .unwrap_or_default()),
    }
}

/// `(id, display)` pairs from rows of `SELECT id, <display field>`.
pub fn id_and_display<C: FromIterator<(i64, String)>>(rows: &[AnyRow]) -> Result<C, sqlx::Error> {
    rows.iter()
        .map(|row| {
            Ok((
                read_integer(row, 0)?.unwrap_or_default(),
                read_text(row, 1)?,
            ))
        })
        .collect()
}

/// A row of `SELECT <select_list>` as an object.
pub fn read_object(schema: &ModelSchema, row: &AnyRow) -> Result<Object, sqlx::Error> {
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

/// The current time as stored in `created`, `last_updated` and the change log (RFC 3339, UTC,
/// whole seconds).
pub fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

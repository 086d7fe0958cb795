//! The change log (NetBox's ObjectChange): every create, update and delete of core and plugin
//! objects, written by the model store in the change's own transaction, read here for the API
//! (`/api/core/object-changes/`), the global page (`/core/changelog/`) and each object's
//! "Changelog" tab.

use crate::db::Database;
use netbox_framework::migrations::Backend;
use serde::Serialize;
use serde_json::Value;
use sqlx::{AssertSqlSafe, Row};

/// One recorded change.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectChange {
    /// Id.
    pub id: i64,
    /// When (RFC 3339, UTC).
    pub time: String,
    /// Who (`anonymous` until sign-in exists; the command's name for commands).
    pub user_name: String,
    /// The request that made it.
    pub request_id: String,
    /// `create`, `update` or `delete`.
    pub action: String,
    /// Model key, e.g. `dcim.site`.
    pub object_type: String,
    /// The object's id.
    pub object_id: i64,
    /// The object's display name at the time.
    pub object_repr: String,
    /// The object before (`null` on create).
    pub prechange_data: Value,
    /// The object after (`null` on delete).
    pub postchange_data: Value,
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct ChangeQuery {
    /// Only changes of this model.
    pub object_type: Option<String>,
    /// Only changes of this object id.
    pub object_id: Option<i64>,
    /// Only this action.
    pub action: Option<String>,
    /// Only changes of this request.
    pub request_id: Option<String>,
    /// Page size.
    pub limit: i64,
    /// Skipped.
    pub offset: i64,
}

fn placeholder(backend: Backend, n: usize) -> String {
    match backend {
        Backend::Sqlite => "?".to_string(),
        Backend::Postgres => format!("${n}"),
    }
}

/// The total and one page of changes, newest first.
pub async fn list(
    database: &Database,
    query: &ChangeQuery,
) -> Result<(i64, Vec<ObjectChange>), sqlx::Error> {
    let backend = database.backend();
    let mut conditions = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    let mut numbers: Vec<(usize, i64)> = Vec::new();
    let mut position = 0;
    let mut next = || {
        position += 1;
        position
    };
    for (column, value) in [
        ("object_type", &query.object_type),
        ("action", &query.action),
        ("request_id", &query.request_id),
    ] {
        if let Some(value) = value {
            conditions.push(format!("{column} = {}", placeholder(backend, next())));
            texts.push(value.clone());
        }
    }
    if let Some(id) = query.object_id {
        let n = next();
        conditions.push(format!("object_id = {}", placeholder(backend, n)));
        numbers.push((n, id));
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    let bind_all = |sql: String| {
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for text in &texts {
            q = q.bind(text.clone());
        }
        for (_, number) in &numbers {
            q = q.bind(*number);
        }
        q
    };
    let count: i64 = bind_all(format!("SELECT COUNT(*) FROM core_objectchange{filter}"))
        .fetch_one(database.pool())
        .await?
        .try_get(0)?;
    let (limit, offset) = (
        placeholder(backend, position + 1),
        placeholder(backend, position + 2),
    );
    let sql = format!(
        "SELECT id, time, user_name, request_id, action, object_type, object_id, object_repr, prechange_data, postchange_data \
         FROM core_objectchange{filter} ORDER BY id DESC LIMIT {limit} OFFSET {offset}"
    );
    let rows = bind_all(sql)
        .bind(query.limit)
        .bind(query.offset)
        .fetch_all(database.pool())
        .await?;
    let parse = |text: String| {
        if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        }
    };
    let changes = rows
        .iter()
        .map(|row| {
            Ok(ObjectChange {
                id: row.try_get(0)?,
                time: row.try_get(1)?,
                user_name: row.try_get(2)?,
                request_id: row.try_get(3)?,
                action: row.try_get(4)?,
                object_type: row.try_get(5)?,
                object_id: row.try_get(6)?,
                object_repr: row.try_get(7)?,
                prechange_data: parse(row.try_get(8)?),
                postchange_data: parse(row.try_get(9)?),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok((count, changes))
}

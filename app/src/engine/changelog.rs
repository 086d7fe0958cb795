//! The change log (NetBox's ObjectChange): every create, update and delete of core and plugin
//! objects, written here in the change's own transaction (by the store) and read here for the
//! web layer's API, global page and object tabs.

use super::Actor;
use super::Object;
use super::sql::{col, filter, now, statement};
use crate::db::Database;
use netbox_framework::models::{Field, FieldKind, ModelSchema};
use sea_query::{Asterisk, Cond, Expr, ExprTrait, Order, Query};
use serde::Serialize;
use serde_json::Value;
use sqlx::Row;

/// The change log's table.
const TABLE: &str = "core_objectchange";

/// Its columns but `id`, in the order [`record`] writes them and [`list`] reads them.
const COLUMNS: [&str; 9] = [
    "time",
    "user_name",
    "request_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "prechange_data",
    "postchange_data",
];

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

/// The change log as a model, for permissions only (it has no pages of its own): object
/// permissions on `core.objectchange` give `core.view_objectchange`, and their constraints
/// (on these fields) restrict the global change log.
pub static OBJECT_CHANGE: ModelSchema = ModelSchema {
    app: "core",
    name: "objectchange",
    verbose_name: "Object change",
    verbose_name_plural: "Object changes",
    table: TABLE,
    url_segment: "object-changes",
    api_url_segment: "object-changes",
    fields: &[
        Field::new("user_name", "User", FieldKind::Text { max_length: 150 }),
        Field::new("request_id", "Request", FieldKind::Text { max_length: 36 }),
        Field::new(
            "action",
            "Action",
            FieldKind::Choice(&[
                ("create", "Created"),
                ("update", "Updated"),
                ("delete", "Deleted"),
            ]),
        ),
        Field::new(
            "object_type",
            "Object type",
            FieldKind::Text { max_length: 100 },
        ),
        Field::new(
            "object_id",
            "Object",
            FieldKind::Integer {
                min: 1,
                max: i64::MAX,
            },
        ),
    ],
    display_field: "object_repr",
    search_fields: &[],
    unique_together: &[],
    ordering: "id",
    clean: None,
};

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct ChangeQuery {
    /// Only changes the reader may view (their `core.objectchange` constraints).
    pub allowed: Option<Cond>,
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

/// What changed, for [`record`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// An object was created.
    Create,
    /// An object was changed.
    Update,
    /// An object was deleted.
    Delete,
}

impl Action {
    /// The name stored and shown (`create`, `update`, `delete`).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
        }
    }
}

/// One change to record: of which object, by whom, before and after.
pub struct Change<'a> {
    /// The object's model.
    pub schema: &'static ModelSchema,
    /// The object's id.
    pub id: i64,
    /// What happened.
    pub action: Action,
    /// Who did it.
    pub actor: &'a Actor,
    /// The object before (`None` on create).
    pub before: Option<&'a Object>,
    /// The object after (`None` on delete).
    pub after: Option<&'a Object>,
}

/// Writes the change-log entry of `change` on `connection` (the change's own transaction):
/// `INSERT INTO core_objectchange ...`.
pub async fn record(
    database: &Database,
    connection: &mut sqlx::AnyConnection,
    change: Change<'_>,
) -> Result<(), sqlx::Error> {
    let schema = change.schema;
    let shown =
        change
            .after
            .or(change.before)
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
    let insert = Query::insert()
        .into_table(TABLE)
        .columns(COLUMNS)
        .values_panic([
            Expr::val(now()),
            Expr::val(change.actor.user.clone()),
            Expr::val(change.actor.request_id.clone()),
            Expr::val(change.action.as_str()),
            Expr::val(schema.key()),
            Expr::val(change.id),
            Expr::val(shown.unwrap_or_default()),
            Expr::val(json(change.before)),
            Expr::val(json(change.after)),
        ])
        .take();
    statement(database.backend(), &insert)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// The conditions of `query`.
fn conditions(query: &ChangeQuery) -> Cond {
    let mut conditions = Cond::all();
    for (column, value) in [
        ("object_type", &query.object_type),
        ("action", &query.action),
        ("request_id", &query.request_id),
    ] {
        if let Some(value) = value {
            conditions = conditions.add(col(column).eq(value.as_str()));
        }
    }
    if let Some(id) = query.object_id {
        conditions = conditions.add(col("object_id").eq(id));
    }
    if let Some(allowed) = &query.allowed {
        conditions = conditions.add(allowed.clone());
    }
    conditions
}

/// The total and one page of changes, newest first.
pub async fn list(
    database: &Database,
    query: &ChangeQuery,
) -> Result<(i64, Vec<ObjectChange>), sqlx::Error> {
    let backend = database.backend();
    let mut count = Query::select()
        .expr(Expr::col(Asterisk).count())
        .from(TABLE)
        .take();
    filter(&mut count, conditions(query));
    let count: i64 = statement(backend, &count)
        .fetch_one(database.pool())
        .await?
        .try_get(0)?;
    let mut page = Query::select()
        .column("id")
        .columns(COLUMNS)
        .from(TABLE)
        .take();
    filter(&mut page, conditions(query));
    page.order_by("id", Order::Desc)
        .limit(u64::try_from(query.limit).unwrap_or_default())
        .offset(u64::try_from(query.offset).unwrap_or_default());
    let rows = statement(backend, &page).fetch_all(database.pool()).await?;
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

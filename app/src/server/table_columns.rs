//! The columns of object tables: the model's fields, its tags and custom fields, the columns
//! plugins add (NetBox's `register_table_column`), id and times. Each signed-in user chooses
//! and orders them per model (`<list>columns/`, kept in `users_tableconfig`); others see the
//! default: the model's fields. Plugins' columns are offered among the others, shown once a
//! user chooses them, as NetBox's registered columns are.

use super::objects::{Cell, References, Row, cell, server_error, store};
use super::state::AppState;
use crate::engine::custom_fields::Definition;
use crate::engine::{MountedModel, Object, tags};
use crate::plugins::guard::call_plugin;
use actix_web::HttpRequest;
use netbox_framework::auth::CurrentUser;
use netbox_framework::models::Field;
use netbox_framework::tables::{ColumnContent, TableColumn};
use serde_json::Value;
use std::collections::HashMap;

/// What a column shows.
pub enum Content {
    /// A field of the model.
    Field(&'static Field),
    /// The object's id.
    Id,
    /// Its tags' names.
    Tags,
    /// A custom field's value.
    Custom(Definition),
    /// A plugin's column.
    Plugin(&'static str, TableColumn),
    /// `created` or `last_updated`.
    Stamp(&'static str),
}

/// A column a table may show.
pub struct Column {
    /// Its name (the field's, `tags`, `cf_<name>`, the plugin column's).
    pub name: String,
    /// Its header.
    pub label: String,
    /// Whether the table shows it when the user chose nothing.
    pub default: bool,
    /// What it shows.
    pub content: Content,
}

/// Every column of `model`'s table, in default order.
pub async fn available(
    state: &AppState,
    model: &MountedModel,
) -> Result<Vec<Column>, actix_web::Error> {
    let schema = model.schema;
    let mut columns: Vec<Column> = schema
        .fields
        .iter()
        .map(|field| Column {
            name: field.name.to_string(),
            label: field.label.to_string(),
            default: true,
            content: Content::Field(field),
        })
        .collect();
    // Offered, not shown until chosen (as NetBox's registered columns).
    for (plugin, column) in state.models.columns_of(&schema.key()) {
        columns.push(Column {
            name: column.name.to_string(),
            label: column.label.to_string(),
            default: false,
            content: Content::Plugin(plugin, *column),
        });
    }
    columns.push(Column {
        name: "id".into(),
        label: "ID".into(),
        default: false,
        content: Content::Id,
    });
    if tags::has_features(schema) {
        columns.push(Column {
            name: tags::KEY.into(),
            label: "Tags".into(),
            default: false,
            content: Content::Tags,
        });
        for definition in super::feature_forms::definitions(state, schema).await? {
            columns.push(Column {
                name: format!("cf_{}", definition.name),
                label: definition.label.clone(),
                default: false,
                content: Content::Custom(definition),
            });
        }
    }
    for (name, label) in [("created", "Created"), ("last_updated", "Last updated")] {
        columns.push(Column {
            name: name.into(),
            label: label.into(),
            default: false,
            content: Content::Stamp(name),
        });
    }
    Ok(columns)
}

/// Users' choices read recently (see [`crate::engine::recent`]).
pub static SAVED: crate::engine::recent::Recent<Option<Vec<String>>> =
    crate::engine::recent::Recent::new();

/// The columns the user chose for `model`'s table, if they chose.
pub async fn saved(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
) -> Result<Option<Vec<String>>, actix_web::Error> {
    use sea_query::{Expr, ExprTrait, Query};
    let Some(user) = CurrentUser::of(request).user().map(|user| user.id) else {
        return Ok(None);
    };
    let key = format!(
        "{} {user} {}",
        state.database.display_url(),
        model.schema.key()
    );
    if let Some(kept) = SAVED.get(&key) {
        return Ok(kept.as_ref().clone());
    }
    let generation = SAVED.generation();
    let select = Query::select()
        .column("columns")
        .from("users_tableconfig")
        .and_where(Expr::col("user_id").eq(user))
        .and_where(Expr::col("model").eq(model.schema.key()))
        .take();
    let row = crate::engine::sql::statement(state.database.backend(), &select)
        .fetch_optional(state.database.pool())
        .await
        .map_err(server_error)?;
    let names: Option<Vec<String>> = row
        .and_then(|row| sqlx::Row::try_get::<String, _>(&row, 0).ok())
        .and_then(|text| serde_json::from_str(&text).ok());
    Ok(SAVED.put(generation, key, names).as_ref().clone())
}

/// The columns `model`'s table shows to the user of `request`, in order.
pub async fn chosen(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
) -> Result<Vec<Column>, actix_web::Error> {
    let mut all = available(state, model).await?;
    let Some(names) = saved(request, state, model).await? else {
        all.retain(|column| column.default);
        return Ok(all);
    };
    let mut shown = Vec::with_capacity(names.len());
    for name in names {
        if let Some(at) = all.iter().position(|column| column.name == name) {
            shown.push(all.remove(at));
        }
    }
    if shown.is_empty() {
        // Every chosen column is gone (a custom field deleted): the default again.
        return Box::pin(chosen_default(state, model)).await;
    }
    Ok(shown)
}

async fn chosen_default(
    state: &AppState,
    model: &MountedModel,
) -> Result<Vec<Column>, actix_web::Error> {
    let mut all = available(state, model).await?;
    all.retain(|column| column.default);
    Ok(all)
}

/// The table rows of `objects` in `columns`; the display field (or the first column) links
/// to each object.
pub async fn rows(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    columns: &[Column],
    objects: &[Object],
    references: &References,
) -> Result<Vec<Row>, actix_web::Error> {
    let schema = model.schema;
    let tag_names = tag_names(request, state, model, columns, objects).await?;
    let ids: Vec<i64> = objects
        .iter()
        .filter_map(|object| object.get("id").and_then(Value::as_i64))
        .collect();
    // Each count column's counts for the whole page, in one statement.
    let mut counts: HashMap<&str, Option<HashMap<i64, i64>>> = HashMap::new();
    for column in columns {
        if let Content::Plugin(_, plugin_column) = &column.content
            && let ColumnContent::Count { model: key, field } = plugin_column.content
            && let Some(related) = state.models.get(key)
            && let Some(field) = related.schema.field(field)
        {
            let found = store(request, state, model)
                .counts_by(related, field, &ids)
                .await
                .map_err(server_error)?;
            counts.insert(column.name.as_str(), found);
        }
    }
    let mut rows = Vec::with_capacity(objects.len());
    for object in objects {
        let id = object.get("id").and_then(Value::as_i64).unwrap_or_default();
        let mut cells = Vec::with_capacity(columns.len());
        for column in columns {
            let plain = |text: String| Cell {
                text,
                link: None,
                color: None,
            };
            cells.push(match &column.content {
                Content::Field(field) => cell(state, schema, field.name, object, references),
                Content::Id => plain(id.to_string()),
                Content::Stamp(name) => plain(
                    object
                        .get(*name)
                        .and_then(Value::as_str)
                        .map(super::objects::time_text)
                        .unwrap_or_default(),
                ),
                Content::Tags => plain(
                    object
                        .get(tags::KEY)
                        .and_then(Value::as_array)
                        .map(|ids| {
                            ids.iter()
                                .filter_map(Value::as_i64)
                                .filter_map(|id| tag_names.get(&id).cloned())
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                        .unwrap_or_default(),
                ),
                Content::Custom(definition) => plain(custom_text(definition, object)),
                Content::Plugin(plugin, plugin_column) => plugin_cell(
                    state,
                    plugin,
                    plugin_column,
                    object,
                    id,
                    counts.get(column.name.as_str()),
                ),
            });
        }
        let at = columns
            .iter()
            .position(|c| matches!(c.content, Content::Field(f) if f.name == schema.display_field))
            .or((!cells.is_empty()).then_some(0));
        if let Some(at) = at {
            cells[at].link = Some(format!("{}{id}/", model.ui_base));
        }
        rows.push(Row { id, cells });
    }
    Ok(rows)
}

async fn tag_names(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    columns: &[Column],
    objects: &[Object],
) -> Result<std::collections::HashMap<i64, String>, actix_web::Error> {
    let tag_model = state.models.get("extras.tag");
    let Some(tag_model) =
        tag_model.filter(|_| columns.iter().any(|c| matches!(c.content, Content::Tags)))
    else {
        return Ok(Default::default());
    };
    let mut ids: Vec<i64> = objects
        .iter()
        .filter_map(|object| object.get(tags::KEY).and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_i64)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    store(request, state, model)
        .displays(tag_model, &ids)
        .await
        .map_err(server_error)
}

fn custom_text(definition: &Definition, object: &Object) -> String {
    let value = object
        .get(crate::engine::custom_fields::KEY)
        .and_then(|data| data.get(&definition.name))
        .unwrap_or(&Value::Null);
    super::feature_pages::value_text(definition, value)
}

/// A plugin column's cell: the plugin's text (through the guard: a panic shows as an error
/// mark, and is logged naming the plugin), or the count of related objects the user may
/// view (`counts`, the page's, `None` inside when they may view none), linking to them.
fn plugin_cell(
    state: &AppState,
    plugin: &'static str,
    column: &TableColumn,
    object: &Object,
    id: i64,
    counts: Option<&Option<HashMap<i64, i64>>>,
) -> Cell {
    let plain = |text: String| Cell {
        text,
        link: None,
        color: None,
    };
    match column.content {
        ColumnContent::Render(render) => plain(
            call_plugin(plugin, "table column", || Ok::<_, String>(render(object)))
                .unwrap_or_else(|_| "⚠".to_string()),
        ),
        ColumnContent::Count { model, field } => match (state.models.get(model), counts) {
            (Some(related), Some(Some(counts))) => {
                let count = counts.get(&id).copied().unwrap_or_default();
                Cell {
                    text: count.to_string(),
                    link: Some(format!("{}?{field}_id={id}", related.ui_base)),
                    color: None,
                }
            }
            _ => plain("—".into()),
        },
    }
}

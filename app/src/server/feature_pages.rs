//! Tags and custom fields on object pages: the tags as coloured badges (their colours from a
//! stylesheet of every tag, since the page's policy allows no inline style) and one row per
//! custom field.

use super::objects::{server_error, store};
use super::state::AppState;
use crate::engine::custom_fields::{self, Definition};
use crate::engine::{MountedModel, Object, tags};
use actix_web::http::header::CACHE_CONTROL;
use actix_web::{HttpRequest, HttpResponse, web};
use netbox_framework::extras::CustomFieldType;
use serde_json::Value;
use sqlx::Row;

/// A tag on an object page.
pub struct TagBadge {
    /// The tag's id (its colour's class is `tag-<id>`).
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its page.
    pub link: String,
}

/// `/extras/tag-colors.css`, the stylesheet of tag badges.
pub fn configure(config: &mut super::routing::HostRoutes) {
    config.route("/extras/tag-colors.css", web::get().to(tag_colors));
}

/// Black or white text, whichever reads better on `color` (six hexadecimal digits).
fn text_color(color: &str) -> &'static str {
    let channel = |at: usize| {
        color
            .get(at..at + 2)
            .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            .map_or(0.0, f64::from)
    };
    let luminance = 0.299 * channel(0) + 0.587 * channel(2) + 0.114 * channel(4);
    if luminance > 150.0 { "#000" } else { "#fff" }
}

async fn tag_colors(state: web::Data<AppState>) -> Result<HttpResponse, actix_web::Error> {
    let rows = sqlx::query("SELECT id, color FROM extras_tag")
        .fetch_all(state.database.pool())
        .await
        .map_err(server_error)?;
    let mut css = String::new();
    for row in rows {
        let id = crate::engine::sql::read_integer(&row, 0)
            .map_err(server_error)?
            .unwrap_or_default();
        let color: String = row.try_get(1).unwrap_or_default();
        // Colours are checked when saved; anything else is left out rather than written.
        if color.len() == 6 && color.chars().all(|c| c.is_ascii_hexdigit()) {
            css.push_str(&format!(
                ".tag-{id}{{background:#{color};color:{}}}\n",
                text_color(&color)
            ));
        }
    }
    Ok(HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((CACHE_CONTROL, "no-cache"))
        .body(css))
}

/// The tags of `object` as badges.
pub async fn tag_badges(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    object: &Object,
) -> Result<Vec<TagBadge>, actix_web::Error> {
    let ids: Vec<i64> = object
        .get(tags::KEY)
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default();
    let Some(tag_model) = state.models.get("extras.tag").filter(|_| !ids.is_empty()) else {
        return Ok(Vec::new());
    };
    let names = store(request, state, model)
        .displays(tag_model, &ids)
        .await
        .map_err(server_error)?;
    let mut badges: Vec<TagBadge> = ids
        .into_iter()
        .map(|id| TagBadge {
            id,
            name: names.get(&id).cloned().unwrap_or_else(|| format!("#{id}")),
            link: format!("{}{id}/", tag_model.ui_base),
        })
        .collect();
    badges.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(badges)
}

/// A custom-field value as pages and tables show it: choices by label, booleans as Yes/No,
/// times in UTC, lists joined; nothing for none.
pub fn value_text(definition: &Definition, value: &Value) -> String {
    let label = |given: &str| {
        definition
            .choices
            .iter()
            .find(|(value, _)| value == given)
            .map_or_else(|| given.to_string(), |(_, label)| label.clone())
    };
    match (definition.kind, value) {
        (_, Value::Null) => String::new(),
        (CustomFieldType::Boolean, Value::Bool(truth)) => {
            if *truth { "Yes" } else { "No" }.to_string()
        }
        (CustomFieldType::Select, Value::String(given)) => label(given),
        (CustomFieldType::DateTime, Value::String(time)) => super::objects::time_text(time),
        (_, Value::String(text)) => text.clone(),
        (_, Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().map_or_else(|| item.to_string(), label))
            .collect::<Vec<_>>()
            .join(", "),
        (_, other) => other.to_string(),
    }
}

/// One row per custom field of `object`: label, text and where it links.
pub async fn custom_field_rows(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    object: &Object,
) -> Result<Vec<(String, String, Option<String>)>, actix_web::Error> {
    let definitions: Vec<Definition> =
        super::feature_forms::definitions(state, model.schema).await?;
    let data = object
        .get(custom_fields::KEY)
        .cloned()
        .unwrap_or(Value::Null);
    let mut rows = Vec::with_capacity(definitions.len());
    for definition in &definitions {
        let value = data.get(&definition.name).cloned().unwrap_or(Value::Null);
        let (text, link) = match (definition.kind, &value) {
            (_, Value::Null) => ("—".to_string(), None),
            (CustomFieldType::Object | CustomFieldType::MultiObject, _) => {
                let ids: Vec<i64> = match &value {
                    Value::Array(items) => items.iter().filter_map(Value::as_i64).collect(),
                    other => other.as_i64().into_iter().collect(),
                };
                let related = definition
                    .related
                    .as_deref()
                    .and_then(|key| state.models.get(key));
                match related {
                    Some(related) => {
                        let names = store(request, state, model)
                            .displays(related, &ids)
                            .await
                            .map_err(server_error)?;
                        let text = ids
                            .iter()
                            .map(|id| names.get(id).cloned().unwrap_or_else(|| format!("#{id}")))
                            .collect::<Vec<_>>()
                            .join(", ");
                        let link =
                            (ids.len() == 1).then(|| format!("{}{}/", related.ui_base, ids[0]));
                        (text, link)
                    }
                    None => (value.to_string(), None),
                }
            }
            (CustomFieldType::Url, Value::String(url)) => (url.clone(), Some(url.clone())),
            (_, value) => (value_text(definition, value), None),
        };
        rows.push((definition.label.clone(), text, link));
    }
    Ok(rows)
}

/// The objects of one model carrying a tag, as its page lists them.
pub struct TaggedGroup {
    /// The model's plural name.
    pub plural: &'static str,
    /// How many carry the tag (of those the user may view).
    pub count: i64,
    /// The first of them: name and page.
    pub objects: Vec<(String, String)>,
    /// The model's list filtered by the tag.
    pub all_link: String,
}

#[derive(askama::Template)]
#[template(path = "tagged_objects.html")]
struct TaggedTemplate {
    groups: Vec<TaggedGroup>,
}

/// How many objects of each model a tag's page shows.
const TAGGED_SHOWN: i64 = 50;

/// The objects of every type carrying tag `id` (each model's own list filtered by the tag, so
/// that only objects the user may view appear), as HTML for the tag's page.
pub async fn tagged_objects(
    request: &HttpRequest,
    state: &AppState,
    id: i64,
) -> Result<String, actix_web::Error> {
    use sea_query::{ExprTrait, Order, Query};
    let select = Query::select()
        .distinct()
        .column("object_type")
        .from(tags::TAGGED)
        .and_where(sea_query::Expr::col("tag_id").eq(id))
        .order_by("object_type", Order::Asc)
        .take();
    let types: Vec<String> = crate::engine::sql::statement(state.database.backend(), &select)
        .fetch_all(state.database.pool())
        .await
        .map_err(server_error)?
        .iter()
        .filter_map(|row| row.try_get::<String, _>(0).ok())
        .collect();
    let mut groups = Vec::new();
    for key in types {
        let Some(model) = state.models.get(&key) else {
            continue;
        };
        let query = crate::engine::ListQuery {
            filters: vec![("tag_id".into(), id.to_string())],
            limit: TAGGED_SHOWN,
            ..Default::default()
        };
        let (count, objects) = match store(request, state, model).list(&query).await {
            Ok(found) => found,
            Err(crate::engine::WriteError::Forbidden(_)) => continue,
            Err(error) => return Err(server_error(error)),
        };
        let count = count.unwrap_or_default();
        if count == 0 {
            continue;
        }
        groups.push(TaggedGroup {
            plural: model.schema.verbose_name_plural,
            count,
            objects: objects
                .iter()
                .map(|object| {
                    let object_id = object.get("id").and_then(Value::as_i64).unwrap_or_default();
                    (
                        super::objects::display(model.schema, object),
                        format!("{}{object_id}/", model.ui_base),
                    )
                })
                .collect(),
            all_link: format!("{}?tag_id={id}", model.ui_base),
        });
    }
    askama::Template::render(&TaggedTemplate { groups }).map_err(server_error)
}

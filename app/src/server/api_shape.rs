//! How the REST API shows objects, as NetBox's serializers do: `id`, `url`, `display_url`,
//! `display`, every field (choices as `{value, label}`, references as nested brief objects
//! `{id, url, display_url, display, name/slug...}`), `created`, `last_updated`; and the
//! shapes a client may ask for: `?brief=true` (the brief fields only), `?fields=a,b` (just
//! these), `?omit=a,b` (all but these). `fields` wins over `omit`, which wins over `brief`.

use super::api_error::ApiError;
use super::objects::{ListParams, store};
use super::state::AppState;
use super::urls::absolute;
use crate::engine::{MountedModel, Object};
use actix_web::HttpRequest;
use netbox_framework::models::{Field, FieldKind, ModelSchema};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// The keys every object has besides its fields.
const FIXED: &[&str] = &[
    "id",
    "url",
    "display_url",
    "display",
    "created",
    "last_updated",
];

/// The fields of `schema` that its brief form shows (besides `id`, `url`, `display`): the
/// display field, `name`, `slug` and `description` where the model has them.
pub fn brief_fields(schema: &'static ModelSchema) -> Vec<&'static Field> {
    let mut fields: Vec<&'static Field> = Vec::new();
    for name in [schema.display_field, "name", "slug", "description"] {
        if let Some(field) = schema.field(name)
            && !fields.iter().any(|f| f.name == field.name)
        {
            fields.push(field);
        }
    }
    fields
}

/// Which keys of each object the client asked for.
#[derive(Debug, Default)]
pub struct Shape {
    brief: bool,
    fields: Option<Vec<String>>,
    omit: Vec<String>,
}

impl Shape {
    /// Reads `brief`, `fields` and `omit`; a key the model does not have is a 400 naming it.
    pub fn of(params: &ListParams, schema: &'static ModelSchema) -> Result<Self, ApiError> {
        let fields = params.list_of("fields");
        let omit = params.list_of("omit");
        for (parameter, names) in [("fields", &fields), ("omit", &omit)] {
            if let Some(unknown) = names
                .iter()
                .find(|name| !FIXED.contains(&name.as_str()) && schema.field(name).is_none())
            {
                return Err(ApiError::bad_request(format!(
                    "`{parameter}`: {} have no field “{unknown}”.",
                    schema.verbose_name_plural.to_lowercase()
                )));
            }
        }
        let brief = params.pairs.iter().any(|(key, value)| {
            key == "brief" && !value.is_empty() && value != "false" && value != "0"
        });
        Ok(Shape {
            brief,
            fields: (!fields.is_empty()).then_some(fields),
            omit,
        })
    }

    /// Whether the key `name` is shown.
    fn shows(&self, schema: &'static ModelSchema, name: &str) -> bool {
        if let Some(fields) = &self.fields {
            return fields.iter().any(|field| field == name);
        }
        if self.omit.iter().any(|field| field == name) {
            return false;
        }
        if self.brief {
            return matches!(name, "id" | "url" | "display")
                || brief_fields(schema).iter().any(|field| field.name == name);
        }
        true
    }
}

/// The nested form of referenced objects, by foreign-key field then id.
type Nested = HashMap<&'static str, HashMap<i64, Value>>;

/// The nested objects every foreign key of `objects` refers to (one query per foreign key).
async fn nested(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    objects: &[Object],
    shape: &Shape,
) -> Result<Nested, ApiError> {
    let store = store(request, state, model);
    let mut found = Nested::new();
    for field in model.schema.fields {
        let FieldKind::ForeignKey { model: target } = field.kind else {
            continue;
        };
        let Some(target) = state.models.get(target) else {
            continue;
        };
        if !shape.shows(model.schema, field.name) {
            continue;
        }
        let mut ids: Vec<i64> = objects
            .iter()
            .filter_map(|o| o.get(field.name).and_then(Value::as_i64))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let columns = brief_fields(target.schema);
        let briefs = store.briefs(target, &columns, &ids).await?;
        let shown = briefs
            .into_iter()
            .map(|(id, values)| (id, brief(request, target, id, values)))
            .collect();
        found.insert(field.name, shown);
    }
    Ok(found)
}

/// The brief form of object `id` of `model` from its brief fields' values.
fn brief(request: &HttpRequest, model: &MountedModel, id: i64, values: Object) -> Value {
    let mut out = Map::new();
    out.insert("id".into(), Value::from(id));
    out.insert(
        "url".into(),
        Value::String(absolute(request, &format!("{}{id}/", model.api_base))),
    );
    out.insert(
        "display_url".into(),
        Value::String(absolute(request, &format!("{}{id}/", model.ui_base))),
    );
    out.insert(
        "display".into(),
        display_value(values.get(model.schema.display_field)),
    );
    out.extend(values);
    Value::Object(out)
}

/// The `display` of an object: its display field as text.
fn display_value(value: Option<&Value>) -> Value {
    match value {
        Some(Value::String(text)) => Value::String(text.clone()),
        Some(Value::Number(number)) => Value::String(number.to_string()),
        _ => Value::String(String::new()),
    }
}

/// Objects as the API shows them, in `shape`.
pub async fn represent(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    objects: Vec<Object>,
    shape: &Shape,
) -> Result<Vec<Value>, ApiError> {
    let schema = model.schema;
    let nested = nested(request, state, model, &objects, shape).await?;
    let shows = |name: &str| shape.shows(schema, name);
    Ok(objects
        .into_iter()
        .map(|mut object| {
            let id = object.get("id").and_then(Value::as_i64).unwrap_or_default();
            let mut out = Map::new();
            if shows("id") {
                out.insert("id".into(), Value::from(id));
            }
            if shows("url") {
                let url = absolute(request, &format!("{}{id}/", model.api_base));
                out.insert("url".into(), Value::String(url));
            }
            if shows("display_url") && !shape.brief {
                let url = absolute(request, &format!("{}{id}/", model.ui_base));
                out.insert("display_url".into(), Value::String(url));
            }
            if shows("display") {
                let display = display_value(object.get(schema.display_field));
                out.insert("display".into(), display);
            }
            for field in schema.fields {
                if !shows(field.name) {
                    continue;
                }
                let value = object.remove(field.name).unwrap_or(Value::Null);
                out.insert(field.name.to_string(), shown(field, value, &nested));
            }
            for stamp in ["created", "last_updated"] {
                if shows(stamp) && !shape.brief {
                    out.insert(stamp.into(), object.remove(stamp).unwrap_or(Value::Null));
                }
            }
            Value::Object(out)
        })
        .collect())
}

/// A field's value as the API shows it.
fn shown(field: &'static Field, value: Value, nested: &Nested) -> Value {
    match field.kind {
        FieldKind::Choice(choices) => match value.as_str().filter(|v| !v.is_empty()) {
            Some(current) => {
                let label = choices
                    .iter()
                    .find(|(v, _)| *v == current)
                    .map(|(_, label)| *label);
                json!({ "value": current, "label": label })
            }
            None => Value::Null,
        },
        FieldKind::ForeignKey { .. } => value
            .as_i64()
            .map(|id| {
                nested
                    .get(field.name)
                    .and_then(|by_id| by_id.get(&id))
                    .cloned()
                    .unwrap_or_else(|| json!({ "id": id }))
            })
            .unwrap_or(Value::Null),
        _ => value,
    }
}

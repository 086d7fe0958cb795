//! Custom-field values as the API shows them: an object field's value nested as the object's
//! brief form (`{id, url, display_url, display, ...}`), a multiple-object field's as a list of
//! them, as NetBox nests them; other values as stored.

use super::api_error::ApiError;
use super::state::AppState;
use super::urls::absolute;
use crate::engine::MountedModel;
use crate::engine::custom_fields::Definition;
use actix_web::HttpRequest;
use netbox_framework::extras::CustomFieldType;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// Brief forms of the objects object fields refer to, by field name then id.
pub type Briefs = HashMap<String, HashMap<i64, Value>>;

fn ids(value: Option<&Value>) -> Vec<i64> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_i64).collect(),
        Some(value) => value.as_i64().into_iter().collect(),
        None => Vec::new(),
    }
}

/// The briefs of every object the object fields of `documents` (objects' values) refer to:
/// one query per field.
pub async fn referenced<'a>(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    definitions: &[Definition],
    documents: impl Iterator<Item = &'a Value> + Clone,
) -> Result<Briefs, ApiError> {
    let mut briefs = Briefs::new();
    for definition in definitions {
        if !matches!(
            definition.kind,
            CustomFieldType::Object | CustomFieldType::MultiObject
        ) {
            continue;
        }
        let Some(target) = definition
            .related
            .as_deref()
            .and_then(|key| state.models.get(key))
        else {
            continue;
        };
        let mut wanted: Vec<i64> = documents
            .clone()
            .flat_map(|data| ids(data.get(&definition.name)))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let columns = super::api_shape::brief_fields(target.schema);
        let found = super::objects::store(request, state, model)
            .briefs(target, &columns, &wanted)
            .await?;
        let api = absolute(request, &target.api_base);
        let ui = absolute(request, &target.ui_base);
        let shown = found
            .into_iter()
            .map(|(id, values)| {
                let display = match values.get(target.schema.display_field) {
                    Some(Value::String(text)) => text.clone(),
                    Some(other) => other.to_string(),
                    None => String::new(),
                };
                let mut brief = Map::new();
                brief.insert("id".into(), id.into());
                brief.insert("url".into(), format!("{api}{id}/").into());
                brief.insert("display_url".into(), format!("{ui}{id}/").into());
                brief.insert("display".into(), display.into());
                brief.extend(values);
                (id, Value::Object(brief))
            })
            .collect();
        briefs.insert(definition.name.clone(), shown);
    }
    Ok(briefs)
}

/// An object's values as the API shows them: every defined field, `null` when it has none,
/// references nested.
pub fn shown(definitions: &[Definition], data: &Value, briefs: &Briefs) -> Value {
    let nest = |name: &str, id: i64| {
        briefs
            .get(name)
            .and_then(|by_id| by_id.get(&id))
            .cloned()
            .unwrap_or_else(|| json!({ "id": id }))
    };
    Value::Object(
        definitions
            .iter()
            .map(|definition| {
                let value = data.get(&definition.name);
                let shown = match (definition.kind, value) {
                    (_, None | Some(Value::Null)) => Value::Null,
                    (CustomFieldType::Object, value) => match ids(value).first() {
                        Some(id) => nest(&definition.name, *id),
                        None => Value::Null,
                    },
                    (CustomFieldType::MultiObject, value) => Value::Array(
                        ids(value)
                            .into_iter()
                            .map(|id| nest(&definition.name, id))
                            .collect(),
                    ),
                    (_, Some(value)) => value.clone(),
                };
                (definition.name.clone(), shown)
            })
            .collect(),
    )
}

//! Tags and custom fields in every model's add and edit forms: a multiple select of tags, one
//! input per custom field (`cf_<name>`, of its type), and the submitted values turned into the
//! API's `tags` and `custom_fields`.

use super::model_forms::FormField;
use super::objects::{select_many, server_error, store};
use super::state::AppState;
use crate::engine::clean::FieldErrors;
use crate::engine::custom_fields::{self, Definition};
use crate::engine::{MountedModel, tags};
use actix_web::HttpRequest;
use netbox_framework::extras::CustomFieldType;
use netbox_framework::models::ModelSchema;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The custom fields of `schema`'s objects.
pub async fn definitions(
    state: &AppState,
    schema: &ModelSchema,
) -> Result<Vec<Definition>, actix_web::Error> {
    custom_fields::cached(&state.database, &schema.key())
        .await
        .map_err(server_error)
}

fn field(name: String, label: String, value: String) -> FormField {
    FormField {
        name,
        label,
        required: false,
        help: String::new(),
        value,
        textarea: false,
        multiple: false,
        input_type: "text",
        step: String::new(),
        max_length: custom_fields::TEXT_MAX,
        select: false,
        options: Vec::new(),
        search: None,
        errors: Vec::new(),
    }
}

/// The inputs of tags and custom fields with `values` (text by input name) and their
/// `errors`, and the messages that belong to no input.
pub(super) async fn fields(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    values: &HashMap<String, String>,
    errors: &FieldErrors,
) -> Result<(Vec<FormField>, Vec<String>), actix_web::Error> {
    let mut fields = Vec::new();
    let value = |name: &str| values.get(name).cloned().unwrap_or_default();
    if let Some(tag_model) = state.models.get("extras.tag") {
        let offered: Vec<(String, String)> = store(request, state, model)
            .choices(tag_model)
            .await
            .map_err(server_error)?
            .into_iter()
            .map(|(id, name)| (id.to_string(), name))
            .collect();
        let current = value(tags::KEY);
        let chosen: Vec<&str> = current.split(", ").collect();
        // Tags the object carries that were not offered (beyond the first choices, or not
        // visible to the user) stay selected, so that saving the form keeps them.
        let offered =
            super::objects::keep_chosen(request, state, model, tag_model, &chosen, offered).await?;
        let mut tags_field = field(tags::KEY.into(), "Tags".into(), current.clone());
        tags_field.multiple = true;
        tags_field.select = true;
        tags_field.options = select_many(offered, &chosen);
        tags_field.errors = errors.get(tags::KEY).cloned().unwrap_or_default();
        fields.push(tags_field);
    }
    let definitions = definitions(state, model.schema).await?;
    let mut messages: Vec<String> = errors.get(custom_fields::KEY).cloned().unwrap_or_default();
    for definition in &definitions {
        let name = format!("cf_{}", definition.name);
        let mut input = field(name.clone(), definition.label.clone(), value(&name));
        input.required = definition.required;
        input.help = definition.description.clone();
        let prefix = format!("{}: ", definition.name);
        messages.retain(|message| match message.strip_prefix(&prefix) {
            Some(own) => {
                input.errors.push(own.to_string());
                false
            }
            None => true,
        });
        use CustomFieldType as T;
        let choices = |offered: Vec<(String, String)>, input: &mut FormField| {
            let chosen: Vec<&str> = input.value.split(", ").collect();
            input.options = select_many(offered, &chosen);
            input.select = true;
        };
        match definition.kind {
            T::LongText | T::Json => {
                input.textarea = true;
                input.max_length = crate::engine::clean::JSON_MAX;
            }
            T::Integer => input.input_type = "number",
            T::Decimal => {
                input.input_type = "number";
                input.step = "0.0001".into();
            }
            T::Date => input.input_type = "date",
            T::DateTime => {
                input.input_type = "datetime-local";
                input.step = "1".into();
                if let Some(time) = input.value.strip_suffix('Z') {
                    input.value = time.to_string();
                }
                if input.help.is_empty() {
                    input.help = "Date and time in UTC.".into();
                }
            }
            T::Url => input.max_length = custom_fields::URL_MAX,
            T::Boolean => choices(
                vec![("true".into(), "Yes".into()), ("false".into(), "No".into())],
                &mut input,
            ),
            T::Select | T::MultiSelect => {
                input.multiple = definition.kind == T::MultiSelect;
                choices(definition.choices.clone(), &mut input);
            }
            T::Object | T::MultiObject => {
                input.multiple = definition.kind == T::MultiObject;
                let related = definition
                    .related
                    .as_deref()
                    .and_then(|key| state.models.get(key));
                let offered = match related {
                    Some(related) => {
                        let offered = store(request, state, model)
                            .choices(related)
                            .await
                            .map_err(server_error)?
                            .into_iter()
                            .map(|(id, name)| (id.to_string(), name))
                            .collect();
                        let value = input.value.clone();
                        let chosen: Vec<&str> = value.split(", ").collect();
                        super::objects::keep_chosen(
                            request, state, model, related, &chosen, offered,
                        )
                        .await?
                    }
                    None => Vec::new(),
                };
                choices(offered, &mut input);
            }
            T::Text => {}
        }
        fields.push(input);
    }
    Ok((fields, messages))
}

/// Splits a form's pairs into the model's own and the features': `tags` (every selected id)
/// and `custom_fields` (`cf_<name>`; multiple selections as lists, an empty selection as
/// none).
pub(super) async fn submitted(
    state: &AppState,
    schema: &ModelSchema,
    form: Vec<(String, String)>,
) -> Result<(Vec<(String, String)>, Map<String, Value>), actix_web::Error> {
    let mut features = Map::new();
    if !tags::has_features(schema) {
        return Ok((form, features));
    }
    let definitions = definitions(state, schema).await?;
    let mut chosen_tags = Vec::new();
    let mut data = Map::new();
    for definition in &definitions {
        let multiple = matches!(
            definition.kind,
            CustomFieldType::MultiSelect | CustomFieldType::MultiObject
        );
        let empty = if multiple {
            Value::Array(Vec::new())
        } else {
            Value::Null
        };
        data.insert(definition.name.clone(), empty);
    }
    let mut own = Vec::with_capacity(form.len());
    for (key, value) in form {
        if key == tags::KEY {
            chosen_tags.push(Value::String(value));
            continue;
        }
        let Some(name) = key.strip_prefix("cf_") else {
            own.push((key, value));
            continue;
        };
        match data.get_mut(name) {
            Some(Value::Array(items)) => items.push(Value::String(value)),
            Some(slot) => *slot = Value::String(value),
            None => own.push((key, value)),
        }
    }
    features.insert(tags::KEY.into(), Value::Array(chosen_tags));
    if !definitions.is_empty() {
        features.insert(custom_fields::KEY.into(), Value::Object(data));
    }
    Ok((own, features))
}

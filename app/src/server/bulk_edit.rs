//! Bulk edit and bulk delete of the rows selected on a list page (`<list>bulk/`): a POST with
//! `_pk` for each selected object and `_action` (`edit` or `delete`) shows the form or the
//! confirmation; the second POST (`_apply`) writes every object in one transaction, with the
//! signals and the change-log entry of each, or nothing. (Field inputs take the fields'
//! names; the form's own keys start with `_`, which no field name does.)

use super::objects::{PageResult, options, page_error, require, select_many, store};
use super::state::AppState;
use crate::engine::clean::{FieldErrors, Mode};
use crate::engine::{BulkError, ListQuery, MountedModel, Object, WriteError, tags};
use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use netbox_framework::models::FieldKind;
use netbox_framework::page::Page;
use serde_json::{Map, Value};

/// The most objects one bulk edit or delete takes.
const SELECTED_MAX: usize = 1000;

/// `bulk/` of a model's scope.
pub fn resource() -> actix_web::Resource {
    web::resource("/bulk/")
        .route(web::post().to(bulk))
        .default_service(web::to(super::errors::not_found))
}

struct EditField {
    name: &'static str,
    label: &'static str,
    options: Vec<super::objects::SelectOption>,
    select: bool,
    multiple: bool,
    value: String,
    errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "bulk_edit.html")]
struct BulkTemplate {
    csrf: String,
    action: String,
    cancel: String,
    delete: bool,
    ids: Vec<i64>,
    names: Vec<String>,
    fields: Vec<EditField>,
    tag_options: Vec<super::objects::SelectOption>,
    errors: Vec<String>,
}

async fn bulk(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    form: web::Form<Vec<(String, String)>>,
) -> PageResult {
    let form = form.into_inner();
    let value = |name: &str| {
        form.iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .unwrap_or_default()
    };
    // The form's own keys start with `_`, which no field name does.
    let delete = value("_action") == "delete";
    require(&request, &model, if delete { "delete" } else { "change" })?;
    let mut ids: Vec<i64> = form
        .iter()
        .filter(|(key, _)| key == "_pk")
        .filter_map(|(_, id)| id.parse().ok())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() || ids.len() > SELECTED_MAX {
        return Err(super::api_error::ApiError::bad_request(format!(
            "Select between 1 and {SELECTED_MAX} {} first.",
            model.schema.verbose_name_plural.to_lowercase()
        ))
        .into());
    }
    let objects = selected(&request, &state, &model, &ids).await?;
    let ids: Vec<i64> = objects
        .iter()
        .filter_map(|o| o.get("id")?.as_i64())
        .collect();
    let mut errors = Vec::new();
    let mut field_errors = FieldErrors::new();
    if !value("_apply").is_empty() {
        let outcome = if delete {
            store(&request, &state, &model).delete_many(&ids).await
        } else {
            let items = changes(&model, &form, &objects);
            store(&request, &state, &model)
                .update_many(&items, Mode::Patch, false)
                .await
        };
        match outcome {
            Ok(_) => {
                return Ok(HttpResponse::SeeOther()
                    .insert_header((LOCATION, model.ui_base.as_str()))
                    .finish());
            }
            Err(BulkError::Invalid(per_object)) => {
                for (index, found) in per_object.iter().enumerate() {
                    for (field, messages) in found {
                        for message in messages {
                            let name = objects
                                .get(index)
                                .map(|o| super::objects::display(model.schema, o))
                                .unwrap_or_default();
                            errors.push(format!("{name}: {field}: {message}"));
                            field_errors
                                .entry(field.clone())
                                .or_default()
                                .push(message.clone());
                        }
                    }
                }
            }
            Err(BulkError::Item { index, error }) => match error {
                WriteError::Conflict(message) | WriteError::Forbidden(message) => {
                    let name = objects
                        .get(index)
                        .map(|o| super::objects::display(model.schema, o))
                        .unwrap_or_default();
                    errors.push(format!("{name}: {message}"));
                }
                other => return Err(page_error(other)),
            },
            Err(BulkError::All(error)) => return Err(page_error(error)),
        }
    }
    let fields = if delete {
        Vec::new()
    } else {
        edit_fields(&request, &state, &model, &form, &field_errors).await?
    };
    let tag_options = match (delete, state.models.get("extras.tag")) {
        (false, Some(tag_model)) if tags::has_features(model.schema) => {
            let offered = store(&request, &state, &model)
                .choices(tag_model)
                .await
                .map_err(super::objects::server_error)?
                .into_iter()
                .map(|(id, name)| (id.to_string(), name))
                .collect();
            select_many(offered, &[])
        }
        _ => Vec::new(),
    };
    let template = BulkTemplate {
        csrf: super::security::context::csrf_input(&request),
        action: format!("{}bulk/", model.ui_base),
        cancel: model.ui_base.clone(),
        delete,
        names: objects
            .iter()
            .map(|o| super::objects::display(model.schema, o))
            .collect(),
        ids,
        fields,
        tag_options,
        errors,
    };
    let verb = if delete { "Delete" } else { "Edit" };
    let status = if template.errors.is_empty() {
        StatusCode::OK
    } else if delete {
        StatusCode::CONFLICT
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(Page::from_template(
        format!(
            "{verb} {} {}",
            template.ids.len(),
            model.schema.verbose_name_plural.to_lowercase()
        ),
        &template,
    )?
    .breadcrumb(model.schema.verbose_name_plural, Some(&model.ui_base))
    .status(status)
    .respond_to(&request))
}

/// The selected objects the user may see.
async fn selected(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    ids: &[i64],
) -> Result<Vec<Object>, actix_web::Error> {
    let query = ListQuery {
        // Repeated values of one filter are OR-ed.
        filters: ids
            .iter()
            .map(|id| ("id".to_string(), id.to_string()))
            .collect(),
        limit: ids.len() as i64,
        ..Default::default()
    };
    let (_, objects) = store(request, state, model)
        .list(&query)
        .await
        .map_err(page_error)?;
    Ok(objects)
}

/// The fields a bulk edit sets (not the unique ones, which no two objects share).
fn editable(
    model: &MountedModel,
) -> impl Iterator<Item = &'static netbox_framework::models::Field> {
    model.schema.fields.iter().filter(|field| {
        !field.unique
            && !model
                .schema
                .unique_together
                .iter()
                .any(|group| group.contains(&field.name))
    })
}

/// Each object's changes: the fields given a value (`set_null` empties one), tags added and
/// removed.
fn changes(
    model: &MountedModel,
    form: &[(String, String)],
    objects: &[Object],
) -> Vec<(i64, Map<String, Value>)> {
    let given = |name: &str| -> Vec<&str> {
        form.iter()
            .filter(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.as_str())
            .collect()
    };
    let emptied = given("_set_null");
    let mut input = Map::new();
    for field in editable(model) {
        let values = given(field.name);
        if emptied.contains(&field.name) {
            input.insert(field.name.into(), Value::Null);
        } else if matches!(field.kind, FieldKind::ManyToMany { .. }) && !values.is_empty() {
            input.insert(
                field.name.into(),
                values
                    .iter()
                    .map(|v| Value::String(v.to_string()))
                    .collect(),
            );
        } else if let Some(value) = values.first() {
            input.insert(field.name.into(), Value::String(value.to_string()));
        }
    }
    let ids =
        |name: &str| -> Vec<i64> { given(name).iter().filter_map(|v| v.parse().ok()).collect() };
    let (add, remove) = (ids("_add_tags"), ids("_remove_tags"));
    objects
        .iter()
        .map(|object| {
            let id = object.get("id").and_then(Value::as_i64).unwrap_or_default();
            let mut change = input.clone();
            if !add.is_empty() || !remove.is_empty() {
                let mut carried: Vec<i64> = object
                    .get(tags::KEY)
                    .and_then(Value::as_array)
                    .map(|items| items.iter().filter_map(Value::as_i64).collect())
                    .unwrap_or_default();
                carried.extend(&add);
                carried.retain(|tag| !remove.contains(tag));
                carried.sort_unstable();
                carried.dedup();
                change.insert(tags::KEY.into(), carried.into());
            }
            (id, change)
        })
        .collect()
}

async fn edit_fields(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    form: &[(String, String)],
    errors: &FieldErrors,
) -> Result<Vec<EditField>, actix_web::Error> {
    let mut fields = Vec::new();
    for field in editable(model) {
        let given: Vec<&str> = form
            .iter()
            .filter(|(key, _)| key == field.name)
            .map(|(_, value)| value.as_str())
            .collect();
        let choices = options(request, state, model, field.kind).await?;
        let multiple = matches!(field.kind, FieldKind::ManyToMany { .. });
        let select = choices.is_some();
        fields.push(EditField {
            name: field.name,
            label: field.label,
            options: match (choices, multiple) {
                (Some(choices), true) => select_many(choices, &given),
                (Some(choices), false) => {
                    super::objects::select(choices, given.first().copied().unwrap_or_default())
                }
                (None, _) => Vec::new(),
            },
            select,
            multiple,
            value: given.first().map(|v| v.to_string()).unwrap_or_default(),
            errors: errors.get(field.name).cloned().unwrap_or_default(),
        });
    }
    Ok(fields)
}

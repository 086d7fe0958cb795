//! The forms of every model: add and edit (messages next to the fields, submitted values
//! kept) and the delete confirmation (a refusal shown on the page, 409).

use super::objects::{
    PageResult, SelectOption, display, keep_chosen, load, not_found, options, page_error, require,
    select, select_many, store,
};
use super::state::AppState;
use crate::engine::clean::{FieldErrors, Mode};
use crate::engine::tags::has_features;
use crate::engine::{MountedModel, Object, WriteError};
use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use netbox_framework::auth::CsrfToken;
use netbox_framework::models::{FieldKind, ModelSchema};
use netbox_framework::page::Page;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// A resource of a form: its GET and POST; other methods get the 404 page, as everywhere.
fn form(path: &str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(super::errors::not_found))
}

/// `add/` of a model's scope: the form and its submission.
pub fn add() -> actix_web::Resource {
    form("/add/")
        .route(web::get().to(add_form))
        .route(web::post().to(add_submit))
}

/// `<id>/edit/`.
pub fn edit() -> actix_web::Resource {
    form("/{id}/edit/")
        .route(web::get().to(edit_form))
        .route(web::post().to(edit_submit))
}

/// `<id>/delete/`.
pub fn delete() -> actix_web::Resource {
    form("/{id}/delete/")
        .route(web::get().to(delete_form))
        .route(web::post().to(delete_submit))
}

fn redirect(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location))
        .finish()
}

pub(super) struct FormField {
    pub(super) name: String,
    pub(super) label: String,
    pub(super) required: bool,
    pub(super) help: String,
    pub(super) value: String,
    pub(super) textarea: bool,
    /// Whether several options may be selected (a many-to-many field).
    pub(super) multiple: bool,
    /// The input's type (`text`, `number`, `date`, `datetime-local`) and, for numbers, its
    /// step.
    pub(super) input_type: &'static str,
    pub(super) step: String,
    pub(super) max_length: usize,
    pub(super) select: bool,
    pub(super) options: Vec<SelectOption>,
    /// For a reference to a model with more objects than a select offers: its API list,
    /// which suggests objects (by id) as the user types.
    pub(super) search: Option<String>,
    pub(super) errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "model_form.html")]
struct FormTemplate {
    csrf: String,
    action: String,
    cancel: String,
    fields: Vec<FormField>,
    general_errors: Vec<String>,
}

/// Form values as strings, from an object (editing) or a submission.
fn text_values(schema: &ModelSchema, object: &Object) -> HashMap<String, String> {
    let custom = object
        .get(crate::engine::custom_fields::KEY)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, value)| (format!("cf_{name}"), value));
    object
        .iter()
        .map(|(key, value)| (key.clone(), value))
        .chain(custom)
        .map(|(key, value)| {
            let json = schema
                .field(&key)
                .is_some_and(|field| matches!(field.kind, FieldKind::Json))
                || (key.starts_with("cf_") && value.is_object());
            let text = match value {
                Value::Null => String::new(),
                // A document as JSON text, strings quoted.
                other if json => other.to_string(),
                Value::String(text) => text.clone(),
                // A list as its form input takes it: `80, 443`.
                Value::Array(items) => items
                    .iter()
                    .map(|item| match item {
                        Value::String(text) => text.clone(),
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            };
            (key, text)
        })
        .collect()
}

/// Whether an error key is one of the features' (shown next to their inputs).
fn is_feature(key: &str) -> bool {
    [crate::engine::tags::KEY, crate::engine::custom_fields::KEY].contains(&key)
}

/// Where a form is: its title, where it posts, where "Cancel" goes.
struct FormPlace {
    title: String,
    action: String,
    cancel: String,
}

impl FormPlace {
    fn add(model: &MountedModel) -> Self {
        FormPlace {
            title: format!("Add a new {}", model.schema.verbose_name.to_lowercase()),
            action: format!("{}add/", model.ui_base),
            cancel: model.ui_base.clone(),
        }
    }

    fn edit(model: &MountedModel, id: i64, name: &str) -> Self {
        let base = format!("{}{id}/", model.ui_base);
        FormPlace {
            title: format!("Edit {name}"),
            action: format!("{base}edit/"),
            cancel: base,
        }
    }
}

/// A form of `model` for one request.
struct Form<'a> {
    request: &'a HttpRequest,
    state: &'a AppState,
    model: &'a MountedModel,
}

impl<'a> Form<'a> {
    fn new(request: &'a HttpRequest, state: &'a AppState, model: &'a MountedModel) -> Self {
        Form {
            request,
            state,
            model,
        }
    }

    /// The form at `place` with `values` and the `errors` next to their fields.
    async fn render(
        &self,
        place: FormPlace,
        values: &HashMap<String, String>,
        errors: &FieldErrors,
    ) -> PageResult {
        let FormPlace {
            title,
            action,
            cancel,
        } = place;
        let model = self.model;
        let mut fields = Vec::new();
        for field in model.schema.fields {
            let mut value = values.get(field.name).cloned().unwrap_or_default();
            let (input_type, step) = match field.kind {
                FieldKind::Decimal { decimal_places, .. } => (
                    "number",
                    match decimal_places {
                        0 => "1".to_string(),
                        places => format!("0.{}1", "0".repeat(places as usize - 1)),
                    },
                ),
                FieldKind::Date => ("date", String::new()),
                FieldKind::DateTime => {
                    // A date-time input shows a time without offset: the stored UTC one.
                    if let Some(time) = value.strip_suffix('Z') {
                        value = time.to_string();
                    }
                    ("datetime-local", "1".to_string())
                }
                _ => ("text", String::new()),
            };
            let choices = options(self.request, self.state, model, field.kind).await?;
            let search = match field.kind {
                FieldKind::ForeignKey { model: target }
                    if choices
                        .as_ref()
                        .is_some_and(|c| c.len() >= crate::engine::store::CHOICES_MAX) =>
                {
                    self.state.models.get(target).map(|t| t.api_base.clone())
                }
                _ => None,
            };
            let mut choices = choices.filter(|_| search.is_none());
            if let FieldKind::ManyToMany { model: target } = field.kind
                && let Some(target) = self.state.models.get(target)
                && let Some(offered) = choices.take()
            {
                let chosen: Vec<&str> = value.split(", ").collect();
                let (request, state) = (self.request, self.state);
                choices = Some(keep_chosen(request, state, model, target, &chosen, offered).await?);
            }
            fields.push(FormField {
                search,
                name: field.name.to_string(),
                label: field.label.to_string(),
                required: field.required,
                help: match field.kind {
                    FieldKind::DateTime if field.help.is_empty() => "Date and time in UTC.",
                    _ => field.help,
                }
                .to_string(),
                textarea: matches!(field.kind, FieldKind::LongText | FieldKind::Json),
                input_type,
                step,
                max_length: match field.kind {
                    FieldKind::Text { max_length } => max_length,
                    FieldKind::Slug => crate::engine::clean::SLUG_MAX,
                    FieldKind::IpAddress | FieldKind::IpNetwork | FieldKind::IpInterface => 50,
                    FieldKind::Json => crate::engine::clean::JSON_MAX,
                    _ => crate::engine::clean::LONG_TEXT_MAX,
                },
                select: choices.is_some(),
                multiple: !field.is_column(),
                options: if field.is_column() {
                    select(choices.unwrap_or_default(), &value)
                } else {
                    let chosen: Vec<&str> = value.split(", ").collect();
                    select_many(choices.unwrap_or_default(), &chosen)
                },
                errors: errors.get(field.name).cloned().unwrap_or_default(),
                value,
            });
        }
        let mut general_errors = Vec::new();
        if has_features(model.schema) {
            let (extra, unplaced) =
                super::feature_forms::fields(self.request, self.state, model, values, errors)
                    .await?;
            fields.extend(extra);
            general_errors.extend(unplaced);
        }
        general_errors.extend(
            errors
                .iter()
                .filter(|(key, _)| model.schema.field(key).is_none() && !is_feature(key))
                .flat_map(|(_, messages)| messages.clone()),
        );
        let template = FormTemplate {
            csrf: super::security::context::csrf_input(self.request),
            action,
            cancel,
            fields,
            general_errors,
        };
        Ok(Page::from_template(title, &template)?
            .breadcrumb(model.schema.verbose_name_plural, Some(&model.ui_base))
            .respond_to(self.request))
    }
}

/// A form's values by field; a many-to-many field's selected ids (one pair each) as a list;
/// tags and custom fields (`cf_<name>`) as the API takes them.
async fn submitted(
    state: &AppState,
    schema: &ModelSchema,
    form: Vec<(String, String)>,
) -> Result<Map<String, Value>, actix_web::Error> {
    let (form, features) = super::feature_forms::submitted(state, schema, form).await?;
    let mut values = features;
    for field in schema.fields.iter().filter(|field| !field.is_column()) {
        values.insert(field.name.to_string(), Value::Array(Vec::new()));
    }
    for (key, value) in form {
        if key == CsrfToken::FIELD {
            continue;
        }
        match values.get_mut(&key) {
            Some(Value::Array(items)) => items.push(Value::String(value)),
            _ => {
                values.insert(key, Value::String(value));
            }
        }
    }
    Ok(values)
}

async fn add_form(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
) -> PageResult {
    require(&request, &model, "add")?;
    let mut defaults: HashMap<String, String> = model
        .schema
        .fields
        .iter()
        .filter_map(|field| {
            field
                .default
                .map(|value| (field.name.to_string(), value.to_string()))
        })
        .collect();
    if has_features(model.schema) {
        let definitions = super::feature_forms::definitions(&state, model.schema).await?;
        let given: Object = definitions
            .iter()
            .filter_map(|d| Some((d.name.clone(), d.default.clone()?)))
            .collect();
        let mut object = Object::new();
        object.insert(
            crate::engine::custom_fields::KEY.into(),
            Value::Object(given),
        );
        defaults.extend(text_values(model.schema, &object));
    }
    let form = Form::new(&request, &state, &model);
    let none = FieldErrors::new();
    form.render(FormPlace::add(&model), &defaults, &none).await
}

async fn add_submit(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    form: web::Form<Vec<(String, String)>>,
) -> PageResult {
    let input = submitted(&state, model.schema, form.into_inner()).await?;
    match store(&request, &state, &model).create(&input, false).await {
        Ok(object) => {
            let id = object.get("id").and_then(Value::as_i64).unwrap_or_default();
            Ok(redirect(&format!("{}{id}/", model.ui_base)))
        }
        Err(WriteError::Invalid(errors)) => {
            let form = Form::new(&request, &state, &model);
            let values = text_values(model.schema, &input);
            form.render(FormPlace::add(&model), &values, &errors).await
        }
        Err(error) => Err(page_error(error)),
    }
}

async fn edit_form(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    id: web::Path<i64>,
) -> PageResult {
    require(&request, &model, "change")?;
    let Some(object) = load(&request, &state, &model, *id).await? else {
        return Ok(not_found(&request, &model, *id));
    };
    let place = FormPlace::edit(&model, *id, &display(model.schema, &object));
    let form = Form::new(&request, &state, &model);
    let none = FieldErrors::new();
    form.render(place, &text_values(model.schema, &object), &none)
        .await
}

async fn edit_submit(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    id: web::Path<i64>,
    form: web::Form<Vec<(String, String)>>,
) -> PageResult {
    let input = submitted(&state, model.schema, form.into_inner()).await?;
    let base = format!("{}{}/", model.ui_base, *id);
    let outcome = store(&request, &state, &model)
        .update(*id, &input, Mode::Replace, false)
        .await;
    match outcome {
        Ok(_) => Ok(redirect(&base)),
        Err(WriteError::Invalid(errors)) => {
            let place = FormPlace::edit(&model, *id, &model.schema.verbose_name.to_lowercase());
            let form = Form::new(&request, &state, &model);
            form.render(place, &text_values(model.schema, &input), &errors)
                .await
        }
        Err(WriteError::NotFound) => Ok(not_found(&request, &model, *id)),
        Err(error) => Err(page_error(error)),
    }
}

#[derive(Template)]
#[template(path = "model_delete.html")]
struct DeleteTemplate {
    csrf: String,
    action: String,
    cancel: String,
    singular: &'static str,
    display: String,
    error: Option<String>,
}

fn delete_page(
    request: &HttpRequest,
    model: &MountedModel,
    id: i64,
    object: &Object,
    error: Option<String>,
) -> PageResult {
    let base = format!("{}{id}/", model.ui_base);
    let status = if error.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    let template = DeleteTemplate {
        csrf: super::security::context::csrf_input(request),
        action: format!("{base}delete/"),
        cancel: base,
        singular: model.schema.verbose_name,
        display: display(model.schema, object),
        error,
    };
    Ok(Page::from_template(
        format!("Delete {}", display(model.schema, object)),
        &template,
    )?
    .breadcrumb(model.schema.verbose_name_plural, Some(&model.ui_base))
    .status(status)
    .respond_to(request))
}

async fn delete_form(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    id: web::Path<i64>,
) -> PageResult {
    require(&request, &model, "delete")?;
    match load(&request, &state, &model, *id).await? {
        Some(object) => delete_page(&request, &model, *id, &object, None),
        None => Ok(not_found(&request, &model, *id)),
    }
}

async fn delete_submit(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    id: web::Path<i64>,
) -> PageResult {
    match store(&request, &state, &model).delete(*id).await {
        Ok(_) => Ok(redirect(&model.ui_base)),
        Err(WriteError::Conflict(message)) => match load(&request, &state, &model, *id).await? {
            Some(object) => delete_page(&request, &model, *id, &object, Some(message)),
            None => Ok(not_found(&request, &model, *id)),
        },
        Err(WriteError::NotFound) => Ok(not_found(&request, &model, *id)),
        Err(error) => Err(page_error(error)),
    }
}

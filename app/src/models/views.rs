//! Pages of every model, in the host layout: list (quick search, filters, pagination), detail,
//! add and edit forms (messages next to the fields, submitted values kept) and a delete
//! confirmation.

use super::api::list_query;
use super::clean::FieldErrors;
use super::registry::MountedModel;
use super::store::{Actor, Object, Store, WriteError};
use crate::server::state::AppState;
use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use netbox_framework::extensions::Slot;
use netbox_framework::models::{FieldKind, ModelSchema};
use netbox_framework::page::Page;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Page size of list pages.
const PAGE_SIZE: i64 = 25;

/// Mounts the pages of `model` (called per worker).
pub fn scope(model: &MountedModel) -> actix_web::Scope {
    web::scope(model.ui_base.trim_end_matches('/'))
        .app_data(web::Data::new(model.clone()))
        .route("/", web::get().to(list))
        .route("/add/", web::get().to(add_form))
        .route("/add/", web::post().to(add_submit))
        .route("/{id}/", web::get().to(detail))
        .route("/{id}/edit/", web::get().to(edit_form))
        .route("/{id}/edit/", web::post().to(edit_submit))
        .route("/{id}/delete/", web::get().to(delete_form))
        .route("/{id}/delete/", web::post().to(delete_submit))
        .route(
            "/{id}/changelog/",
            web::get().to(crate::server::changes::object_tab),
        )
}

type PageResult = Result<HttpResponse, actix_web::Error>;

fn server_error(error: impl std::fmt::Display) -> actix_web::Error {
    tracing::error!(%error, "model page failed");
    actix_web::error::ErrorInternalServerError(error.to_string())
}

fn store<'a>(state: &'a AppState, model: &'a MountedModel) -> Result<Store<'a>, actix_web::Error> {
    let db = state.database.as_ref().ok_or_else(|| {
        actix_web::error::ErrorServiceUnavailable("The database is not connected.")
    })?;
    Ok(Store::new(db, &state.models, model))
}

fn redirect(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location))
        .finish()
}

struct Cell {
    text: String,
    link: Option<String>,
}

struct SelectOption {
    value: String,
    label: String,
    selected: bool,
}

/// Referenced objects' display names and links, per foreign-key field.
type References = HashMap<&'static str, HashMap<i64, String>>;

async fn references(
    state: &AppState,
    model: &MountedModel,
    store: &Store<'_>,
    objects: &[Object],
) -> Result<References, actix_web::Error> {
    let mut found = References::new();
    for field in model.schema.fields {
        if let FieldKind::ForeignKey { model: target } = field.kind
            && let Some(target) = state.models.get(target)
        {
            let ids: Vec<i64> = objects
                .iter()
                .filter_map(|o| o.get(field.name).and_then(Value::as_i64))
                .collect();
            found.insert(
                field.name,
                store.displays(target, &ids).await.map_err(server_error)?,
            );
        }
    }
    Ok(found)
}

fn cell(
    state: &AppState,
    schema: &ModelSchema,
    field: &str,
    object: &Object,
    references: &References,
) -> Cell {
    let value = object.get(field).cloned().unwrap_or(Value::Null);
    let Some(definition) = schema.field(field) else {
        return Cell {
            text: value.as_str().unwrap_or_default().to_string(),
            link: None,
        };
    };
    match definition.kind {
        FieldKind::Choice(choices) => Cell {
            text: choices
                .iter()
                .find(|(v, _)| Some(*v) == value.as_str())
                .map(|(_, label)| label.to_string())
                .unwrap_or_default(),
            link: None,
        },
        FieldKind::ForeignKey { model } => match value.as_i64() {
            Some(id) => Cell {
                text: references
                    .get(field)
                    .and_then(|d| d.get(&id))
                    .cloned()
                    .unwrap_or_else(|| format!("#{id}")),
                link: state
                    .models
                    .get(model)
                    .map(|m| format!("{}{id}/", m.ui_base)),
            },
            None => Cell {
                text: "—".into(),
                link: None,
            },
        },
        _ => Cell {
            text: match value {
                Value::String(text) if !text.is_empty() => text,
                Value::Number(number) => number.to_string(),
                _ => "—".into(),
            },
            link: None,
        },
    }
}

struct Filter {
    name: String,
    label: &'static str,
    options: Vec<SelectOption>,
}

struct Row {
    id: i64,
    cells: Vec<Cell>,
}

#[derive(Template)]
#[template(path = "model_list.html")]
struct ListTemplate {
    base: String,
    list_buttons: String,
    singular: &'static str,
    plural: &'static str,
    q: String,
    filters: Vec<Filter>,
    filtered: bool,
    headers: Vec<&'static str>,
    rows: Vec<Row>,
    count: i64,
    first: i64,
    last: i64,
    previous: Option<String>,
    next: Option<String>,
}

fn page_link(request: &HttpRequest, pairs: &[(String, String)], offset: i64) -> String {
    let set = [
        ("limit", None),
        ("offset", (offset > 0).then(|| offset.to_string())),
    ];
    crate::server::urls::with_query(request, pairs, &set)
}

async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    pairs: web::Query<Vec<(String, String)>>,
) -> PageResult {
    let schema = model.schema;
    let pairs: Vec<(String, String)> = pairs
        .into_inner()
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let query = match list_query(&pairs, PAGE_SIZE) {
        Ok(query) => query,
        Err(errors) => return Err(actix_web::error::ErrorBadRequest(describe(&errors))),
    };
    let store = store(&state, &model)?;
    let (count, objects) = match store.list(&query).await {
        Ok(found) => found,
        Err(WriteError::Invalid(errors)) => {
            return Err(actix_web::error::ErrorBadRequest(describe(&errors)));
        }
        Err(error) => return Err(server_error(error)),
    };
    let references = references(&state, &model, &store, &objects).await?;
    let selected = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut filters = Vec::new();
    for field in schema.fields {
        let (name, options) = match field.kind {
            FieldKind::Choice(choices) => (
                field.name.to_string(),
                choices
                    .iter()
                    .map(|(v, l)| (v.to_string(), l.to_string()))
                    .collect::<Vec<_>>(),
            ),
            FieldKind::ForeignKey { model: target } => match state.models.get(target) {
                Some(target) => (
                    format!("{}_id", field.name),
                    store
                        .choices(target)
                        .await
                        .map_err(server_error)?
                        .into_iter()
                        .map(|(id, d)| (id.to_string(), d))
                        .collect(),
                ),
                None => continue,
            },
            _ => continue,
        };
        let current = selected(&name);
        filters.push(Filter {
            options: options
                .into_iter()
                .map(|(value, label)| SelectOption {
                    selected: value == current,
                    value,
                    label,
                })
                .collect(),
            name,
            label: field.label,
        });
    }
    let rows = rows(&state, &model, &objects, &references);
    let key = schema.key();
    let template = ListTemplate {
        list_buttons: state
            .extensions
            .render(Slot::ListButtons, Some(&key), None, request.path()),
        base: model.ui_base.clone(),
        singular: schema.verbose_name,
        plural: schema.verbose_name_plural,
        q: query.q.clone().unwrap_or_default(),
        filtered: !pairs.is_empty(),
        filters,
        headers: schema.fields.iter().map(|f| f.label).collect(),
        first: if count == 0 { 0 } else { query.offset + 1 },
        last: query.offset + rows.len() as i64,
        rows,
        count,
        previous: (query.offset > 0)
            .then(|| page_link(&request, &pairs, (query.offset - query.limit).max(0))),
        next: (query.offset + query.limit < count)
            .then(|| page_link(&request, &pairs, query.offset + query.limit)),
    };
    Ok(Page::from_template(schema.verbose_name_plural, &template)?
        .model(key)
        .breadcrumb(schema.verbose_name_plural, None)
        .respond_to(&request))
}

/// Table rows of `objects`, the display field linking to each object.
fn rows(
    state: &AppState,
    model: &MountedModel,
    objects: &[Object],
    references: &References,
) -> Vec<Row> {
    let schema = model.schema;
    objects
        .iter()
        .map(|object| {
            let id = object.get("id").and_then(Value::as_i64).unwrap_or_default();
            let mut cells: Vec<Cell> = schema
                .fields
                .iter()
                .map(|f| cell(state, schema, f.name, object, references))
                .collect();
            if let Some(position) = schema
                .fields
                .iter()
                .position(|f| f.name == schema.display_field)
            {
                cells[position].link = Some(format!("{}{id}/", model.ui_base));
            }
            Row { id, cells }
        })
        .collect()
}

/// One tab of an object page.
pub struct TabLink {
    /// Text.
    pub label: String,
    /// Target.
    pub link: String,
    /// Count shown beside the text.
    pub badge: Option<i64>,
    /// Whether it is the current page.
    pub active: bool,
}

/// The object's own tab, then the plugins' tabs for its model (by weight), with badges;
/// a tab that hides when empty is left out when its count is zero.
pub async fn tabs(
    state: &AppState,
    model: &MountedModel,
    id: i64,
    active: Option<&str>,
) -> Result<Vec<TabLink>, actix_web::Error> {
    let base = format!("{}{id}/", model.ui_base);
    let mut tabs = vec![TabLink {
        label: model.schema.verbose_name.to_string(),
        link: base.clone(),
        badge: None,
        active: active.is_none(),
    }];
    for spec in state.models.tabs_of(&model.schema.key()) {
        let badge = match spec
            .badge
            .and_then(|(key, field)| state.models.get(key).map(|related| (related, field)))
        {
            Some((related, field)) => {
                let query = super::store::ListQuery {
                    filters: vec![(format!("{field}_id"), id.to_string())],
                    limit: 1,
                    ..Default::default()
                };
                let (count, _) = store(state, related)?
                    .list(&query)
                    .await
                    .map_err(server_error)?;
                Some(count)
            }
            None => None,
        };
        let is_active = active == Some(spec.path);
        if spec.hide_if_empty && badge == Some(0) && !is_active {
            continue;
        }
        tabs.push(TabLink {
            label: spec.label.clone(),
            link: format!("{base}{}/", spec.path),
            badge,
            active: is_active,
        });
    }
    tabs.push(TabLink {
        label: "Changelog".to_string(),
        link: format!("{base}changelog/"),
        badge: None,
        active: active == Some("changelog"),
    });
    Ok(tabs)
}

/// A view of related objects, mounted at `<object URL><path>/` (from a plugin's
/// `ModelView::related`).
#[derive(Debug, Clone)]
pub struct RelatedView {
    /// The model whose objects have the view.
    pub target: MountedModel,
    /// The related model listed.
    pub related: MountedModel,
    /// Its foreign-key field pointing at the object.
    pub field: &'static str,
    /// The view's path segment.
    pub path: &'static str,
    /// The tab's text.
    pub label: String,
}

#[derive(Template)]
#[template(path = "model_related.html")]
struct RelatedTemplate {
    tabs: Vec<TabLink>,
    headers: Vec<&'static str>,
    rows: Vec<Row>,
    count: i64,
    shown: usize,
    all_link: String,
    add_link: String,
    singular: &'static str,
    plural: &'static str,
}

/// Shows the related objects of one object, with the object's tabs.
pub async fn related(
    request: HttpRequest,
    state: web::Data<AppState>,
    view: web::Data<RelatedView>,
    id: web::Path<i64>,
) -> PageResult {
    let target = &view.target;
    let Some(object) = load(&state, target, *id).await? else {
        return Ok(not_found(&request, target, *id));
    };
    let related = &view.related;
    let filter = (format!("{}_id", view.field), id.to_string());
    let query = super::store::ListQuery {
        filters: vec![filter.clone()],
        limit: 100,
        ..Default::default()
    };
    let store = store(&state, related)?;
    let (count, objects) = store.list(&query).await.map_err(server_error)?;
    let references = references(&state, related, &store, &objects).await?;
    let template = RelatedTemplate {
        tabs: tabs(&state, target, *id, Some(view.path)).await?,
        headers: related.schema.fields.iter().map(|f| f.label).collect(),
        rows: rows(&state, related, &objects, &references),
        count,
        shown: objects.len(),
        all_link: format!("{}?{}={}", related.ui_base, filter.0, filter.1),
        add_link: format!("{}add/", related.ui_base),
        singular: related.schema.verbose_name,
        plural: related.schema.verbose_name_plural,
    };
    let name = display(target.schema, &object);
    Ok(
        Page::from_template(format!("{name}: {}", view.label), &template)?
            .model(target.schema.key())
            .breadcrumb(target.schema.verbose_name_plural, Some(&target.ui_base))
            .breadcrumb(name, Some(&format!("{}{}/", target.ui_base, *id)))
            .respond_to(&request),
    )
}

fn describe(errors: &FieldErrors) -> String {
    errors
        .iter()
        .map(|(field, messages)| format!("{field}: {}", messages.join(" ")))
        .collect::<Vec<_>>()
        .join("; ")
}

#[derive(Template)]
#[template(path = "model_detail.html")]
struct DetailTemplate {
    tabs: Vec<TabLink>,
    base: String,
    id: i64,
    cells: Vec<DetailCell>,
    slots: ObjectSlots,
}

/// What the plugins put into an object page.
struct ObjectSlots {
    alerts: String,
    buttons: String,
    left_page: String,
    right_page: String,
    full_width_page: String,
}

struct DetailCell {
    label: &'static str,
    text: String,
    link: Option<String>,
}

async fn load(
    state: &AppState,
    model: &MountedModel,
    id: i64,
) -> Result<Option<Object>, actix_web::Error> {
    store(state, model)?.get(id).await.map_err(server_error)
}

fn not_found(request: &HttpRequest, model: &MountedModel, id: i64) -> HttpResponse {
    crate::server::errors::error_response(
        request,
        StatusCode::NOT_FOUND,
        &format!(
            "There is no {} with ID {id}.",
            model.schema.verbose_name.to_lowercase()
        ),
    )
}

fn display(schema: &ModelSchema, object: &Object) -> String {
    match object.get(schema.display_field) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Number(number)) => number.to_string(),
        _ => String::new(),
    }
}

async fn detail(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    id: web::Path<i64>,
) -> PageResult {
    let schema = model.schema;
    let Some(object) = load(&state, &model, *id).await? else {
        return Ok(not_found(&request, &model, *id));
    };
    let store = store(&state, &model)?;
    let references = references(&state, &model, &store, std::slice::from_ref(&object)).await?;
    let mut cells: Vec<DetailCell> = schema
        .fields
        .iter()
        .map(|field| {
            let Cell { text, link } = cell(&state, schema, field.name, &object, &references);
            DetailCell {
                label: field.label,
                text,
                link,
            }
        })
        .collect();
    for (label, key) in [("Created", "created"), ("Last updated", "last_updated")] {
        cells.push(DetailCell {
            label,
            text: object
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            link: None,
        });
    }
    let key = schema.key();
    let render = |slot| {
        state
            .extensions
            .render(slot, Some(&key), Some(&object), request.path())
    };
    let slots = ObjectSlots {
        alerts: render(Slot::Alerts),
        buttons: render(Slot::Buttons),
        left_page: render(Slot::LeftPage),
        right_page: render(Slot::RightPage),
        full_width_page: render(Slot::FullWidthPage),
    };
    let template = DetailTemplate {
        tabs: tabs(&state, &model, *id, None).await?,
        base: model.ui_base.clone(),
        id: *id,
        cells,
        slots,
    };
    Ok(Page::from_template(display(schema, &object), &template)?
        .model(key)
        .breadcrumb(schema.verbose_name_plural, Some(&model.ui_base))
        .breadcrumb(display(schema, &object), None)
        .respond_to(&request))
}

struct FormField {
    name: &'static str,
    label: &'static str,
    required: bool,
    help: &'static str,
    value: String,
    textarea: bool,
    select: bool,
    options: Vec<SelectOption>,
    errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "model_form.html")]
struct FormTemplate {
    action: String,
    cancel: String,
    fields: Vec<FormField>,
    general_errors: Vec<String>,
}

/// Form values as strings, from an object (editing) or a submission.
fn text_values(object: &Object) -> HashMap<String, String> {
    object
        .iter()
        .map(|(key, value)| {
            let text = match value {
                Value::String(text) => text.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            (key.clone(), text)
        })
        .collect()
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

async fn render_form(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    place: FormPlace,
    values: &HashMap<String, String>,
    errors: &FieldErrors,
) -> PageResult {
    let FormPlace {
        title,
        action,
        cancel,
    } = place;
    let store = store(state, model)?;
    let mut fields = Vec::new();
    for field in model.schema.fields {
        let value = values.get(field.name).cloned().unwrap_or_default();
        let (select, options) = match field.kind {
            FieldKind::Choice(choices) => (
                true,
                choices
                    .iter()
                    .map(|(v, l)| SelectOption {
                        value: v.to_string(),
                        label: l.to_string(),
                        selected: *v == value,
                    })
                    .collect(),
            ),
            FieldKind::ForeignKey { model: target } => match state.models.get(target) {
                Some(target) => (
                    true,
                    store
                        .choices(target)
                        .await
                        .map_err(server_error)?
                        .into_iter()
                        .map(|(id, label)| SelectOption {
                            selected: id.to_string() == value,
                            value: id.to_string(),
                            label,
                        })
                        .collect(),
                ),
                None => (false, Vec::new()),
            },
            _ => (false, Vec::new()),
        };
        fields.push(FormField {
            name: field.name,
            label: field.label,
            required: field.required,
            help: field.help,
            textarea: matches!(field.kind, FieldKind::LongText),
            select,
            options,
            errors: errors.get(field.name).cloned().unwrap_or_default(),
            value,
        });
    }
    let general_errors = errors
        .iter()
        .filter(|(key, _)| model.schema.field(key).is_none())
        .flat_map(|(_, messages)| messages.clone())
        .collect();
    let template = FormTemplate {
        action,
        cancel,
        fields,
        general_errors,
    };
    Ok(Page::from_template(title, &template)?
        .breadcrumb(model.schema.verbose_name_plural, Some(&model.ui_base))
        .respond_to(request))
}

fn submitted(form: Vec<(String, String)>) -> Map<String, Value> {
    form.into_iter()
        .map(|(key, value)| (key, Value::String(value)))
        .collect()
}

async fn add_form(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
) -> PageResult {
    let defaults: HashMap<String, String> = model
        .schema
        .fields
        .iter()
        .filter_map(|field| {
            field
                .default
                .map(|value| (field.name.to_string(), value.to_string()))
        })
        .collect();
    render_form(
        &request,
        &state,
        &model,
        FormPlace::add(&model),
        &defaults,
        &FieldErrors::new(),
    )
    .await
}

async fn add_submit(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    form: web::Form<Vec<(String, String)>>,
) -> PageResult {
    let input = submitted(form.into_inner());
    match store(&state, &model)?
        .by(Actor::of(&request))
        .create(&input, false)
        .await
    {
        Ok(object) => {
            let id = object.get("id").and_then(Value::as_i64).unwrap_or_default();
            Ok(redirect(&format!("{}{id}/", model.ui_base)))
        }
        Err(WriteError::Invalid(errors)) => {
            render_form(
                &request,
                &state,
                &model,
                FormPlace::add(&model),
                &text_values(&input),
                &errors,
            )
            .await
        }
        Err(error) => Err(server_error(error)),
    }
}

async fn edit_form(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    id: web::Path<i64>,
) -> PageResult {
    let Some(object) = load(&state, &model, *id).await? else {
        return Ok(not_found(&request, &model, *id));
    };
    let place = FormPlace::edit(&model, *id, &display(model.schema, &object));
    render_form(
        &request,
        &state,
        &model,
        place,
        &text_values(&object),
        &FieldErrors::new(),
    )
    .await
}

async fn edit_submit(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    id: web::Path<i64>,
    form: web::Form<Vec<(String, String)>>,
) -> PageResult {
    let input = submitted(form.into_inner());
    let base = format!("{}{}/", model.ui_base, *id);
    match store(&state, &model)?
        .by(Actor::of(&request))
        .update(*id, &input, super::clean::Mode::Replace, false)
        .await
    {
        Ok(_) => Ok(redirect(&base)),
        Err(WriteError::Invalid(errors)) => {
            let place = FormPlace::edit(&model, *id, &model.schema.verbose_name.to_lowercase());
            render_form(
                &request,
                &state,
                &model,
                place,
                &text_values(&input),
                &errors,
            )
            .await
        }
        Err(WriteError::NotFound) => Ok(not_found(&request, &model, *id)),
        Err(error) => Err(server_error(error)),
    }
}

#[derive(Template)]
#[template(path = "model_delete.html")]
struct DeleteTemplate {
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
    match load(&state, &model, *id).await? {
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
    match store(&state, &model)?
        .by(Actor::of(&request))
        .delete(*id)
        .await
    {
        Ok(_) => Ok(redirect(&model.ui_base)),
        Err(WriteError::Conflict(message)) => match load(&state, &model, *id).await? {
            Some(object) => delete_page(&request, &model, *id, &object, Some(message)),
            None => Ok(not_found(&request, &model, *id)),
        },
        Err(WriteError::NotFound) => Ok(not_found(&request, &model, *id)),
        Err(error) => Err(server_error(error)),
    }
}

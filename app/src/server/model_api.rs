//! The REST API of every model, NetBox-style. On the list (`<base>`): `GET` with
//! `{count, next, previous, results}` (pagination, `?q=`, filters, `?ordering=`, shapes),
//! `POST` of an object or a list of objects (bulk create), `PUT`/`PATCH` of a list of objects
//! with ids (bulk update), `DELETE` of a list of ids (bulk delete). On an object
//! (`<base><id>/`): `GET` (with an `ETag`), `PUT`, `PATCH`, `DELETE` (`If-Match` makes them
//! conditional: 412 when the object changed). `OPTIONS` describes both; another method is 405
//! with `Allow`. Invalid input is 400 with messages per field (per item for lists, in request
//! order), an unknown object 404, a conflicting delete 409; a failed write changes nothing.

use super::api_error::ApiError;
use super::api_shape::{Shape, Shown, represent, row_of};
use super::objects::{ListParams, may, store};
use super::pagination::next_start;
use super::state::AppState;
use crate::engine::clean::{FieldErrors, Mode, add_error};
use crate::engine::write::etag;
use crate::engine::{BulkError, MountedModel, Object, WriteError};
use actix_web::http::header::{ETAG, IF_MATCH};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpRequest, HttpResponse, web};
use netbox_framework::models::FieldKind;
use serde_json::{Map, Value, json};

type ApiResult = Result<HttpResponse, ApiError>;

/// What every handler of a model's API works with: the request, the shared state and the
/// model the scope serves.
struct Endpoint {
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
}

impl Endpoint {
    fn parts(&self) -> (&HttpRequest, &AppState, &MountedModel) {
        (&self.request, &self.state, &self.model)
    }
}

impl actix_web::FromRequest for Endpoint {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let endpoint = match (
            request.app_data::<web::Data<AppState>>(),
            request.app_data::<web::Data<MountedModel>>(),
        ) {
            (Some(state), Some(model)) => Ok(Endpoint {
                request: request.clone(),
                state: state.clone(),
                model: model.clone(),
            }),
            _ => Err(ApiError::internal("a model API route without its model").into()),
        };
        std::future::ready(endpoint)
    }
}

/// A page of a list, NetBox's shape.
#[derive(serde::Serialize)]
struct Page {
    count: Option<i64>,
    next: Option<String>,
    previous: Option<String>,
    results: Vec<Shown>,
}

/// Mounts the API of `model` (called per worker).
pub fn scope(model: &MountedModel) -> actix_web::Scope {
    web::scope(model.api_base.trim_end_matches('/'))
        .app_data(web::Data::new(model.clone()))
        .service(
            web::resource("/")
                .route(web::get().to(list))
                .route(web::post().to(create))
                .route(web::put().to(bulk_change))
                .route(web::patch().to(bulk_change))
                .route(web::delete().to(bulk_destroy))
                .route(web::method(Method::OPTIONS).to(options)),
        )
        .service(
            web::resource("/{id}/")
                .route(web::get().to(retrieve))
                .route(web::put().to(change))
                .route(web::patch().to(change))
                .route(web::delete().to(destroy))
                .route(web::method(Method::OPTIONS).to(options)),
        )
}

/// An object id from the path: a positive whole number, else a 400 saying so.
fn object_id(text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "“{}” is not an object id: ids are whole numbers from 1.",
                text.chars().take(40).collect::<String>()
            ))
        })
}

/// The `If-Match` header, if any.
fn if_match(request: &HttpRequest) -> Result<Option<String>, ApiError> {
    request
        .headers()
        .get(IF_MATCH)
        .map(|value| {
            value
                .to_str()
                .map(str::to_string)
                .map_err(|_| ApiError::bad_request("The If-Match header must be ASCII."))
        })
        .transpose()
}

/// The error of item `index` of a list request, its message saying which item.
fn item_error(index: usize, error: WriteError) -> ApiError {
    ApiError::from(error).prefixed(&format!("Item {index}: "))
}

/// The answer to a failed bulk write: per-item messages (NetBox's list of error objects), or
/// the one error that stopped it.
fn bulk_error(error: BulkError, listed: bool) -> ApiError {
    match error {
        BulkError::Invalid(mut items) if !listed => {
            ApiError::fields(items.pop().unwrap_or_default())
        }
        BulkError::Invalid(items) => ApiError::items(items),
        BulkError::Item { index, error } if listed => item_error(index, error),
        BulkError::Item { error, .. } | BulkError::All(error) => error.into(),
    }
}

/// One object as the response, with `status` and its `ETag`.
async fn one(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    object: Object,
    status: StatusCode,
    shape: &Shape,
) -> ApiResult {
    let tag = etag(&object);
    let row = row_of(model.schema, object);
    let mut shown = represent(request, state, model, vec![row], shape).await?;
    Ok(HttpResponse::build(status)
        .insert_header((ETAG, tag))
        .json(shown.pop()))
}

/// Several objects as the response.
async fn many(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    objects: Vec<Object>,
    status: StatusCode,
) -> ApiResult {
    let rows = objects
        .into_iter()
        .map(|o| row_of(model.schema, o))
        .collect();
    let shown = represent(request, state, model, rows, &Shape::default()).await?;
    Ok(HttpResponse::build(status).json(shown))
}

/// The request body as an object's fields.
fn fields(body: &Value) -> Result<&Map<String, Value>, ApiError> {
    body.as_object()
        .ok_or_else(|| ApiError::bad_request("Expected a JSON object with the object's fields."))
}

/// The most objects one bulk request may write.
pub const BULK_MAX: usize = 10_000;

/// `Err` unless a list body has 1 to [`BULK_MAX`] items.
fn check_length(body: &[Value]) -> Result<(), ApiError> {
    if body.is_empty() || body.len() > BULK_MAX {
        return Err(ApiError::bad_request(format!(
            "A list of 1 to {BULK_MAX} items is expected."
        )));
    }
    Ok(())
}

/// The items of a list body, each an object.
fn items(body: &[Value]) -> Result<Vec<&Map<String, Value>>, ApiError> {
    check_length(body)?;
    body.iter()
        .enumerate()
        .map(|(index, item)| {
            item.as_object().ok_or_else(|| {
                ApiError::bad_request(format!("Item {index}: expected a JSON object."))
            })
        })
        .collect()
}

/// The `id` of each item of a bulk update or delete (`{"id": n, ...}`, or `n` for deletes);
/// items without one are 400 with the messages per item.
fn ids_of(body: &[Value], bare_allowed: bool) -> Result<Vec<i64>, ApiError> {
    let mut ids = Vec::with_capacity(body.len());
    let mut errors: Vec<FieldErrors> = Vec::with_capacity(body.len());
    for item in body {
        let id = match item {
            Value::Number(number) if bare_allowed => number.as_i64(),
            Value::Object(object) => object.get("id").and_then(Value::as_i64),
            _ => None,
        };
        let mut item_errors = FieldErrors::new();
        match id.filter(|id| *id > 0) {
            Some(id) if ids.contains(&id) => add_error(
                &mut item_errors,
                "id",
                format!("Object {id} is listed twice."),
            ),
            Some(id) => ids.push(id),
            None => add_error(
                &mut item_errors,
                "id",
                "This field is required: the object's id.",
            ),
        }
        errors.push(item_errors);
    }
    if errors.iter().all(FieldErrors::is_empty) {
        Ok(ids)
    } else {
        Err(ApiError::items(errors))
    }
}

async fn list(endpoint: Endpoint, params: ListParams) -> ApiResult {
    let (request, state, model) = endpoint.parts();
    let shape = Shape::of(&params, model.schema)?;
    let query = params.query();
    let (count, objects) = store(request, state, model).list_rows(&query).await?;
    let (previous, next) = match count {
        Some(count) => params.links(request, query.limit, count, true),
        None => {
            let last = objects
                .last()
                .and_then(|row| row.first())
                .and_then(Value::as_i64);
            let next = next_start(request, &params.pairs, query.limit, objects.len(), last);
            (None, next)
        }
    };
    let results = represent(request, state, model, objects, &shape).await?;
    Ok(HttpResponse::Ok().json(Page {
        count,
        next,
        previous,
        results,
    }))
}

async fn retrieve(endpoint: Endpoint, id: web::Path<String>, shape: Shape) -> ApiResult {
    let (request, state, model) = endpoint.parts();
    let object = store(request, state, model)
        .get(object_id(&id)?)
        .await?
        .ok_or_else(ApiError::not_found)?;
    one(request, state, model, object, StatusCode::OK, &shape).await
}

/// `POST` of one object (201 with it) or of a list (201 with the list, all or nothing).
async fn create(endpoint: Endpoint, body: web::Json<Value>, shape: Shape) -> ApiResult {
    let (request, state, model) = endpoint.parts();

    let store = store(request, state, model);
    match &*body {
        Value::Array(list) => {
            let inputs: Vec<Map<String, Value>> = items(list)?.into_iter().cloned().collect();
            let created = store
                .create_many(&inputs, true)
                .await
                .map_err(|error| bulk_error(error, true))?;
            many(request, state, model, created, StatusCode::CREATED).await
        }
        body => {
            let created = store.create(fields(body)?, true).await?;
            one(request, state, model, created, StatusCode::CREATED, &shape).await
        }
    }
}

/// `PATCH` changes the given fields; `PUT` needs the required fields too (as NetBox's), and
/// leaves the missing optional ones as they are.
fn mode_of(request: &HttpRequest) -> Mode {
    if request.method() == Method::PATCH {
        Mode::Patch
    } else {
        Mode::Put
    }
}

async fn change(
    endpoint: Endpoint,
    id: web::Path<String>,
    body: web::Json<Value>,
    shape: Shape,
) -> ApiResult {
    let (request, state, model) = endpoint.parts();
    let id = object_id(&id)?;
    let updated = store(request, state, model)
        .expecting(if_match(request)?)
        .update(id, fields(&body)?, mode_of(request), true)
        .await?;
    one(request, state, model, updated, StatusCode::OK, &shape).await
}

/// Bulk update: a list of objects, each with its `id` and the fields to change.
async fn bulk_change(endpoint: Endpoint, body: web::Json<Value>) -> ApiResult {
    let (request, state, model) = endpoint.parts();
    let Value::Array(list) = &*body else {
        return Err(ApiError::bad_request(
            "Expected a list of objects, each with its `id` (or write to the object's own URL).",
        ));
    };
    let inputs = items(list)?;
    let ids = ids_of(list, false)?;
    let changes: Vec<(i64, Map<String, Value>)> = ids
        .into_iter()
        .zip(inputs)
        .map(|(id, input)| {
            let mut input = input.clone();
            input.remove("id");
            (id, input)
        })
        .collect();
    let updated = store(request, state, model)
        .update_many(&changes, mode_of(request), true)
        .await
        .map_err(|error| bulk_error(error, true))?;
    many(request, state, model, updated, StatusCode::OK).await
}

async fn destroy(endpoint: Endpoint, id: web::Path<String>) -> ApiResult {
    let (request, state, model) = endpoint.parts();
    let id = object_id(&id)?;
    store(request, state, model)
        .expecting(if_match(request)?)
        .delete(id)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Bulk delete: a list of ids (`[{"id": 1}, {"id": 2}]` as NetBox, or `[1, 2]`).
async fn bulk_destroy(endpoint: Endpoint, body: web::Json<Value>) -> ApiResult {
    let (request, state, model) = endpoint.parts();
    let Value::Array(list) = &*body else {
        return Err(ApiError::bad_request(
            "Expected a list of ids such as [{\"id\": 1}] (or delete the object's own URL).",
        ));
    };
    check_length(list)?;
    let ids = ids_of(list, true)?;
    store(request, state, model)
        .delete_many(&ids)
        .await
        .map_err(|error| bulk_error(error, true))?;
    Ok(HttpResponse::NoContent().finish())
}

/// `OPTIONS`: the endpoint's name, what it reads and writes, and (when the user may write)
/// the fields a write takes, as NetBox's metadata.
async fn options(request: HttpRequest, model: web::Data<MountedModel>) -> ApiResult {
    let schema = model.schema;
    let on_object = request.match_info().get("id").is_some();
    let (name, methods, action, write) = if on_object {
        (
            schema.verbose_name.to_string(),
            "GET, PUT, PATCH, DELETE, HEAD, OPTIONS",
            "PUT",
            may(&request, &model, "change"),
        )
    } else {
        (
            format!("{} List", schema.verbose_name),
            "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS",
            "POST",
            may(&request, &model, "add"),
        )
    };
    let mut body = json!({
        "name": name,
        "description": "",
        "renders": ["application/json"],
        "parses": ["application/json"],
    });
    if write {
        let fields: Map<String, Value> = schema
            .fields
            .iter()
            .map(|field| {
                let mut described = json!({
                    "type": type_name(field.kind),
                    "required": field.required && field.default.is_none(),
                    "read_only": false,
                    "label": field.label,
                    "help_text": field.help,
                });
                match field.kind {
                    FieldKind::Text { max_length } => described["max_length"] = json!(max_length),
                    FieldKind::Choice(choices) => {
                        described["choices"] = choices
                            .iter()
                            .map(|(value, label)| json!({ "value": value, "display_name": label }))
                            .collect();
                    }
                    FieldKind::Integer { min, max } | FieldKind::IntegerList { min, max } => {
                        described["min_value"] = json!(min);
                        described["max_value"] = json!(max);
                    }
                    _ => {}
                }
                (field.name.to_string(), described)
            })
            .collect();
        body["actions"] = json!({ action: fields });
    }
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::ALLOW, methods))
        .json(body))
}

/// The type of a field as NetBox's metadata names it.
pub fn type_name(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Text { .. } | FieldKind::LongText => "string",
        FieldKind::Slug => "slug",
        FieldKind::Choice(_) => "choice",
        FieldKind::Integer { .. } => "integer",
        FieldKind::Boolean => "boolean",
        FieldKind::IntegerList { .. } => "list",
        FieldKind::IpAddress | FieldKind::IpNetwork | FieldKind::IpInterface => "string",
        FieldKind::Json => "json",
        FieldKind::Decimal { .. } => "decimal",
        FieldKind::Date => "date",
        FieldKind::DateTime => "datetime",
        FieldKind::ForeignKey { .. } | FieldKind::ManyToMany { .. } => "field",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_positive_whole_numbers() {
        assert_eq!(object_id("12").ok(), Some(12));
        for bad in ["abc", "0", "-1", "1.5", "99999999999999999999"] {
            let error = object_id(bad)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(error.contains("is not an object id"), "{bad}: {error}");
        }
    }

    #[test]
    fn bulk_ids_are_required_and_distinct() {
        assert_eq!(
            ids_of(&[json!({"id": 1}), json!(2)], true).ok(),
            Some(vec![1, 2])
        );
        assert!(ids_of(&[json!(2)], false).is_err());
        assert!(ids_of(&[json!({"id": 1}), json!({"id": 1})], false).is_err());
        assert!(ids_of(&[json!({"name": "x"})], true).is_err());
    }
}

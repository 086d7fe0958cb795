//! The REST API of every model, NetBox-style: `GET` list with `{count, next, previous,
//! results}` (`?limit=&offset=`, `?q=`, field filters), `POST` create (201), and per object
//! `GET`, `PUT`, `PATCH`, `DELETE` (204). Invalid input is 400 with messages per field, an
//! unknown object 404, a conflicting delete 409; a failed write changes nothing.

use super::api_error::ApiError;
use super::objects::{ListParams, references, store};
use super::state::AppState;
use super::urls::absolute;
use crate::engine::clean::Mode;
use crate::engine::{MountedModel, Object};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpRequest, HttpResponse, web};
use netbox_framework::models::FieldKind;
use serde_json::{Map, Value, json};

/// Page size when `?limit=` is not given.
pub const DEFAULT_LIMIT: i64 = 50;

type ApiResult = Result<HttpResponse, ApiError>;

/// Mounts the API of `model` (called per worker).
pub fn scope(model: &MountedModel) -> actix_web::Scope {
    web::scope(model.api_base.trim_end_matches('/'))
        .app_data(web::Data::new(model.clone()))
        .route("/", web::get().to(list))
        .route("/", web::post().to(create))
        .route("/{id}/", web::get().to(retrieve))
        .route("/{id}/", web::put().to(change))
        .route("/{id}/", web::patch().to(change))
        .route("/{id}/", web::delete().to(destroy))
}

/// Renders objects as the API shows them: URLs, display names, choices with labels and
/// referenced objects nested.
async fn represent(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    objects: Vec<Object>,
) -> Result<Vec<Value>, ApiError> {
    let displays = references(request, state, model, &objects).await?;
    Ok(objects
        .into_iter()
        .map(|object| {
            let id = object.get("id").and_then(Value::as_i64).unwrap_or_default();
            let mut out = Map::new();
            out.insert("id".into(), Value::from(id));
            out.insert("url".into(), Value::String(absolute(request, &format!("{}{id}/", model.api_base))));
            out.insert("display".into(), object.get(model.schema.display_field).cloned().unwrap_or(Value::Null));
            for field in model.schema.fields {
                let value = object.get(field.name).cloned().unwrap_or(Value::Null);
                let shown = match field.kind {
                    FieldKind::Choice(choices) => {
                        let label = choices.iter().find(|(v, _)| Some(*v) == value.as_str()).map(|(_, l)| *l);
                        json!({ "value": value, "label": label })
                    }
                    FieldKind::ForeignKey { model: target } => match (value.as_i64(), state.models.get(target)) {
                        (Some(target_id), Some(target)) => json!({
                            "id": target_id,
                            "url": absolute(request, &format!("{}{target_id}/", target.api_base)),
                            "display": displays.get(field.name).and_then(|d| d.get(&target_id)),
                        }),
                        _ => Value::Null,
                    },
                    _ => value,
                };
                out.insert(field.name.to_string(), shown);
            }
            out.insert("created".into(), object.get("created").cloned().unwrap_or(Value::Null));
            out.insert("last_updated".into(), object.get("last_updated").cloned().unwrap_or(Value::Null));
            Value::Object(out)
        })
        .collect())
}

/// One object as the response, with `status`.
async fn one(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    object: Object,
    status: StatusCode,
) -> ApiResult {
    let mut shown = represent(request, state, model, vec![object]).await?;
    Ok(HttpResponse::build(status).json(shown.pop().unwrap_or(Value::Null)))
}

/// The request body as an object's fields.
fn fields(body: &Value) -> Result<&Map<String, Value>, ApiError> {
    body.as_object()
        .ok_or_else(|| ApiError::bad_request("Expected a JSON object with the object's fields."))
}

async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    params: ListParams,
) -> ApiResult {
    let query = params.query(DEFAULT_LIMIT);
    let (count, objects) = store(&request, &state, &model).list(&query).await?;
    let results = represent(&request, &state, &model, objects).await?;
    let (previous, next) = params.links(&request, query.limit, count, true);
    Ok(HttpResponse::Ok()
        .json(json!({ "count": count, "next": next, "previous": previous, "results": results })))
}

async fn retrieve(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    id: web::Path<i64>,
) -> ApiResult {
    let object = store(&request, &state, &model)
        .get(*id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    one(&request, &state, &model, object, StatusCode::OK).await
}

async fn create(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    body: web::Json<Value>,
) -> ApiResult {
    let created = store(&request, &state, &model)
        .create(fields(&body)?, true)
        .await?;
    one(&request, &state, &model, created, StatusCode::CREATED).await
}

/// `PUT` replaces (missing fields take their defaults), `PATCH` changes the given fields.
async fn change(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    id: web::Path<i64>,
    body: web::Json<Value>,
) -> ApiResult {
    let mode = if request.method() == Method::PATCH {
        Mode::Patch
    } else {
        Mode::Replace
    };
    let updated = store(&request, &state, &model)
        .update(*id, fields(&body)?, mode, true)
        .await?;
    one(&request, &state, &model, updated, StatusCode::OK).await
}

async fn destroy(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    id: web::Path<i64>,
) -> ApiResult {
    store(&request, &state, &model).delete(*id).await?;
    Ok(HttpResponse::NoContent().finish())
}

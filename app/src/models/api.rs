//! The REST API of every model, NetBox-style: `GET` list with `{count, next, previous,
//! results}` (`?limit=&offset=`, `?q=`, field filters), `POST` create (201), and per object
//! `GET`, `PUT`, `PATCH`, `DELETE` (204). Invalid input is 400 with messages per field, an
//! unknown object 404, a conflicting delete 409; a failed write changes nothing.

use super::clean::{FieldErrors, Mode};
use super::registry::MountedModel;
use super::store::{Actor, ListQuery, Object, Store, WriteError};
use crate::server::state::AppState;
use crate::server::urls::{absolute, with_query};
use actix_web::{HttpRequest, HttpResponse, web};
use netbox_framework::models::FieldKind;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// Page size when `?limit=` is not given, and the largest accepted.
pub const DEFAULT_LIMIT: i64 = 50;
/// The largest accepted `?limit=`.
pub const MAX_LIMIT: i64 = 1000;

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

fn detail(message: &str) -> Value {
    json!({ "detail": message })
}

/// The response for a failed write.
pub fn write_error(error: WriteError) -> HttpResponse {
    match error {
        WriteError::Invalid(errors) => HttpResponse::BadRequest().json(errors),
        WriteError::NotFound => HttpResponse::NotFound().json(detail("Not found.")),
        WriteError::Conflict(message) => HttpResponse::Conflict().json(detail(&message)),
        WriteError::Database(error) => {
            tracing::error!(%error, "database error in the API");
            HttpResponse::InternalServerError().json(detail(
                "The server failed to handle this request. The error was logged.",
            ))
        }
    }
}

fn unavailable() -> HttpResponse {
    HttpResponse::ServiceUnavailable().json(detail("The database is not connected."))
}

/// Renders objects as the API shows them: URLs, display names, choices with labels and
/// referenced objects nested.
async fn represent(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    objects: Vec<Object>,
) -> Result<Vec<Value>, WriteError> {
    let Some(db) = state.database.as_ref() else {
        return Ok(Vec::new());
    };
    let store = Store::new(db, &state.models, model);
    let mut displays: HashMap<&str, HashMap<i64, String>> = HashMap::new();
    for field in model.schema.fields {
        if let FieldKind::ForeignKey { model: target } = field.kind
            && let Some(target) = state.models.get(target)
        {
            let ids: Vec<i64> = objects
                .iter()
                .filter_map(|o| o.get(field.name).and_then(Value::as_i64))
                .collect();
            displays.insert(field.name, store.displays(target, &ids).await?);
        }
    }
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

/// Splits `?limit=&offset=&q=` from field filters; bad numbers are field errors.
pub fn list_query(
    pairs: &[(String, String)],
    default_limit: i64,
) -> Result<ListQuery, FieldErrors> {
    let mut query = ListQuery {
        limit: default_limit,
        ..Default::default()
    };
    let mut errors = FieldErrors::new();
    for (key, value) in pairs {
        match key.as_str() {
            "limit" => match value.parse::<i64>() {
                Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => query.limit = limit,
                _ => super::clean::add_error(
                    &mut errors,
                    "limit",
                    format!("Enter a whole number from 1 to {MAX_LIMIT}."),
                ),
            },
            "offset" => match value.parse::<i64>() {
                Ok(offset) if offset >= 0 => query.offset = offset,
                _ => super::clean::add_error(
                    &mut errors,
                    "offset",
                    "Enter a whole number of 0 or more.",
                ),
            },
            "q" => query.q = Some(value.clone()),
            "page" => {}
            _ => query.filters.push((key.clone(), value.clone())),
        }
    }
    if errors.is_empty() {
        Ok(query)
    } else {
        Err(errors)
    }
}

fn page_link(request: &HttpRequest, pairs: &[(String, String)], limit: i64, offset: i64) -> String {
    let set = [
        ("limit", Some(limit.to_string())),
        ("offset", Some(offset.to_string())),
    ];
    absolute(request, &with_query(request, pairs, &set))
}

async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    pairs: web::Query<Vec<(String, String)>>,
) -> HttpResponse {
    let Some(db) = &state.database.as_ref() else {
        return unavailable();
    };
    let query = match list_query(&pairs, DEFAULT_LIMIT) {
        Ok(query) => query,
        Err(errors) => return HttpResponse::BadRequest().json(errors),
    };
    let store = Store::new(db, &state.models, &model);
    let (count, objects) = match store.list(&query).await {
        Ok(found) => found,
        Err(error) => return write_error(error),
    };
    let results = match represent(&request, &state, &model, objects).await {
        Ok(results) => results,
        Err(error) => return write_error(error),
    };
    let next = (query.offset + query.limit < count)
        .then(|| page_link(&request, &pairs, query.limit, query.offset + query.limit));
    let previous = (query.offset > 0).then(|| {
        page_link(
            &request,
            &pairs,
            query.limit,
            (query.offset - query.limit).max(0),
        )
    });
    HttpResponse::Ok()
        .json(json!({ "count": count, "next": next, "previous": previous, "results": results }))
}

async fn one(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    object: Object,
    status: actix_web::http::StatusCode,
) -> HttpResponse {
    match represent(request, state, model, vec![object]).await {
        Ok(mut shown) => HttpResponse::build(status).json(shown.pop().unwrap_or(Value::Null)),
        Err(error) => write_error(error),
    }
}

fn not_an_object() -> HttpResponse {
    HttpResponse::BadRequest().json(detail("Expected a JSON object with the object's fields."))
}

async fn retrieve(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    id: web::Path<i64>,
) -> HttpResponse {
    let Some(db) = &state.database.as_ref() else {
        return unavailable();
    };
    match Store::new(db, &state.models, &model).get(*id).await {
        Ok(Some(object)) => {
            one(
                &request,
                &state,
                &model,
                object,
                actix_web::http::StatusCode::OK,
            )
            .await
        }
        Ok(None) => write_error(WriteError::NotFound),
        Err(error) => write_error(WriteError::Database(error)),
    }
}

async fn create(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    body: web::Json<Value>,
) -> HttpResponse {
    let Some(db) = &state.database.as_ref() else {
        return unavailable();
    };
    let Some(input) = &body.as_object() else {
        return not_an_object();
    };
    match Store::new(db, &state.models, &model)
        .by(Actor::of(&request))
        .create(input, true)
        .await
    {
        Ok(object) => {
            one(
                &request,
                &state,
                &model,
                object,
                actix_web::http::StatusCode::CREATED,
            )
            .await
        }
        Err(error) => write_error(error),
    }
}

async fn update(
    request: HttpRequest,
    state: &AppState,
    model: &MountedModel,
    id: i64,
    body: &Value,
    mode: Mode,
) -> HttpResponse {
    let Some(db) = state.database.as_ref() else {
        return unavailable();
    };
    let Some(input) = body.as_object() else {
        return not_an_object();
    };
    match Store::new(db, &state.models, model)
        .by(Actor::of(&request))
        .update(id, input, mode, true)
        .await
    {
        Ok(object) => {
            one(
                &request,
                state,
                model,
                object,
                actix_web::http::StatusCode::OK,
            )
            .await
        }
        Err(error) => write_error(error),
    }
}

/// `PUT` replaces (missing fields take their defaults), `PATCH` changes the given fields.
async fn change(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    id: web::Path<i64>,
    body: web::Json<Value>,
) -> HttpResponse {
    let mode = if request.method() == actix_web::http::Method::PATCH {
        Mode::Patch
    } else {
        Mode::Replace
    };
    update(request, &state, &model, *id, &body, mode).await
}

async fn destroy(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    id: web::Path<i64>,
) -> HttpResponse {
    let Some(db) = &state.database.as_ref() else {
        return unavailable();
    };
    match Store::new(db, &state.models, &model)
        .by(Actor::of(&request))
        .delete(*id)
        .await
    {
        Ok(_) => HttpResponse::NoContent().finish(),
        Err(error) => write_error(error),
    }
}

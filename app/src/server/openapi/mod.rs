//! The OpenAPI 3 document of the REST API at `/api/schema/` (JSON; YAML with
//! `?format=yaml`), generated from what the application serves: every model's schema
//! (fields, choices, references, filters with their lookups, bulk writes), the host's own
//! endpoints, and each enabled plugin's API routes.

mod model;

use super::api_error::ApiError;
use super::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use model::{model_paths, model_schemas};
use serde_json::{Map, Value, json};

/// The host's own endpoints: method, path, tag, summary.
const HOST_ENDPOINTS: &[(&str, &str, &str, &str)] = &[
    (
        "get",
        "/api/",
        "api",
        "The root of the API: each app's root",
    ),
    (
        "get",
        "/api/status/",
        "api",
        "Versions of the host and the enabled plugins",
    ),
    (
        "get",
        "/api/schema/",
        "api",
        "This document (`?format=yaml` for YAML)",
    ),
    (
        "get",
        "/api/plugins/",
        "plugins",
        "The API root of each plugin, by base URL",
    ),
    (
        "get",
        "/api/plugins/installed-plugins/",
        "plugins",
        "The installed plugins (superusers)",
    ),
    (
        "get",
        "/api/authentication-check/",
        "users",
        "The user the request authenticates as",
    ),
    (
        "get",
        "/api/users/tokens/",
        "users",
        "API tokens (your own, or all for superusers)",
    ),
    (
        "post",
        "/api/users/tokens/",
        "users",
        "Create an API token; its secret is shown once",
    ),
    (
        "post",
        "/api/users/tokens/provision/",
        "users",
        "Create a token with a user name and password",
    ),
    ("get", "/api/users/tokens/{id}/", "users", "One API token"),
    (
        "patch",
        "/api/users/tokens/{id}/",
        "users",
        "Change an API token",
    ),
    (
        "delete",
        "/api/users/tokens/{id}/",
        "users",
        "Delete an API token",
    ),
    ("get", "/api/users/users/", "users", "Users (superusers)"),
    (
        "post",
        "/api/users/users/",
        "users",
        "Create a user (superusers)",
    ),
    (
        "get",
        "/api/users/users/{id}/",
        "users",
        "One user (superusers)",
    ),
    (
        "patch",
        "/api/users/users/{id}/",
        "users",
        "Change a user (superusers)",
    ),
    (
        "delete",
        "/api/users/users/{id}/",
        "users",
        "Delete a user (superusers)",
    ),
    ("get", "/api/users/groups/", "users", "Groups (superusers)"),
    (
        "post",
        "/api/users/groups/",
        "users",
        "Create a group (superusers)",
    ),
    (
        "get",
        "/api/users/permissions/",
        "users",
        "Object permissions (superusers)",
    ),
    (
        "post",
        "/api/users/permissions/",
        "users",
        "Create an object permission (superusers)",
    ),
    (
        "get",
        "/api/users/permissions/{id}/",
        "users",
        "One object permission (superusers)",
    ),
    (
        "patch",
        "/api/users/permissions/{id}/",
        "users",
        "Change an object permission (superusers)",
    ),
    (
        "delete",
        "/api/users/permissions/{id}/",
        "users",
        "Delete an object permission (superusers)",
    ),
    ("get", "/api/core/object-changes/", "core", "The change log"),
];

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn json_body(schema: Value) -> Value {
    json!({ "content": { "application/json": { "schema": schema } } })
}

fn answer(description: &str, schema: Option<Value>) -> Value {
    match schema {
        Some(schema) => {
            let mut answer = json_body(schema);
            answer["description"] = json!(description);
            answer
        }
        None => json!({ "description": description }),
    }
}

/// The errors every operation may answer.
fn errors() -> Vec<(&'static str, Value)> {
    let error = Some(reference("Error"));
    vec![
        (
            "400",
            answer(
                "Invalid input: messages per field (per item for lists)",
                Some(json!({ "type": "object" })),
            ),
        ),
        ("403", answer("Not allowed", error.clone())),
        (
            "503",
            answer(
                "The database is busy: retry after `Retry-After` seconds",
                error,
            ),
        ),
    ]
}

fn operation(id: String, tag: &str, summary: String, mut responses: Vec<(&str, Value)>) -> Value {
    responses.extend(errors());
    let responses: Map<String, Value> = responses
        .into_iter()
        .map(|(code, body)| (code.to_string(), body))
        .collect();
    json!({ "operationId": id, "tags": [tag], "summary": summary, "responses": responses })
}

/// A route path as OpenAPI writes it (`{name:regex}` → `{name}`), and its parameters.
fn templated(path: &str) -> (String, Vec<Value>) {
    let mut out = String::with_capacity(path.len());
    let mut parameters = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let inner = &rest[open + 1..open + close];
        let name = inner.split(':').next().unwrap_or(inner);
        out.push_str(&format!("{{{name}}}"));
        parameters.push(
            json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }),
        );
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    (out, parameters)
}

/// Adds an endpoint described only by its method and path (host endpoints, plugin routes).
fn plain(
    paths: &mut Map<String, Value>,
    method: &str,
    path: &str,
    tag: &str,
    summary: &str,
    id: String,
) {
    let (path, parameters) = templated(path);
    let mut op = operation(
        id,
        tag,
        summary.to_string(),
        vec![("200", answer("Success", Some(json!({}))))],
    );
    if !parameters.is_empty() {
        op["parameters"] = json!(parameters);
    }
    if matches!(method, "post" | "put" | "patch") {
        op["requestBody"] = json_body(json!({ "type": "object" }));
    }
    let entry = paths.entry(path).or_insert_with(|| json!({}));
    entry[method] = op;
}

/// The whole document.
pub fn document(state: &AppState) -> Value {
    let mut schemas = Map::new();
    schemas.insert(
        "Error".into(),
        json!({ "type": "object", "properties": { "detail": { "type": "string" } } }),
    );
    let mut paths = Map::new();
    for (method, path, tag, summary) in HOST_ENDPOINTS {
        let id = format!("{method}{}", path.replace(['/', '-', '{', '}'], "_"));
        plain(
            &mut paths,
            method,
            path,
            tag,
            summary,
            id.trim_end_matches('_').to_string(),
        );
    }
    for model in state.models.all() {
        model_schemas(model, &state.models, &mut schemas);
        model_paths(model, &state.models, &mut paths);
    }
    for contribution in state.contributions.plugins() {
        let name = contribution.metadata().name;
        for route in &contribution.api {
            let method = route.method.to_lowercase();
            let id = format!(
                "{name}_{}_{method}",
                route.name.replace([':', '-', '.'], "_")
            );
            plain(
                &mut paths,
                &method,
                &route.path,
                name,
                &format!("{} (plugin {name})", route.name),
                id,
            );
        }
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "NetBox REST API",
            "version": netbox_framework::HOST_VERSION,
            "description": "The REST API of this NetBox application: core objects, users and tokens, and the enabled plugins' endpoints.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "token": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "`Token <40 hex>` (v1) or `Bearer nbt_<key>.<secret>` (v2)",
                },
            },
        },
        "security": [{ "token": [] }],
    })
}

#[derive(askama::Template)]
#[template(path = "api_docs.html")]
struct DocsTemplate;

/// `GET /api-docs/`: the API browser (a page whose script reads the document and sends
/// requests as the signed-in user).
pub async fn docs() -> Result<netbox_framework::page::Page, actix_web::Error> {
    netbox_framework::page::Page::from_template("REST API", &DocsTemplate)
}

/// `GET /api/schema/`: the document as JSON, or YAML with `?format=yaml`.
pub async fn schema(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let document = document(&state);
    let format =
        web::Query::<std::collections::HashMap<String, String>>::from_query(request.query_string())
            .ok()
            .and_then(|query| query.get("format").cloned());
    match format.as_deref() {
        None | Some("json") => Ok(HttpResponse::Ok()
            .content_type("application/vnd.oai.openapi+json")
            .json(document)),
        Some("yaml") => {
            let text = serde_yaml_ng::to_string(&document).map_err(ApiError::internal)?;
            Ok(HttpResponse::Ok()
                .content_type("application/vnd.oai.openapi; charset=utf-8")
                .body(text))
        }
        Some(other) => Err(ApiError::bad_request(format!(
            "`format`: “{other}” is not json or yaml."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_patterns_become_openapi_templates() {
        let (path, parameters) = templated("/api/plugins/x/files/{name}/{rest:.*}");
        assert_eq!(path, "/api/plugins/x/files/{name}/{rest}");
        assert_eq!(parameters.len(), 2);
        assert_eq!(model::schema_name(crate::builtin::dcim::SITE), "DcimSite");
    }
}

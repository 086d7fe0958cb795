//! The change log's REST endpoint and pages.

use super::state::AppState;
use super::urls;
use crate::changelog::{self, ChangeQuery, ObjectChange};
use crate::models::MountedModel;
use crate::models::views::TabLink;
use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use netbox_framework::page::Page;
use serde_json::json;

const PAGE: i64 = 50;

pub fn configure(config: &mut web::ServiceConfig) {
    config
        .route("/api/core/object-changes/", web::get().to(api_list))
        .route("/core/changelog/", web::get().to(page));
}

type Pairs = web::Query<Vec<(String, String)>>;

/// Reads the filters; a wrong number is a message naming the parameter.
fn query(pairs: &[(String, String)]) -> Result<ChangeQuery, String> {
    let mut query = ChangeQuery {
        limit: PAGE,
        ..Default::default()
    };
    let number = |key: &str, value: &str| {
        value
            .parse::<i64>()
            .map_err(|_| format!("`{key}` must be a whole number, not `{value}`"))
    };
    for (key, value) in pairs {
        match key.as_str() {
            "object_type" => query.object_type = Some(value.clone()),
            "object_id" => query.object_id = Some(number(key, value)?),
            "action" => query.action = Some(value.clone()),
            "request_id" => query.request_id = Some(value.clone()),
            "limit" => query.limit = number(key, value)?.clamp(1, 1000),
            "offset" => query.offset = number(key, value)?.max(0),
            _ => {
                return Err(format!(
                    "unknown filter `{key}`: use object_type, object_id, action, request_id, limit, offset"
                ));
            }
        }
    }
    Ok(query)
}

fn link(request: &HttpRequest, pairs: &[(String, String)], offset: i64, absolute: bool) -> String {
    let path = urls::with_query(request, pairs, &[("offset", Some(offset.to_string()))]);
    if absolute {
        urls::absolute(request, &path)
    } else {
        path
    }
}

async fn api_list(request: HttpRequest, state: web::Data<AppState>, pairs: Pairs) -> HttpResponse {
    let Some(database) = state.database.as_ref() else {
        return HttpResponse::ServiceUnavailable()
            .json(json!({"detail": "The database is not connected."}));
    };
    let query = match query(&pairs) {
        Ok(query) => query,
        Err(message) => return HttpResponse::BadRequest().json(json!({"detail": message})),
    };
    match changelog::list(database, &query).await {
        Ok((count, results)) => HttpResponse::Ok().json(json!({
            "count": count,
            "next": (query.offset + query.limit < count).then(|| link(&request, &pairs, query.offset + query.limit, true)),
            "previous": (query.offset > 0).then(|| link(&request, &pairs, (query.offset - query.limit).max(0), true)),
            "results": results,
        })),
        Err(error) => {
            tracing::error!(%error, "change log query failed");
            HttpResponse::InternalServerError().json(json!({"detail": "The server failed to handle this request. The error was logged."}))
        }
    }
}

struct Row {
    time: String,
    user_name: String,
    action: String,
    object_type: String,
    object_repr: String,
    request_id: String,
    link: Option<String>,
    before: String,
    after: String,
}

#[derive(Template)]
#[template(path = "changelog.html")]
struct ChangelogTemplate {
    tabs: Option<Vec<TabLink>>,
    changes: Vec<Row>,
    count: i64,
    previous: Option<String>,
    next: Option<String>,
}

fn rows(state: &AppState, changes: Vec<ObjectChange>) -> Vec<Row> {
    changes
        .into_iter()
        .map(|change| Row {
            link: (change.action != "delete")
                .then(|| {
                    state
                        .models
                        .get(&change.object_type)
                        .map(|m| format!("{}{}/", m.ui_base, change.object_id))
                })
                .flatten(),
            before: serde_json::to_string_pretty(&change.prechange_data).unwrap_or_default(),
            after: serde_json::to_string_pretty(&change.postchange_data).unwrap_or_default(),
            time: change.time,
            user_name: change.user_name,
            action: change.action,
            object_type: change.object_type,
            object_repr: change.object_repr,
            request_id: change.request_id,
        })
        .collect()
}

async fn render(
    request: &HttpRequest,
    state: &AppState,
    pairs: &[(String, String)],
    query: ChangeQuery,
    tabs: Option<Vec<TabLink>>,
) -> Result<(ChangelogTemplate, i64), actix_web::Error> {
    let database = state.database.as_ref().ok_or_else(|| {
        actix_web::error::ErrorServiceUnavailable("The database is not connected.")
    })?;
    let (count, changes) = changelog::list(database, &query)
        .await
        .map_err(actix_web::error::ErrorInternalServerError)?;
    let template = ChangelogTemplate {
        tabs,
        changes: rows(state, changes),
        count,
        previous: (query.offset > 0)
            .then(|| link(request, pairs, (query.offset - query.limit).max(0), false)),
        next: (query.offset + query.limit < count)
            .then(|| link(request, pairs, query.offset + query.limit, false)),
    };
    Ok((template, count))
}

async fn page(
    request: HttpRequest,
    state: web::Data<AppState>,
    pairs: Pairs,
) -> Result<HttpResponse, actix_web::Error> {
    let query = query(&pairs).map_err(actix_web::error::ErrorBadRequest)?;
    let (template, _) = render(&request, &state, &pairs, query, None).await?;
    Ok(Page::from_template("Change log", &template)?
        .breadcrumb("Change log", None)
        .respond_to(&request))
}

/// The "Changelog" tab of an object.
pub async fn object_tab(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    id: web::Path<i64>,
    pairs: Pairs,
) -> Result<HttpResponse, actix_web::Error> {
    let mut query = query(&pairs).map_err(actix_web::error::ErrorBadRequest)?;
    query.object_type = Some(model.schema.key());
    query.object_id = Some(*id);
    let tabs = crate::models::views::tabs(&state, &model, *id, Some("changelog")).await?;
    let title = format!("{} {}: change log", model.schema.verbose_name, *id);
    let (template, _) = render(&request, &state, &pairs, query, Some(tabs)).await?;
    Ok(Page::from_template(title, &template)?
        .model(model.schema.key())
        .breadcrumb(model.schema.verbose_name_plural, Some(&model.ui_base))
        .breadcrumb(
            format!("#{}", *id),
            Some(&format!("{}{}/", model.ui_base, *id)),
        )
        .respond_to(&request))
}

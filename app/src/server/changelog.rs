//! The change log's REST endpoint (`/api/core/object-changes/`), its page (`/core/changelog/`)
//! and the "Changelog" tab of every object.

use super::api_error::ApiError;
use super::object_tabs::{TabLink, tabs};
use super::objects::ListParams;
use super::pagination::PARAMETERS;
use super::state::AppState;
use crate::engine::MountedModel;
use crate::engine::access::Allowed;
use crate::engine::changelog::{self, ChangeQuery, ObjectChange};
use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use netbox_framework::page::Page;
use serde_json::json;

/// The permission to read the whole change log (NetBox's).
pub const VIEW_CHANGES: &str = "core.view_objectchange";

fn change_viewers(route: actix_web::Route) -> actix_web::Route {
    let access = netbox_framework::auth::Access::Permissions(vec![VIEW_CHANGES.to_string()]);
    netbox_framework::__host::guarded(route, access)
}

pub fn configure(config: &mut super::routing::HostRoutes) {
    config
        .route(
            "/api/core/object-changes/",
            change_viewers(web::get().to(api_list)),
        )
        .route("/core/changelog/", change_viewers(web::get().to(page)));
}

/// Reads the filters and the page; a wrong filter is a message naming the parameter.
fn query(params: &ListParams) -> Result<ChangeQuery, ApiError> {
    let mut query = ChangeQuery {
        limit: params.limit(),
        offset: params.pagination.offset,
        ..Default::default()
    };
    for (key, value) in &params.pairs {
        match key.as_str() {
            "object_type" => query.object_type = Some(value.clone()),
            "object_id" => {
                query.object_id = Some(value.parse::<i64>().map_err(|_| {
                    ApiError::bad_request(format!("`{key}` must be a whole number, not `{value}`"))
                })?)
            }
            "action" => query.action = Some(value.clone()),
            "request_id" => query.request_id = Some(value.clone()),
            "start" => {
                return Err(ApiError::bad_request(
                    "`start`: the change log is paged with limit and offset.",
                ));
            }
            key if PARAMETERS.contains(&key) => {}
            _ => {
                return Err(ApiError::bad_request(format!(
                    "unknown filter `{key}`: use object_type, object_id, action, request_id, limit, offset"
                )));
            }
        }
    }
    Ok(query)
}

/// The reader's restriction of the global change log (their `core.objectchange` constraints).
fn readable(request: &HttpRequest) -> Option<sea_query::Cond> {
    let actor = super::actor::RequestActor::of(request);
    Allowed::of(&actor, &changelog::OBJECT_CHANGE, "view")
        .condition()
        // The route already requires the permission: nothing allowed cannot reach here.
        .unwrap_or_else(|_| Some(sea_query::Cond::all().add(sea_query::Expr::cust("1 = 0"))))
}

async fn api_list(
    request: HttpRequest,
    state: web::Data<AppState>,
    params: ListParams,
) -> Result<HttpResponse, ApiError> {
    let mut query = query(&params)?;
    query.allowed = readable(&request);
    let (count, results) = changelog::list(&state.database, &query).await?;
    let (previous, next) = params.links(&request, query.limit, count, true);
    Ok(HttpResponse::Ok().json(json!({
        "count": count,
        "next": next,
        "previous": previous,
        "results": results,
    })))
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

/// The page of changes `query` selects, with `tabs` above it when it is an object's tab.
async fn render(
    request: &HttpRequest,
    state: &AppState,
    params: &ListParams,
    query: ChangeQuery,
    tabs: Option<Vec<TabLink>>,
) -> Result<ChangelogTemplate, actix_web::Error> {
    let (count, changes) = changelog::list(&state.database, &query)
        .await
        .map_err(super::objects::server_error)?;
    let (previous, next) = params.links(request, query.limit, count, false);
    Ok(ChangelogTemplate {
        tabs,
        changes: rows(state, changes),
        count,
        previous,
        next,
    })
}

async fn page(
    request: HttpRequest,
    state: web::Data<AppState>,
    params: ListParams,
) -> Result<HttpResponse, actix_web::Error> {
    let mut query = query(&params)?;
    query.allowed = readable(&request);
    let template = render(&request, &state, &params, query, None).await?;
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
    params: ListParams,
) -> Result<HttpResponse, actix_web::Error> {
    // An object's history is as private as the object: it must be visible to the user, or
    // (for deleted objects) the user must be allowed the whole change log.
    let object = super::objects::load(&request, &state, &model, *id).await?;
    let visible = object.is_some();
    if !visible && !netbox_framework::auth::CurrentUser::of(&request).has_perm(VIEW_CHANGES) {
        return Ok(super::objects::not_found(&request, &model, *id));
    }
    let mut query = query(&params)?;
    query.object_type = Some(model.schema.key());
    query.object_id = Some(*id);
    let tabs = tabs(
        &request,
        &state,
        &model,
        *id,
        object.as_ref(),
        Some("changelog"),
    )
    .await?;
    let title = format!("{} {}: change log", model.schema.verbose_name, *id);
    let template = render(&request, &state, &params, query, Some(tabs)).await?;
    Ok(Page::from_template(title, &template)?
        .model(model.schema.key())
        .breadcrumb(model.schema.verbose_name_plural, Some(&model.ui_base))
        .breadcrumb(
            format!("#{}", *id),
            Some(&format!("{}{}/", model.ui_base, *id)),
        )
        .respond_to(&request))
}

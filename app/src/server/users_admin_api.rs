//! The superuser's API for accounts: `/api/users/users/`, `/api/users/groups/` and
//! `/api/users/permissions/` (list, create, read, delete; users also change), shaped like
//! NetBox's; and `/api/authentication-check/`, which echoes the signed-in user.

use super::api_error::ApiError;
use super::pages::superuser;
use super::state::AppState;
use super::urls::absolute;
use crate::auth::User;
use crate::auth::groups::{self, Group};
use crate::auth::records::{self, NewPermission, Permission};
use crate::auth::users::{self, NewUser, UserChanges};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::{Value, json};

type ApiResult = Result<HttpResponse, ApiError>;

/// Registers the endpoints (all but the authentication check for superusers only).
pub fn configure(config: &mut super::routing::HostRoutes) {
    config
        .route(
            "/api/authentication-check/",
            web::get().to(authentication_check),
        )
        .route("/api/users/users/", superuser(web::get().to(user_list)))
        .route("/api/users/users/", superuser(web::post().to(user_create)))
        .route(
            "/api/users/users/{id}/",
            superuser(web::get().to(user_detail)),
        )
        .route(
            "/api/users/users/{id}/",
            superuser(web::patch().to(user_change)),
        )
        .route(
            "/api/users/users/{id}/",
            superuser(web::delete().to(user_delete)),
        )
        .route("/api/users/groups/", superuser(web::get().to(group_list)))
        .route(
            "/api/users/groups/",
            superuser(web::post().to(group_create)),
        )
        .route(
            "/api/users/groups/{id}/",
            superuser(web::get().to(group_detail)),
        )
        .route(
            "/api/users/groups/{id}/",
            superuser(web::patch().to(group_change)),
        )
        .route(
            "/api/users/groups/{id}/",
            superuser(web::delete().to(group_delete)),
        )
        .route(
            "/api/users/permissions/",
            superuser(web::get().to(permission_list)),
        )
        .route(
            "/api/users/permissions/",
            superuser(web::post().to(permission_create)),
        )
        .route(
            "/api/users/permissions/{id}/",
            superuser(web::get().to(permission_detail)),
        )
        .route(
            "/api/users/permissions/{id}/",
            superuser(web::patch().to(permission_change)),
        )
        .route(
            "/api/users/permissions/{id}/",
            superuser(web::delete().to(permission_delete)),
        );
}

/// 204 when something was deleted, else 404.
fn deleted(found: bool) -> ApiResult {
    if found {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::not_found())
    }
}

async fn one_group(state: &AppState, id: i64) -> Result<Group, ApiError> {
    groups::list(&state.database, Some(id))
        .await?
        .pop()
        .ok_or_else(ApiError::not_found)
}

async fn one_permission(state: &AppState, id: i64) -> Result<Permission, ApiError> {
    records::list(&state.database, Some(id))
        .await?
        .pop()
        .ok_or_else(ApiError::not_found)
}

fn parse<T: serde::de::DeserializeOwned>(body: Value) -> Result<T, ApiError> {
    super::api_error::parse_object(body, &["constraints"])
}

fn id_of(text: &str) -> Result<i64, ApiError> {
    text.parse().map_err(|_| ApiError::not_found())
}

fn page(results: Vec<Value>) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "count": results.len(), "next": null, "previous": null, "results": results,
    }))
}

fn user_json(request: &HttpRequest, user: &User, groups: &[i64]) -> Value {
    json!({
        "id": user.id,
        "url": absolute(request, &format!("/api/users/users/{}/", user.id)),
        "display": user.username,
        "username": user.username,
        "email": user.email,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "groups": groups,
    })
}

async fn authentication_check(request: HttpRequest) -> ApiResult {
    match super::security::context::signed_in(&request) {
        Some(user) => Ok(HttpResponse::Ok().json(user_json(&request, &user, &[]))),
        None => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "Authentication credentials were not provided.",
        )),
    }
}

/// Each user's groups.
async fn memberships(state: &AppState) -> Result<Vec<Group>, ApiError> {
    Ok(groups::list(&state.database, None).await?)
}

fn groups_of(all: &[Group], user: i64) -> Vec<i64> {
    all.iter()
        .filter(|group| group.members.contains(&user))
        .map(|group| group.id)
        .collect()
}

async fn user_list(request: HttpRequest, state: web::Data<AppState>) -> ApiResult {
    super::api_error::no_parameters(&request)?;
    let all = memberships(&state).await?;
    let found = users::list(&state.database).await?;
    Ok(page(
        found
            .iter()
            .map(|user| user_json(&request, user, &groups_of(&all, user.id)))
            .collect(),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UserInput {
    username: Option<String>,
    password: Option<String>,
    email: Option<String>,
    is_active: Option<bool>,
    is_superuser: Option<bool>,
    groups: Option<Vec<i64>>,
}

async fn set_groups(state: &AppState, user: i64, wanted: &[i64]) -> Result<(), ApiError> {
    let all = memberships(state).await?;
    for group in wanted {
        if !all.iter().any(|g| g.id == *group) {
            return Err(ApiError::bad_request(format!(
                "groups: there is no group {group}."
            )));
        }
        if !groups_of(&all, user).contains(group) {
            groups::add_member(&state.database, *group, user).await?;
        }
    }
    for group in groups_of(&all, user) {
        if !wanted.contains(&group) {
            groups::remove_member(&state.database, group, user).await?;
        }
    }
    Ok(())
}

async fn user_create(
    request: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<Value>,
) -> ApiResult {
    let input: UserInput = parse(body.into_inner())?;
    let new = NewUser {
        username: input.username.as_deref().unwrap_or_default(),
        email: input.email.as_deref().unwrap_or_default(),
        password: input.password.as_deref().unwrap_or_default(),
        is_superuser: input.is_superuser.unwrap_or(false),
    };
    let user = users::create(&state.database, &new).await?;
    if input.is_active == Some(false) {
        let changes = UserChanges {
            is_active: Some(false),
            ..UserChanges::default()
        };
        users::update(&state.database, user.id, &changes).await?;
    }
    let wanted = input.groups.unwrap_or_default();
    set_groups(&state, user.id, &wanted).await?;
    let user = users::get(&state.database, user.id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Created().json(user_json(&request, &user, &wanted)))
}

async fn user_detail(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> ApiResult {
    let user = users::get(&state.database, id_of(&id)?)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let all = memberships(&state).await?;
    Ok(HttpResponse::Ok().json(user_json(&request, &user, &groups_of(&all, user.id))))
}

async fn user_change(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<Value>,
) -> ApiResult {
    let id = id_of(&id)?;
    let input: UserInput = parse(body.into_inner())?;
    if input.username.is_some() {
        return Err(ApiError::bad_request(
            "username: a user name cannot be changed.",
        ));
    }
    let changes = UserChanges {
        email: input.email,
        password: input.password,
        is_active: input.is_active,
        is_superuser: input.is_superuser,
    };
    let user = users::update(&state.database, id, &changes).await?;
    if let Some(wanted) = &input.groups {
        set_groups(&state, id, wanted).await?;
    }
    let all = memberships(&state).await?;
    Ok(HttpResponse::Ok().json(user_json(&request, &user, &groups_of(&all, id))))
}

async fn user_delete(state: web::Data<AppState>, id: web::Path<String>) -> ApiResult {
    deleted(users::delete(&state.database, id_of(&id)?).await?)
}

fn group_json(request: &HttpRequest, group: &Group) -> Value {
    json!({
        "id": group.id,
        "url": absolute(request, &format!("/api/users/groups/{}/", group.id)),
        "display": group.name,
        "name": group.name,
        "description": group.description,
        "user_count": group.members.len(),
        "users": group.members,
    })
}

async fn group_list(request: HttpRequest, state: web::Data<AppState>) -> ApiResult {
    super::api_error::no_parameters(&request)?;
    let found = groups::list(&state.database, None).await?;
    Ok(page(
        found
            .iter()
            .map(|group| group_json(&request, group))
            .collect(),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupInput {
    name: String,
    #[serde(default)]
    description: String,
}

async fn group_create(
    request: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<Value>,
) -> ApiResult {
    let input: GroupInput = parse(body.into_inner())?;
    let id = groups::create_group(&state.database, &input.name, &input.description).await?;
    let group = one_group(&state, id).await?;
    Ok(HttpResponse::Created().json(group_json(&request, &group)))
}

async fn group_detail(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> ApiResult {
    let group = one_group(&state, id_of(&id)?).await?;
    Ok(HttpResponse::Ok().json(group_json(&request, &group)))
}

async fn group_delete(state: web::Data<AppState>, id: web::Path<String>) -> ApiResult {
    deleted(groups::delete(&state.database, id_of(&id)?).await?)
}

fn permission_json(request: &HttpRequest, permission: &Permission) -> Value {
    json!({
        "id": permission.id,
        "url": absolute(request, &format!("/api/users/permissions/{}/", permission.id)),
        "display": permission.spec.name,
        "name": permission.spec.name,
        "description": permission.spec.description,
        "enabled": permission.enabled,
        "object_types": permission.spec.object_types,
        "actions": permission.spec.actions,
        "constraints": permission.spec.constraints,
        "users": permission.spec.users,
        "groups": permission.spec.groups,
    })
}

async fn permission_list(request: HttpRequest, state: web::Data<AppState>) -> ApiResult {
    super::api_error::no_parameters(&request)?;
    let found = records::list(&state.database, None).await?;
    Ok(page(
        found.iter().map(|p| permission_json(&request, p)).collect(),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PermissionInput {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    enabled: Option<bool>,
    object_types: Vec<String>,
    actions: Vec<String>,
    #[serde(default)]
    constraints: Option<Value>,
    #[serde(default)]
    users: Vec<i64>,
    #[serde(default)]
    groups: Vec<i64>,
}

async fn permission_create(
    request: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<Value>,
) -> ApiResult {
    let input: PermissionInput = parse(body.into_inner())?;
    let new = NewPermission {
        name: input.name,
        description: input.description,
        object_types: input.object_types,
        actions: input.actions,
        constraints: input.constraints,
        users: input.users,
        groups: input.groups,
    };
    let id = records::create(
        &state.database,
        &new,
        input.enabled.unwrap_or(true),
        &state.models,
    )
    .await?;
    let permission = one_permission(&state, id).await?;
    Ok(HttpResponse::Created().json(permission_json(&request, &permission)))
}

async fn permission_detail(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> ApiResult {
    let permission = one_permission(&state, id_of(&id)?).await?;
    Ok(HttpResponse::Ok().json(permission_json(&request, &permission)))
}

async fn permission_delete(state: web::Data<AppState>, id: web::Path<String>) -> ApiResult {
    deleted(records::delete(&state.database, id_of(&id)?).await?)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupPatch {
    name: Option<String>,
    description: Option<String>,
    users: Option<Vec<i64>>,
}

async fn group_change(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<Value>,
) -> ApiResult {
    let id = id_of(&id)?;
    let patch: GroupPatch = parse(body.into_inner())?;
    let group = one_group(&state, id).await?;
    let name = patch.name.unwrap_or(group.name);
    let description = patch.description.unwrap_or(group.description);
    groups::update(
        &state.database,
        id,
        &name,
        &description,
        patch.users.as_deref(),
    )
    .await?;
    group_detail(request, state, web::Path::from(id.to_string())).await
}

/// What may change of a permission (every field of it).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PermissionPatch {
    name: Option<String>,
    description: Option<String>,
    enabled: Option<bool>,
    object_types: Option<Vec<String>>,
    actions: Option<Vec<String>>,
    /// A new value, or `null` for all objects.
    #[serde(default)]
    constraints: Option<Value>,
    users: Option<Vec<i64>>,
    groups: Option<Vec<i64>>,
}

async fn permission_change(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<Value>,
) -> ApiResult {
    let id = id_of(&id)?;
    let body = body.into_inner();
    let constraints_given = body.get("constraints").is_some();
    let patch: PermissionPatch = parse(body)?;
    let current = one_permission(&state, id).await?;
    let old = current.spec;
    let spec = NewPermission {
        name: patch.name.unwrap_or(old.name),
        description: patch.description.unwrap_or(old.description),
        object_types: patch.object_types.unwrap_or(old.object_types),
        actions: patch.actions.unwrap_or(old.actions),
        constraints: if constraints_given {
            patch.constraints.filter(|value| !value.is_null())
        } else {
            old.constraints
        },
        users: patch.users.unwrap_or(old.users),
        groups: patch.groups.unwrap_or(old.groups),
    };
    let enabled = patch.enabled.unwrap_or(current.enabled);
    records::update(&state.database, id, &spec, enabled, &state.models).await?;
    permission_detail(request, state, web::Path::from(id.to_string())).await
}

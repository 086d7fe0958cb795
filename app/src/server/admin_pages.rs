//! Account pages: "My API tokens" (`/user/api-tokens/`, every signed-in user) and the
//! superuser's `/users/users/`, `/users/groups/`, `/users/permissions/` and `/users/tokens/`:
//! a table, a delete button per row and a form to add one, each form CSRF-protected.

use super::pages::superuser;
use super::security::csrf_input;
use super::state::AppState;
use crate::auth::groups;
use crate::auth::records::{self, NewPermission};
use crate::auth::tokens::{self, NewToken};
use crate::auth::users::{self, NewUser};
use crate::auth::{AuthError, Identity, User};
use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use ipnet::IpNet;
use netbox_framework::auth::Denied;
use netbox_framework::page::Page;
use std::sync::Arc;

type PageResult = Result<HttpResponse, actix_web::Error>;
/// A submitted form: every `(name, value)`, repeated names for multiple choices.
type Fields = web::Form<Vec<(String, String)>>;

/// Registers the pages.
pub fn configure(config: &mut web::ServiceConfig) {
    config
        .route("/user/api-tokens/", web::get().to(my_tokens))
        .route("/user/api-tokens/", web::post().to(my_token_create))
        .route(
            "/user/api-tokens/{id}/delete/",
            web::post().to(my_token_delete),
        )
        .route("/users/tokens/", superuser(web::get().to(all_tokens)))
        .route(
            "/users/tokens/{id}/delete/",
            superuser(web::post().to(any_token_delete)),
        )
        .route("/users/users/", superuser(web::get().to(user_page)))
        .route("/users/users/", superuser(web::post().to(user_create)))
        .route(
            "/users/users/{id}/delete/",
            superuser(web::post().to(user_delete)),
        )
        .route("/users/groups/", superuser(web::get().to(group_page)))
        .route("/users/groups/", superuser(web::post().to(group_create)))
        .route(
            "/users/groups/{id}/delete/",
            superuser(web::post().to(group_delete)),
        )
        .route(
            "/users/permissions/",
            superuser(web::get().to(permission_page)),
        )
        .route(
            "/users/permissions/",
            superuser(web::post().to(permission_create)),
        )
        .route(
            "/users/permissions/{id}/delete/",
            superuser(web::post().to(permission_delete)),
        );
}

/// A form input.
enum Input {
    Text(usize),
    Password,
    Area,
    Check(bool),
    Many(Vec<(String, String)>),
}

struct FormField {
    name: &'static str,
    label: &'static str,
    input: Input,
    help: &'static str,
}

fn field(name: &'static str, label: &'static str, input: Input, help: &'static str) -> FormField {
    FormField {
        name,
        label,
        input,
        help,
    }
}

struct Notice {
    kind: &'static str,
    text: String,
    secret: Option<String>,
}

struct AdminRow {
    id: i64,
    cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin_list.html")]
struct AdminTemplate {
    notice: Option<Notice>,
    id: &'static str,
    headers: Vec<&'static str>,
    rows: Vec<AdminRow>,
    delete_base: &'static str,
    csrf: String,
    form_title: &'static str,
    form_action: &'static str,
    fields: Vec<FormField>,
    submit: &'static str,
}

/// One admin page: its table and its form.
struct AdminPage {
    title: &'static str,
    template: AdminTemplate,
}

impl AdminPage {
    fn respond(self, request: &HttpRequest, status: StatusCode) -> PageResult {
        Ok(Page::from_template(self.title, &self.template)?
            .status(status)
            .respond_to(request)
            .map_into_boxed_body())
    }
}

fn signed_in(request: &HttpRequest) -> Result<Arc<User>, actix_web::Error> {
    request
        .extensions()
        .get::<Identity>()
        .and_then(|identity| identity.user.clone())
        .ok_or_else(|| Denied::SignInRequired.into())
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location.to_string()))
        .finish()
}

fn unavailable(error: impl std::fmt::Display) -> actix_web::Error {
    tracing::error!(%error, "account page failed");
    actix_web::error::ErrorServiceUnavailable("The database is unavailable; try again shortly.")
}

/// The submitted values of `name`.
fn values<'a>(fields: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> {
    fields
        .iter()
        .filter(move |(key, _)| key == name)
        .map(|(_, value)| value.trim())
}

fn value<'a>(fields: &'a [(String, String)], name: &'a str) -> &'a str {
    values(fields, name).next().unwrap_or_default()
}

fn checked(fields: &[(String, String)], name: &str) -> bool {
    value(fields, name) == "true"
}

fn ids(fields: &[(String, String)], name: &str) -> Vec<i64> {
    values(fields, name)
        .filter_map(|v| v.parse().ok())
        .collect()
}

fn error(text: String) -> Option<Notice> {
    Some(Notice {
        kind: "error",
        text,
        secret: None,
    })
}

fn or_dash(value: Option<&str>) -> String {
    value.map_or_else(|| "—".to_string(), str::to_string)
}

// --- tokens ---

async fn token_page(
    request: &HttpRequest,
    state: &AppState,
    owner: Option<i64>,
    notice: Option<Notice>,
) -> Result<AdminPage, actix_web::Error> {
    let found = tokens::list(&state.database, owner)
        .await
        .map_err(unavailable)?;
    let names: std::collections::HashMap<i64, String> = users::list(&state.database)
        .await
        .map_err(unavailable)?
        .into_iter()
        .map(|user| (user.id, user.username))
        .collect();
    let rows = found
        .iter()
        .map(|token| AdminRow {
            id: token.id,
            cells: vec![
                token.key.as_ref().map_or_else(
                    || format!("v1 token {}", token.id),
                    |key| format!("nbt_{key}…"),
                ),
                names.get(&token.user_id).cloned().unwrap_or_default(),
                token.description.clone(),
                if token.write_enabled {
                    "read and write"
                } else {
                    "read only"
                }
                .to_string(),
                or_dash(token.expires.as_deref()),
                or_dash(token.last_used.as_deref()),
                token
                    .allowed_ips
                    .iter()
                    .map(IpNet::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            ],
        })
        .collect();
    let mine = owner.is_some();
    let fields = vec![
        field(
            "description",
            "Description",
            Input::Text(tokens::DESCRIPTION_MAX),
            "",
        ),
        field(
            "write_enabled",
            "Write enabled",
            Input::Check(true),
            "Unchecked: the token can only read.",
        ),
        field(
            "expires",
            "Expires",
            Input::Text(40),
            "Optional, e.g. 2027-01-31T12:00:00Z.",
        ),
        field(
            "allowed_ips",
            "Allowed networks",
            Input::Text(2000),
            "Optional, comma-separated, e.g. 192.0.2.0/24, 2001:db8::/32.",
        ),
    ];
    Ok(AdminPage {
        title: if mine { "My API tokens" } else { "API tokens" },
        template: AdminTemplate {
            notice,
            id: "tokens",
            headers: vec![
                "Token",
                "User",
                "Description",
                "Access",
                "Expires",
                "Last used",
                "Allowed networks",
            ],
            rows,
            delete_base: if mine {
                "/user/api-tokens/"
            } else {
                "/users/tokens/"
            },
            csrf: csrf_input(request),
            form_title: if mine {
                "New token"
            } else {
                "New token (for yourself)"
            },
            form_action: "/user/api-tokens/",
            fields,
            submit: "Create token",
        },
    })
}

async fn my_tokens(request: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let user = signed_in(&request)?;
    token_page(&request, &state, Some(user.id), None)
        .await?
        .respond(&request, StatusCode::OK)
}

async fn all_tokens(request: HttpRequest, state: web::Data<AppState>) -> PageResult {
    token_page(&request, &state, None, None)
        .await?
        .respond(&request, StatusCode::OK)
}

async fn my_token_create(
    request: HttpRequest,
    state: web::Data<AppState>,
    form: Fields,
) -> PageResult {
    let user = signed_in(&request)?;
    let fields = form.into_inner();
    let expires = match value(&fields, "expires") {
        "" => Ok(None),
        text => humantime::parse_rfc3339_weak(text).map(Some).map_err(|_| {
            format!("Expires: `{text}` is not a date-time (e.g. 2027-01-31T12:00:00Z).")
        }),
    };
    let allowed: Result<Vec<IpNet>, String> = value(&fields, "allowed_ips")
        .split(',')
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(|text| {
            text.parse::<IpNet>()
                .or_else(|_| text.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| format!("Allowed networks: `{text}` is not an IP network."))
        })
        .collect();
    let outcome = match (expires, allowed) {
        (Ok(expires), Ok(allowed_ips)) => {
            let new = NewToken {
                description: value(&fields, "description").to_string(),
                write_enabled: checked(&fields, "write_enabled"),
                expires,
                allowed_ips,
                ..NewToken::default()
            };
            tokens::create(&state.database, user.id, &new, state.security.pepper())
                .await
                .map_err(|e| e.to_string())
        }
        (Err(message), _) | (_, Err(message)) => Err(message),
    };
    let (notice, status) = match outcome {
        Ok(created) => (
            Some(Notice {
                kind: "success",
                text: "Your new token; copy it now, it is not shown again:".to_string(),
                secret: Some(created.plaintext),
            }),
            StatusCode::CREATED,
        ),
        Err(message) => (error(message), StatusCode::BAD_REQUEST),
    };
    token_page(&request, &state, Some(user.id), notice)
        .await?
        .respond(&request, status)
}

async fn my_token_delete(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> PageResult {
    let user = signed_in(&request)?;
    tokens::delete(&state.database, *id, Some(user.id))
        .await
        .map_err(unavailable)?;
    Ok(see_other("/user/api-tokens/"))
}

async fn any_token_delete(state: web::Data<AppState>, id: web::Path<i64>) -> PageResult {
    tokens::delete(&state.database, *id, None)
        .await
        .map_err(unavailable)?;
    Ok(see_other("/users/tokens/"))
}

// --- users ---

async fn users_admin(
    request: &HttpRequest,
    state: &AppState,
    notice: Option<Notice>,
) -> Result<AdminPage, actix_web::Error> {
    let found = users::list(&state.database).await.map_err(unavailable)?;
    let rows = found
        .iter()
        .map(|user| AdminRow {
            id: user.id,
            cells: vec![
                user.username.clone(),
                user.email.clone(),
                if user.is_active { "active" } else { "inactive" }.to_string(),
                if user.is_superuser { "superuser" } else { "" }.to_string(),
            ],
        })
        .collect();
    Ok(AdminPage {
        title: "Users",
        template: AdminTemplate {
            notice,
            id: "users",
            headers: vec!["Username", "E-mail", "Status", "Role"],
            rows,
            delete_base: "/users/users/",
            csrf: csrf_input(request),
            form_title: "Add a user",
            form_action: "/users/users/",
            fields: vec![
                field(
                    "username",
                    "Username",
                    Input::Text(users::USERNAME_MAX),
                    "Letters, digits and @ . + - _",
                ),
                field("email", "E-mail", Input::Text(users::EMAIL_MAX), ""),
                field(
                    "password",
                    "Password",
                    Input::Password,
                    "At least 12 characters, with a digit, an upper-case and a lower-case letter.",
                ),
                field(
                    "is_superuser",
                    "Superuser",
                    Input::Check(false),
                    "Superusers may do everything.",
                ),
            ],
            submit: "Add user",
        },
    })
}

async fn user_page(request: HttpRequest, state: web::Data<AppState>) -> PageResult {
    users_admin(&request, &state, None)
        .await?
        .respond(&request, StatusCode::OK)
}

/// The page after a create: the list again with a notice, or the error.
async fn after<F, Fut>(
    request: &HttpRequest,
    outcome: Result<String, AuthError>,
    page: F,
) -> PageResult
where
    F: FnOnce(Option<Notice>) -> Fut,
    Fut: std::future::Future<Output = Result<AdminPage, actix_web::Error>>,
{
    let (notice, status) = match outcome {
        Ok(text) => (
            Some(Notice {
                kind: "success",
                text,
                secret: None,
            }),
            StatusCode::CREATED,
        ),
        Err(AuthError::Database(error)) => return Err(unavailable(error)),
        Err(other) => (error(other.to_string()), StatusCode::BAD_REQUEST),
    };
    page(notice).await?.respond(request, status)
}

async fn user_create(request: HttpRequest, state: web::Data<AppState>, form: Fields) -> PageResult {
    let fields = form.into_inner();
    let new = NewUser {
        username: value(&fields, "username"),
        email: value(&fields, "email"),
        password: value(&fields, "password"),
        is_superuser: checked(&fields, "is_superuser"),
    };
    let outcome = users::create(&state.database, &new)
        .await
        .map(|user| format!("User `{}` added.", user.username));
    after(&request, outcome, |notice| {
        users_admin(&request, &state, notice)
    })
    .await
}

async fn user_delete(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> PageResult {
    if signed_in(&request)?.id == *id {
        let notice = error("You cannot delete your own account.".to_string());
        return users_admin(&request, &state, notice)
            .await?
            .respond(&request, StatusCode::CONFLICT);
    }
    users::delete(&state.database, *id)
        .await
        .map_err(unavailable)?;
    Ok(see_other("/users/users/"))
}

// --- groups ---

async fn groups_admin(
    request: &HttpRequest,
    state: &AppState,
    notice: Option<Notice>,
) -> Result<AdminPage, actix_web::Error> {
    let found = groups::list(&state.database, None)
        .await
        .map_err(unavailable)?;
    let rows = found
        .iter()
        .map(|group| AdminRow {
            id: group.id,
            cells: vec![
                group.name.clone(),
                group.description.clone(),
                group.members.len().to_string(),
            ],
        })
        .collect();
    let members = users::list(&state.database)
        .await
        .map_err(unavailable)?
        .into_iter()
        .map(|user| (user.id.to_string(), user.username))
        .collect();
    Ok(AdminPage {
        title: "Groups",
        template: AdminTemplate {
            notice,
            id: "groups",
            headers: vec!["Name", "Description", "Members"],
            rows,
            delete_base: "/users/groups/",
            csrf: csrf_input(request),
            form_title: "Add a group",
            form_action: "/users/groups/",
            fields: vec![
                field("name", "Name", Input::Text(150), ""),
                field("description", "Description", Input::Text(200), ""),
                field("users", "Members", Input::Many(members), ""),
            ],
            submit: "Add group",
        },
    })
}

async fn group_page(request: HttpRequest, state: web::Data<AppState>) -> PageResult {
    groups_admin(&request, &state, None)
        .await?
        .respond(&request, StatusCode::OK)
}

async fn group_create(
    request: HttpRequest,
    state: web::Data<AppState>,
    form: Fields,
) -> PageResult {
    let fields = form.into_inner();
    let name = value(&fields, "name");
    let outcome = async {
        let id = groups::create_group(&state.database, name, value(&fields, "description")).await?;
        for user in ids(&fields, "users") {
            groups::add_member(&state.database, id, user).await?;
        }
        Ok(format!("Group `{name}` added."))
    }
    .await;
    after(&request, outcome, |notice| {
        groups_admin(&request, &state, notice)
    })
    .await
}

async fn group_delete(state: web::Data<AppState>, id: web::Path<i64>) -> PageResult {
    groups::delete(&state.database, *id)
        .await
        .map_err(unavailable)?;
    Ok(see_other("/users/groups/"))
}

// --- permissions ---

async fn permissions_admin(
    request: &HttpRequest,
    state: &AppState,
    notice: Option<Notice>,
) -> Result<AdminPage, actix_web::Error> {
    let found = records::list(&state.database, None)
        .await
        .map_err(unavailable)?;
    let all_users = users::list(&state.database).await.map_err(unavailable)?;
    let all_groups = groups::list(&state.database, None)
        .await
        .map_err(unavailable)?;
    let user_name = |id: &i64| {
        all_users
            .iter()
            .find(|u| u.id == *id)
            .map(|u| u.username.clone())
    };
    let group_name = |id: &i64| {
        all_groups
            .iter()
            .find(|g| g.id == *id)
            .map(|g| g.name.clone())
    };
    let rows = found
        .iter()
        .map(|permission| AdminRow {
            id: permission.id,
            cells: vec![
                permission.name.clone(),
                permission.object_types.join(", "),
                permission.actions.join(", "),
                permission
                    .constraints
                    .as_ref()
                    .map_or_else(|| "all objects".to_string(), |c| c.to_string()),
                permission
                    .users
                    .iter()
                    .filter_map(user_name)
                    .collect::<Vec<_>>()
                    .join(", "),
                permission
                    .groups
                    .iter()
                    .filter_map(group_name)
                    .collect::<Vec<_>>()
                    .join(", "),
            ],
        })
        .collect();
    let types = state
        .models
        .all()
        .iter()
        .map(|model| {
            (
                model.schema.key(),
                format!(
                    "{} ({})",
                    model.schema.verbose_name_plural,
                    model.schema.key()
                ),
            )
        })
        .collect();
    let actions = crate::auth::permissions::STANDARD_ACTIONS
        .iter()
        .map(|action| (action.to_string(), action.to_string()))
        .collect();
    Ok(AdminPage {
        title: "Permissions",
        template: AdminTemplate {
            notice,
            id: "permissions",
            headers: vec![
                "Name",
                "Object types",
                "Actions",
                "Constraints",
                "Users",
                "Groups",
            ],
            rows,
            delete_base: "/users/permissions/",
            csrf: csrf_input(request),
            form_title: "Add a permission",
            form_action: "/users/permissions/",
            fields: vec![
                field("name", "Name", Input::Text(100), ""),
                field("object_types", "Object types", Input::Many(types), ""),
                field("actions", "Actions", Input::Many(actions), ""),
                field(
                    "constraints",
                    "Constraints",
                    Input::Area,
                    r#"Optional JSON: {"site_id": 3} or a list of such objects (any may match); "$user" is the user's id."#,
                ),
                field(
                    "users",
                    "Users",
                    Input::Many(
                        all_users
                            .iter()
                            .map(|u| (u.id.to_string(), u.username.clone()))
                            .collect(),
                    ),
                    "",
                ),
                field(
                    "groups",
                    "Groups",
                    Input::Many(
                        all_groups
                            .iter()
                            .map(|g| (g.id.to_string(), g.name.clone()))
                            .collect(),
                    ),
                    "",
                ),
            ],
            submit: "Add permission",
        },
    })
}

async fn permission_page(request: HttpRequest, state: web::Data<AppState>) -> PageResult {
    permissions_admin(&request, &state, None)
        .await?
        .respond(&request, StatusCode::OK)
}

async fn permission_create(
    request: HttpRequest,
    state: web::Data<AppState>,
    form: Fields,
) -> PageResult {
    let fields = form.into_inner();
    let constraints = match value(&fields, "constraints") {
        "" => Ok(None),
        text => serde_json::from_str(text)
            .map(Some)
            .map_err(|error| AuthError::Invalid(format!("constraints: not JSON ({error})."))),
    };
    let outcome = match constraints {
        Ok(constraints) => {
            let new = NewPermission {
                name: value(&fields, "name").to_string(),
                description: String::new(),
                object_types: values(&fields, "object_types").map(String::from).collect(),
                actions: values(&fields, "actions").map(String::from).collect(),
                constraints,
                users: ids(&fields, "users"),
                groups: ids(&fields, "groups"),
            };
            let models = &state.models;
            records::create(
                &state.database,
                &new,
                |key| models.get(key).map(|m| m.schema),
                |_| Vec::new(),
            )
            .await
            .map(|_| format!("Permission `{}` added.", new.name))
        }
        Err(error) => Err(error),
    };
    after(&request, outcome, |notice| {
        permissions_admin(&request, &state, notice)
    })
    .await
}

async fn permission_delete(state: web::Data<AppState>, id: web::Path<i64>) -> PageResult {
    records::delete(&state.database, *id)
        .await
        .map_err(unavailable)?;
    Ok(see_other("/users/permissions/"))
}

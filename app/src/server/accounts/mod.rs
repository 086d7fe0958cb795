//! Account pages: "My API tokens" (`/user/api-tokens/`, every signed-in user) and the
//! superuser's `/users/users/`, `/users/groups/`, `/users/permissions/` and `/users/tokens/`:
//! a table, a delete button per row and a form to add one, each form CSRF-protected.

mod group_page;
mod permission_page;
mod token_page;
mod user_page;

use super::pages::superuser;
use super::security::context::{self, csrf_input};
use super::state::AppState;
use crate::auth::{AuthError, User};
use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use netbox_framework::auth::Denied;
use netbox_framework::page::Page;
use std::sync::Arc;

pub(super) type PageResult = Result<HttpResponse, actix_web::Error>;
/// A submitted form: every `(name, value)`, repeated names for multiple choices.
pub(super) type Fields = web::Form<Vec<(String, String)>>;

/// Registers the pages.
pub fn configure(config: &mut crate::server::routing::HostRoutes) {
    use self::{group_page::*, permission_page::*, token_page::*, user_page::*};
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
pub(super) enum Input {
    Text(usize),
    Password,
    Area,
    Check(bool),
    Many(Vec<(String, String)>),
}

pub(super) struct FormField {
    pub(super) name: &'static str,
    pub(super) label: &'static str,
    pub(super) input: Input,
    pub(super) help: &'static str,
}

pub(super) fn field(
    name: &'static str,
    label: &'static str,
    input: Input,
    help: &'static str,
) -> FormField {
    FormField {
        name,
        label,
        input,
        help,
    }
}

pub(super) struct Notice {
    pub(super) kind: &'static str,
    pub(super) text: String,
    pub(super) secret: Option<String>,
}

pub(super) struct AdminRow {
    pub(super) id: i64,
    pub(super) cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin_list.html")]
pub(super) struct AdminTemplate {
    pub(super) notice: Option<Notice>,
    pub(super) id: &'static str,
    pub(super) headers: Vec<&'static str>,
    pub(super) rows: Vec<AdminRow>,
    pub(super) delete_base: &'static str,
    pub(super) csrf: String,
    pub(super) form_title: &'static str,
    pub(super) form_action: &'static str,
    pub(super) fields: Vec<FormField>,
    pub(super) submit: &'static str,
}

/// One admin page: its table and its form.
pub(super) struct AdminPage {
    pub(super) title: &'static str,
    pub(super) template: AdminTemplate,
}

impl AdminPage {
    fn respond(self, request: &HttpRequest, status: StatusCode) -> PageResult {
        Ok(Page::from_template(self.title, &self.template)?
            .status(status)
            .respond_to(request)
            .map_into_boxed_body())
    }
}

pub(super) fn signed_in(request: &HttpRequest) -> Result<Arc<User>, actix_web::Error> {
    context::signed_in(request).ok_or_else(|| Denied::SignInRequired.into())
}

pub(super) fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location.to_string()))
        .finish()
}

pub(super) fn unavailable(error: impl std::fmt::Display) -> actix_web::Error {
    tracing::error!(%error, "account page failed");
    actix_web::error::ErrorServiceUnavailable("The database is unavailable; try again shortly.")
}

/// The submitted values of `name`.
pub(super) fn values<'a>(
    fields: &'a [(String, String)],
    name: &'a str,
) -> impl Iterator<Item = &'a str> {
    fields
        .iter()
        .filter(move |(key, _)| key == name)
        .map(|(_, value)| value.trim())
}

pub(super) fn value<'a>(fields: &'a [(String, String)], name: &'a str) -> &'a str {
    values(fields, name).next().unwrap_or_default()
}

pub(super) fn checked(fields: &[(String, String)], name: &str) -> bool {
    value(fields, name) == "true"
}

pub(super) fn ids(fields: &[(String, String)], name: &str) -> Vec<i64> {
    values(fields, name)
        .filter_map(|v| v.parse().ok())
        .collect()
}

pub(super) fn error(text: String) -> Option<Notice> {
    Some(Notice {
        kind: "error",
        text,
        secret: None,
    })
}

pub(super) fn or_dash(value: Option<&str>) -> String {
    value.map_or_else(|| "—".to_string(), str::to_string)
}

/// The page after a create: the list again with a notice, or the error.
pub(super) async fn after<F, Fut>(
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

//! Signing in and out of the web UI: `/login/` (a form; a session stored in the database and
//! its cookie) and `/logout/`. Failed sign-ins are throttled per user name and per address.

use super::security::{context, cookie, csrf};
use super::state::AppState;
use crate::auth::throttle::{self, Attempt};
use crate::auth::{sessions, users};
use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use netbox_framework::auth::CurrentUser;
use netbox_framework::extensions::Html;
use netbox_framework::page::Page;
use serde::Deserialize;

/// Registers `/login/` and `/logout/`.
pub fn configure(config: &mut super::routing::HostRoutes) {
    config
        .route("/login/", web::get().to(login_page))
        .route("/login/", web::post().to(login))
        .route("/logout/", web::get().to(logout_page))
        .route("/logout/", web::post().to(logout));
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginTemplate<'a> {
    error: Option<&'a str>,
    csrf: &'a str,
    next: &'a str,
    username: &'a str,
}

#[derive(Debug, Deserialize)]
struct NextQuery {
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Where to go after signing in: a path on this site, never another site (`//host`, a scheme).
fn safe_next(next: &str) -> &str {
    // Browsers drop tabs and newlines and read `\` as `/`: any of them could turn a path into
    // `//other.site`.
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control() || c.is_whitespace());
    if local { next } else { "/" }
}

fn form_page(
    request: &HttpRequest,
    error: Option<&str>,
    next: &str,
    username: &str,
    status: StatusCode,
) -> HttpResponse {
    let csrf = context::csrf_input(request);
    let template = LoginTemplate {
        error,
        csrf: &csrf,
        next: safe_next(next),
        username,
    };
    match Page::from_template("Sign in", &template) {
        Ok(page) => page
            .status(status)
            .respond_to(request)
            .map_into_boxed_body(),
        Err(error) => HttpResponse::InternalServerError().body(error.to_string()),
    }
}

async fn login_page(
    request: HttpRequest,
    query: web::Query<NextQuery>,
    user: CurrentUser,
) -> HttpResponse {
    let next = query.next.as_deref().unwrap_or("/");
    if user.is_authenticated() {
        return redirect(safe_next(next));
    }
    form_page(&request, None, next, "", StatusCode::OK)
}

fn redirect(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location.to_string()))
        .finish()
}

async fn login(
    request: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, actix_web::Error> {
    let form = form.into_inner();
    let username: String = form
        .username
        .trim()
        .chars()
        .take(users::USERNAME_MAX)
        .collect();
    let address = context::client_address(&request);
    let database = &state.database;
    let unavailable = actix_web::error::ErrorServiceUnavailable;
    // `passwords::verify` refuses oversized passwords before hashing them.
    let user = match throttle::sign_in(database, &username, &form.password, &address)
        .await
        .map_err(unavailable)?
    {
        Attempt::Accepted(user) => user,
        Attempt::Throttled => {
            let message = format!(
                "Too many failed sign-in attempts. Try again in {} minutes.",
                throttle::WINDOW.as_secs() / 60
            );
            let status = StatusCode::TOO_MANY_REQUESTS;
            return Ok(form_page(
                &request,
                Some(&message),
                &form.next,
                &username,
                status,
            ));
        }
        Attempt::Refused => {
            let message = "Invalid username or password (or the account is inactive).";
            return Ok(form_page(
                &request,
                Some(message),
                &form.next,
                &username,
                StatusCode::OK,
            ));
        }
    };
    users::record_login(database, user.id)
        .await
        .map_err(unavailable)?;
    let age = state.security.session_age;
    let value = sessions::create(database, user.id, age)
        .await
        .map_err(unavailable)?;
    tracing::info!(username = %user.username, %address, "signed in");
    let secure = state.security.session_cookie_secure;
    let mut session = cookie(sessions::COOKIE, value, secure, true);
    session.set_max_age(CookieDuration::seconds(
        i64::try_from(age.as_secs()).unwrap_or(i64::MAX),
    ));
    // A new CSRF token for the new session.
    let token = cookie(csrf::COOKIE, csrf::new_token(), secure, false);
    Ok(HttpResponse::SeeOther()
        .insert_header((LOCATION, safe_next(&form.next).to_string()))
        .cookie(session)
        .cookie(token)
        .finish())
}

async fn logout_page(request: HttpRequest, user: CurrentUser) -> HttpResponse {
    if !user.is_authenticated() {
        return redirect("/login/");
    }
    let body = format!(
        r#"<form class="panel" method="post" action="/logout/">{}<p>Sign out of NetBox?</p><button class="btn btn-red" type="submit">Sign out</button></form>"#,
        context::csrf_input(&request)
    );
    Page::new("Sign out", Html::trusted(body))
        .respond_to(&request)
        .map_into_boxed_body()
}

async fn logout(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, actix_web::Error> {
    if let Some(session) = request.cookie(sessions::COOKIE) {
        sessions::end(&state.database, session.value())
            .await
            .map_err(actix_web::error::ErrorServiceUnavailable)?;
    }
    let mut removal = cookie(
        sessions::COOKIE,
        String::new(),
        state.security.session_cookie_secure,
        true,
    );
    removal.make_removal();
    Ok(HttpResponse::SeeOther()
        .insert_header((LOCATION, "/login/"))
        .cookie(removal)
        .finish())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next("/dcim/sites/?q=a"), "/dcim/sites/?q=a");
        assert_eq!(safe_next("//evil.example/"), "/");
        assert_eq!(safe_next("https://evil.example/"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next("/\t/evil.example"), "/");
        assert_eq!(safe_next("/ /evil.example"), "/");
        assert_eq!(safe_next(""), "/");
    }
}

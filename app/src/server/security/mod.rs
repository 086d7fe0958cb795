//! The host's security middleware, around everything else a request meets: the Host header
//! checked against `allowed_hosts` (400), the client found ([`network`]), the identity
//! resolved from an API token or the session cookie ([`identity`]), sign-in required unless the
//! path is exempt (the API answers 403 JSON, pages redirect to `/login/?next=`), read-only
//! tokens refused on writes, CSRF checked on cookie-authenticated writes ([`csrf`]).
//! [`security_headers`] adds the security headers to every response, outside the error pages.
//!
//! What it finds is put in the request's extensions: the engine's
//! [`Identity`](crate::auth::Identity), the framework's
//! [`CurrentUser`](netbox_framework::auth::CurrentUser) and
//! [`CsrfToken`](netbox_framework::auth::CsrfToken), and the [`network::Client`].

pub mod context;
pub mod csrf;
pub mod identity;
pub mod network;

use super::errors::error_response;
use super::state::AppState;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, web};
use netbox_framework::auth::CsrfToken;

/// Paths served without sign-in even when `login_required` is on.
fn exempt(path: &str) -> bool {
    matches!(
        path,
        "/login/" | "/healthz" | "/api/users/tokens/provision/" | "/favicon.ico"
    ) || path.starts_with("/static/")
}

/// Whether a method changes state (everything but GET, HEAD, OPTIONS and TRACE).
pub fn is_unsafe(method: &Method) -> bool {
    !matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// The Content-Security-Policy of every response: no inline script, nothing from elsewhere,
/// no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The security headers of every response, error pages included (wrapped outside the error
/// pages, which replace responses).
pub fn security_headers() -> actix_web::middleware::DefaultHeaders {
    actix_web::middleware::DefaultHeaders::new()
        .add((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "same-origin"))
        .add(("cross-origin-opener-policy", "same-origin"))
}

/// A cookie the host sets: `Path=/`, `SameSite=Lax`, `Secure` when configured.
pub fn cookie<'a>(name: &'a str, value: String, secure: bool, http_only: bool) -> Cookie<'a> {
    Cookie::build(name, value)
        .path("/")
        .same_site(SameSite::Lax)
        .secure(secure)
        .http_only(http_only)
        .finish()
}

fn refuse(request: ServiceRequest, status: StatusCode, detail: &str) -> ServiceResponse {
    let response = error_response(request.request(), status, detail);
    request.into_response(response)
}

/// The middleware (see the module's documentation).
pub async fn guard<B: MessageBody + 'static>(
    mut request: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let Some(state) = request.app_data::<web::Data<AppState>>().cloned() else {
        return next
            .call(request)
            .await
            .map(ServiceResponse::map_into_left_body);
    };
    let config = &state.security;
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string)
        .or_else(|| {
            request
                .uri()
                .authority()
                .map(|authority| authority.to_string())
        })
        .unwrap_or_default();
    if !config.host_allowed(&host) {
        tracing::warn!(%host, "request for a host not in security.allowed_hosts refused");
        let response = HttpResponse::BadRequest()
            .content_type("text/plain; charset=utf-8")
            .body("Bad Request (400): this server does not serve that host name.");
        return Ok(request.into_response(response).map_into_right_body());
    }
    let client = network::client(&request, config);
    // Static files and the health check answer the same to everyone: no lookup.
    let path = request.path();
    let anonymous_path = path == "/healthz" || path.starts_with("/static/");
    let resolved = if anonymous_path {
        Ok(crate::auth::Identity::anonymous(
            state.anonymous_grants.clone(),
        ))
    } else {
        identity::resolve(&state, &request, &client).await
    };
    let identity = match resolved {
        Ok(identity) => identity,
        Err(identity::Failure::Refused(message)) => {
            return Ok(refuse(request, StatusCode::FORBIDDEN, &message).map_into_right_body());
        }
        Err(identity::Failure::Unavailable(error)) => {
            tracing::error!(%error, "cannot check the request's credentials");
            let detail = "The database is unavailable; try again shortly.";
            return Ok(
                refuse(request, StatusCode::SERVICE_UNAVAILABLE, detail).map_into_right_body()
            );
        }
    };
    let path = request.path().to_string();
    let public = || {
        let method = request.method().as_str();
        state
            .public_routes
            .iter()
            .any(|(route_method, route)| route_method == method && route.is_match(&path))
    };
    if identity.user.is_none() && config.login_required && !exempt(&path) && !public() {
        if path.starts_with("/api/") || path == "/api" {
            let detail = "Authentication credentials were not provided.";
            return Ok(refuse(request, StatusCode::FORBIDDEN, detail).map_into_right_body());
        }
        let location = context::login_location(context::here(request.request()));
        let response = HttpResponse::Found()
            .insert_header((header::LOCATION, location))
            .finish();
        return Ok(request.into_response(response).map_into_right_body());
    }
    let unsafe_method = is_unsafe(request.method());
    if unsafe_method && identity.token.is_some_and(|token| !token.write_enabled) {
        let detail = "This token does not permit write operations.";
        return Ok(refuse(request, StatusCode::FORBIDDEN, detail).map_into_right_body());
    }
    let cookie_token = csrf::cookie_token(&request);
    // Ambient credentials (the session cookie) or a form (the sign-in form, before any
    // session) are what another site could make a browser send.
    let has_session = request.cookie(crate::auth::sessions::COOKIE).is_some();
    let scheme = if client.https { "https" } else { "http" };
    let origin = format!("{scheme}://{host}");
    if unsafe_method && identity.token.is_none() {
        let checked = if has_session || csrf::is_form(&request) {
            csrf::check(&mut request, cookie_token.as_deref(), &origin).await
        } else {
            csrf::same_origin(&request, &origin).map_err(csrf::Refusal::Forgery)
        };
        if let Err(refusal) = checked {
            let message = refusal.message();
            if let csrf::Refusal::Forgery(_) = refusal {
                tracing::warn!(%path, reason = %message, "request refused by the CSRF check");
            }
            return Ok(refuse(request, refusal.status(), &message).map_into_right_body());
        }
    }
    let (csrf_value, new_csrf) = match cookie_token {
        Some(value) => (value, false),
        None => (csrf::new_token(), true),
    };
    {
        let mut extensions = request.extensions_mut();
        extensions.insert(identity::current_user(&identity));
        extensions.insert(identity);
        extensions.insert(CsrfToken::new(csrf_value.clone()));
        extensions.insert(client);
    }
    let secure = config.session_cookie_secure;
    let mut response = next.call(request).await?;
    if new_csrf {
        let _ =
            response
                .response_mut()
                .add_cookie(&cookie(csrf::COOKIE, csrf_value, secure, false));
    }
    Ok(response.map_into_left_body())
}

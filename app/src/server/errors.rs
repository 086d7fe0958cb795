//! Error responses: 404 and 500 pages in the layout (JSON under `/api/`), handler errors turned
//! into those pages, and panics in handlers caught so that only the one request fails.

use super::api_error::{ApiError, SERVER_ERROR};
use super::layout::HostLayout;
use super::state::AppState;
use crate::plugins::guard::panic_message;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, Responder, ResponseError, web};
use futures_util::FutureExt;
use netbox_framework::auth::Denied;
use netbox_framework::extensions::Html;
use netbox_framework::page::Page;
use std::panic::AssertUnwindSafe;

/// Whether the request is for the REST API (errors as JSON).
fn is_api(request: &HttpRequest) -> bool {
    request.path() == "/api" || request.path().starts_with("/api/")
}

/// An error response: JSON `{"detail": ...}` under `/api/`, else a page in the layout.
pub fn error_response(request: &HttpRequest, status: StatusCode, detail: &str) -> HttpResponse {
    if is_api(request) {
        return ApiError::new(status, detail).error_response();
    }
    error_page(status, detail).respond_to(request)
}

/// The page shown for an error status.
fn error_page(status: StatusCode, detail: &str) -> Page {
    let title = match status {
        StatusCode::NOT_FOUND => "Page not found".to_string(),
        status if status.is_server_error() => "Server error".to_string(),
        status => status.canonical_reason().unwrap_or("Error").to_string(),
    };
    let body = format!(
        "<div class=\"alert alert-error\"><strong>{} {}</strong><p>{}</p></div><p><a href=\"/\">Back to the home page</a></p>",
        status.as_u16(),
        Html::escape(status.canonical_reason().unwrap_or("Error")).as_str(),
        Html::escape(detail).as_str()
    );
    Page::new(title, Html::trusted(body)).status(status)
}

/// The default service: nothing matched the path.
pub async fn not_found(request: HttpRequest) -> HttpResponse {
    let detail = if is_api(&request) {
        "Not found.".to_string()
    } else {
        format!("There is no page at {}.", request.path())
    };
    error_response(&request, StatusCode::NOT_FOUND, &detail)
}

/// Turns errors returned by handlers (and extractors) into error pages or JSON, and marks
/// every answer under `/api/` (errors and refusals included) with `API-Version`.
pub async fn error_pages(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let api = is_api(request.request());
    let mut response = answer(next.call(request).await?, api);
    if api {
        response.headers_mut().insert(
            actix_web::http::header::HeaderName::from_static("api-version"),
            actix_web::http::header::HeaderValue::from_static(super::api::API_VERSION),
        );
    }
    Ok(response)
}

/// The answer to send for `response`: itself, or the error page (JSON under the API) of the
/// error it carries.
fn answer<B: MessageBody>(
    response: ServiceResponse<B>,
    api: bool,
) -> ServiceResponse<EitherBody<B>> {
    let Some(error) = response.response().error() else {
        return response.map_into_left_body();
    };
    // The API's own errors are already the JSON the client should read.
    if api
        && (error.as_error::<ApiError>().is_some()
            || error.as_error::<Denied>().is_some()
            || error
                .as_error::<netbox_framework::data::DataError>()
                .is_some())
    {
        return response.map_into_left_body();
    }
    // A page that needs a signed-in user: to the sign-in page, and back here after.
    if !api && error.as_error::<Denied>() == Some(&Denied::SignInRequired) {
        let (request, _) = response.into_parts();
        let location =
            super::security::context::login_location(super::security::context::here(&request));
        let redirect = HttpResponse::Found()
            .insert_header((actix_web::http::header::LOCATION, location))
            .finish();
        return ServiceResponse::new(request, redirect).map_into_right_body();
    }
    let status = response.status();
    let detail = if status.is_server_error() {
        tracing::error!(%error, path = response.request().path(), "handler error");
        SERVER_ERROR.to_string()
    } else {
        error.to_string()
    };
    let (request, _) = response.into_parts();
    let replacement = error_response(&request, status, &detail);
    ServiceResponse::new(request, replacement).map_into_right_body()
}

/// Catches a panic in a handler (or plugin middleware): that request gets a 500 page (JSON
/// under `/api/`), the worker keeps serving.
///
/// The request itself cannot be kept for the response (actix needs to own it exclusively while
/// routing), so the page is rendered from the path alone and returned as an error response.
pub async fn catch_panics(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let path = request.path().to_string();
    let api = is_api(request.request());
    let state = request
        .app_data::<web::Data<AppState>>()
        .map(|data| data.clone().into_inner());
    match AssertUnwindSafe(next.call(request)).catch_unwind().await {
        Ok(response) => response,
        Err(panic) => {
            let message = panic_message(panic.as_ref());
            tracing::error!(%path, panic = %message, "a handler panicked");
            let status = StatusCode::INTERNAL_SERVER_ERROR;
            let response = match (api, state) {
                (false, Some(state)) => {
                    HostLayout::new(state).render_path(&path, error_page(status, SERVER_ERROR))
                }
                _ => ApiError::new(status, SERVER_ERROR).error_response(),
            };
            Err(
                InternalError::from_response(format!("handler panicked: {message}"), response)
                    .into(),
            )
        }
    }
}

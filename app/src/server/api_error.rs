//! The one error type of every JSON response the host sends: `{"detail": "..."}`, or, for
//! invalid input, messages per field (`{"name": ["..."]}`) as NetBox's API does. Handlers
//! return it as their error; the error pages use it for error responses under `/api/`.

use crate::engine::WriteError;
use crate::engine::clean::FieldErrors;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;

/// What server errors say to clients; the cause goes to the log only.
pub const SERVER_ERROR: &str = "The server failed to handle this request. The error was logged.";

/// What a client reads when the database is busy.
pub const BUSY: &str = "The database is busy; nothing was changed. Retry the request.";

#[derive(Debug)]
enum Body {
    Detail(String),
    Fields(FieldErrors),
    Items(Vec<FieldErrors>),
}

/// An error response of the REST API.
///
/// ```
/// use netbox_app::server::api_error::ApiError;
/// use actix_web::ResponseError;
///
/// let error = ApiError::not_found();
/// assert_eq!(error.status_code().as_u16(), 404);
/// assert_eq!(error.to_string(), "Not found.");
/// ```
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: Body,
    retry_after: Option<u64>,
}

impl ApiError {
    /// `{"detail": detail}` with `status`.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        ApiError {
            status,
            body: Body::Detail(detail.into()),
            retry_after: None,
        }
    }

    /// 400 with a message.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, detail)
    }

    /// 400 with messages per field.
    pub fn fields(errors: FieldErrors) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            body: Body::Fields(errors),
            retry_after: None,
        }
    }

    /// 400 with messages per item of a list request, in request order (`{}` for valid
    /// items), as NetBox answers a bulk write.
    pub fn items(items: Vec<FieldErrors>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            body: Body::Items(items),
            retry_after: None,
        }
    }

    /// The same error with its message starting with `prefix` (e.g. which item of a list).
    pub fn prefixed(mut self, prefix: &str) -> Self {
        if let Body::Detail(detail) = &mut self.body {
            detail.insert_str(0, prefix);
        }
        self
    }

    /// A JSON body that could not be read: 415 without a JSON content type, 413 past the size
    /// limit, else 400 saying where the JSON is wrong.
    pub fn from_json(error: &actix_web::error::JsonPayloadError) -> Self {
        use actix_web::error::JsonPayloadError;
        match error {
            JsonPayloadError::ContentType => Self::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Unsupported media type: send the body as JSON with `Content-Type: application/json`.",
            ),
            JsonPayloadError::Overflow { limit }
            | JsonPayloadError::OverflowKnownLength { limit, .. } => Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("The body is larger than {limit} bytes."),
            ),
            JsonPayloadError::Deserialize(error) => {
                Self::bad_request(format!("JSON parse error: {error}."))
            }
            other => Self::bad_request(format!("The body could not be read: {other}.")),
        }
    }

    /// 404.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "Not found.")
    }

    /// 503 with `Retry-After`: the database is busy (see [`crate::db::is_busy`]).
    pub fn busy() -> Self {
        ApiError {
            retry_after: Some(1),
            ..Self::new(StatusCode::SERVICE_UNAVAILABLE, BUSY)
        }
    }

    /// 500: `error` is logged, the client reads [`SERVER_ERROR`].
    pub fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "server error in the API");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, SERVER_ERROR)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.body {
            Body::Detail(detail) => f.write_str(detail),
            Body::Fields(errors) => {
                let parts: Vec<String> = errors
                    .iter()
                    .map(|(field, messages)| format!("{field}: {}", messages.join(" ")))
                    .collect();
                f.write_str(&parts.join("; "))
            }
            Body::Items(items) => {
                let parts: Vec<String> = items
                    .iter()
                    .enumerate()
                    .filter(|(_, errors)| !errors.is_empty())
                    .map(|(index, errors)| format!("item {index}: {errors:?}"))
                    .collect();
                f.write_str(&parts.join("; "))
            }
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        if let Some(seconds) = self.retry_after {
            response.insert_header((actix_web::http::header::RETRY_AFTER, seconds.to_string()));
        }
        match &self.body {
            Body::Detail(detail) => response.json(json!({ "detail": detail })),
            Body::Fields(errors) => response.json(errors),
            Body::Items(items) => response.json(items),
        }
    }
}

impl From<WriteError> for ApiError {
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::Invalid(errors) => ApiError::fields(errors),
            WriteError::NotFound => ApiError::not_found(),
            WriteError::Forbidden(message) => ApiError::new(StatusCode::FORBIDDEN, message),
            WriteError::Conflict(message) => ApiError::new(StatusCode::CONFLICT, message),
            WriteError::Stale => {
                ApiError::new(StatusCode::PRECONDITION_FAILED, "Precondition failed.")
            }
            WriteError::Database(error) => error.into(),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        if crate::db::is_busy(&error) {
            tracing::warn!(%error, "database busy");
            ApiError::busy()
        } else {
            ApiError::internal(error)
        }
    }
}

/// A JSON body read into `T`: it must be an object (not a list read field by field), and
/// only the keys in `nullable` may be `null` (elsewhere `null` would silently change nothing).
pub fn parse_object<T: serde::de::DeserializeOwned>(
    body: serde_json::Value,
    nullable: &[&str],
) -> Result<T, ApiError> {
    let Some(object) = body.as_object() else {
        return Err(ApiError::bad_request("The body must be a JSON object."));
    };
    if let Some((key, _)) = object
        .iter()
        .find(|(key, value)| value.is_null() && !nullable.contains(&key.as_str()))
    {
        return Err(ApiError::bad_request(format!("`{key}` may not be null.")));
    }
    serde_json::from_value(body).map_err(|error| ApiError::bad_request(error.to_string()))
}

/// `Err` (400 naming the first one) when the request has query parameters: for lists that
/// take none yet, so that a filter is never silently ignored.
pub fn no_parameters(request: &actix_web::HttpRequest) -> Result<(), ApiError> {
    let query = request.query_string();
    if query.is_empty() {
        return Ok(());
    }
    let first = query.split('&').next().unwrap_or_default();
    let name = first.split('=').next().unwrap_or_default();
    Err(ApiError::bad_request(format!(
        "`{name}`: this list takes no query parameters (no filters or pages: it returns everything)."
    )))
}

impl From<crate::auth::AuthError> for ApiError {
    fn from(error: crate::auth::AuthError) -> Self {
        match error {
            crate::auth::AuthError::Invalid(message) => ApiError::bad_request(message),
            crate::auth::AuthError::NotFound => ApiError::not_found(),
            crate::auth::AuthError::Database(error) => error.into(),
        }
    }
}

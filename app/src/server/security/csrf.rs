//! Cross-site request forgery protection for requests authenticated by cookie: every POST,
//! PUT, PATCH and DELETE must come from this site's own origin (the `Origin` and
//! `Sec-Fetch-Site` headers, when the browser sends them) and carry the token of the
//! `csrftoken` cookie, in the form field `csrf_token` or the `X-CSRFToken` header. Requests
//! authenticated by an API token carry no cookie a third site could make a browser send, and
//! are exempt.

use actix_web::dev::{Payload, ServiceRequest};
use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::web::Bytes;
use netbox_framework::auth::CsrfToken;
use rand::distr::{Alphanumeric, SampleString};

/// The cookie holding the token (NetBox's name).
pub const COOKIE: &str = "csrftoken";
const LENGTH: usize = 32;

/// A new random token.
pub fn new_token() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), LENGTH)
}

/// The token of the request's cookie, if it has a well-formed one.
pub fn cookie_token(request: &ServiceRequest) -> Option<String> {
    request
        .cookie(COOKIE)
        .map(|cookie| cookie.value().to_string())
        .filter(|value| value.len() == LENGTH && value.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn header<'a>(request: &'a ServiceRequest, name: &str) -> Option<&'a str> {
    request
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
}

/// Why a write was refused by [`check`].
#[derive(Debug)]
pub enum Refusal {
    /// It may be a forgery (403), for this reason.
    Forgery(String),
    /// Its form body could not be read (too large, broken): that error's status (413, 400).
    Unreadable(actix_web::Error),
}

impl Refusal {
    /// The status to answer with.
    pub fn status(&self) -> StatusCode {
        match self {
            Refusal::Forgery(_) => StatusCode::FORBIDDEN,
            Refusal::Unreadable(error) => error.as_response_error().status_code(),
        }
    }

    /// The message to show.
    pub fn message(&self) -> String {
        match self {
            Refusal::Forgery(message) => message.clone(),
            Refusal::Unreadable(error) => format!("The form cannot be read: {error}"),
        }
    }
}

/// Checks an unsafe request authenticated by cookie (or anonymous, e.g. the sign-in form):
/// `Err` says why it is refused. A form body is read to find the token and put back for the
/// handler.
pub async fn check(
    request: &mut ServiceRequest,
    expected: Option<&str>,
    own_origin: &str,
) -> Result<(), Refusal> {
    same_origin(request, own_origin).map_err(Refusal::Forgery)?;
    let Some(expected) = expected else {
        return Err(Refusal::Forgery(
            "CSRF check failed: no CSRF cookie. Reload the form and submit it again (cookies must be enabled)."
                .to_string(),
        ));
    };
    let presented = match header(request, CsrfToken::HEADER) {
        Some(value) => Some(value.to_string()),
        None => form_token(request).await.map_err(Refusal::Unreadable)?,
    };
    let refused = |message: String| Err(Refusal::Forgery(message));
    match presented {
        Some(token) if crate::auth::same_secret(&token, expected) => Ok(()),
        Some(_) => refused(
            "CSRF check failed: the form's token does not match. Reload the form and submit it again."
                .to_string(),
        ),
        None => refused(format!(
            "CSRF check failed: the request carries no CSRF token (form field `{}` or header `{}`).",
            CsrfToken::FIELD,
            CsrfToken::HEADER
        )),
    }
}

/// `Err` when the browser says the request comes from another site (`Origin` or
/// `Sec-Fetch-Site`); checked on every write without an API token.
pub fn same_origin(request: &ServiceRequest, own_origin: &str) -> Result<(), String> {
    if let Some(origin) = header(request, "origin")
        && !origin.eq_ignore_ascii_case(own_origin)
    {
        return Err(format!(
            "CSRF check failed: the request came from another origin ({origin})."
        ));
    }
    if header(request, "sec-fetch-site").is_some_and(|site| site.eq_ignore_ascii_case("cross-site"))
    {
        return Err("CSRF check failed: the browser says the request is cross-site.".to_string());
    }
    Ok(())
}

/// The media type of the body, lower-case, without parameters.
fn media_type(request: &ServiceRequest) -> String {
    header(request, CONTENT_TYPE.as_str())
        .and_then(|value| value.split(';').next())
        .map(|value| value.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Whether the request's body is one an HTML form can send (URL-encoded, multipart, plain
/// text).
pub fn is_form(request: &ServiceRequest) -> bool {
    matches!(
        media_type(request).as_str(),
        "application/x-www-form-urlencoded" | "multipart/form-data" | "text/plain"
    )
}

/// The largest form body read for its token: a bulk import's (at `<list>import/`), else
/// 256 KiB (a larger form is a 413, as actix's own limit answers).
fn form_max(request: &ServiceRequest) -> usize {
    if request.path().ends_with("/import/") {
        crate::server::bulk_import::IMPORT_MAX + 64 * 1024
    } else {
        256 * 1024
    }
}

/// The `csrf_token` field of a URL-encoded form body (read, then put back).
async fn form_token(request: &mut ServiceRequest) -> Result<Option<String>, actix_web::Error> {
    use actix_web::HttpMessage;
    use futures_util::StreamExt;
    if media_type(request) != "application/x-www-form-urlencoded" {
        return Ok(None);
    }
    let most = form_max(request);
    let mut payload = request.take_payload();
    let mut body = actix_web::web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > most {
            return Err(actix_web::error::PayloadError::Overflow.into());
        }
        body.extend_from_slice(&chunk);
    }
    let body: Bytes = body.freeze();
    let token = form_urlencoded_field(&body, CsrfToken::FIELD);
    request.set_payload(Payload::from(body));
    Ok(token)
}

fn form_urlencoded_field(body: &[u8], field: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(name, _)| name == field)
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    async fn run(request: TestRequest, expected: Option<&str>) -> Result<(), String> {
        let mut request = request.to_srv_request();
        check(&mut request, expected, "http://localhost:8000")
            .await
            .map_err(|refusal| refusal.message())
    }

    #[actix_web::test]
    async fn form_field_or_header_must_match_the_cookie() {
        let token = "a".repeat(LENGTH);
        let form = |body: &str| {
            TestRequest::post()
                .insert_header((CONTENT_TYPE, "application/x-www-form-urlencoded"))
                .set_payload(body.to_string())
        };
        assert_eq!(
            run(form(&format!("name=x&csrf_token={token}")), Some(&token)).await,
            Ok(())
        );
        let mismatch = run(form("csrf_token=b"), Some(&token)).await;
        assert!(mismatch.unwrap_err().contains("does not match"));
        let missing = run(form("name=x"), Some(&token)).await;
        assert!(missing.unwrap_err().contains("carries no CSRF token"));
        let header = TestRequest::post().insert_header(("X-CSRFToken", token.as_str()));
        assert_eq!(run(header, Some(&token)).await, Ok(()));
        let no_cookie = run(form(&format!("csrf_token={token}")), None).await;
        assert!(no_cookie.unwrap_err().contains("no CSRF cookie"));
    }

    #[actix_web::test]
    async fn other_origins_are_refused_even_with_a_token() {
        let token = "a".repeat(LENGTH);
        let request = TestRequest::post()
            .insert_header(("Origin", "http://evil.example"))
            .insert_header(("X-CSRFToken", token.as_str()));
        let refused = run(request, Some(&token)).await;
        assert!(
            refused
                .unwrap_err()
                .contains("another origin (http://evil.example)")
        );
        let same = TestRequest::post()
            .insert_header(("Origin", "http://localhost:8000"))
            .insert_header(("X-CSRFToken", token.as_str()));
        assert_eq!(run(same, Some(&token)).await, Ok(()));
    }
}

//! Building links from the current request: absolute URLs for the API, and the current
//! path with some query parameters replaced (pagination).

use super::security::network::Client;
use actix_web::http::header::HOST;
use actix_web::{HttpMessage, HttpRequest};

/// `path` as an absolute URL on the host the request came to: its Host header (checked
/// against `allowed_hosts` by the security middleware; never `X-Forwarded-Host`, which anyone
/// can send) and its scheme as the trusted proxies report it.
pub fn absolute(request: &HttpRequest, path: &str) -> String {
    let host = request
        .headers()
        .get(HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("localhost");
    let https = request
        .extensions()
        .get::<Client>()
        .is_some_and(|client| client.https);
    let scheme = if https { "https" } else { "http" };
    format!("{scheme}://{host}{path}")
}

/// The request's path with the query `pairs`, where each key of `set` is replaced by its
/// value (appended in `set`'s order).
///
/// With pairs `q=a&offset=5`, `set = [("limit", "3"), ("offset", "8")]` gives
/// `/path?q=a&limit=3&offset=8`.
pub fn with_query(
    request: &HttpRequest,
    pairs: &[(String, String)],
    set: &[(&str, String)],
) -> String {
    let mut query: Vec<(String, String)> = pairs
        .iter()
        .filter(|(key, _)| !set.iter().any(|(name, _)| name == key))
        .cloned()
        .collect();
    query.extend(
        set.iter()
            .map(|(name, value)| (name.to_string(), value.clone())),
    );
    match serde_urlencoded::to_string(&query).unwrap_or_default() {
        text if text.is_empty() => request.path().to_string(),
        text => format!("{}?{text}", request.path()),
    }
}

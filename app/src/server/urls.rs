//! Building links from the current request: absolute URLs for the API, and the current
//! path with some query parameters replaced (pagination).

use actix_web::HttpRequest;

/// `path` as an absolute URL on the host the request came to.
pub fn absolute(request: &HttpRequest, path: &str) -> String {
    let info = request.connection_info();
    format!("{}://{}{path}", info.scheme(), info.host())
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

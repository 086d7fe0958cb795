//! The HTTP methods every route answers alike: `HEAD` as `GET` without the body, `OPTIONS`
//! with the methods the path allows (where the route does not answer it itself), and a wrong
//! method as 405 with `Allow` and a message (JSON under `/api/`).

use super::errors::error_response;
use actix_web::HttpResponse;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{ALLOW, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;

/// The `Allow` list of a 405, with `HEAD` wherever `GET` is allowed and `OPTIONS` always.
fn allowed(listed: &str) -> String {
    let mut methods: Vec<&str> = listed
        .split(',')
        .map(str::trim)
        .filter(|method| !method.is_empty())
        .collect();
    if methods.contains(&"GET") && !methods.contains(&"HEAD") {
        methods.push("HEAD");
    }
    if !methods.contains(&"OPTIONS") {
        methods.push("OPTIONS");
    }
    methods.join(", ")
}

/// The middleware (see the module documentation).
pub async fn methods(
    mut request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let method = request.method().clone();
    if method == Method::HEAD {
        // Routed as GET; actix sends no body in answer to a HEAD request.
        request.head_mut().method = Method::GET;
    }
    let response = next.call(request).await?;
    if response.status() != StatusCode::METHOD_NOT_ALLOWED {
        return Ok(response.map_into_boxed_body());
    }
    let listed = response
        .headers()
        .get(ALLOW)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let allow = allowed(&listed);
    let (request, _) = response.into_parts();
    let mut answer = if method == Method::OPTIONS {
        HttpResponse::Ok().finish()
    } else {
        error_response(
            &request,
            StatusCode::METHOD_NOT_ALLOWED,
            &format!("Method “{method}” not allowed here (allowed: {allow})."),
        )
    };
    if let Ok(value) = HeaderValue::from_str(&allow) {
        answer.headers_mut().insert(ALLOW, value);
    }
    Ok(ServiceResponse::new(request, answer))
}

#[cfg(test)]
mod tests {
    #[test]
    fn allow_lists_head_with_get_and_options() {
        assert_eq!(super::allowed("GET, POST"), "GET, POST, HEAD, OPTIONS");
        assert_eq!(super::allowed("DELETE"), "DELETE, OPTIONS");
    }
}

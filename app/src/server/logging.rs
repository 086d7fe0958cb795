//! One structured log line per request (tracing): method, path, status, duration.

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use std::time::Instant;

pub async fn log_request(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let request_id = uuid::Uuid::new_v4().to_string();
    request
        .extensions_mut()
        .insert(super::actor::RequestId(request_id.clone()));
    let method = request.method().clone();
    let path = request.path().to_string();
    let response = next.call(request).await;
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    match &response {
        Ok(response) => tracing::info!(
            target: "netbox::request",
            %request_id,
            %method,
            %path,
            status = response.status().as_u16(),
            elapsed_ms,
        ),
        Err(error) => tracing::warn!(target: "netbox::request", %method, %path, %error, elapsed_ms),
    }
    response
}

//! Runs the enabled plugins' middleware, in configuration order, inside the host's own.

use super::state::AppState;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use netbox_framework::__host::MiddlewareChain as PluginNext;
use netbox_framework::middleware::MiddlewareFuture;

pub async fn run(
    request: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let chain = match request.app_data::<web::Data<AppState>>() {
        Some(state) if !state.middleware.is_empty() => state.middleware.clone(),
        _ => return next.call(request).await,
    };
    let endpoint = Box::new(move |request: ServiceRequest| -> MiddlewareFuture {
        Box::pin(next.call(request))
    });
    PluginNext::new(chain, endpoint).call(request).await
}

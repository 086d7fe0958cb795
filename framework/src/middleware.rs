//! Middleware a plugin contributes: it wraps every request, after the host's own middleware,
//! in the operator's plugin order.
//!
//! ```
//! use netbox_framework::actix::body::BoxBody;
//! use netbox_framework::actix::dev::ServiceRequest;
//! use netbox_framework::actix::http::header::{HeaderName, HeaderValue};
//! use netbox_framework::actix::middleware::Next;
//! use netbox_framework::middleware::{Middleware, MiddlewareFuture};
//!
//! fn tag_response(request: ServiceRequest, next: Next<BoxBody>) -> MiddlewareFuture {
//!     Box::pin(async move {
//!         let mut response = next.call(request).await?;
//!         response.headers_mut().insert(
//!             HeaderName::from_static("x-zoo"),
//!             HeaderValue::from_static("open"),
//!         );
//!         Ok(response)
//!     })
//! }
//!
//! let middleware = Middleware::new("tag_response", tag_response);
//! assert_eq!(middleware.name, "tag_response");
//! ```

use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use std::future::Future;
use std::pin::Pin;

/// The future a middleware function returns.
pub type MiddlewareFuture =
    Pin<Box<dyn Future<Output = Result<ServiceResponse<BoxBody>, actix_web::Error>>>>;

/// A middleware function: handle the request, usually by calling `next.call(request)`.
pub type MiddlewareFn = fn(ServiceRequest, Next<BoxBody>) -> MiddlewareFuture;

/// A named middleware function.
#[derive(Debug, Clone, Copy)]
pub struct Middleware {
    /// Name shown on the plugin's detail page.
    pub name: &'static str,
    /// The function.
    pub handler: MiddlewareFn,
}

impl Middleware {
    /// Names a middleware function.
    pub fn new(name: &'static str, handler: MiddlewareFn) -> Self {
        Middleware { name, handler }
    }
}

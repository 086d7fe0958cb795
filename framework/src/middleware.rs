//! Middleware a plugin contributes: it wraps every request, after the host's own middleware,
//! in the operator's plugin order (the first enabled plugin's middleware is the outermost).
//!
//! ```
//! use netbox_framework::actix::dev::ServiceRequest;
//! use netbox_framework::actix::http::header::{HeaderName, HeaderValue};
//! use netbox_framework::middleware::{Middleware, MiddlewareFuture, Next};
//!
//! fn tag_response(request: ServiceRequest, next: Next) -> MiddlewareFuture {
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
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// The future a middleware function (and [`Next::call`]) returns.
pub type MiddlewareFuture =
    Pin<Box<dyn Future<Output = Result<ServiceResponse<BoxBody>, actix_web::Error>>>>;

/// A middleware function: handle the request, usually by passing it on with
/// `next.call(request)` and looking at or changing the response.
pub type MiddlewareFn = fn(ServiceRequest, Next) -> MiddlewareFuture;

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

/// The rest of the chain: the following plugin middleware, then the application.
pub struct Next {
    chain: Arc<[Middleware]>,
    position: usize,
    endpoint: Box<dyn FnOnce(ServiceRequest) -> MiddlewareFuture>,
}

impl Next {
    /// A chain that runs `chain` in order and then `endpoint` (the host builds this).
    #[doc(hidden)]
    pub fn new(
        chain: Arc<[Middleware]>,
        endpoint: Box<dyn FnOnce(ServiceRequest) -> MiddlewareFuture>,
    ) -> Self {
        Next {
            chain,
            position: 0,
            endpoint,
        }
    }

    /// Passes the request on.
    pub fn call(self, request: ServiceRequest) -> MiddlewareFuture {
        match self.chain.get(self.position).copied() {
            Some(middleware) => {
                let next = Next {
                    chain: self.chain,
                    position: self.position + 1,
                    endpoint: self.endpoint,
                };
                (middleware.handler)(request, next)
            }
            None => (self.endpoint)(request),
        }
    }
}

impl std::fmt::Debug for Next {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Next")
            .field(
                "remaining",
                &&self.chain[self.position.min(self.chain.len())..],
            )
            .finish_non_exhaustive()
    }
}

//! Who makes a request, for the model engine: the request's id (set by the request log) and
//! the identity the security middleware found (the user's name and permissions).

use crate::auth::Identity;
use crate::engine::Actor;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use std::future::{Ready, ready};

/// The id of the current request (a UUID), in the request's extensions; change-log entries
/// carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// The engine's [`Actor`] of a request, as a handler argument.
pub struct RequestActor(pub Actor);

impl RequestActor {
    /// The actor of `request`: its user (anonymous, with no permission, outside the security
    /// middleware) and request id.
    pub fn of(request: &HttpRequest) -> Actor {
        let extensions = request.extensions();
        let request_id = extensions
            .get::<RequestId>()
            .map(|id| id.0.clone())
            .unwrap_or_default();
        let user = extensions
            .get::<Identity>()
            .map_or("anonymous", Identity::name)
            .to_string();
        drop(extensions);
        Actor {
            user,
            request_id,
            grants: super::security::context::grants(request),
        }
    }
}

impl FromRequest for RequestActor {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(RequestActor(RequestActor::of(request))))
    }
}

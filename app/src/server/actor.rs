//! Who makes a request, for the model engine: the request's id (set by the request log) and,
//! until sign-in exists, the anonymous user.

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

impl FromRequest for RequestActor {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(|id| id.0.clone())
            .unwrap_or_default();
        ready(Ok(RequestActor(Actor {
            user: "anonymous".to_string(),
            request_id,
        })))
    }
}

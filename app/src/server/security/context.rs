//! What the security middleware left in a request's extensions, read back in one place: the
//! signed-in user and what they may do, the token used, the client's address, the CSRF input for forms, and where
//! to send someone who must sign in.

use super::network::Client;
use crate::auth::permissions::Grants;
use crate::auth::{Identity, TokenUse, User};
use actix_web::{HttpMessage, HttpRequest};
use netbox_framework::auth::CsrfToken;
use std::sync::Arc;

/// The signed-in user, if any.
pub fn signed_in(request: &HttpRequest) -> Option<Arc<User>> {
    request
        .extensions()
        .get::<Identity>()
        .and_then(|identity| identity.user.clone())
}

/// What the request's user may do (nothing outside the middleware).
pub fn grants(request: &HttpRequest) -> Arc<Grants> {
    request.extensions().get::<Identity>().map_or_else(
        || Arc::new(Grants::nothing()),
        |identity| identity.grants.clone(),
    )
}

/// The API token the request authenticated with, if any.
pub fn token_used(request: &HttpRequest) -> Option<TokenUse> {
    request
        .extensions()
        .get::<Identity>()
        .and_then(|identity| identity.token)
}

/// The client's address as text (for throttling and logs); `unknown` outside the middleware.
pub fn client_address(request: &HttpRequest) -> String {
    request
        .extensions()
        .get::<Client>()
        .map_or_else(|| "unknown".to_string(), Client::address_text)
}

/// The hidden CSRF input for the forms of the request's page (empty outside the middleware).
pub fn csrf_input(request: &HttpRequest) -> String {
    request
        .extensions()
        .get::<CsrfToken>()
        .map(|token| token.hidden_input().as_str().to_string())
        .unwrap_or_default()
}

/// `/login/?next=<path and query>`: the sign-in page, coming back to `next` after.
///
/// ```
/// assert_eq!(netbox_app::server::security::context::login_location("/dcim/sites/?q=a"), "/login/?next=%2Fdcim%2Fsites%2F%3Fq%3Da");
/// ```
pub fn login_location(next: &str) -> String {
    format!(
        "/login/?{}",
        serde_urlencoded::to_string([("next", next)]).unwrap_or_default()
    )
}

/// The path and query of `request`, for [`login_location`].
pub fn here(request: &HttpRequest) -> &str {
    request
        .uri()
        .path_and_query()
        .map_or("/", |path| path.as_str())
}

//! Who a request is from: an API token (`Authorization: Token|Bearer ...`) first, else the
//! session cookie, else nobody; and what they may do, from the grant cache (one query per
//! request at most: the session or token lookup reads the permission version with it).

use super::network::Client;
use crate::auth::permissions::{self, Grants};
use crate::auth::tokens::{self, Refusal};
use crate::auth::{Identity, User, sessions};
use crate::server::state::AppState;
use actix_web::dev::ServiceRequest;
use actix_web::http::header::AUTHORIZATION;
use netbox_framework::auth::{CurrentUser, Permissions, UserInfo};
use std::sync::Arc;

impl Permissions for Grants {
    fn has_perm(&self, codename: &str) -> bool {
        Grants::has_perm(self, codename)
    }
}

/// Why a request has no identity.
#[derive(Debug)]
pub enum Failure {
    /// The credentials it carries are refused (403 with this message).
    Refused(String),
    /// The database could not be asked (503).
    Unavailable(sqlx::Error),
}

impl From<sqlx::Error> for Failure {
    fn from(error: sqlx::Error) -> Self {
        Failure::Unavailable(error)
    }
}

/// The grants of a signed-in user at permission version `version`.
async fn grants_for(
    state: &AppState,
    user: &User,
    version: i64,
) -> Result<Arc<Grants>, sqlx::Error> {
    if user.is_superuser {
        return Ok(state.superuser_grants.clone());
    }
    if let Some(grants) = state.grant_cache.get(user.id, version) {
        return Ok(grants);
    }
    let grants = Arc::new(permissions::load(&state.database, user.id, &state.models).await?);
    state.grant_cache.put(user.id, version, grants.clone());
    Ok(grants)
}

/// The identity of `request`.
pub async fn resolve(
    state: &AppState,
    request: &ServiceRequest,
    client: &Client,
) -> Result<Identity, Failure> {
    let authorization = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    if let Some(parsed) = authorization.and_then(tokens::parse_header) {
        let presented = parsed.map_err(|message| Failure::Refused(message.to_string()))?;
        let pepper = state.security.pepper();
        return match tokens::authenticate(&state.database, &presented, pepper, client.address).await
        {
            Ok((user, token, version)) => {
                let grants = grants_for(state, &user, version).await?;
                Ok(Identity {
                    user: Some(Arc::new(user)),
                    grants,
                    token: Some(token),
                })
            }
            Err(Refusal::Database(error)) => Err(Failure::Unavailable(error)),
            Err(refusal) => Err(Failure::Refused(refusal.to_string())),
        };
    }
    if let Some(cookie) = request.cookie(sessions::COOKIE)
        && let Some((user, version)) = sessions::lookup(&state.database, cookie.value()).await?
    {
        let grants = grants_for(state, &user, version).await?;
        return Ok(Identity {
            user: Some(Arc::new(user)),
            grants,
            token: None,
        });
    }
    Ok(Identity::anonymous(state.anonymous_grants.clone()))
}

/// The framework's view of an identity, for plugin handlers and templates.
pub fn current_user(identity: &Identity) -> CurrentUser {
    let info = identity.user.as_deref().map(|user| {
        Arc::new(UserInfo {
            id: user.id,
            username: user.username.clone(),
            is_superuser: user.is_superuser,
            is_staff: user.is_staff,
        })
    });
    CurrentUser::new(info, identity.grants.clone())
}

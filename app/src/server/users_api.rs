//! The users API: `/api/users/tokens/` (a user's own tokens; every token for superusers),
//! `/api/users/tokens/<id>/`, and `POST /api/users/tokens/provision/` (user name and password
//! in, a new token out, no other credentials needed), shaped like NetBox's.

use super::api_error::ApiError;
use super::security::context;
use super::state::AppState;
use super::urls::absolute;
use crate::auth::throttle::{self, Attempt};
use crate::auth::tokens::{self, NewToken, Token, TokenChanges};
use crate::auth::{User, users};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use ipnet::IpNet;
use serde::Deserialize;
use serde_json::{Value, json};
use std::time::SystemTime;

type ApiResult = Result<HttpResponse, ApiError>;

/// Registers the endpoints.
pub fn configure(config: &mut super::routing::HostRoutes) {
    config
        .route("/api/users/tokens/", web::get().to(list))
        .route("/api/users/tokens/", web::post().to(create))
        .route("/api/users/tokens/provision/", web::post().to(provision))
        .route("/api/users/tokens/{id}/", web::get().to(detail))
        .route("/api/users/tokens/{id}/", web::patch().to(change))
        .route("/api/users/tokens/{id}/", web::delete().to(destroy));
}

/// The signed-in user of a request (the middleware lets no anonymous request through here
/// unless sign-in is optional, in which case tokens are still refused to it).
fn signed_in(request: &HttpRequest) -> Result<(std::sync::Arc<User>, bool), ApiError> {
    let user = context::signed_in(request).ok_or_else(|| {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "Authentication credentials were not provided.",
        )
    })?;
    let superuser = user.is_superuser;
    Ok((user, superuser))
}

/// A token as the API shows it; `plaintext` only in the reply that creates it.
fn serialize(
    request: &HttpRequest,
    token: &Token,
    owner: Option<&str>,
    plaintext: Option<&str>,
) -> Value {
    let url = absolute(request, &format!("/api/users/tokens/{}/", token.id));
    let display = match &token.key {
        Some(key) => format!("nbt_{key}…"),
        None => format!("v1 token {}", token.id),
    };
    let mut value = json!({
        "id": token.id,
        "url": url,
        "display": display,
        "version": token.version,
        "key": token.key,
        "user": {
            "id": token.user_id,
            "username": owner,
            "url": absolute(request, &format!("/api/users/users/{}/", token.user_id)),
        },
        "description": token.description,
        "created": token.created,
        "expires": token.expires,
        "last_used": token.last_used,
        "enabled": token.enabled,
        "write_enabled": token.write_enabled,
        "allowed_ips": token.allowed_ips.iter().map(IpNet::to_string).collect::<Vec<_>>(),
    });
    if let Some(plaintext) = plaintext {
        value["token"] = Value::from(plaintext);
    }
    value
}

async fn owner_names(state: &AppState) -> Result<std::collections::HashMap<i64, String>, ApiError> {
    Ok(users::list(&state.database)
        .await?
        .into_iter()
        .map(|user| (user.id, user.username))
        .collect())
}

async fn list(request: HttpRequest, state: web::Data<AppState>) -> ApiResult {
    super::api_error::no_parameters(&request)?;
    let (user, superuser) = signed_in(&request)?;
    let owner = (!superuser).then_some(user.id);
    let found = tokens::list(&state.database, owner).await?;
    let names = owner_names(&state).await?;
    let results: Vec<Value> = found
        .iter()
        .map(|token| {
            serialize(
                &request,
                token,
                names.get(&token.user_id).map(String::as_str),
                None,
            )
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({
        "count": results.len(),
        "next": null,
        "previous": null,
        "results": results,
    })))
}

/// What a client may send to create a token.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenInput {
    #[serde(default)]
    description: String,
    #[serde(default = "yes")]
    write_enabled: bool,
    #[serde(default)]
    expires: Option<String>,
    #[serde(default)]
    allowed_ips: Vec<String>,
    #[serde(default)]
    version: Option<i64>,
    /// Owner (superusers only; default: the requester).
    #[serde(default)]
    user: Option<i64>,
    /// Only for `provision`.
    #[serde(default)]
    username: Option<String>,
    /// Only for `provision`.
    #[serde(default)]
    password: Option<String>,
}

fn yes() -> bool {
    true
}

fn field_error(field: &str, message: impl Into<String>) -> ApiError {
    let mut errors = crate::engine::clean::FieldErrors::new();
    crate::engine::clean::add_error(&mut errors, field, message.into());
    ApiError::fields(errors)
}

impl TokenInput {
    fn parse(body: Value) -> Result<Self, ApiError> {
        super::api_error::parse_object(body, &["expires"])
    }

    fn new_token(&self) -> Result<NewToken, ApiError> {
        Ok(NewToken {
            version: self.version.unwrap_or(2),
            description: self.description.clone(),
            expires: parse_expires(self.expires.as_deref())?,
            write_enabled: self.write_enabled,
            allowed_ips: parse_networks(&self.allowed_ips)?,
        })
    }
}

/// An expiry as sent (`None`, empty: none).
fn parse_expires(text: Option<&str>) -> Result<Option<SystemTime>, ApiError> {
    tokens::parse_expiry(text.unwrap_or_default())
        .map_err(|message| field_error("expires", message))
}

/// Client networks as sent.
fn parse_networks(texts: &[String]) -> Result<Vec<IpNet>, ApiError> {
    texts
        .iter()
        .map(|text| {
            tokens::parse_network(text).map_err(|message| field_error("allowed_ips", message))
        })
        .collect()
}

async fn create(
    request: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<Value>,
) -> ApiResult {
    let (user, superuser) = signed_in(&request)?;
    let input = TokenInput::parse(body.into_inner())?;
    if input.username.is_some() || input.password.is_some() {
        return Err(ApiError::bad_request(
            "username and password belong to /api/users/tokens/provision/.",
        ));
    }
    let owner = match input.user {
        Some(id) if id != user.id && !superuser => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "Only superusers may create tokens for other users.",
            ));
        }
        Some(id) => users::get(&state.database, id)
            .await?
            .ok_or_else(|| field_error("user", format!("There is no user {id}.")))?,
        None => (*user).clone(),
    };
    let mut new = input.new_token()?;
    if let Some(caller) = context::token_used(&request) {
        let caller = tokens::get(&state.database, caller.id)
            .await?
            .ok_or_else(ApiError::not_found)?;
        new = within(new, &caller)?;
    }
    issue(&request, &state, &owner, new).await
}

/// A token created with another token gets no more than that token has: it expires no later
/// and is limited to (a part of) the same client networks.
fn within(mut new: NewToken, caller: &Token) -> Result<NewToken, ApiError> {
    if let Some(limit) = caller
        .expires
        .as_deref()
        .and_then(|time| humantime::parse_rfc3339(time).ok())
    {
        match new.expires {
            Some(expires) if expires > limit => {
                return Err(field_error(
                    "expires",
                    "A token cannot outlive the token that creates it.",
                ));
            }
            Some(_) => {}
            None => new.expires = Some(limit),
        }
    }
    if !caller.allowed_ips.is_empty() {
        if new.allowed_ips.is_empty() {
            new.allowed_ips = caller.allowed_ips.clone();
        }
        let inside = |net: &IpNet| caller.allowed_ips.iter().any(|outer| outer.contains(net));
        if !new.allowed_ips.iter().all(inside) {
            return Err(field_error(
                "allowed_ips",
                "A token cannot allow networks the token that creates it does not.",
            ));
        }
    }
    Ok(new)
}

async fn provision(
    request: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<Value>,
) -> ApiResult {
    let input = TokenInput::parse(body.into_inner())?;
    let username: String = input
        .username
        .clone()
        .unwrap_or_default()
        .chars()
        .take(users::USERNAME_MAX)
        .collect();
    let password = input.password.clone().unwrap_or_default();
    if username.is_empty() || password.is_empty() {
        return Err(ApiError::bad_request("username and password are required."));
    }
    let address = context::client_address(&request);
    match throttle::sign_in(&state.database, &username, &password, &address).await? {
        Attempt::Accepted(user) => issue(&request, &state, &user, input.new_token()?).await,
        Attempt::Throttled => Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many failed sign-in attempts; try again later.",
        )),
        Attempt::Refused => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "Invalid username/password",
        )),
    }
}

/// Creates a token for `owner` from `input`: 201 with the token, shown this once.
async fn issue(request: &HttpRequest, state: &AppState, owner: &User, new: NewToken) -> ApiResult {
    let created = tokens::create(&state.database, owner.id, &new, state.security.pepper()).await?;
    let body = serialize(
        request,
        &created.token,
        Some(&owner.username),
        Some(&created.plaintext),
    );
    Ok(HttpResponse::Created().json(body))
}

/// The token `id` if the requester may see it (their own, or any for a superuser).
async fn visible(request: &HttpRequest, state: &AppState, id: &str) -> Result<Token, ApiError> {
    let (user, superuser) = signed_in(request)?;
    let id: i64 = id.parse().map_err(|_| ApiError::not_found())?;
    tokens::get(&state.database, id)
        .await?
        .filter(|token| superuser || token.user_id == user.id)
        .ok_or_else(ApiError::not_found)
}

async fn detail(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> ApiResult {
    let token = visible(&request, &state, &id).await?;
    let owner = users::get(&state.database, token.user_id).await?;
    let name = owner.as_ref().map(|user| user.username.as_str());
    Ok(HttpResponse::Ok().json(serialize(&request, &token, name, None)))
}

async fn destroy(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> ApiResult {
    let token = visible(&request, &state, &id).await?;
    tokens::delete(&state.database, token.id, None).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// What a client may change of a token.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenPatch {
    description: Option<String>,
    enabled: Option<bool>,
    write_enabled: Option<bool>,
    /// A date-time, or `null` / `""` for none.
    #[serde(default)]
    expires: Option<Value>,
    allowed_ips: Option<Vec<String>>,
}

async fn change(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Json<Value>,
) -> ApiResult {
    let token = visible(&request, &state, &id).await?;
    let body = body.into_inner();
    // `"expires": null` removes the expiry (serde would read it as absent).
    let clear_expiry = body.get("expires").is_some_and(Value::is_null);
    let patch: TokenPatch = super::api_error::parse_object(body, &["expires"])?;
    let expires = match &patch.expires {
        None if clear_expiry => Some(None),
        None => None,
        Some(Value::String(text)) => Some(parse_expires(Some(text))?),
        Some(other) => {
            return Err(field_error(
                "expires",
                format!("`{other}` is not a date-time."),
            ));
        }
    };
    let changes = TokenChanges {
        description: patch.description,
        enabled: patch.enabled,
        write_enabled: patch.write_enabled,
        expires,
        allowed_ips: patch
            .allowed_ips
            .as_deref()
            .map(parse_networks)
            .transpose()?,
    };
    // A token cannot widen a token beyond itself (itself included).
    let caller = context::token_used(&request)
        .filter(|_| changes.expires.is_some() || changes.allowed_ips.is_some());
    if let Some(caller) = caller {
        let caller = tokens::get(&state.database, caller.id)
            .await?
            .ok_or_else(ApiError::not_found)?;
        let after = NewToken {
            expires: changes.expires.unwrap_or_else(|| {
                token
                    .expires
                    .as_deref()
                    .and_then(|t| humantime::parse_rfc3339(t).ok())
            }),
            allowed_ips: changes
                .allowed_ips
                .clone()
                .unwrap_or_else(|| token.allowed_ips.clone()),
            ..NewToken::default()
        };
        let narrowed = within(after.clone(), &caller)?;
        if narrowed.expires != after.expires || narrowed.allowed_ips != after.allowed_ips {
            return Err(ApiError::bad_request(
                "A token cannot lift the expiry or network limits of the token that changes it.",
            ));
        }
    }
    let updated = tokens::update(&state.database, token.id, &changes).await?;
    let owner = users::get(&state.database, updated.user_id).await?;
    let name = owner.as_ref().map(|user| user.username.as_str());
    Ok(HttpResponse::Ok().json(serialize(&request, &updated, name, None)))
}

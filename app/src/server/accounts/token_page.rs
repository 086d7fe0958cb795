//! API tokens: "My API tokens" for everyone, every token for superusers.

use super::*;
use crate::auth::tokens::{self, NewToken};
use crate::auth::users;
use ipnet::IpNet;
pub(super) async fn token_page(
    request: &HttpRequest,
    state: &AppState,
    owner: Option<i64>,
    notice: Option<Notice>,
) -> Result<AdminPage, actix_web::Error> {
    let found = tokens::list(&state.database, owner)
        .await
        .map_err(unavailable)?;
    let names: std::collections::HashMap<i64, String> = users::list(&state.database)
        .await
        .map_err(unavailable)?
        .into_iter()
        .map(|user| (user.id, user.username))
        .collect();
    let rows = found
        .iter()
        .map(|token| AdminRow {
            id: token.id,
            cells: vec![
                token.key.as_ref().map_or_else(
                    || format!("v1 token {}", token.id),
                    |key| format!("nbt_{key}…"),
                ),
                names.get(&token.user_id).cloned().unwrap_or_default(),
                token.description.clone(),
                if token.write_enabled {
                    "read and write"
                } else {
                    "read only"
                }
                .to_string(),
                or_dash(token.expires.as_deref()),
                or_dash(token.last_used.as_deref()),
                token
                    .allowed_ips
                    .iter()
                    .map(IpNet::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            ],
        })
        .collect();
    let mine = owner.is_some();
    let fields = vec![
        field(
            "description",
            "Description",
            Input::Text(tokens::DESCRIPTION_MAX),
            "",
        ),
        field(
            "write_enabled",
            "Write enabled",
            Input::Check(true),
            "Unchecked: the token can only read.",
        ),
        field(
            "expires",
            "Expires",
            Input::Text(40),
            "Optional, e.g. 2027-01-31T12:00:00Z.",
        ),
        field(
            "allowed_ips",
            "Allowed networks",
            Input::Text(2000),
            "Optional, comma-separated, e.g. 192.0.2.0/24, 2001:db8::/32.",
        ),
    ];
    Ok(AdminPage {
        title: if mine { "My API tokens" } else { "API tokens" },
        template: AdminTemplate {
            notice,
            id: "tokens",
            headers: vec![
                "Token",
                "User",
                "Description",
                "Access",
                "Expires",
                "Last used",
                "Allowed networks",
            ],
            rows,
            delete_base: if mine {
                "/user/api-tokens/"
            } else {
                "/users/tokens/"
            },
            csrf: csrf_input(request),
            form_title: if mine {
                "New token"
            } else {
                "New token (for yourself)"
            },
            form_action: "/user/api-tokens/",
            fields,
            submit: "Create token",
        },
    })
}

pub(super) async fn my_tokens(request: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let user = signed_in(&request)?;
    token_page(&request, &state, Some(user.id), None)
        .await?
        .respond(&request, StatusCode::OK)
}

pub(super) async fn all_tokens(request: HttpRequest, state: web::Data<AppState>) -> PageResult {
    token_page(&request, &state, None, None)
        .await?
        .respond(&request, StatusCode::OK)
}

pub(super) async fn my_token_create(
    request: HttpRequest,
    state: web::Data<AppState>,
    form: Fields,
) -> PageResult {
    let user = signed_in(&request)?;
    let fields = form.into_inner();
    let expires =
        tokens::parse_expiry(value(&fields, "expires")).map_err(|e| format!("Expires: {e}"));
    let allowed: Result<Vec<IpNet>, String> = value(&fields, "allowed_ips")
        .split(',')
        .filter(|text| !text.trim().is_empty())
        .map(|text| tokens::parse_network(text).map_err(|e| format!("Allowed networks: {e}")))
        .collect();
    let outcome = match (expires, allowed) {
        (Ok(expires), Ok(allowed_ips)) => {
            let new = NewToken {
                description: value(&fields, "description").to_string(),
                write_enabled: checked(&fields, "write_enabled"),
                expires,
                allowed_ips,
                ..NewToken::default()
            };
            tokens::create(&state.database, user.id, &new, state.security.pepper())
                .await
                .map_err(|e| e.to_string())
        }
        (Err(message), _) | (_, Err(message)) => Err(message),
    };
    let (notice, status) = match outcome {
        Ok(created) => (
            Some(Notice {
                kind: "success",
                text: "Your new token; copy it now, it is not shown again:".to_string(),
                secret: Some(created.plaintext),
            }),
            StatusCode::CREATED,
        ),
        Err(message) => (error(message), StatusCode::BAD_REQUEST),
    };
    token_page(&request, &state, Some(user.id), notice)
        .await?
        .respond(&request, status)
}

pub(super) async fn my_token_delete(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> PageResult {
    let user = signed_in(&request)?;
    let deleted = tokens::delete(&state.database, *id, Some(user.id))
        .await
        .map_err(unavailable)?;
    if !deleted {
        return Err(actix_web::error::ErrorNotFound(
            "You have no API token with that ID.",
        ));
    }
    Ok(see_other("/user/api-tokens/"))
}

pub(super) async fn any_token_delete(state: web::Data<AppState>, id: web::Path<i64>) -> PageResult {
    tokens::delete(&state.database, *id, None)
        .await
        .map_err(unavailable)?;
    Ok(see_other("/users/tokens/"))
}

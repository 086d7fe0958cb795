//! API tokens, in NetBox's two formats: v1, 40 hexadecimal digits sent as
//! `Authorization: Token <token>`, and v2 (NetBox 4.5+), `nbt_<key>.<secret>` sent as
//! `Authorization: Bearer <token>`. Neither is stored in clear: a v1 token is found by its
//! SHA-256; a v2 token by its 12-character key, its secret checked against an HMAC-SHA256
//! keyed with the configured pepper. The clear token is shown once, when created.

use super::{AuthError, TokenUse, User, flag, users::read_user};
use crate::db::Database;
use crate::db::statement::{now, statement};
use crate::db::{hex, sha256_hex};
use hmac::{KeyInit, Mac};
use ipnet::IpNet;
use rand::RngExt;
use rand::distr::{Alphanumeric, SampleString};
use sea_query::{Expr, ExprTrait, Order, Query};
use sha2::Sha256;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::net::IpAddr;
use std::time::{Duration, SystemTime};

/// The longest description accepted.
pub const DESCRIPTION_MAX: usize = 200;
/// The most client networks a token may list.
pub const ALLOWED_IPS_MAX: usize = 100;

fn hmac_hex(pepper: &str, secret: &str) -> String {
    let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(pepper.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(secret.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// An expiry as a client writes it (RFC 3339; empty for none); `Err` says what is wrong.
///
/// ```
/// use netbox_app::auth::tokens::parse_expiry;
/// assert_eq!(parse_expiry(""), Ok(None));
/// assert!(parse_expiry("2027-01-31T12:00:00Z").unwrap().is_some());
/// assert!(parse_expiry("tomorrow").unwrap_err().contains("not a date-time"));
/// ```
pub fn parse_expiry(text: &str) -> Result<Option<SystemTime>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    humantime::parse_rfc3339_weak(text)
        .map(Some)
        .map_err(|_| format!("`{text}` is not a date-time (e.g. 2027-01-31T12:00:00Z)."))
}

/// A client network as a client writes it (a plain address is a /32 or /128).
///
/// ```
/// use netbox_app::auth::tokens::parse_network;
/// assert_eq!(parse_network("192.0.2.7").unwrap().to_string(), "192.0.2.7/32");
/// assert!(parse_network("lan").is_err());
/// ```
pub fn parse_network(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("`{text}` is not an IP network (e.g. 192.0.2.0/24)."))
}

/// A token as the API and pages show it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Primary key.
    pub id: i64,
    /// Owner.
    pub user_id: i64,
    /// 1 or 2.
    pub version: i64,
    /// The v2 key (the part before the dot); `None` for v1 tokens.
    pub key: Option<String>,
    /// What it is for.
    pub description: String,
    /// When it was created (RFC 3339).
    pub created: String,
    /// When it stops working, if ever.
    pub expires: Option<String>,
    /// When it was last used (updated at most once a minute).
    pub last_used: Option<String>,
    /// Disabled tokens are refused.
    pub enabled: bool,
    /// Whether it may be used for writes.
    pub write_enabled: bool,
    /// Client networks it may be used from (empty: any).
    pub allowed_ips: Vec<IpNet>,
}

/// What a new token should be.
#[derive(Debug, Clone)]
pub struct NewToken {
    /// 1 or 2 (default 2).
    pub version: i64,
    /// What it is for (at most [`DESCRIPTION_MAX`] characters).
    pub description: String,
    /// When it stops working (RFC 3339), if ever.
    pub expires: Option<SystemTime>,
    /// Whether it may be used for writes.
    pub write_enabled: bool,
    /// Client networks it may be used from (empty: any).
    pub allowed_ips: Vec<IpNet>,
}

impl Default for NewToken {
    fn default() -> Self {
        NewToken {
            version: 2,
            description: String::new(),
            expires: None,
            write_enabled: true,
            allowed_ips: Vec::new(),
        }
    }
}

/// A token just created: the stored record and the clear token, shown once.
#[derive(Debug, Clone)]
pub struct Created {
    /// The record.
    pub token: Token,
    /// The clear token to give to the client.
    pub plaintext: String,
}

/// A token as presented in an `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presented {
    /// A v1 token (40 characters).
    V1(String),
    /// A v2 token split into key and secret.
    V2 {
        /// The 12-character key.
        key: String,
        /// The 40-character secret.
        secret: String,
    },
}

/// Reads an `Authorization` header value: `Token <v>` or `Bearer <v>` (any case); `None` when
/// it is not a token at all (e.g. `Basic ...`), `Some(Err)` when it is a malformed one.
///
/// ```
/// use netbox_app::auth::tokens::{parse_header, Presented};
/// let v1 = "0123456789abcdef0123456789abcdef01234567";
/// assert_eq!(parse_header(&format!("Token {v1}")), Some(Ok(Presented::V1(v1.into()))));
/// assert!(matches!(parse_header("bearer nbt_abcdefABCDEF.0123456789012345678901234567890123456789"), Some(Ok(Presented::V2 { .. }))));
/// assert!(parse_header("Token short").unwrap().is_err());
/// assert_eq!(parse_header("Basic dXNlcg=="), None);
/// ```
pub fn parse_header(value: &str) -> Option<Result<Presented, &'static str>> {
    let (scheme, credential) = value.trim().split_once(' ')?;
    if !(scheme.eq_ignore_ascii_case("token") || scheme.eq_ignore_ascii_case("bearer")) {
        return None;
    }
    let credential = credential.trim();
    let alphanumeric = |text: &str| text.chars().all(|c| c.is_ascii_alphanumeric());
    if let Some(rest) = credential.strip_prefix("nbt_") {
        return Some(match rest.split_once('.') {
            Some((key, secret))
                if key.len() == 12
                    && secret.len() == 40
                    && alphanumeric(key)
                    && alphanumeric(secret) =>
            {
                Ok(Presented::V2 {
                    key: key.to_string(),
                    secret: secret.to_string(),
                })
            }
            _ => Err("Invalid v2 token"),
        });
    }
    if credential.len() == 40 && alphanumeric(credential) {
        Some(Ok(Presented::V1(credential.to_string())))
    } else {
        Some(Err("Invalid token"))
    }
}

/// Why a presented token was refused (NetBox's messages).
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// No such token, or the secret does not match.
    #[error("Invalid token")]
    Invalid,
    /// The token is disabled.
    #[error("Token disabled")]
    Disabled,
    /// The token has expired.
    #[error("Token expired")]
    Expired,
    /// The client's address is not among the token's allowed networks.
    #[error("Source IP {0} is not permitted to authenticate using this token.")]
    Address(String),
    /// The token's user is inactive.
    #[error("User inactive")]
    UserInactive,
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

fn is_past(time: &str) -> bool {
    humantime::parse_rfc3339(time).is_ok_and(|time| time <= SystemTime::now())
}

fn read_token(row: &AnyRow, prefix: &str) -> Result<Token, sqlx::Error> {
    let column = |name: &str| format!("{prefix}{name}");
    let version: i64 = row.try_get(column("version").as_str())?;
    let allowed: String = row.try_get(column("allowed_ips").as_str())?;
    let allowed_ips: Vec<String> = serde_json::from_str(&allowed).unwrap_or_default();
    Ok(Token {
        id: row.try_get(column("id").as_str())?,
        user_id: row.try_get(column("user_id").as_str())?,
        version,
        key: if version == 2 {
            Some(row.try_get(column("key").as_str())?)
        } else {
            None
        },
        description: row.try_get(column("description").as_str())?,
        created: row.try_get(column("created").as_str())?,
        expires: row.try_get(column("expires").as_str())?,
        last_used: row.try_get(column("last_used").as_str())?,
        enabled: flag(row, &column("enabled"))?,
        write_enabled: flag(row, &column("write_enabled"))?,
        allowed_ips: allowed_ips
            .iter()
            .filter_map(|net| net.parse().ok())
            .collect(),
    })
}

const TOKEN_COLUMNS: [&str; 12] = [
    "id",
    "user_id",
    "version",
    "key",
    "digest",
    "description",
    "created",
    "expires",
    "last_used",
    "enabled",
    "write_enabled",
    "allowed_ips",
];

/// Creates a token for `user_id`; `pepper` keys the v2 secret's HMAC.
pub async fn create(
    database: &Database,
    user_id: i64,
    new: &NewToken,
    pepper: &str,
) -> Result<Created, AuthError> {
    super::plain_text("description", &new.description)?;
    if new.description.chars().count() > DESCRIPTION_MAX {
        return Err(AuthError::Invalid(format!(
            "description: at most {DESCRIPTION_MAX} characters."
        )));
    }
    if new.allowed_ips.len() > ALLOWED_IPS_MAX {
        return Err(AuthError::Invalid(format!(
            "allowed_ips: at most {ALLOWED_IPS_MAX} networks."
        )));
    }
    if new.expires.is_some_and(|time| time <= SystemTime::now()) {
        return Err(AuthError::Invalid(
            "expires: the expiry must be in the future.".to_string(),
        ));
    }
    let (key, digest, plaintext) = match new.version {
        1 => {
            let bytes: [u8; 20] = rand::rng().random();
            let token = hex(&bytes);
            (sha256_hex(&token), "sha256".to_string(), token)
        }
        2 => {
            let key = Alphanumeric.sample_string(&mut rand::rng(), 12);
            let secret = Alphanumeric.sample_string(&mut rand::rng(), 40);
            let plaintext = format!("nbt_{key}.{secret}");
            (key, hmac_hex(pepper, &secret), plaintext)
        }
        other => {
            return Err(AuthError::Invalid(format!(
                "version: `{other}` is not a token version (1 or 2)."
            )));
        }
    };
    let expires = new
        .expires
        .map(|time| humantime::format_rfc3339_seconds(time).to_string());
    let allowed: Vec<String> = new.allowed_ips.iter().map(IpNet::to_string).collect();
    let insert = Query::insert()
        .into_table("users_token")
        .columns(TOKEN_COLUMNS[1..].iter().copied())
        .values_panic([
            user_id.into(),
            new.version.into(),
            key.into(),
            digest.into(),
            new.description.clone().into(),
            now().into(),
            expires.into(),
            Option::<String>::None.into(),
            1i64.into(),
            i64::from(new.write_enabled).into(),
            serde_json::to_string(&allowed).unwrap_or_default().into(),
        ])
        .returning_col("id")
        .take();
    let id: i64 = statement(database.backend(), &insert)
        .fetch_one(database.pool())
        .await?
        .try_get(0)?;
    let token = get(database, id).await?.ok_or(AuthError::NotFound)?;
    Ok(Created { token, plaintext })
}

/// One token.
pub async fn get(database: &Database, id: i64) -> Result<Option<Token>, sqlx::Error> {
    super::by_id(database, "users_token", &TOKEN_COLUMNS, id, |row| {
        read_token(row, "")
    })
    .await
}

/// The tokens of `owner`, or every token when `owner` is `None`, newest first.
pub async fn list(database: &Database, owner: Option<i64>) -> Result<Vec<Token>, sqlx::Error> {
    let mut select = Query::select()
        .columns(TOKEN_COLUMNS)
        .from("users_token")
        .order_by("id", Order::Desc)
        .take();
    if let Some(owner) = owner {
        select.and_where(Expr::col("user_id").eq(owner));
    }
    let rows = statement(database.backend(), &select)
        .fetch_all(database.pool())
        .await?;
    rows.iter().map(|row| read_token(row, "")).collect()
}

/// Deletes a token (only `owner`'s when given); false when there was none.
pub async fn delete(database: &Database, id: i64, owner: Option<i64>) -> Result<bool, sqlx::Error> {
    let mut delete = Query::delete()
        .from_table("users_token")
        .and_where(Expr::col("id").eq(id))
        .take();
    if let Some(owner) = owner {
        delete.and_where(Expr::col("user_id").eq(owner));
    }
    let done = statement(database.backend(), &delete)
        .execute(database.pool())
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The user a presented token belongs to, if the token is valid, enabled, unexpired, used
/// from an allowed network and its user active, with the permission version. Notes the use
/// (at most once a minute).
pub async fn authenticate(
    database: &Database,
    presented: &Presented,
    pepper: &str,
    client: Option<IpAddr>,
) -> Result<(User, TokenUse, i64), Refusal> {
    let lookup = match presented {
        Presented::V1(token) => sha256_hex(token),
        Presented::V2 { key, .. } => key.clone(),
    };
    let mut select = Query::select();
    for column in TOKEN_COLUMNS {
        select.expr_as(Expr::col(("users_token", column)), format!("t_{column}"));
    }
    select.columns(super::users::COLUMNS.map(|column| ("users_user", column)));
    select.expr_as(super::permissions::version_expression(), "authz_version");
    select
        .from("users_token")
        .inner_join(
            "users_user",
            Expr::col(("users_user", "id")).equals(("users_token", "user_id")),
        )
        .and_where(Expr::col(("users_token", "key")).eq(lookup));
    let Some(row) = statement(database.backend(), &select)
        .fetch_optional(database.pool())
        .await?
    else {
        return Err(Refusal::Invalid);
    };
    let token = read_token(&row, "t_")?;
    let digest: String = row.try_get("t_digest")?;
    let matches = match presented {
        Presented::V1(_) => token.version == 1,
        Presented::V2 { secret, .. } => {
            token.version == 2 && crate::auth::same_secret(&hmac_hex(pepper, secret), &digest)
        }
    };
    if !matches {
        return Err(Refusal::Invalid);
    }
    if !token.enabled {
        return Err(Refusal::Disabled);
    }
    if token.expires.as_deref().is_some_and(is_past) {
        return Err(Refusal::Expired);
    }
    if !token.allowed_ips.is_empty() {
        let allowed = client.is_some_and(|address| {
            token
                .allowed_ips
                .iter()
                .any(|network| network.contains(&address))
        });
        if !allowed {
            return Err(Refusal::Address(client.map_or_else(
                || "unknown".to_string(),
                |address| address.to_string(),
            )));
        }
    }
    let user = read_user(&row)?;
    if !user.is_active {
        return Err(Refusal::UserInactive);
    }
    let stale = token.last_used.as_deref().is_none_or(|time| {
        humantime::parse_rfc3339(time).map_or(true, |time| {
            SystemTime::now()
                .duration_since(time)
                .is_ok_and(|age| age > Duration::from_secs(60))
        })
    });
    if stale {
        let update = Query::update()
            .table("users_token")
            .value("last_used", now())
            .and_where(Expr::col("id").eq(token.id))
            .take();
        statement(database.backend(), &update)
            .execute(database.pool())
            .await?;
    }
    Ok((
        user,
        TokenUse {
            id: token.id,
            write_enabled: token.write_enabled,
        },
        row.try_get("authz_version")?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_depends_on_pepper_and_secret() {
        assert_ne!(hmac_hex("a", "s"), hmac_hex("b", "s"));
        assert_ne!(hmac_hex("a", "s"), hmac_hex("a", "t"));
        assert_eq!(hmac_hex("a", "s").len(), 64);
    }

    #[test]
    fn malformed_tokens_are_named() {
        assert_eq!(
            parse_header("Bearer nbt_short.x"),
            Some(Err("Invalid v2 token"))
        );
        assert_eq!(parse_header("Token"), None);
        assert!(crate::auth::same_secret("abc", "abc"));
        assert!(!crate::auth::same_secret("abc", "abd"));
        assert!(!crate::auth::same_secret("abc", "abcd"));
    }
}

/// Changes to a token; `None` leaves a value as it is (`expires: Some(None)` removes the
/// expiry).
#[derive(Debug, Clone, Default)]
pub struct TokenChanges {
    /// New description.
    pub description: Option<String>,
    /// Enabled or disabled.
    pub enabled: Option<bool>,
    /// Read and write, or read only.
    pub write_enabled: Option<bool>,
    /// New expiry.
    pub expires: Option<Option<SystemTime>>,
    /// New client networks.
    pub allowed_ips: Option<Vec<IpNet>>,
}

/// Applies `changes` to token `id`; the token after.
pub async fn update(
    database: &Database,
    id: i64,
    changes: &TokenChanges,
) -> Result<Token, AuthError> {
    let mut update = Query::update().table("users_token").take();
    if let Some(description) = &changes.description {
        super::plain_text("description", description)?;
        if description.chars().count() > DESCRIPTION_MAX {
            return Err(AuthError::Invalid(format!(
                "description: at most {DESCRIPTION_MAX} characters."
            )));
        }
        update.value("description", description.clone());
    }
    if let Some(enabled) = changes.enabled {
        update.value("enabled", i64::from(enabled));
    }
    if let Some(write_enabled) = changes.write_enabled {
        update.value("write_enabled", i64::from(write_enabled));
    }
    if let Some(expires) = changes.expires {
        let text = expires.map(|time| humantime::format_rfc3339_seconds(time).to_string());
        update.value("expires", text);
    }
    if let Some(networks) = &changes.allowed_ips {
        if networks.len() > ALLOWED_IPS_MAX {
            return Err(AuthError::Invalid(format!(
                "allowed_ips: at most {ALLOWED_IPS_MAX} networks."
            )));
        }
        let texts: Vec<String> = networks.iter().map(IpNet::to_string).collect();
        update.value(
            "allowed_ips",
            serde_json::to_string(&texts).unwrap_or_default(),
        );
    }
    if !update.get_values().is_empty() {
        update.and_where(Expr::col("id").eq(id));
        statement(database.backend(), &update)
            .execute(database.pool())
            .await?;
    }
    get(database, id).await?.ok_or(AuthError::NotFound)
}

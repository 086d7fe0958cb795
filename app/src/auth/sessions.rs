//! Sign-in sessions, stored in the database so that every instance behind a load balancer
//! knows them. The cookie carries a random value; the table holds only its SHA-256, so a copy
//! of the database signs nobody in.

use super::{User, users::read_user};
use crate::db::Database;
use crate::db::sha256_hex;
use crate::db::statement::statement;
use rand::distr::{Alphanumeric, SampleString};
use sea_query::{Expr, ExprTrait, Query};
use sqlx::Row;
use std::time::{Duration, SystemTime};

/// The name of the session cookie (NetBox's).
pub const COOKIE: &str = "sessionid";

fn rfc3339(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}

/// Starts a session for `user_id` lasting `age`; returns the cookie value.
pub async fn create(
    database: &Database,
    user_id: i64,
    age: Duration,
) -> Result<String, sqlx::Error> {
    let value = Alphanumeric.sample_string(&mut rand::rng(), 48);
    let now = SystemTime::now();
    let insert = Query::insert()
        .into_table("users_session")
        .columns(["key", "user_id", "created", "expires"])
        .values_panic([
            sha256_hex(&value).into(),
            user_id.into(),
            rfc3339(now).into(),
            rfc3339(now + age).into(),
        ])
        .take();
    statement(database.backend(), &insert)
        .execute(database.pool())
        .await?;
    Ok(value)
}

/// The active user of an unexpired session, with the permission version read in the same
/// query (see [`super::permissions::GrantCache`]).
pub async fn lookup(database: &Database, value: &str) -> Result<Option<(User, i64)>, sqlx::Error> {
    if value.len() != 48 {
        return Ok(None);
    }
    let select = Query::select()
        .columns(super::users::COLUMNS.map(|column| ("users_user", column)))
        .column(("users_session", "expires"))
        .expr_as(super::permissions::version_expression(), "authz_version")
        .from("users_session")
        .inner_join(
            "users_user",
            Expr::col(("users_user", "id")).equals(("users_session", "user_id")),
        )
        .and_where(Expr::col(("users_session", "key")).eq(sha256_hex(value)))
        .take();
    let Some(row) = statement(database.backend(), &select)
        .fetch_optional(database.pool())
        .await?
    else {
        return Ok(None);
    };
    let expires: String = row.try_get("expires")?;
    let expired = humantime::parse_rfc3339(&expires).map_or(true, |time| time <= SystemTime::now());
    let user = read_user(&row)?;
    if expired || !user.is_active {
        end(database, value).await?;
        return Ok(None);
    }
    Ok(Some((user, row.try_get("authz_version")?)))
}

/// Ends a session (signing out).
pub async fn end(database: &Database, value: &str) -> Result<(), sqlx::Error> {
    let delete = Query::delete()
        .from_table("users_session")
        .and_where(Expr::col("key").eq(sha256_hex(value)))
        .take();
    statement(database.backend(), &delete)
        .execute(database.pool())
        .await?;
    Ok(())
}

/// Removes expired sessions (run at startup).
pub async fn purge_expired(database: &Database) -> Result<u64, sqlx::Error> {
    let delete = Query::delete()
        .from_table("users_session")
        .and_where(Expr::col("expires").lt(rfc3339(SystemTime::now())))
        .take();
    let done = statement(database.backend(), &delete)
        .execute(database.pool())
        .await?;
    Ok(done.rows_affected())
}

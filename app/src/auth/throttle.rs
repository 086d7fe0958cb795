//! Failed sign-in throttling, per user name and per client address, kept in the database so
//! that it holds across instances: after [`PER_USER`] failures for one user name, or
//! [`PER_ADDRESS`] from one address, within [`WINDOW`], further attempts are refused until the
//! oldest failure leaves the window. A successful sign-in clears the user name's failures.

use crate::db::Database;
use crate::db::statement::statement;
use sea_query::{Asterisk, Expr, ExprTrait, Query};
use sqlx::Row;
use std::time::{Duration, SystemTime};

/// Failures of one user name allowed within the window.
pub const PER_USER: i64 = 5;
/// Failures from one address allowed within the window.
pub const PER_ADDRESS: i64 = 20;
/// How long a failure counts.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

fn since() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now() - WINDOW).to_string()
}

async fn failures(database: &Database, column: &str, value: &str) -> Result<i64, sqlx::Error> {
    let select = Query::select()
        .expr(Expr::col(Asterisk).count())
        .from("users_login_failure")
        .and_where(Expr::col(column.to_string()).eq(value))
        .and_where(Expr::col("time").gte(since()))
        .take();
    statement(database.backend(), &select)
        .fetch_one(database.pool())
        .await?
        .try_get(0)
}

/// Counts an attempt as a failure before it is tried (so that attempts made at the same
/// moment all count), after forgetting failures older than the window; its row id.
async fn record_attempt(
    database: &Database,
    username: &str,
    address: &str,
) -> Result<i64, sqlx::Error> {
    let purge = Query::delete()
        .from_table("users_login_failure")
        .and_where(Expr::col("time").lt(since()))
        .take();
    statement(database.backend(), &purge)
        .execute(database.pool())
        .await?;
    let insert = Query::insert()
        .into_table("users_login_failure")
        .columns(["username", "address", "time"])
        .values_panic([
            username.into(),
            address.into(),
            crate::db::statement::now().into(),
        ])
        .returning_col("id")
        .take();
    statement(database.backend(), &insert)
        .fetch_one(database.pool())
        .await?
        .try_get(0)
}

/// Forgets one attempt (a refused one does not extend the lock-out).
async fn forget(database: &Database, id: i64) -> Result<(), sqlx::Error> {
    let delete = Query::delete()
        .from_table("users_login_failure")
        .and_where(Expr::col("id").eq(id))
        .take();
    statement(database.backend(), &delete)
        .execute(database.pool())
        .await?;
    Ok(())
}

/// Forgets a user name's failures after it signed in.
pub async fn clear(database: &Database, username: &str) -> Result<(), sqlx::Error> {
    let delete = Query::delete()
        .from_table("users_login_failure")
        .and_where(Expr::col("username").eq(username))
        .take();
    statement(database.backend(), &delete)
        .execute(database.pool())
        .await?;
    Ok(())
}

/// What a sign-in attempt (form or token provisioning) came to.
#[derive(Debug)]
pub enum Attempt {
    /// Too many recent failures: not even tried.
    Throttled,
    /// Wrong name or password, or an inactive account (recorded as a failure).
    Refused,
    /// The user.
    Accepted(super::User),
}

/// Tries `username` and `password` from `address`, throttled and recorded as above. Attempts
/// made at the same moment cannot slip past the limit: each is recorded before the failures
/// are counted.
pub async fn sign_in(
    database: &Database,
    username: &str,
    password: &str,
    address: &str,
) -> Result<Attempt, sqlx::Error> {
    // This attempt counts among the failures until it succeeds.
    let attempt = record_attempt(database, username, address).await?;
    let throttled = failures(database, "username", username).await? > PER_USER
        || failures(database, "address", address).await? > PER_ADDRESS;
    if throttled {
        forget(database, attempt).await?;
        tracing::warn!(%username, %address, "sign-in refused: too many failures");
        return Ok(Attempt::Throttled);
    }
    match super::users::authenticate(database, username, password).await? {
        Some(user) => {
            clear(database, username).await?;
            Ok(Attempt::Accepted(user))
        }
        None => {
            tracing::warn!(%username, %address, "sign-in failed");
            Ok(Attempt::Refused)
        }
    }
}

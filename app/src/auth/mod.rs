//! Who may do what: users and groups, password hashing, API tokens, sign-in sessions, failed
//! sign-in throttling and object permissions. Plain data and SQL, no HTTP: the web layer
//! (`server/security/`) turns requests into an [`Identity`], the model engine applies its
//! [`Grants`](permissions::Grants), and commands (`createsuperuser`) call it directly.

pub mod groups;
pub mod passwords;
pub mod permissions;
pub mod records;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod users;

use permissions::Grants;
use std::sync::Arc;

/// A user account, as requests and commands see it (never with its password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Primary key.
    pub id: i64,
    /// Unique sign-in name.
    pub username: String,
    /// E-mail address (may be empty).
    pub email: String,
    /// Inactive users cannot sign in and their tokens and sessions stop working.
    pub is_active: bool,
    /// May use the admin pages (kept for NetBox compatibility; superuser decides).
    pub is_staff: bool,
    /// Bypasses every permission check.
    pub is_superuser: bool,
}

/// Who makes a request: a signed-in user (by session or token) or nobody, and what they may do.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The user, `None` for an anonymous request.
    pub user: Option<Arc<User>>,
    /// What the user may do (for anonymous requests: the views exempted from sign-in).
    pub grants: Arc<Grants>,
    /// The API token used, when the request carried one.
    pub token: Option<TokenUse>,
}

/// The token a request authenticated with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenUse {
    /// The token's id.
    pub id: i64,
    /// Whether it may be used for writes.
    pub write_enabled: bool,
}

impl Identity {
    /// An anonymous request allowed what `grants` allow.
    pub fn anonymous(grants: Arc<Grants>) -> Self {
        Identity {
            user: None,
            grants,
            token: None,
        }
    }

    /// The user's name, or `anonymous`.
    pub fn name(&self) -> &str {
        self.user
            .as_deref()
            .map_or("anonymous", |user| user.username.as_str())
    }
}

/// Why an account operation failed.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Input that cannot be used, with a message naming what is wrong.
    #[error("{0}")]
    Invalid(String),
    /// The object does not exist.
    #[error("not found")]
    NotFound,
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Reads a 0/1 column as a boolean (both backends store booleans as integers).
pub(crate) fn flag(row: &sqlx::any::AnyRow, column: &str) -> Result<bool, sqlx::Error> {
    use sqlx::Row;
    Ok(row.try_get::<i64, _>(column)? != 0)
}

/// Whether two secrets are equal, compared in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// One row of `table` by id, read with `read`.
pub(crate) async fn by_id<T>(
    database: &crate::db::Database,
    table: &'static str,
    columns: &[&'static str],
    id: i64,
    read: impl Fn(&sqlx::any::AnyRow) -> Result<T, sqlx::Error>,
) -> Result<Option<T>, sqlx::Error> {
    use sea_query::{Expr, ExprTrait, Query};
    let select = Query::select()
        .columns(columns.iter().copied())
        .from(table)
        .and_where(Expr::col("id").eq(id))
        .take();
    let row = crate::db::statement::statement(database.backend(), &select)
        .fetch_optional(database.pool())
        .await?;
    row.as_ref().map(read).transpose()
}

/// Deletes the row `id` of `table` (a user, group or permission: rows that decide who may do
/// what, so cached grants are marked stale in the same transaction); false when there was none.
pub(crate) async fn delete_by_id(
    database: &crate::db::Database,
    table: &'static str,
    id: i64,
) -> Result<bool, sqlx::Error> {
    use sea_query::{Expr, ExprTrait, Query};
    let mut transaction = database.begin_write().await?;
    let delete = Query::delete()
        .from_table(table)
        .and_where(Expr::col("id").eq(id))
        .take();
    let done = crate::db::statement::statement(database.backend(), &delete)
        .execute(&mut *transaction)
        .await?;
    permissions::bump_version(database, &mut transaction).await?;
    transaction.commit().await?;
    Ok(done.rows_affected() > 0)
}

/// The rows of `table` ordered by `order` (only the row `id` when given).
pub(crate) async fn rows(
    database: &crate::db::Database,
    table: &'static str,
    columns: &[&'static str],
    order: &'static str,
    id: Option<i64>,
) -> Result<Vec<sqlx::any::AnyRow>, sqlx::Error> {
    use sea_query::{Expr, ExprTrait, Order, Query};
    let mut select = Query::select()
        .columns(columns.iter().copied())
        .from(table)
        .order_by(order, Order::Asc)
        .take();
    if let Some(id) = id {
        select.and_where(Expr::col("id").eq(id));
    }
    crate::db::statement::statement(database.backend(), &select)
        .fetch_all(database.pool())
        .await
}

/// The members of a link table (`owner` column to `member` column), by owner.
pub(crate) async fn links(
    database: &crate::db::Database,
    table: &'static str,
    owner: &'static str,
    member: &'static str,
) -> Result<std::collections::HashMap<i64, Vec<i64>>, sqlx::Error> {
    use sqlx::Row;
    let mut found: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for row in rows(database, table, &[owner, member], member, None).await? {
        found
            .entry(row.try_get(0)?)
            .or_default()
            .push(row.try_get(1)?);
    }
    Ok(found)
}

/// `Err` naming `field` when `text` holds a control character (a NUL byte, an escape...):
/// names and descriptions are one line of plain text.
pub(crate) fn plain_text(field: &str, text: &str) -> Result<(), AuthError> {
    if text.chars().any(char::is_control) {
        return Err(AuthError::Invalid(format!(
            "{field}: control characters (such as NUL) are not allowed."
        )));
    }
    Ok(())
}

/// A link table: its name, the column of the owner and the column of the members (users or
/// groups).
pub(crate) struct LinkTable {
    pub table: &'static str,
    pub owner: &'static str,
    pub member: &'static str,
}

/// Replaces the members of `owner_id` in `link` by `members` (each once), inside the caller's
/// transaction; a member that does not exist is an error naming it.
pub(crate) async fn replace_links(
    database: &crate::db::Database,
    connection: &mut sqlx::AnyConnection,
    link: &LinkTable,
    owner_id: i64,
    members: &[i64],
) -> Result<(), AuthError> {
    use crate::db::statement::statement;
    use sea_query::{Expr, ExprTrait, Query};
    let clear = Query::delete()
        .from_table(link.table)
        .and_where(Expr::col(link.owner).eq(owner_id))
        .take();
    statement(database.backend(), &clear)
        .execute(&mut *connection)
        .await?;
    let mut members = members.to_vec();
    members.sort_unstable();
    members.dedup();
    for member in members {
        let insert = Query::insert()
            .into_table(link.table)
            .columns([link.owner, link.member])
            .values_panic([owner_id.into(), member.into()])
            .take();
        // Members are distinct: the only failure left is one that does not exist.
        if statement(database.backend(), &insert)
            .execute(&mut *connection)
            .await
            .is_err()
        {
            let what = link.member.trim_end_matches("_id");
            return Err(AuthError::Invalid(format!(
                "{what}s: there is no {what} {member}."
            )));
        }
    }
    Ok(())
}

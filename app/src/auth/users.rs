//! User accounts and groups in the database.

use super::{AuthError, User, flag, passwords};
use crate::db::Database;
use crate::db::statement::{now, statement};
use sea_query::{Asterisk, Expr, ExprTrait, Order, Query};
use sqlx::Row;
use sqlx::any::AnyRow;

/// The longest user name accepted (Django's limit).
pub const USERNAME_MAX: usize = 150;
/// The longest e-mail address accepted.
pub const EMAIL_MAX: usize = 254;

/// A user to create.
#[derive(Debug, Clone, Default)]
pub struct NewUser<'a> {
    /// Sign-in name: letters, digits and `@ . + - _`.
    pub username: &'a str,
    /// E-mail address, may be empty.
    pub email: &'a str,
    /// The password in clear (checked for strength, stored hashed).
    pub password: &'a str,
    /// Superuser: may do everything.
    pub is_superuser: bool,
}

/// Why a user name cannot be used, or `Ok`.
///
/// ```
/// use netbox_app::auth::users::check_username;
/// assert!(check_username("jane.doe@example").is_ok());
/// assert!(check_username("").is_err());
/// assert!(check_username("jane doe").unwrap_err().contains("letters, digits"));
/// ```
pub fn check_username(username: &str) -> Result<(), String> {
    if username.is_empty() {
        return Err("The user name is required.".to_string());
    }
    if username.chars().count() > USERNAME_MAX {
        return Err(format!(
            "The user name must have at most {USERNAME_MAX} characters."
        ));
    }
    let allowed = |c: char| c.is_alphanumeric() || "@.+-_".contains(c);
    if !username.chars().all(allowed) {
        return Err(
            "The user name may contain only letters, digits and the characters @ . + - _"
                .to_string(),
        );
    }
    Ok(())
}

fn check_email(email: &str) -> Result<(), String> {
    if email.chars().any(char::is_control) {
        return Err("The e-mail address may not contain control characters.".to_string());
    }
    if email.chars().count() > EMAIL_MAX {
        return Err(format!(
            "The e-mail address must have at most {EMAIL_MAX} characters."
        ));
    }
    if !email.is_empty() && !email.contains('@') {
        return Err(format!("`{email}` is not an e-mail address."));
    }
    Ok(())
}

/// The columns [`read_user`] reads.
pub(crate) const COLUMNS: [&str; 6] = [
    "id",
    "username",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
];

pub(crate) fn read_user(row: &AnyRow) -> Result<User, sqlx::Error> {
    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        email: row.try_get("email")?,
        is_active: flag(row, "is_active")?,
        is_staff: flag(row, "is_staff")?,
        is_superuser: flag(row, "is_superuser")?,
    })
}

/// Creates a user; a taken name, a weak password or a malformed e-mail address is
/// [`AuthError::Invalid`] naming it.
pub async fn create(database: &Database, new: &NewUser<'_>) -> Result<User, AuthError> {
    check_username(new.username).map_err(AuthError::Invalid)?;
    check_email(new.email).map_err(AuthError::Invalid)?;
    passwords::check_strength(new.password).map_err(AuthError::Invalid)?;
    let hash = passwords::hash(new.password).map_err(AuthError::Invalid)?;
    let mut transaction = database.begin_write().await?;
    let taken = Query::select()
        .expr(Expr::col(Asterisk).count())
        .from("users_user")
        .and_where(Expr::col("username").eq(new.username))
        .take();
    let taken: i64 = statement(database.backend(), &taken)
        .fetch_one(&mut *transaction)
        .await?
        .try_get(0)?;
    if taken > 0 {
        return Err(AuthError::Invalid(format!(
            "A user named `{}` already exists.",
            new.username
        )));
    }
    let insert = Query::insert()
        .into_table("users_user")
        .columns([
            "username",
            "email",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
            "date_joined",
        ])
        .values_panic([
            new.username.into(),
            new.email.into(),
            hash.into(),
            1i64.into(),
            i64::from(new.is_superuser).into(),
            i64::from(new.is_superuser).into(),
            now().into(),
        ])
        .returning_col("id")
        .take();
    let id: i64 = statement(database.backend(), &insert)
        .fetch_one(&mut *transaction)
        .await?
        .try_get(0)?;
    super::permissions::bump_version(database, &mut transaction).await?;
    transaction.commit().await?;
    Ok(User {
        id,
        username: new.username.to_string(),
        email: new.email.to_string(),
        is_active: true,
        is_staff: new.is_superuser,
        is_superuser: new.is_superuser,
    })
}

/// The number of active superusers.
pub async fn count_superusers(database: &Database) -> Result<i64, sqlx::Error> {
    let select = Query::select()
        .expr(Expr::col(Asterisk).count())
        .from("users_user")
        .and_where(Expr::col("is_superuser").eq(1))
        .and_where(Expr::col("is_active").eq(1))
        .take();
    statement(database.backend(), &select)
        .fetch_one(database.pool())
        .await?
        .try_get(0)
}

/// A user by name, with the stored password hash.
pub async fn by_username(
    database: &Database,
    username: &str,
) -> Result<Option<(User, String)>, sqlx::Error> {
    let select = Query::select()
        .columns(COLUMNS)
        .column("password")
        .from("users_user")
        .and_where(Expr::col("username").eq(username))
        .take();
    let row = statement(database.backend(), &select)
        .fetch_optional(database.pool())
        .await?;
    row.map(|row| Ok((read_user(&row)?, row.try_get("password")?)))
        .transpose()
}

/// A user by id.
pub async fn get(database: &Database, id: i64) -> Result<Option<User>, sqlx::Error> {
    super::by_id(database, "users_user", &COLUMNS, id, read_user).await
}

/// Every user, by name.
pub async fn list(database: &Database) -> Result<Vec<User>, sqlx::Error> {
    let select = Query::select()
        .columns(COLUMNS)
        .from("users_user")
        .order_by("username", Order::Asc)
        .take();
    let rows = statement(database.backend(), &select)
        .fetch_all(database.pool())
        .await?;
    rows.iter().map(read_user).collect()
}

/// Notes a successful sign-in.
pub async fn record_login(database: &Database, id: i64) -> Result<(), sqlx::Error> {
    let update = Query::update()
        .table("users_user")
        .value("last_login", now())
        .and_where(Expr::col("id").eq(id))
        .take();
    statement(database.backend(), &update)
        .execute(database.pool())
        .await?;
    Ok(())
}

/// The user with that name and password, if both match and the account is active. Takes as
/// long for an unknown user as for a wrong password.
pub async fn authenticate(
    database: &Database,
    username: &str,
    password: &str,
) -> Result<Option<User>, sqlx::Error> {
    let found = by_username(database, username).await?;
    let hash = found
        .as_ref()
        .map_or(passwords::dummy_hash(), |(_, hash)| hash.as_str())
        .to_string();
    let password = password.to_string();
    // Argon2 takes tens of milliseconds of CPU: off the async workers.
    let matches = tokio::task::spawn_blocking(move || passwords::verify(&hash, &password))
        .await
        .unwrap_or(false);
    Ok(found
        .filter(|(user, _)| matches && user.is_active)
        .map(|(user, _)| user))
}

/// Changes to a user; `None` leaves a value as it is.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    /// New e-mail address.
    pub email: Option<String>,
    /// New password (checked for strength, stored hashed).
    pub password: Option<String>,
    /// Active or not (inactive users cannot sign in; their sessions and tokens stop working).
    pub is_active: Option<bool>,
    /// Superuser or not.
    pub is_superuser: Option<bool>,
}

/// Applies `changes` to user `id`; the user after. A new password or a deactivation ends the
/// user's sessions in the same transaction.
pub async fn update(
    database: &Database,
    id: i64,
    changes: &UserChanges,
) -> Result<User, AuthError> {
    let mut update = Query::update().table("users_user").take();
    if let Some(email) = &changes.email {
        check_email(email).map_err(AuthError::Invalid)?;
        update.value("email", email.clone());
    }
    if let Some(password) = &changes.password {
        passwords::check_strength(password).map_err(AuthError::Invalid)?;
        update.value(
            "password",
            passwords::hash(password).map_err(AuthError::Invalid)?,
        );
    }
    if let Some(active) = changes.is_active {
        update.value("is_active", i64::from(active));
    }
    if let Some(superuser) = changes.is_superuser {
        update.value("is_superuser", i64::from(superuser));
        update.value("is_staff", i64::from(superuser));
    }
    let mut transaction = database.begin_write().await?;
    if update.get_values().is_empty() {
        transaction.rollback().await?;
    } else {
        update.and_where(Expr::col("id").eq(id));
        let done = statement(database.backend(), &update)
            .execute(&mut *transaction)
            .await?;
        if done.rows_affected() == 0 {
            return Err(AuthError::NotFound);
        }
        // A new password or a deactivation signs the user out everywhere.
        if changes.password.is_some() || changes.is_active == Some(false) {
            let end = Query::delete()
                .from_table("users_session")
                .and_where(Expr::col("user_id").eq(id))
                .take();
            statement(database.backend(), &end)
                .execute(&mut *transaction)
                .await?;
        }
        super::permissions::bump_version(database, &mut transaction).await?;
        transaction.commit().await?;
    }
    get(database, id).await?.ok_or(AuthError::NotFound)
}

/// Deletes user `id` (with their tokens, sessions and memberships); false when there was none.
pub async fn delete(database: &Database, id: i64) -> Result<bool, sqlx::Error> {
    super::delete_by_id(database, "users_user", id).await
}

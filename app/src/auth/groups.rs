//! Groups of users: a permission given to a group is held by each member.

use super::AuthError;
use super::permissions::bump_version;
use super::records::is_unique_violation;
use crate::db::Database;
use crate::db::statement::statement;
use sea_query::{Expr, ExprTrait, Query};
use sqlx::Row;

fn check(name: &str, description: &str) -> Result<(), AuthError> {
    super::plain_text("name", name)?;
    super::plain_text("description", description)?;
    if name.trim().is_empty() || name.chars().count() > 150 || description.chars().count() > 200 {
        return Err(AuthError::Invalid(
            "name: required, at most 150 characters; description: at most 200.".to_string(),
        ));
    }
    Ok(())
}

/// Creates a group; returns its id.
pub async fn create_group(
    database: &Database,
    name: &str,
    description: &str,
) -> Result<i64, AuthError> {
    check(name, description)?;
    let insert = Query::insert()
        .into_table("users_group")
        .columns(["name", "description"])
        .values_panic([name.into(), description.into()])
        .returning_col("id")
        .take();
    match statement(database.backend(), &insert)
        .fetch_one(database.pool())
        .await
    {
        Ok(row) => Ok(row.try_get(0)?),
        Err(error) if is_unique_violation(&error) => Err(AuthError::Invalid(format!(
            "name: a group named `{name}` exists."
        ))),
        Err(error) => Err(error.into()),
    }
}

/// Adds a user to a group.
pub async fn add_member(database: &Database, group_id: i64, user_id: i64) -> Result<(), AuthError> {
    let mut transaction = database.begin_write().await?;
    let insert = Query::insert()
        .into_table("users_user_groups")
        .columns(["user_id", "group_id"])
        .values_panic([user_id.into(), group_id.into()])
        .take();
    statement(database.backend(), &insert)
        .execute(&mut *transaction)
        .await?;
    bump_version(database, &mut transaction).await?;
    transaction.commit().await?;
    Ok(())
}

/// Removes a user from a group.
pub async fn remove_member(
    database: &Database,
    group_id: i64,
    user_id: i64,
) -> Result<(), AuthError> {
    let mut transaction = database.begin_write().await?;
    let delete = Query::delete()
        .from_table("users_user_groups")
        .and_where(Expr::col("user_id").eq(user_id))
        .and_where(Expr::col("group_id").eq(group_id))
        .take();
    statement(database.backend(), &delete)
        .execute(&mut *transaction)
        .await?;
    bump_version(database, &mut transaction).await?;
    transaction.commit().await?;
    Ok(())
}

/// A group with its members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Primary key.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// Members' ids.
    pub members: Vec<i64>,
}

/// Every group (or the one `id`), by name.
pub async fn list(database: &Database, id: Option<i64>) -> Result<Vec<Group>, sqlx::Error> {
    let rows = super::rows(
        database,
        "users_group",
        &["id", "name", "description"],
        "name",
        id,
    )
    .await?;
    let mut members = super::links(database, "users_user_groups", "group_id", "user_id").await?;
    rows.iter()
        .map(|row| {
            let id: i64 = row.try_get("id")?;
            Ok(Group {
                id,
                name: row.try_get("name")?,
                description: row.try_get("description")?,
                members: members.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}

/// Deletes a group; false when there was none.
pub async fn delete(database: &Database, id: i64) -> Result<bool, sqlx::Error> {
    super::delete_by_id(database, "users_group", id).await
}

/// Renames or redescribes group `id` and, when `members` is given, replaces its members.
pub async fn update(
    database: &Database,
    id: i64,
    name: &str,
    description: &str,
    members: Option<&[i64]>,
) -> Result<(), AuthError> {
    check(name, description)?;
    let mut transaction = database.begin_write().await?;
    let update = Query::update()
        .table("users_group")
        .values([("name", name.into()), ("description", description.into())])
        .and_where(Expr::col("id").eq(id))
        .take();
    match statement(database.backend(), &update)
        .execute(&mut *transaction)
        .await
    {
        Ok(done) if done.rows_affected() == 0 => return Err(AuthError::NotFound),
        Ok(_) => {}
        Err(error) if is_unique_violation(&error) => {
            return Err(AuthError::Invalid(format!(
                "name: a group named `{name}` exists."
            )));
        }
        Err(error) => return Err(error.into()),
    }
    if let Some(members) = members {
        let link = super::LinkTable {
            table: "users_user_groups",
            owner: "group_id",
            member: "user_id",
        };
        super::replace_links(database, &mut transaction, &link, id, members).await?;
    }
    bump_version(database, &mut transaction).await?;
    transaction.commit().await?;
    Ok(())
}

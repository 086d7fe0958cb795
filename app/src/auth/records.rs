//! Stored object permissions: create, list, read and delete them (the admin API and pages),
//! each change marking cached grants stale.

use super::AuthError;
use super::permissions::{ModelCatalog, STANDARD_ACTIONS, Scope, bump_version, scope_of};
use crate::db::Database;
use crate::db::statement::statement;
use sea_query::{Expr, ExprTrait, Query};
use serde_json::Value;
use sqlx::Row;

/// What a permission is: the fields of one to create, and of a stored one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewPermission {
    /// Unique name.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// Model keys, e.g. `dcim.site`.
    pub object_types: Vec<String>,
    /// Actions.
    pub actions: Vec<String>,
    /// Constraints (object, list of objects, or `None` for all objects).
    pub constraints: Option<Value>,
    /// Users given it, by id.
    pub users: Vec<i64>,
    /// Groups given it, by id.
    pub groups: Vec<i64>,
}

/// Creates a permission (enabled or not) after checking it (see [`check`]); its id.
pub async fn create(
    database: &Database,
    new: &NewPermission,
    enabled: bool,
    models: &dyn ModelCatalog,
) -> Result<i64, AuthError> {
    save(database, None, new, enabled, models).await
}

/// Replaces permission `id` with `spec` (and `enabled`), checked as a new one is.
pub async fn update(
    database: &Database,
    id: i64,
    spec: &NewPermission,
    enabled: bool,
    models: &dyn ModelCatalog,
) -> Result<(), AuthError> {
    save(database, Some(id), spec, enabled, models)
        .await
        .map(|_| ())
}

/// Checks a permission: known object types, known actions (standard or custom actions of
/// the model), constraints of the right shape on existing fields, bounded sizes.
fn check(new: &NewPermission, models: &dyn ModelCatalog) -> Result<(), AuthError> {
    let invalid = |message: String| Err(AuthError::Invalid(message));
    super::plain_text("name", &new.name)?;
    super::plain_text("description", &new.description)?;
    if new.name.trim().is_empty() || new.name.chars().count() > 100 {
        return invalid("name: required, at most 100 characters.".to_string());
    }
    if new.description.chars().count() > 200 {
        return invalid("description: at most 200 characters.".to_string());
    }
    let too_many = new.object_types.len() > 1000
        || new.actions.len() > 100
        || new.users.len() + new.groups.len() > 10_000
        || new
            .constraints
            .as_ref()
            .is_some_and(|c| c.to_string().len() > 10_000);
    if too_many {
        return invalid(
            "too large: at most 1000 object types, 100 actions, 10000 users and groups and 10000 characters of constraints.".to_string(),
        );
    }
    if new.object_types.is_empty() || new.actions.is_empty() {
        return invalid("object_types and actions: at least one each.".to_string());
    }
    scope_of(new.constraints.as_ref(), 0)
        .map_err(|e| AuthError::Invalid(format!("constraints: {e}")))?;
    for key in &new.object_types {
        if models.schema(key).is_none() {
            return invalid(format!("object_types: `{key}` is not a model."));
        }
        let custom = models.custom_actions(key);
        for action in &new.actions {
            if !STANDARD_ACTIONS.contains(&action.as_str()) && !custom.contains(&action.as_str()) {
                return invalid(format!("actions: `{action}` is not an action of {key}."));
            }
        }
        if let Ok(Scope::AnyOf(sets)) = scope_of(new.constraints.as_ref(), 0) {
            for filters in &sets {
                for (attribute, value) in filters {
                    if let Err(error) = models.check_filter(key, attribute, value) {
                        return invalid(format!("constraints: {error}."));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Writes a permission (a new one when `id` is `None`) and its users and groups, in one
/// transaction that marks cached grants stale; its id.
async fn save(
    database: &Database,
    id: Option<i64>,
    new: &NewPermission,
    enabled: bool,
    models: &dyn ModelCatalog,
) -> Result<i64, AuthError> {
    let invalid = |message: String| Err(AuthError::Invalid(message));
    check(new, models)?;
    // Each object type, action, user and group once.
    let mut new = new.clone();
    for list in [&mut new.object_types, &mut new.actions] {
        let mut seen = std::collections::HashSet::new();
        list.retain(|item| seen.insert(item.clone()));
    }
    let new = &new;
    let json = |list: &[String]| serde_json::to_string(list).unwrap_or_default();
    let values: [(&str, sea_query::Value); 6] = [
        ("name", new.name.clone().into()),
        ("description", new.description.clone().into()),
        ("enabled", i64::from(enabled).into()),
        ("object_types", json(&new.object_types).into()),
        ("actions", json(&new.actions).into()),
        (
            "constraints",
            new.constraints.as_ref().map(Value::to_string).into(),
        ),
    ];
    let mut transaction = database.begin_write().await?;
    let written = match id {
        None => {
            let insert = Query::insert()
                .into_table("users_objectpermission")
                .columns(values.iter().map(|(column, _)| *column))
                .values_panic(values.into_iter().map(|(_, value)| value.into()))
                .returning_col("id")
                .take();
            statement(database.backend(), &insert)
                .fetch_one(&mut *transaction)
                .await
                .and_then(|row| row.try_get::<i64, _>(0))
        }
        Some(id) => {
            let update = Query::update()
                .table("users_objectpermission")
                .values(
                    values
                        .into_iter()
                        .map(|(column, value)| (column, value.into())),
                )
                .and_where(Expr::col("id").eq(id))
                .take();
            match statement(database.backend(), &update)
                .execute(&mut *transaction)
                .await
            {
                Ok(done) if done.rows_affected() == 0 => return Err(AuthError::NotFound),
                Ok(_) => Ok(id),
                Err(error) => Err(error),
            }
        }
    };
    let id = match written {
        Ok(id) => id,
        Err(error) if is_unique_violation(&error) => {
            return invalid(format!("name: a permission named `{}` exists.", new.name));
        }
        Err(error) => return Err(error.into()),
    };
    for (table, member, members) in [
        ("users_objectpermission_users", "user_id", &new.users),
        ("users_objectpermission_groups", "group_id", &new.groups),
    ] {
        let link = super::LinkTable {
            table,
            owner: "permission_id",
            member,
        };
        super::replace_links(database, &mut transaction, &link, id, members).await?;
    }
    bump_version(database, &mut transaction).await?;
    transaction.commit().await?;
    Ok(id)
}

/// Whether a database error is a uniqueness violation.
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|error| error.is_unique_violation())
}

/// A stored permission.
#[derive(Debug, Clone, PartialEq)]
pub struct Permission {
    /// Primary key.
    pub id: i64,
    /// Disabled permissions give nothing.
    pub enabled: bool,
    /// What it is.
    pub spec: NewPermission,
}

/// Every permission (or the one `id`), by name.
pub async fn list(database: &Database, id: Option<i64>) -> Result<Vec<Permission>, sqlx::Error> {
    let columns = [
        "id",
        "name",
        "description",
        "enabled",
        "object_types",
        "actions",
        "constraints",
    ];
    let rows = super::rows(database, "users_objectpermission", &columns, "name", id).await?;
    let mut users = super::links(
        database,
        "users_objectpermission_users",
        "permission_id",
        "user_id",
    )
    .await?;
    let mut groups = super::links(
        database,
        "users_objectpermission_groups",
        "permission_id",
        "group_id",
    )
    .await?;
    let json =
        |text: Option<String>| text.and_then(|text| serde_json::from_str::<Value>(&text).ok());
    let strings = |value: Option<Value>| -> Vec<String> {
        value
            .and_then(|value| serde_json::from_value(value).ok())
            .unwrap_or_default()
    };
    rows.iter()
        .map(|row| {
            let id: i64 = row.try_get("id")?;
            let (users, groups) = (
                users.remove(&id).unwrap_or_default(),
                groups.remove(&id).unwrap_or_default(),
            );
            Ok(Permission {
                id,
                enabled: super::flag(row, "enabled")?,
                spec: NewPermission {
                    name: row.try_get("name")?,
                    description: row.try_get("description")?,
                    object_types: strings(json(row.try_get("object_types")?)),
                    actions: strings(json(row.try_get("actions")?)),
                    constraints: json(row.try_get("constraints")?),
                    users,
                    groups,
                },
            })
        })
        .collect()
}

/// Deletes a permission; false when there was none.
pub async fn delete(database: &Database, id: i64) -> Result<bool, sqlx::Error> {
    super::delete_by_id(database, "users_objectpermission", id).await
}

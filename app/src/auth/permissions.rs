//! Object permissions as in NetBox: a permission names object types (model keys such as
//! `dcim.site`), actions (`view`, `add`, `change`, `delete` and actions plugins declare) and
//! optional constraints, and is given to users and groups. A user's [`Grants`] are every
//! enabled permission given to them or to one of their groups; the model engine turns their
//! constraints into SQL (`engine::access`).
//!
//! Constraints are a JSON object of attribute filters, all of which must hold (e.g.
//! `{"site_id": 3, "status": "active"}`), or a list of such objects, any of which may hold;
//! several permissions for the same model and action add up (OR). `"$user"` as a value (or a
//! list item) stands for the user's id. A permission without constraints covers every object.

use crate::db::Database;
use crate::db::statement::statement;
use netbox_framework::models::ModelSchema;
use sea_query::{Expr, ExprTrait, Order, Query};
use serde_json::{Map, Value};
use sqlx::Row;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// What the permissions know of the served models (implemented by the engine's model
/// registry): a model's schema by key, and the custom actions its plugin declares.
pub trait ModelCatalog {
    /// The schema of the model `key`, if it is served.
    fn schema(&self, key: &str) -> Option<&'static ModelSchema>;
    /// Actions besides the standard four that `key` has.
    fn custom_actions(&self, key: &str) -> Vec<&'static str>;
    /// Whether the constraint filter `attribute: value` can apply to `key`'s objects.
    fn check_filter(&self, key: &str, attribute: &str, value: &Value) -> Result<(), String>;
}

/// The actions every model has.
pub const STANDARD_ACTIONS: [&str; 4] = ["view", "add", "change", "delete"];

/// The objects one action on one model is allowed on.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    /// Every object.
    All,
    /// Objects matching any of these filter sets (each a JSON object whose filters all hold),
    /// `$user` already replaced by the user's id.
    AnyOf(Vec<Map<String, Value>>),
}

impl Scope {
    fn add(&mut self, other: Scope) {
        match (&mut *self, other) {
            (Scope::All, _) => {}
            (_, Scope::All) => *self = Scope::All,
            (Scope::AnyOf(mine), Scope::AnyOf(theirs)) => mine.extend(theirs),
        }
    }
}

/// What one user (or an anonymous request) may do.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grants {
    superuser: bool,
    /// By model key, then action (looked up without allocating, on every read).
    scopes: HashMap<String, HashMap<String, Scope>>,
    codenames: HashSet<String>,
}

impl Grants {
    /// Everything, as for a superuser or a command.
    pub fn everything() -> Self {
        Grants {
            superuser: true,
            ..Grants::default()
        }
    }

    /// Nothing at all.
    pub fn nothing() -> Self {
        Grants::default()
    }

    /// Whether every check passes.
    pub fn is_superuser(&self) -> bool {
        self.superuser
    }

    /// Allows `action` on `model` within `scope` (adding to what is already allowed).
    pub fn grant(&mut self, model: &ModelSchema, action: &str, scope: Scope) {
        self.codenames
            .insert(format!("{}.{action}_{}", model.app, model.name));
        self.scopes
            .entry(model.key())
            .or_default()
            .entry(action.to_string())
            .and_modify(|existing| existing.add(scope.clone()))
            .or_insert(scope);
    }

    /// The objects `action` on the model `key` is allowed on: `None` when none at all.
    pub fn scope(&self, key: &str, action: &str) -> Option<&Scope> {
        static ALL: Scope = Scope::All;
        if self.superuser {
            return Some(&ALL);
        }
        self.scopes.get(key)?.get(action)
    }

    /// Whether `action` is allowed on at least some objects of the model `key`.
    pub fn allows(&self, key: &str, action: &str) -> bool {
        self.scope(key, action).is_some()
    }

    /// NetBox's `has_perm`: whether the permission `<app>.<action>_<model>` (e.g.
    /// `dcim.view_site`) is held, on at least some objects.
    ///
    /// ```
    /// use netbox_app::auth::permissions::{Grants, Scope};
    /// let mut grants = Grants::nothing();
    /// grants.grant(netbox_app::builtin::dcim::SITE, "view", Scope::All);
    /// assert!(grants.has_perm("dcim.view_site"));
    /// assert!(!grants.has_perm("dcim.change_site"));
    /// assert!(Grants::everything().has_perm("anything.at_all"));
    /// ```
    pub fn has_perm(&self, codename: &str) -> bool {
        self.superuser || self.codenames.contains(codename)
    }
}

/// Replaces `"$user"` (as a value or list item) by the user's id.
fn substitute_user(filters: &mut Map<String, Value>, user_id: i64) {
    for value in filters.values_mut() {
        match value {
            Value::String(text) if text == "$user" => *value = Value::from(user_id),
            Value::Array(items) => {
                for item in items {
                    if item.as_str() == Some("$user") {
                        *item = Value::from(user_id);
                    }
                }
            }
            _ => {}
        }
    }
}

/// A stored permission's constraints as a [`Scope`] for `user_id`; `Err` names what is wrong.
pub fn scope_of(constraints: Option<&Value>, user_id: i64) -> Result<Scope, String> {
    let sets = match constraints {
        None | Some(Value::Null) => return Ok(Scope::All),
        Some(Value::Object(filters)) if filters.is_empty() => return Ok(Scope::All),
        Some(Value::Object(filters)) => vec![filters.clone()],
        Some(Value::Array(items)) if items.is_empty() => return Ok(Scope::All),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::Object(filters) => Ok(filters.clone()),
                other => Err(format!(
                    "constraint list items must be objects, not {other}"
                )),
            })
            .collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(format!(
                "constraints must be an object or a list of objects, not {other}"
            ));
        }
    };
    Ok(Scope::AnyOf(
        sets.into_iter()
            .map(|mut filters| {
                substitute_user(&mut filters, user_id);
                filters
            })
            .collect(),
    ))
}

/// The expression reading the permission version (see [`GrantCache`]).
pub fn version_expression() -> Expr {
    Expr::cust("(SELECT version FROM users_state WHERE id = 1)")
}

/// Marks every cached permission set stale, in the transaction that changes users, groups or
/// permissions.
pub async fn bump_version(
    database: &Database,
    connection: &mut sqlx::AnyConnection,
) -> Result<(), sqlx::Error> {
    let update = Query::update()
        .table("users_state")
        .value("version", Expr::col("version").add(1))
        .and_where(Expr::col("id").eq(1))
        .take();
    statement(database.backend(), &update)
        .execute(connection)
        .await?;
    Ok(())
}

/// Loads the grants of a non-superuser from the database (permissions naming models that are
/// not served are ignored).
pub async fn load(
    database: &Database,
    user_id: i64,
    models: &dyn ModelCatalog,
) -> Result<Grants, sqlx::Error> {
    let given_to_user = Query::select()
        .column("permission_id")
        .from("users_objectpermission_users")
        .and_where(Expr::col("user_id").eq(user_id))
        .take();
    let given_to_groups = Query::select()
        .column(("users_objectpermission_groups", "permission_id"))
        .from("users_objectpermission_groups")
        .inner_join(
            "users_user_groups",
            Expr::col(("users_user_groups", "group_id"))
                .equals(("users_objectpermission_groups", "group_id")),
        )
        .and_where(Expr::col(("users_user_groups", "user_id")).eq(user_id))
        .take();
    let select = Query::select()
        .columns(["name", "object_types", "actions", "constraints"])
        .from("users_objectpermission")
        .and_where(Expr::col("enabled").eq(1))
        .cond_where(
            sea_query::Cond::any()
                .add(Expr::col("id").in_subquery(given_to_user))
                .add(Expr::col("id").in_subquery(given_to_groups)),
        )
        .order_by("id", Order::Asc)
        .take();
    let rows = statement(database.backend(), &select)
        .fetch_all(database.pool())
        .await?;
    let mut grants = Grants::nothing();
    for row in rows {
        let name: String = row.try_get("name")?;
        // Unreadable JSON must not widen a permission: `None` skips the permission.
        let parse = |column: &str| -> Result<Option<Value>, sqlx::Error> {
            let text: Option<String> = row.try_get(column)?;
            Ok(match text {
                None => Some(Value::Null),
                Some(text) => serde_json::from_str(&text).ok(),
            })
        };
        let (Some(types), Some(actions), Some(constraints)) = (
            parse("object_types")?,
            parse("actions")?,
            parse("constraints")?,
        ) else {
            tracing::warn!(permission = %name, "permission ignored: its stored JSON is unreadable");
            continue;
        };
        let scope = match scope_of(Some(&constraints), user_id) {
            Ok(scope) => scope,
            Err(error) => {
                tracing::warn!(permission = %name, %error, "permission ignored");
                continue;
            }
        };
        let strings = |value: &Value| -> Vec<String> {
            value
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|item| item.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        for key in strings(&types) {
            let Some(schema) = models.schema(&key) else {
                continue;
            };
            for action in strings(&actions) {
                grants.grant(schema, &action, scope.clone());
            }
        }
    }
    Ok(grants)
}

/// Each user's grants, loaded once per permission version: a request costs no permission
/// query unless users, groups or permissions changed (on any instance) since.
#[derive(Debug, Default)]
pub struct GrantCache {
    entries: Mutex<HashMap<i64, (i64, Arc<Grants>)>>,
}

impl GrantCache {
    /// The cached grants of `user_id` at `version`, if any.
    pub fn get(&self, user_id: i64, version: i64) -> Option<Arc<Grants>> {
        let entries = self
            .entries
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        entries
            .get(&user_id)
            .filter(|(cached, _)| *cached == version)
            .map(|(_, grants)| grants.clone())
    }

    /// Remembers `grants` of `user_id` at `version`.
    pub fn put(&self, user_id: i64, version: i64, grants: Arc<Grants>) {
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        if entries.len() >= 10_000 {
            entries.clear();
        }
        entries.insert(user_id, (version, grants));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn constraints_become_scopes_with_the_user() {
        assert_eq!(scope_of(None, 7), Ok(Scope::All));
        assert_eq!(scope_of(Some(&json!({})), 7), Ok(Scope::All));
        let Ok(Scope::AnyOf(sets)) =
            scope_of(Some(&json!([{"owner": "$user"}, {"id": [1, "$user"]}])), 7)
        else {
            panic!("a list of filters");
        };
        assert_eq!(sets[0]["owner"], json!(7));
        assert_eq!(sets[1]["id"], json!([1, 7]));
        assert!(scope_of(Some(&json!("x")), 7).is_err());
        assert!(scope_of(Some(&json!([1])), 7).is_err());
    }

    #[test]
    fn unconstrained_wins_when_added() {
        let mut scope = Scope::AnyOf(vec![Map::new()]);
        scope.add(Scope::All);
        assert_eq!(scope, Scope::All);
    }
}

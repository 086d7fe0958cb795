//! The superuser's page of object permissions.

use super::*;
use crate::auth::records::{self, NewPermission};
use crate::auth::{groups, users};
pub(super) async fn permissions_admin(
    request: &HttpRequest,
    state: &AppState,
    notice: Option<Notice>,
) -> Result<AdminPage, actix_web::Error> {
    let found = records::list(&state.database, None)
        .await
        .map_err(unavailable)?;
    let all_users = users::list(&state.database).await.map_err(unavailable)?;
    let all_groups = groups::list(&state.database, None)
        .await
        .map_err(unavailable)?;
    let user_name = |id: &i64| {
        all_users
            .iter()
            .find(|u| u.id == *id)
            .map(|u| u.username.clone())
    };
    let group_name = |id: &i64| {
        all_groups
            .iter()
            .find(|g| g.id == *id)
            .map(|g| g.name.clone())
    };
    let rows = found
        .iter()
        .map(|permission| AdminRow {
            id: permission.id,
            cells: vec![
                permission.spec.name.clone(),
                permission.spec.object_types.join(", "),
                permission.spec.actions.join(", "),
                permission
                    .spec
                    .constraints
                    .as_ref()
                    .map_or_else(|| "all objects".to_string(), |c| c.to_string()),
                permission
                    .spec
                    .users
                    .iter()
                    .filter_map(user_name)
                    .collect::<Vec<_>>()
                    .join(", "),
                permission
                    .spec
                    .groups
                    .iter()
                    .filter_map(group_name)
                    .collect::<Vec<_>>()
                    .join(", "),
            ],
        })
        .collect();
    let change_log = &crate::engine::changelog::OBJECT_CHANGE;
    let types = state
        .models
        .all()
        .iter()
        .map(|model| model.schema)
        .chain([change_log])
        .map(|schema| {
            let label = format!("{} ({})", schema.verbose_name_plural, schema.key());
            (schema.key(), label)
        })
        .collect();
    let mut actions: Vec<(String, String)> = crate::auth::permissions::STANDARD_ACTIONS
        .iter()
        .map(|action| (action.to_string(), action.to_string()))
        .collect();
    for model in state.models.all() {
        for action in &model.custom_actions {
            if !actions.iter().any(|(value, _)| value == action) {
                actions.push((action.to_string(), format!("{action} (custom)")));
            }
        }
    }
    Ok(AdminPage {
        title: "Permissions",
        template: AdminTemplate {
            notice,
            id: "permissions",
            headers: vec![
                "Name",
                "Object types",
                "Actions",
                "Constraints",
                "Users",
                "Groups",
            ],
            rows,
            delete_base: "/users/permissions/",
            csrf: csrf_input(request),
            form_title: "Add a permission",
            form_action: "/users/permissions/",
            fields: vec![
                field("name", "Name", Input::Text(100), ""),
                field("object_types", "Object types", Input::Many(types), ""),
                field("actions", "Actions", Input::Many(actions), ""),
                field(
                    "constraints",
                    "Constraints",
                    Input::Area,
                    r#"Optional JSON: {"site_id": 3} or a list of such objects (any may match); "$user" is the user's id."#,
                ),
                field(
                    "users",
                    "Users",
                    Input::Many(
                        all_users
                            .iter()
                            .map(|u| (u.id.to_string(), u.username.clone()))
                            .collect(),
                    ),
                    "",
                ),
                field(
                    "groups",
                    "Groups",
                    Input::Many(
                        all_groups
                            .iter()
                            .map(|g| (g.id.to_string(), g.name.clone()))
                            .collect(),
                    ),
                    "",
                ),
            ],
            submit: "Add permission",
        },
    })
}

pub(super) async fn permission_page(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> PageResult {
    permissions_admin(&request, &state, None)
        .await?
        .respond(&request, StatusCode::OK)
}

pub(super) async fn permission_create(
    request: HttpRequest,
    state: web::Data<AppState>,
    form: Fields,
) -> PageResult {
    let fields = form.into_inner();
    let constraints = match value(&fields, "constraints") {
        "" => Ok(None),
        text => serde_json::from_str(text)
            .map(Some)
            .map_err(|error| AuthError::Invalid(format!("constraints: not JSON ({error})."))),
    };
    let outcome = match constraints {
        Ok(constraints) => {
            let new = NewPermission {
                name: value(&fields, "name").to_string(),
                description: String::new(),
                object_types: values(&fields, "object_types").map(String::from).collect(),
                actions: values(&fields, "actions").map(String::from).collect(),
                constraints,
                users: ids(&fields, "users"),
                groups: ids(&fields, "groups"),
            };
            records::create(&state.database, &new, true, &state.models)
                .await
                .map(|_| format!("Permission `{}` added.", new.name))
        }
        Err(error) => Err(error),
    };
    after(&request, outcome, |notice| {
        permissions_admin(&request, &state, notice)
    })
    .await
}

pub(super) async fn permission_delete(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> PageResult {
    records::delete(&state.database, *id)
        .await
        .map_err(unavailable)?;
    Ok(see_other("/users/permissions/"))
}

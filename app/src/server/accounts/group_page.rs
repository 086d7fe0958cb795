//! The superuser's page of groups.

use super::*;
use crate::auth::{groups, users};
pub(super) async fn groups_admin(
    request: &HttpRequest,
    state: &AppState,
    notice: Option<Notice>,
) -> Result<AdminPage, actix_web::Error> {
    let found = groups::list(&state.database, None)
        .await
        .map_err(unavailable)?;
    let rows = found
        .iter()
        .map(|group| AdminRow {
            id: group.id,
            cells: vec![
                group.name.clone(),
                group.description.clone(),
                group.members.len().to_string(),
            ],
        })
        .collect();
    let members = users::list(&state.database)
        .await
        .map_err(unavailable)?
        .into_iter()
        .map(|user| (user.id.to_string(), user.username))
        .collect();
    Ok(AdminPage {
        title: "Groups",
        template: AdminTemplate {
            notice,
            id: "groups",
            headers: vec!["Name", "Description", "Members"],
            rows,
            delete_base: "/users/groups/",
            csrf: csrf_input(request),
            form_title: "Add a group",
            form_action: "/users/groups/",
            fields: vec![
                field("name", "Name", Input::Text(150), ""),
                field("description", "Description", Input::Text(200), ""),
                field("users", "Members", Input::Many(members), ""),
            ],
            submit: "Add group",
        },
    })
}

pub(super) async fn group_page(request: HttpRequest, state: web::Data<AppState>) -> PageResult {
    groups_admin(&request, &state, None)
        .await?
        .respond(&request, StatusCode::OK)
}

pub(super) async fn group_create(
    request: HttpRequest,
    state: web::Data<AppState>,
    form: Fields,
) -> PageResult {
    let fields = form.into_inner();
    let name = value(&fields, "name");
    let outcome = async {
        let id = groups::create_group(&state.database, name, value(&fields, "description")).await?;
        for user in ids(&fields, "users") {
            groups::add_member(&state.database, id, user).await?;
        }
        Ok(format!("Group `{name}` added."))
    }
    .await;
    after(&request, outcome, |notice| {
        groups_admin(&request, &state, notice)
    })
    .await
}

pub(super) async fn group_delete(state: web::Data<AppState>, id: web::Path<i64>) -> PageResult {
    groups::delete(&state.database, *id)
        .await
        .map_err(unavailable)?;
    Ok(see_other("/users/groups/"))
}

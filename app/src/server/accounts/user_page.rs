//! The superuser's page of users.

use super::*;
use crate::auth::users::{self, NewUser};
pub(super) async fn users_admin(
    request: &HttpRequest,
    state: &AppState,
    notice: Option<Notice>,
) -> Result<AdminPage, actix_web::Error> {
    let found = users::list(&state.database).await.map_err(unavailable)?;
    let rows = found
        .iter()
        .map(|user| AdminRow {
            id: user.id,
            cells: vec![
                user.username.clone(),
                user.email.clone(),
                if user.is_active { "active" } else { "inactive" }.to_string(),
                if user.is_superuser { "superuser" } else { "" }.to_string(),
            ],
        })
        .collect();
    Ok(AdminPage {
        title: "Users",
        template: AdminTemplate {
            notice,
            id: "users",
            headers: vec!["Username", "E-mail", "Status", "Role"],
            rows,
            delete_base: "/users/users/",
            csrf: csrf_input(request),
            form_title: "Add a user",
            form_action: "/users/users/",
            fields: vec![
                field(
                    "username",
                    "Username",
                    Input::Text(users::USERNAME_MAX),
                    "Letters, digits and @ . + - _",
                ),
                field("email", "E-mail", Input::Text(users::EMAIL_MAX), ""),
                field(
                    "password",
                    "Password",
                    Input::Password,
                    "At least 12 characters, with a digit, an upper-case and a lower-case letter.",
                ),
                field(
                    "is_superuser",
                    "Superuser",
                    Input::Check(false),
                    "Superusers may do everything.",
                ),
            ],
            submit: "Add user",
        },
    })
}

pub(super) async fn user_page(request: HttpRequest, state: web::Data<AppState>) -> PageResult {
    users_admin(&request, &state, None)
        .await?
        .respond(&request, StatusCode::OK)
}

pub(super) async fn user_create(
    request: HttpRequest,
    state: web::Data<AppState>,
    form: Fields,
) -> PageResult {
    let fields = form.into_inner();
    let new = NewUser {
        username: value(&fields, "username"),
        email: value(&fields, "email"),
        password: value(&fields, "password"),
        is_superuser: checked(&fields, "is_superuser"),
    };
    let outcome = users::create(&state.database, &new)
        .await
        .map(|user| format!("User `{}` added.", user.username));
    after(&request, outcome, |notice| {
        users_admin(&request, &state, notice)
    })
    .await
}

pub(super) async fn user_delete(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> PageResult {
    if signed_in(&request)?.id == *id {
        let notice = error("You cannot delete your own account.".to_string());
        return users_admin(&request, &state, notice)
            .await?
            .respond(&request, StatusCode::CONFLICT);
    }
    users::delete(&state.database, *id)
        .await
        .map_err(unavailable)?;
    Ok(see_other("/users/users/"))
}

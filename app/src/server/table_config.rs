//! `<list>columns/`: the signed-in user chooses and orders the columns of a model's table
//! (see [`super::table_columns`]); "Reset" goes back to the default.

use super::objects::{PageResult, server_error};
use super::state::AppState;
use super::table_columns::{available, chosen};
use crate::engine::MountedModel;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use netbox_framework::auth::{CurrentUser, Denied};
use netbox_framework::page::Page;
use sea_query::{Expr, ExprTrait, OnConflict, Query};

/// `columns/` of a model's scope.
pub fn resource() -> actix_web::Resource {
    web::resource("/columns/")
        .route(web::get().to(form))
        .route(web::post().to(submit))
        .default_service(web::to(super::errors::not_found))
}

struct Choice {
    name: String,
    label: String,
    shown: bool,
    position: usize,
}

#[derive(Template)]
#[template(path = "table_config.html")]
struct ConfigTemplate {
    csrf: String,
    action: String,
    cancel: String,
    choices: Vec<Choice>,
}

fn user_id(request: &HttpRequest) -> Result<i64, actix_web::Error> {
    CurrentUser::of(request)
        .user()
        .map(|user| user.id)
        .ok_or_else(|| Denied::SignInRequired.into())
}

async fn form(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
) -> PageResult {
    user_id(&request)?;
    let shown: Vec<String> = chosen(&request, &state, &model)
        .await?
        .into_iter()
        .map(|column| column.name)
        .collect();
    let mut choices: Vec<Choice> = available(&state, &model)
        .await?
        .into_iter()
        .map(|column| {
            let at = shown.iter().position(|name| *name == column.name);
            Choice {
                shown: at.is_some(),
                position: at.map_or(shown.len() + 1, |at| at + 1),
                name: column.name,
                label: column.label,
            }
        })
        .collect();
    choices.sort_by_key(|choice| (!choice.shown, choice.position));
    let template = ConfigTemplate {
        csrf: super::security::context::csrf_input(&request),
        action: format!("{}columns/", model.ui_base),
        cancel: model.ui_base.clone(),
        choices,
    };
    Ok(Page::from_template(
        format!(
            "Columns of the {} table",
            model.schema.verbose_name_plural.to_lowercase()
        ),
        &template,
    )?
    .breadcrumb(model.schema.verbose_name_plural, Some(&model.ui_base))
    .respond_to(&request))
}

/// The most columns one table keeps.
const COLUMNS_MAX: usize = 200;

async fn submit(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    form: web::Form<Vec<(String, String)>>,
) -> PageResult {
    let user = user_id(&request)?;
    let form = form.into_inner();
    let backend = state.database.backend();
    let key = model.schema.key();
    if form.iter().any(|(name, _)| name == "reset") {
        let delete = Query::delete()
            .from_table("users_tableconfig")
            .and_where(Expr::col("user_id").eq(user))
            .and_where(Expr::col("model").eq(key.as_str()))
            .take();
        crate::engine::sql::statement(backend, &delete)
            .execute(state.database.pool())
            .await
            .map_err(server_error)?;
        super::table_columns::SAVED.clear();
        return Ok(back(&model));
    }
    let known: Vec<String> = available(&state, &model)
        .await?
        .into_iter()
        .map(|column| column.name)
        .collect();
    // `show=<name>` for each shown column, `position_<name>=<n>` for its place.
    let position = |name: &str| {
        form.iter()
            .find(|(key, _)| key.strip_prefix("position_") == Some(name))
            .and_then(|(_, value)| value.trim().parse::<u32>().ok())
            .unwrap_or(u32::MAX)
    };
    let mut shown: Vec<(u32, usize, String)> = form
        .iter()
        .filter(|(key, _)| key == "show")
        .filter_map(|(_, name)| known.iter().position(|k| k == name).map(|at| (at, name)))
        .map(|(at, name)| (position(name), at, name.clone()))
        .collect();
    shown.sort();
    shown.dedup_by(|a, b| a.2 == b.2);
    shown.truncate(COLUMNS_MAX);
    let names: Vec<String> = shown.into_iter().map(|(_, _, name)| name).collect();
    if names.is_empty() {
        return Err(super::api_error::ApiError::bad_request(
            "Choose at least one column (or reset to the default).",
        )
        .into());
    }
    let value = serde_json::to_string(&names).map_err(server_error)?;
    let upsert = Query::insert()
        .into_table("users_tableconfig")
        .columns(["user_id", "model", "columns"])
        .values_panic([
            Expr::val(user),
            Expr::val(key.as_str()),
            Expr::val(value.as_str()),
        ])
        .on_conflict(
            OnConflict::columns(["user_id", "model"])
                .update_column("columns")
                .to_owned(),
        )
        .take();
    crate::engine::sql::statement(backend, &upsert)
        .execute(state.database.pool())
        .await
        .map_err(server_error)?;
    super::table_columns::SAVED.clear();
    Ok(back(&model))
}

fn back(model: &MountedModel) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, model.ui_base.as_str()))
        .finish()
}

//! The pages of every model, in the host layout: the list (quick search, filters by choice
//! and reference, pagination) and the object's detail page with the plugins' slots and the
//! object's tabs. Forms are in [`super::model_forms`], the change-log tab in
//! [`super::changelog`].

use super::api_error::ApiError;
use super::model_forms;
use super::object_tabs::{TabLink, tabs};
use super::objects::{
    Cell, ListParams, PageResult, Row, SelectOption, cell, display, load, may, not_found, options,
    references, select, server_error, store,
};
use super::state::AppState;
use crate::engine::MountedModel;
use actix_web::{HttpRequest, Responder, web};
use askama::Template;
use netbox_framework::auth::CurrentUser;
use netbox_framework::extensions::Slot;
use netbox_framework::models::FieldKind;
use netbox_framework::page::Page;
use serde_json::Value;

/// Mounts the pages of `model` (called per worker).
pub fn scope(model: &MountedModel) -> actix_web::Scope {
    // Matched in this order: `add/` before `<id>/`, which would take it for an id; one
    // resource per path, so a request tries as few patterns as possible.
    web::scope(model.ui_base.trim_end_matches('/'))
        .app_data(web::Data::new(model.clone()))
        .service(web::resource("/").route(web::get().to(list)))
        .service(model_forms::add())
        .service(super::bulk_import::resource())
        .service(super::bulk_export::resource())
        .service(super::table_config::resource())
        .service(super::bulk_edit::resource())
        .service(web::resource("/{id}/").route(web::get().to(detail)))
        .service(model_forms::edit())
        .service(model_forms::delete())
        .service(
            web::resource("/{id}/changelog/").route(web::get().to(super::changelog::object_tab)),
        )
}

/// A filter of the list page: a select of choices, or, for a reference, a text input that
/// suggests objects as the user types (from the referenced model's API, `search` below).
struct Filter {
    name: String,
    label: &'static str,
    options: Vec<SelectOption>,
    /// For a reference: the referenced model's API list, the field whose value is submitted
    /// (its slug or display field) and the current value.
    search: Option<(String, &'static str, String)>,
}

#[derive(Template)]
#[template(path = "model_list.html")]
struct ListTemplate {
    can_add: bool,
    can_change: bool,
    can_delete: bool,
    /// Whether rows can be selected for a bulk edit or delete.
    selectable: bool,
    csrf: String,
    base: String,
    list_buttons: String,
    singular: &'static str,
    plural: &'static str,
    q: String,
    filters: Vec<Filter>,
    filtered: bool,
    /// The list's filters as a query string (`?status=active`), for the export of all data.
    export_query: String,
    /// The same with the table's columns, for the export of the current view.
    export_view_query: String,
    headers: Vec<String>,
    rows: Vec<Row>,
    count: i64,
    first: i64,
    last: i64,
    previous: Option<String>,
    next: Option<String>,
}

/// `pairs` as a query string with its `?`, or nothing.
fn export_query(pairs: Vec<(String, String)>) -> String {
    match serde_urlencoded::to_string(&pairs) {
        Ok(query) if !query.is_empty() => format!("?{query}"),
        _ => String::new(),
    }
}

async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    params: ListParams,
) -> PageResult {
    let schema = model.schema;
    let params = params.without_empty();
    let mut query = params.query();
    // Pages are numbered: a keyset page (`start`) is for the API.
    query.start = None;
    // Unknown filters are a 400 page naming them (error_pages renders the ApiError).
    let (count, objects) = store(&request, &state, &model)
        .list(&query)
        .await
        .map_err(ApiError::from)?;
    let count = count.unwrap_or_default();
    let references = references(&request, &state, &model, &objects)
        .await
        .map_err(server_error)?;
    let current = |name: &str| {
        params
            .pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut filters = Vec::new();
    for field in schema.fields {
        match field.kind {
            // Never every object: the input asks the API as the user types.
            FieldKind::ForeignKey { model: target } => {
                let Some(target) = state.models.get(target) else {
                    continue;
                };
                let by = target
                    .schema
                    .field("slug")
                    .map_or(target.schema.display_field, |f| f.name);
                filters.push(Filter {
                    name: field.name.to_string(),
                    label: field.label,
                    options: Vec::new(),
                    search: Some((target.api_base.clone(), by, current(field.name))),
                });
            }
            FieldKind::Choice(_) => {
                let Some(choices) = options(&request, &state, &model, field.kind).await? else {
                    continue;
                };
                filters.push(Filter {
                    options: select(choices, &current(field.name)),
                    name: field.name.to_string(),
                    label: field.label,
                    search: None,
                });
            }
            _ => {}
        }
    }
    // Tags, by slug (objects carrying every tag chosen; one here).
    if let Some(tag_model) = state
        .models
        .get("extras.tag")
        .filter(|_| crate::engine::tags::has_features(schema))
    {
        let tags = store(&request, &state, &model)
            .of_slugs(tag_model)
            .await
            .map_err(server_error)?;
        if !tags.is_empty() {
            filters.push(Filter {
                options: select(tags, &current("tag")),
                name: "tag".into(),
                label: "Tag",
                search: None,
            });
        }
    }
    let columns = super::table_columns::chosen(&request, &state, &model).await?;
    // The export of the current view takes the table's exportable columns (not plugins').
    let column_names: Vec<String> = columns
        .iter()
        .filter(|c| !matches!(c.content, super::table_columns::Content::Plugin(..)))
        .filter(|c| !matches!(c.name.as_str(), "id" | "created" | "last_updated"))
        .map(|c| c.name.clone())
        .collect();
    let rows =
        super::table_columns::rows(&request, &state, &model, &columns, &objects, &references)
            .await?;
    let key = schema.key();
    let (previous, next) = params.links(&request, query.limit, count, false);
    let (can_change, can_delete) = (
        may(&request, &model, "change"),
        may(&request, &model, "delete"),
    );
    let template = ListTemplate {
        can_add: may(&request, &model, "add"),
        can_change,
        can_delete,
        selectable: can_change || can_delete,
        csrf: super::security::context::csrf_input(&request),
        list_buttons: state.extensions.render(
            Slot::ListButtons,
            Some(&key),
            None,
            request.path(),
            &CurrentUser::of(&request),
        ),
        base: model.ui_base.clone(),
        singular: schema.verbose_name,
        plural: schema.verbose_name_plural,
        q: query.q.clone().unwrap_or_default(),
        filtered: params.filters().next().is_some(),
        export_query: export_query(params.filters().cloned().collect()),
        export_view_query: {
            let mut pairs: Vec<(String, String)> = params.filters().cloned().collect();
            pairs.push(("columns".into(), column_names.join(",")));
            export_query(pairs)
        },
        filters,
        headers: columns.into_iter().map(|column| column.label).collect(),
        first: if count == 0 {
            0
        } else {
            query.offset.saturating_add(1)
        },
        last: query.offset.saturating_add(rows.len() as i64),
        rows,
        count,
        previous,
        next,
    };
    Ok(Page::from_template(schema.verbose_name_plural, &template)?
        .model(key)
        .breadcrumb(schema.verbose_name_plural, None)
        .respond_to(&request))
}

#[derive(Template)]
#[template(path = "model_detail.html")]
struct DetailTemplate {
    can_change: bool,
    can_delete: bool,
    tabs: Vec<TabLink>,
    base: String,
    id: i64,
    cells: Vec<DetailCell>,
    slots: ObjectSlots,
}

/// What the plugins put into an object page.
struct ObjectSlots {
    alerts: String,
    buttons: String,
    left_page: String,
    right_page: String,
    full_width_page: String,
}

struct DetailCell {
    label: String,
    text: String,
    link: Option<String>,
    color: Option<&'static str>,
    /// Tags, as badges (the tags row).
    tags: Vec<super::feature_pages::TagBadge>,
}

async fn detail(
    request: HttpRequest,
    state: web::Data<AppState>,
    model: web::Data<MountedModel>,
    id: web::Path<i64>,
) -> PageResult {
    let schema = model.schema;
    let Some(object) = load(&request, &state, &model, *id).await? else {
        return Ok(not_found(&request, &model, *id));
    };
    let references = references(&request, &state, &model, std::slice::from_ref(&object))
        .await
        .map_err(server_error)?;
    let mut cells: Vec<DetailCell> = schema
        .fields
        .iter()
        .map(|field| {
            let Cell { text, link, color } = cell(&state, schema, field.name, &object, &references);
            DetailCell {
                color,
                label: field.label.to_string(),
                text,
                link,
                tags: Vec::new(),
            }
        })
        .collect();
    if crate::engine::tags::has_features(schema) {
        use super::feature_pages::{custom_field_rows, tag_badges};
        let tags = tag_badges(&request, &state, &model, &object).await?;
        cells.push(DetailCell {
            label: "Tags".into(),
            text: if tags.is_empty() {
                "—".into()
            } else {
                String::new()
            },
            link: None,
            color: None,
            tags,
        });
        for (label, text, link) in custom_field_rows(&request, &state, &model, &object).await? {
            cells.push(DetailCell {
                label,
                text,
                link,
                color: None,
                tags: Vec::new(),
            });
        }
    }
    for (label, key) in [("Created", "created"), ("Last updated", "last_updated")] {
        cells.push(DetailCell {
            label: label.to_string(),
            tags: Vec::new(),
            text: object
                .get(key)
                .and_then(Value::as_str)
                .map(super::objects::time_text)
                .unwrap_or_default(),
            link: None,
            color: None,
        });
    }
    let key = schema.key();
    let user = CurrentUser::of(&request);
    let data = super::plugin_data::data_of(&request, &state);
    let [alerts, buttons, left_page, right_page, full_width_page] = state
        .extensions
        .render_object(&key, &object, request.path(), &user, &data)
        .await;
    let mut slots = ObjectSlots {
        alerts,
        buttons,
        left_page,
        right_page,
        full_width_page,
    };
    if key == "extras.tag" {
        let tagged = super::feature_pages::tagged_objects(&request, &state, *id).await?;
        slots.full_width_page.insert_str(0, &tagged);
    }
    let template = DetailTemplate {
        can_change: may(&request, &model, "change"),
        can_delete: may(&request, &model, "delete"),
        tabs: tabs(&request, &state, &model, *id, Some(&object), None).await?,
        base: model.ui_base.clone(),
        id: *id,
        cells,
        slots,
    };
    Ok(Page::from_template(display(schema, &object), &template)?
        .model(key)
        .breadcrumb(schema.verbose_name_plural, Some(&model.ui_base))
        .breadcrumb(display(schema, &object), None)
        .respond_to(&request))
}

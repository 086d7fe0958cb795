//! The tabs of an object's pages: the object itself, the views plugins add on its model (with
//! the count of related objects as a badge, hidden when empty if asked), and its change log;
//! and the host-rendered view of related objects behind such a tab.

use super::objects::{
    PageResult, Row, display, load, not_found, page_error, references, rows, server_error, store,
};
use super::state::AppState;
use crate::engine::{ListQuery, MountedModel, Object, WriteError};
use actix_web::{HttpRequest, Responder, web};
use askama::Template;
use netbox_framework::auth::CurrentUser;
use netbox_framework::page::Page;

/// One tab of an object page.
pub struct TabLink {
    /// Text.
    pub label: String,
    /// Target.
    pub link: String,
    /// Count shown beside the text.
    pub badge: Option<i64>,
    /// Whether it is the current page.
    pub active: bool,
}

/// The object's own tab, then the plugins' tabs for its model (by weight), with badges, then
/// the change log; a tab that hides when empty is left out when its count is zero, and a tab
/// the user may not use (its permission, or viewing its related objects) is left out.
pub async fn tabs(
    request: &HttpRequest,
    state: &AppState,
    model: &MountedModel,
    id: i64,
    object: Option<&Object>,
    active: Option<&str>,
) -> Result<Vec<TabLink>, actix_web::Error> {
    let base = format!("{}{id}/", model.ui_base);
    let mut tabs = vec![TabLink {
        label: model.schema.verbose_name.to_string(),
        link: base.clone(),
        badge: None,
        active: active.is_none(),
    }];
    let user = CurrentUser::of(request);
    for spec in state.models.tabs_of(&model.schema.key()) {
        if spec
            .permission
            .as_deref()
            .is_some_and(|codename| !user.has_perm(codename))
        {
            continue;
        }
        let badge = match spec.badge.as_ref().and_then(|(key, filters)| {
            let related = state.models.get(key)?;
            Some((related, filters_of(filters, id, object?)))
        }) {
            Some((related, filters)) => {
                let query = ListQuery {
                    filters,
                    limit: 1,
                    ..Default::default()
                };
                match store(request, state, related).list(&query).await {
                    Ok((count, _)) => count,
                    Err(WriteError::Forbidden(_)) => continue,
                    Err(error) => return Err(server_error(error)),
                }
            }
            None => None,
        };
        let is_active = active == Some(spec.path);
        if spec.hide_if_empty && badge == Some(0) && !is_active {
            continue;
        }
        tabs.push(TabLink {
            label: spec.label.clone(),
            link: format!("{base}{}/", spec.path),
            badge,
            active: is_active,
        });
    }
    tabs.push(TabLink {
        label: "Changelog".to_string(),
        link: format!("{base}changelog/"),
        badge: None,
        active: active == Some("changelog"),
    });
    Ok(tabs)
}

/// The list filters of a related view for object `id`: each value from the object's field
/// (`null` when it has none).
fn filters_of(
    filters: &[(String, &'static str)],
    id: i64,
    object: &Object,
) -> Vec<(String, String)> {
    filters
        .iter()
        .map(|(filter, source)| {
            let value = match (*source, object.get(*source)) {
                ("id", _) => id.to_string(),
                (_, Some(serde_json::Value::String(text))) if !text.is_empty() => text.clone(),
                (_, Some(serde_json::Value::Number(number))) => number.to_string(),
                (_, Some(serde_json::Value::Bool(truth))) => truth.to_string(),
                _ => "null".to_string(),
            };
            (filter.clone(), value)
        })
        .collect()
}

/// A view of related objects, mounted at `<object URL><path>/` (from a plugin's
/// `ModelView::related` or `ModelView::matching`).
#[derive(Debug, Clone)]
pub struct RelatedView {
    /// The model whose objects have the view.
    pub target: MountedModel,
    /// The related model listed.
    pub related: MountedModel,
    /// The filters selecting them, each with the object's field giving its value.
    pub filters: Vec<(String, &'static str)>,
    /// The view's path segment.
    pub path: &'static str,
    /// The tab's text.
    pub label: String,
}

#[derive(Template)]
#[template(path = "model_related.html")]
struct RelatedTemplate {
    /// (Related tables have no bulk selection.)
    selectable: bool,
    tabs: Vec<TabLink>,
    headers: Vec<&'static str>,
    rows: Vec<Row>,
    count: i64,
    shown: usize,
    all_link: String,
    add_link: String,
    singular: &'static str,
    plural: &'static str,
}

/// Shows the related objects of one object (up to 100), with the object's tabs.
pub async fn related(
    request: HttpRequest,
    state: web::Data<AppState>,
    view: web::Data<RelatedView>,
    id: web::Path<i64>,
) -> PageResult {
    let target = &view.target;
    let Some(object) = load(&request, &state, target, *id).await? else {
        return Ok(not_found(&request, target, *id));
    };
    let related = &view.related;
    let filters = filters_of(&view.filters, *id, &object);
    let query = ListQuery {
        filters: filters.clone(),
        limit: 100,
        ..Default::default()
    };
    let (count, objects) = store(&request, &state, related)
        .list(&query)
        .await
        .map_err(page_error)?;
    let count = count.unwrap_or_default();
    let references = references(&request, &state, related, &objects)
        .await
        .map_err(server_error)?;
    let template = RelatedTemplate {
        selectable: false,
        tabs: tabs(
            &request,
            &state,
            target,
            *id,
            Some(&object),
            Some(view.path),
        )
        .await?,
        headers: related.schema.fields.iter().map(|f| f.label).collect(),
        rows: rows(&state, related, &objects, &references),
        count,
        shown: objects.len(),
        all_link: format!(
            "{}?{}",
            related.ui_base,
            serde_urlencoded::to_string(&filters).unwrap_or_default()
        ),
        add_link: format!("{}add/", related.ui_base),
        singular: related.schema.verbose_name,
        plural: related.schema.verbose_name_plural,
    };
    let name = display(target.schema, &object);
    Ok(
        Page::from_template(format!("{name}: {}", view.label), &template)?
            .model(target.schema.key())
            .breadcrumb(target.schema.verbose_name_plural, Some(&target.ui_base))
            .breadcrumb(name, Some(&format!("{}{}/", target.ui_base, *id)))
            .respond_to(&request),
    )
}

//! The host layout every page is rendered in.

use super::navigation::NavMenu;
use super::state::AppState;
use actix_web::http::header::ContentType;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;
use netbox_framework::page::{Breadcrumb, Page, PageLayout};
use std::sync::Arc;

#[derive(Template)]
#[template(path = "layout.html")]
struct LayoutTemplate<'a> {
    title: &'a str,
    path: &'a str,
    menus: &'a [NavMenu],
    breadcrumbs: &'a [Breadcrumb],
    content: &'a str,
    version: &'a str,
    plugin_count: usize,
}

/// Renders [`Page`]s inside the layout: navigation (current item highlighted), breadcrumbs,
/// title, content and footer.
pub struct HostLayout {
    state: Arc<AppState>,
}

impl HostLayout {
    pub fn new(state: Arc<AppState>) -> Self {
        HostLayout { state }
    }
}

impl HostLayout {
    /// Renders `page` as the page at `path` (which decides the highlighted menu item).
    pub fn render_path(&self, path: &str, page: Page) -> HttpResponse {
        let template = LayoutTemplate {
            title: &page.title,
            path,
            menus: &self.state.navigation.menus,
            breadcrumbs: &page.breadcrumbs,
            content: page.content.as_str(),
            version: netbox_framework::HOST_VERSION,
            plugin_count: self.state.registry.enabled().count(),
        };
        match template.render() {
            Ok(html) => HttpResponse::build(page.status)
                .content_type(ContentType::html())
                .body(html),
            Err(error) => {
                tracing::error!(%error, "the layout failed to render");
                HttpResponse::InternalServerError()
                    .content_type(ContentType::plaintext())
                    .body("The page layout failed to render.")
            }
        }
    }
}

impl PageLayout for HostLayout {
    fn render(&self, request: &HttpRequest, page: Page) -> HttpResponse {
        self.render_path(request.path(), page)
    }
}

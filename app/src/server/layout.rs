//! The host layout every page is rendered in.

use super::state::AppState;
use actix_web::http::header::ContentType;
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use askama::Template;
use netbox_framework::__host::PageLayout;
use netbox_framework::auth::{CsrfToken, CurrentUser};
use netbox_framework::extensions::Slot;
use netbox_framework::page::{Breadcrumb, Page};
use std::sync::Arc;

#[derive(Template)]
#[template(path = "layout.html")]
struct LayoutTemplate<'a> {
    title: &'a str,
    head: &'a str,
    navbar: &'a str,
    nav: &'a str,
    breadcrumbs: &'a [Breadcrumb],
    content: &'a str,
    user: Option<&'a str>,
    superuser: bool,
    csrf: &'a str,
    version: &'a str,
    plugin_count: usize,
}

/// Renders [`Page`]s inside the layout: navigation (current item highlighted), breadcrumbs,
/// title, content and footer.
pub struct HostLayout {
    state: Arc<AppState>,
}

impl HostLayout {
    /// The layout of the application whose state is `state`.
    pub fn new(state: Arc<AppState>) -> Self {
        HostLayout { state }
    }
}

impl HostLayout {
    /// Renders `page` as the page at `path` (which decides the highlighted menu item) for an
    /// anonymous visitor (error pages rendered without the request).
    pub fn render_path(&self, path: &str, page: Page) -> HttpResponse {
        self.render_for(path, &CurrentUser::anonymous(), None, page)
    }

    /// Renders `page` as the page at `path` for `user` (whose permissions decide the menu).
    pub fn render_for(
        &self,
        path: &str,
        user: &CurrentUser,
        csrf: Option<&CsrfToken>,
        page: Page,
    ) -> HttpResponse {
        let model = page.model.as_deref();
        let extensions = &self.state.extensions;
        let (head, navbar) = if extensions.is_empty() {
            (String::new(), String::new())
        } else {
            (
                extensions.render(Slot::Head, model, None, path, user),
                extensions.render(Slot::Navbar, model, None, path, user),
            )
        };
        let navigation = self.state.menus.html(&self.state.contributions, user);
        let csrf = csrf.map(CsrfToken::hidden_input);
        let template = LayoutTemplate {
            user: user.username(),
            superuser: user.is_superuser(),
            csrf: csrf.as_ref().map_or("", |html| html.as_str()),
            title: &page.title,
            head: &head,
            navbar: &navbar,
            nav: navigation.for_path(path),
            breadcrumbs: &page.breadcrumbs,
            content: page.content.as_str(),
            version: netbox_framework::HOST_VERSION,
            plugin_count: self.state.plugin_count,
        };
        // One allocation: the menu and the content dominate the page's size.
        let mut html = String::with_capacity(template.nav.len() + template.content.len() + 1024);
        match template.render_into(&mut html) {
            Ok(()) => HttpResponse::build(page.status)
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
        let user = CurrentUser::of(request);
        let extensions = request.extensions();
        let csrf = extensions.get::<CsrfToken>();
        self.render_for(request.path(), &user, csrf, page)
    }
}

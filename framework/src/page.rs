//! Pages: a plugin handler returns a [`Page`] (a title and an HTML fragment, usually from the
//! plugin's own askama template) and the host wraps it in its layout (navigation, breadcrumbs,
//! footer) at run time. A plugin never needs the host's template files.
//!
//! ```
//! use netbox_framework::askama::Template;
//! use netbox_framework::page::Page;
//! use netbox_framework::actix::Error;
//!
//! #[derive(Template)]
//! #[template(source = "<p>{{ animal }} says {{ sound }}</p>", ext = "html", askama = netbox_framework::askama)]
//! struct AnimalFragment<'a> {
//!     animal: &'a str,
//!     sound: &'a str,
//! }
//!
//! async fn random_animal() -> Result<Page, Error> {
//!     let fragment = AnimalFragment { animal: "Cat", sound: "<meow>" };
//!     Ok(Page::from_template("Random animal", &fragment)?.breadcrumb("Animals", None))
//! }
//! ```

use crate::extensions::Html;
use actix_web::body::BoxBody;
use actix_web::http::StatusCode;
use actix_web::http::header::ContentType;
use actix_web::{HttpRequest, HttpResponse, Responder, web};

/// One step of the breadcrumb trail above the page title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breadcrumb {
    /// Text shown.
    pub text: String,
    /// Link, if the step is clickable.
    pub link: Option<String>,
}

/// A page of a plugin: rendered inside the host layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Page title (in `<title>` and as the heading).
    pub title: String,
    /// The page body: HTML the plugin rendered.
    pub content: Html,
    /// Breadcrumb trail (the host puts "Home" first).
    pub breadcrumbs: Vec<Breadcrumb>,
    /// HTTP status (200 unless set).
    pub status: StatusCode,
    /// The model the page shows (e.g. `"dcim.site"`), for model-specific `head` and `navbar`
    /// template extensions.
    pub model: Option<String>,
}

impl Page {
    /// A page with a title and content.
    pub fn new(title: impl Into<String>, content: Html) -> Self {
        Page {
            title: title.into(),
            content,
            breadcrumbs: Vec::new(),
            status: StatusCode::OK,
            model: None,
        }
    }

    /// A page whose content is the rendered `template` (askama escapes its values). A
    /// rendering error becomes a 500 response through `?`.
    pub fn from_template<T: askama::Template>(
        title: impl Into<String>,
        template: &T,
    ) -> Result<Self, actix_web::Error> {
        let html = template
            .render()
            .map_err(actix_web::error::ErrorInternalServerError)?;
        Ok(Page::new(title, Html::trusted(html)))
    }

    /// Adds a breadcrumb step.
    pub fn breadcrumb(mut self, text: impl Into<String>, link: Option<&str>) -> Self {
        self.breadcrumbs.push(Breadcrumb {
            text: text.into(),
            link: link.map(str::to_string),
        });
        self
    }

    /// Sets the model the page shows.
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// Sets the HTTP status.
    pub fn status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }
}

/// The host's layout: turns a [`Page`] into a full HTML response. The host registers one as
/// `web::Data<dyn PageLayout>`; without it (e.g. in a plugin's own tests) a page renders as a
/// minimal HTML document. Host plumbing: reached through `__host`.
#[doc(hidden)]
pub trait PageLayout: Send + Sync + 'static {
    /// Renders `page` for `request`.
    fn render(&self, request: &HttpRequest, page: Page) -> HttpResponse;
}

impl Responder for Page {
    type Body = BoxBody;

    fn respond_to(self, request: &HttpRequest) -> HttpResponse {
        match request.app_data::<web::Data<dyn PageLayout>>() {
            Some(layout) => layout.render(request, self),
            None => HttpResponse::build(self.status)
                .content_type(ContentType::html())
                .body(format!(
                    "<!doctype html><title>{}</title>{}",
                    Html::escape(&self.title).as_str(),
                    self.content.as_str()
                )),
        }
    }
}

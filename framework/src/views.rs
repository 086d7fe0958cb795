//! Views a plugin adds under core objects' URLs, shown as tabs on the object's page (NetBox's
//! `register_model_view` with a `ViewTab`).
//!
//! ```
//! use netbox_framework::views::{ModelView, Tab};
//! use netbox_framework::web;
//!
//! let view = ModelView::new("dcim.device", "access-lists", web::get().to(|| async { "ACLs" }))
//!     .tab(Tab::new("Access Lists").weight(500).hide_if_empty());
//! assert_eq!(view.path, "access-lists");
//! ```

use actix_web::Route;

/// The tab that links to a [`ModelView`] on the object's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tab {
    /// Text of the tab.
    pub label: String,
    /// Lower weights come first.
    pub weight: i32,
    /// Permission needed to see the tab, if any.
    pub permission: Option<String>,
    /// Hide the tab when its badge counts zero.
    pub hide_if_empty: bool,
}

impl Tab {
    /// A tab of weight 0, always shown.
    pub fn new(label: impl Into<String>) -> Self {
        Tab {
            label: label.into(),
            weight: 0,
            permission: None,
            hide_if_empty: false,
        }
    }

    /// Sets the ordering weight.
    pub fn weight(mut self, weight: i32) -> Self {
        self.weight = weight;
        self
    }

    /// Requires a permission to see the tab.
    pub fn permission(mut self, permission: impl Into<String>) -> Self {
        self.permission = Some(permission.into());
        self
    }

    /// Hides the tab when its badge counts zero.
    pub fn hide_if_empty(mut self) -> Self {
        self.hide_if_empty = true;
        self
    }
}

/// A view mounted at `/<app>/<model plural>/<id>/<path>/` of a core model.
pub struct ModelView {
    /// The model, e.g. `"dcim.device"`. An unknown model is a startup error.
    pub model: String,
    /// Path segment under the object's URL.
    pub path: String,
    /// The handler.
    pub route: Route,
    /// The tab shown on the object page, if any.
    pub tab: Option<Tab>,
}

impl ModelView {
    /// A view without a tab.
    pub fn new(model: impl Into<String>, path: impl Into<String>, route: Route) -> Self {
        ModelView {
            model: model.into(),
            path: path.into(),
            route,
            tab: None,
        }
    }

    /// Shows the view as a tab.
    pub fn tab(mut self, tab: Tab) -> Self {
        self.tab = Some(tab);
        self
    }
}

impl std::fmt::Debug for ModelView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModelView")
            .field("model", &self.model)
            .field("path", &self.path)
            .field("tab", &self.tab)
            .finish_non_exhaustive()
    }
}

//! Views a plugin adds under other models' object URLs (core or plugin models), shown as tabs
//! on the object's page (NetBox's `register_model_view` with a `ViewTab`).
//!
//! Two kinds: a view of related objects, which the host renders (a table of the objects of a
//! model whose foreign key points at this object, or which list filters select by the
//! object's values, with their count as the tab's badge), and a view with a handler of the
//! plugin's own.
//!
//! ```
//! use netbox_framework::views::{ModelView, Tab};
//! use netbox_framework::web;
//!
//! // The access lists of a device, as a tab with their count, hidden when there are none.
//! let related = ModelView::related("dcim.device", "access-lists", "access_lists.accesslist", "device")
//!     .tab(Tab::new("Access Lists").weight(500).hide_if_empty());
//! assert_eq!(related.path, "access-lists");
//!
//! // A page of the plugin's own under /dcim/devices/<id>/health/.
//! let custom = ModelView::new("dcim.device", "health", web::get().to(|| async { "healthy" }))
//!     .tab(Tab::new("Health"));
//! assert!(custom.tab.is_some());
//! ```

use actix_web::Route;

/// The tab that links to a [`ModelView`] on the object's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tab {
    /// Text of the tab.
    pub label: String,
    /// Lower weights come first (the object's own tab is first).
    pub weight: i32,
    /// Permission needed to see the tab, if any.
    pub permission: Option<String>,
    /// Hide the tab when its badge counts zero (related views only).
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

/// What a [`ModelView`] shows.
pub enum ViewContent {
    /// The objects of `model` whose foreign key `field` points at the object; the tab's badge
    /// is their count.
    Related {
        /// Key of the related model, e.g. `"access_lists.accesslist"`.
        model: &'static str,
        /// Its foreign-key field that points at the object.
        field: &'static str,
    },
    /// The objects of `model` that list filters select, each filter's value taken from the
    /// object: `(filter, field)` pairs, `field` being a field of the object's model or `"id"`
    /// (an empty value filters for none: `null`). The tab's badge is their count.
    Matching {
        /// Key of the listed model, e.g. `"ipam.prefix"`.
        model: &'static str,
        /// `(filter of the listed model, field of the object)` pairs.
        filters: &'static [(&'static str, &'static str)],
    },
    /// A handler of the plugin's own; the object's id is the `{id}` path parameter.
    Handler(Route),
}

/// A view mounted at `<object URL><path>/` of a model's objects.
pub struct ModelView {
    /// The model whose objects get the view, e.g. `"dcim.device"`. An unknown model is a
    /// startup error naming the plugin.
    pub model: &'static str,
    /// Path segment under the object's URL.
    pub path: &'static str,
    /// What it shows.
    pub content: ViewContent,
    /// The tab shown on the object page, if any.
    pub tab: Option<Tab>,
}

impl ModelView {
    /// A view with a handler of the plugin's own, without a tab.
    pub fn new(model: &'static str, path: &'static str, route: Route) -> Self {
        ModelView {
            model,
            path,
            content: ViewContent::Handler(route),
            tab: None,
        }
    }

    /// A view of related objects that the host renders, without a tab.
    pub fn related(
        model: &'static str,
        path: &'static str,
        related_model: &'static str,
        field: &'static str,
    ) -> Self {
        ModelView {
            model,
            path,
            content: ViewContent::Related {
                model: related_model,
                field,
            },
            tab: None,
        }
    }

    /// A view of the objects of `related_model` selected by list filters whose values come
    /// from the object's fields, which the host renders, without a tab.
    ///
    /// ```
    /// use netbox_framework::views::{ModelView, Tab};
    ///
    /// // A prefix's child prefixes: those within it, in its VRF.
    /// let children = ModelView::matching(
    ///     "ipam.prefix",
    ///     "prefixes",
    ///     "ipam.prefix",
    ///     &[("within", "prefix"), ("vrf_id", "vrf")],
    /// )
    /// .tab(Tab::new("Child Prefixes"));
    /// assert_eq!(children.path, "prefixes");
    /// ```
    pub fn matching(
        model: &'static str,
        path: &'static str,
        related_model: &'static str,
        filters: &'static [(&'static str, &'static str)],
    ) -> Self {
        ModelView {
            model,
            path,
            content: ViewContent::Matching {
                model: related_model,
                filters,
            },
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
        let content = match &self.content {
            ViewContent::Related { model, field } => format!("related {model}.{field}"),
            ViewContent::Matching { model, filters } => format!("matching {model} {filters:?}"),
            ViewContent::Handler(_) => "handler".to_string(),
        };
        f.debug_struct("ModelView")
            .field("model", &self.model)
            .field("path", &self.path)
            .field("content", &content)
            .field("tab", &self.tab)
            .finish()
    }
}

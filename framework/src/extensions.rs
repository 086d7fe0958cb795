//! Template extensions: content a plugin injects into the host's pages (NetBox's
//! `PluginTemplateExtension`).
//!
//! An extension names the models whose pages it applies to (none: every page) and fills any
//! of eight slots. Each slot returns [`Html`]; a plain string becomes `Html` only through
//! [`Html::escape`], so a plugin cannot inject markup by accident.
//!
//! ```
//! use netbox_framework::extensions::{Html, SlotContext, SlotResult, TemplateExtension};
//!
//! struct SiteNote;
//!
//! impl TemplateExtension for SiteNote {
//!     fn models(&self) -> &[&'static str] {
//!         &["dcim.site"]
//!     }
//!     fn right_page(&self, _context: &SlotContext<'_>) -> SlotResult {
//!         Ok(Some(Html::escape("Visited by the zoo keeper")))
//!     }
//! }
//! ```

use crate::auth::CurrentUser;
use crate::context::PluginContext;

/// A piece of HTML the plugin vouches for (rendered by its own templates, or escaped text).
///
/// ```
/// use netbox_framework::extensions::Html;
/// assert_eq!(Html::escape("<b>&</b>").as_str(), "&lt;b&gt;&amp;&lt;/b&gt;");
/// assert_eq!(Html::trusted("<b>ok</b>").as_str(), "<b>ok</b>");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Html(String);

impl Html {
    /// Markup produced by the plugin's own (escaping) templates, used as is.
    pub fn trusted(markup: impl Into<String>) -> Self {
        Html(markup.into())
    }

    /// Plain text, escaped for HTML.
    pub fn escape(text: &str) -> Self {
        let mut escaped = String::with_capacity(text.len());
        for character in text.chars() {
            match character {
                '&' => escaped.push_str("&amp;"),
                '<' => escaped.push_str("&lt;"),
                '>' => escaped.push_str("&gt;"),
                '"' => escaped.push_str("&quot;"),
                '\'' => escaped.push_str("&#x27;"),
                other => escaped.push(other),
            }
        }
        Html(escaped)
    }

    /// The markup.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The anonymous user, for contexts built without one.
fn anonymous() -> &'static CurrentUser {
    static ANONYMOUS: std::sync::LazyLock<CurrentUser> =
        std::sync::LazyLock::new(CurrentUser::anonymous);
    &ANONYMOUS
}

/// What a slot returns: markup, nothing, or an error the host shows as a small alert naming
/// the plugin (the rest of the page still renders).
pub type SlotResult = Result<Option<Html>, String>;

/// What a slot knows about the page it renders into. More fields arrive as the host grows;
/// the struct is non-exhaustive so that adding them breaks no plugin.
#[derive(Debug)]
#[non_exhaustive]
pub struct SlotContext<'a> {
    /// The model of the page (`"dcim.site"`), `None` on pages of no model.
    pub model: Option<&'a str>,
    /// The object's primary key on object pages.
    pub object_id: Option<i64>,
    /// Request path.
    pub path: &'a str,
    /// The user looking at the page: render only what they may use (e.g. check
    /// [`CurrentUser::has_perm`] before showing a link to a protected page).
    pub user: &'a CurrentUser,
    /// The extending plugin's own context (its settings).
    pub plugin: &'a PluginContext,
    /// The object on object pages: its fields as the REST API's input shows them (foreign
    /// keys as ids), plus `id`, `created` and `last_updated`.
    pub object: Option<&'a serde_json::Map<String, serde_json::Value>>,
    /// On object pages, what the extension's [`TemplateExtension::load`] returned.
    pub loaded: Option<&'a serde_json::Value>,
}

impl<'a> SlotContext<'a> {
    /// A context for a page (the host builds these; plugin tests may too).
    pub fn new(path: &'a str, plugin: &'a PluginContext) -> Self {
        SlotContext {
            model: None,
            object_id: None,
            path,
            user: anonymous(),
            plugin,
            object: None,
            loaded: None,
        }
    }

    /// Sets what the extension loaded (see [`TemplateExtension::load`]).
    pub fn loaded(mut self, loaded: Option<&'a serde_json::Value>) -> Self {
        self.loaded = loaded;
        self
    }

    /// Sets the user looking at the page (anonymous by default).
    pub fn user(mut self, user: &'a CurrentUser) -> Self {
        self.user = user;
        self
    }

    /// Sets the page's model.
    pub fn model(mut self, model: Option<&'a str>) -> Self {
        self.model = model;
        self
    }

    /// Sets the page's object.
    pub fn object(
        mut self,
        object: Option<&'a serde_json::Map<String, serde_json::Value>>,
    ) -> Self {
        self.object_id = object
            .and_then(|o| o.get("id"))
            .and_then(serde_json::Value::as_i64);
        self.object = object;
        self
    }
}

/// The eight places of a page a [`TemplateExtension`] can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    /// Inside `<head>` of every page.
    Head,
    /// In the top bar of every page.
    Navbar,
    /// Beside the buttons of a model's list page.
    ListButtons,
    /// Beside an object page's edit and delete buttons.
    Buttons,
    /// At the top of an object page.
    Alerts,
    /// Left column of an object page.
    LeftPage,
    /// Right column of an object page.
    RightPage,
    /// Below both columns of an object page.
    FullWidthPage,
}

impl Slot {
    /// Every slot.
    pub const ALL: [Slot; 8] = [
        Slot::Head,
        Slot::Navbar,
        Slot::ListButtons,
        Slot::Buttons,
        Slot::Alerts,
        Slot::LeftPage,
        Slot::RightPage,
        Slot::FullWidthPage,
    ];

    /// The slot's name as NetBox spells it (`"right_page"`).
    ///
    /// ```
    /// assert_eq!(netbox_framework::extensions::Slot::RightPage.name(), "right_page");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Slot::Head => "head",
            Slot::Navbar => "navbar",
            Slot::ListButtons => "list_buttons",
            Slot::Buttons => "buttons",
            Slot::Alerts => "alerts",
            Slot::LeftPage => "left_page",
            Slot::RightPage => "right_page",
            Slot::FullWidthPage => "full_width_page",
        }
    }
}

/// Calls the method of `extension` for `slot` (host plumbing, re-exported in `__host`).
#[doc(hidden)]
pub fn render_slot(
    slot: Slot,
    extension: &dyn TemplateExtension,
    context: &SlotContext<'_>,
) -> SlotResult {
    match slot {
        Slot::Head => extension.head(context),
        Slot::Navbar => extension.navbar(context),
        Slot::ListButtons => extension.list_buttons(context),
        Slot::Buttons => extension.buttons(context),
        Slot::Alerts => extension.alerts(context),
        Slot::LeftPage => extension.left_page(context),
        Slot::RightPage => extension.right_page(context),
        Slot::FullWidthPage => extension.full_width_page(context),
    }
}

/// Content a plugin injects into host pages. Every slot defaults to nothing.
#[allow(unused_variables)]
pub trait TemplateExtension: Send + Sync + 'static {
    /// Models whose pages this applies to (`"dcim.site"`); empty: every page.
    fn models(&self) -> &[&'static str] {
        &[]
    }
    /// On object pages, before the object's slots render: reads what they show with the data
    /// API (as the user looking at the page) and returns it as JSON, which the slots find in
    /// [`SlotContext::loaded`]. An error shows in place of the extension's content.
    ///
    /// ```
    /// use netbox_framework::data::{BoxFuture, Data};
    /// use netbox_framework::dcim::Device;
    /// use netbox_framework::extensions::{Html, SlotContext, SlotResult, TemplateExtension};
    /// use netbox_framework::json::{json, Value};
    /// use netbox_framework::models::Model;
    ///
    /// struct DeviceCount;
    ///
    /// impl TemplateExtension for DeviceCount {
    ///     fn models(&self) -> &[&'static str] {
    ///         &["dcim.site"]
    ///     }
    ///     fn load<'a>(&'a self, context: &'a SlotContext<'a>, data: &'a Data) -> BoxFuture<'a, Result<Value, String>> {
    ///         Box::pin(async move {
    ///             let site = context.object_id.unwrap_or_default();
    ///             let count = Device::objects().filter(Device::SITE.eq(site)).count(data).await;
    ///             count.map(|n| json!(n)).map_err(|e| e.to_string())
    ///         })
    ///     }
    ///     fn right_page(&self, context: &SlotContext<'_>) -> SlotResult {
    ///         let count = context.loaded.and_then(Value::as_i64).unwrap_or_default();
    ///         Ok(Some(Html::escape(&format!("{count} devices"))))
    ///     }
    /// }
    /// ```
    fn load<'a>(
        &'a self,
        context: &'a SlotContext<'a>,
        data: &'a crate::data::Data,
    ) -> crate::data::BoxFuture<'a, Result<serde_json::Value, String>> {
        Box::pin(std::future::ready(Ok(serde_json::Value::Null)))
    }
    /// Inside the page's `<head>`.
    fn head(&self, context: &SlotContext<'_>) -> SlotResult {
        Ok(None)
    }
    /// In the top navigation bar.
    fn navbar(&self, context: &SlotContext<'_>) -> SlotResult {
        Ok(None)
    }
    /// Beside the buttons of a model's list page.
    fn list_buttons(&self, context: &SlotContext<'_>) -> SlotResult {
        Ok(None)
    }
    /// Beside an object page's edit and delete buttons.
    fn buttons(&self, context: &SlotContext<'_>) -> SlotResult {
        Ok(None)
    }
    /// At the top of an object page.
    fn alerts(&self, context: &SlotContext<'_>) -> SlotResult {
        Ok(None)
    }
    /// A panel in the left column of an object page.
    fn left_page(&self, context: &SlotContext<'_>) -> SlotResult {
        Ok(None)
    }
    /// A panel in the right column of an object page.
    fn right_page(&self, context: &SlotContext<'_>) -> SlotResult {
        Ok(None)
    }
    /// A full-width panel at the bottom of an object page.
    fn full_width_page(&self, context: &SlotContext<'_>) -> SlotResult {
        Ok(None)
    }
}

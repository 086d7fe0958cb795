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
    /// The signed-in user's name, `None` for anonymous.
    pub user: Option<&'a str>,
    /// The extending plugin's own context (its settings).
    pub plugin: &'a PluginContext,
}

impl<'a> SlotContext<'a> {
    /// A context for a page (the host builds these; plugin tests may too).
    pub fn new(path: &'a str, plugin: &'a PluginContext) -> Self {
        SlotContext {
            model: None,
            object_id: None,
            path,
            user: None,
            plugin,
        }
    }
}

/// Content a plugin injects into host pages. Every slot defaults to nothing.
#[allow(unused_variables)]
pub trait TemplateExtension: Send + Sync + 'static {
    /// Models whose pages this applies to (`"dcim.site"`); empty: every page.
    fn models(&self) -> &[&'static str] {
        &[]
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

//! Template extensions of the enabled plugins, ordered once at startup (global ones first,
//! then model-specific ones, each in plugin configuration order), and rendered per slot. An
//! extension that fails or panics shows a small alert naming its plugin; the page still
//! renders.

use crate::plugins::Contributions;
use crate::plugins::guard::{PluginFailure, call_plugin};
use netbox_framework::__host::render_slot;
use netbox_framework::PluginContext;
use netbox_framework::auth::CurrentUser;
use netbox_framework::extensions::{Html, Slot, SlotContext, TemplateExtension};
use serde_json::{Map, Value};
use std::sync::Arc;

struct Entry {
    plugin: &'static str,
    verbose_name: &'static str,
    context: Arc<PluginContext>,
    extension: Arc<dyn TemplateExtension>,
}

/// Every enabled plugin's template extensions.
#[derive(Default)]
pub struct Extensions {
    entries: Vec<Entry>,
}

impl std::fmt::Debug for Extensions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.entries.iter().map(|e| e.plugin))
            .finish()
    }
}

impl Extensions {
    /// Orders the active plugins' extensions.
    pub fn collect(contributions: &Contributions) -> Self {
        let mut global = Vec::new();
        let mut specific = Vec::new();
        for contribution in contributions.all() {
            for extension in &contribution.template_extensions {
                let entry = Entry {
                    plugin: contribution.name(),
                    verbose_name: contribution.metadata().verbose_name,
                    context: contribution.context.clone(),
                    extension: extension.clone(),
                };
                if entry.extension.models().is_empty() {
                    global.push(entry);
                } else {
                    specific.push(entry);
                }
            }
        }
        global.extend(specific);
        Extensions { entries: global }
    }

    /// Whether no plugin extends any page.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The object-page slots (alerts, buttons, left, right, full width) of every extension
    /// that applies to `model`, each after the extension's [`TemplateExtension::load`].
    pub async fn render_object(
        &self,
        model: &str,
        object: &Map<String, Value>,
        path: &str,
        user: &CurrentUser,
        data: &netbox_framework::data::Data,
    ) -> [String; 5] {
        use futures_util::FutureExt;
        const SLOTS: [Slot; 5] = [
            Slot::Alerts,
            Slot::Buttons,
            Slot::LeftPage,
            Slot::RightPage,
            Slot::FullWidthPage,
        ];
        let mut html: [String; 5] = Default::default();
        for entry in &self.entries {
            let models = entry.extension.models();
            if !models.is_empty() && !models.contains(&model) {
                continue;
            }
            let context = SlotContext::new(path, &entry.context)
                .user(user)
                .model(Some(model))
                .object(Some(object));
            let loading = std::panic::AssertUnwindSafe(entry.extension.load(&context, data));
            let loaded = match loading.catch_unwind().await {
                Ok(Ok(value)) => value,
                Ok(Err(message)) => {
                    failed(&mut html[3], entry, "load", path, &message);
                    continue;
                }
                Err(_) => {
                    failed(&mut html[3], entry, "load", path, "it panicked");
                    continue;
                }
            };
            let context = context.loaded(Some(&loaded));
            for (slot, out) in SLOTS.iter().zip(html.iter_mut()) {
                render_entry(out, entry, *slot, &context, path);
            }
        }
        html
    }

    /// The concatenated output of every extension that applies to `model` for `slot`.
    pub fn render(
        &self,
        slot: Slot,
        model: Option<&str>,
        object: Option<&Map<String, Value>>,
        path: &str,
        user: &CurrentUser,
    ) -> String {
        let mut html = String::new();
        for entry in &self.entries {
            let models = entry.extension.models();
            if !models.is_empty() && !model.is_some_and(|model| models.contains(&model)) {
                continue;
            }
            let context = SlotContext::new(path, &entry.context)
                .user(user)
                .model(model)
                .object(object);
            render_entry(&mut html, entry, slot, &context, path);
        }
        html
    }
}

/// Appends `entry`'s output for `slot` to `html`, or an alert naming its plugin.
fn render_entry(
    html: &mut String,
    entry: &Entry,
    slot: Slot,
    context: &SlotContext<'_>,
    path: &str,
) {
    let outcome = call_plugin(entry.plugin, slot.name(), || {
        render_slot(slot, entry.extension.as_ref(), context)
    });
    match outcome {
        Ok(Some(output)) => html.push_str(output.as_str()),
        Ok(None) => {}
        Err(PluginFailure::Error(message) | PluginFailure::Panic(message)) => {
            failed(html, entry, slot.name(), path, &message)
        }
    }
}

/// Logs a failed extension and shows an alert naming its plugin.
fn failed(html: &mut String, entry: &Entry, what: &str, path: &str, failure: &str) {
    tracing::error!(plugin = entry.plugin, slot = what, %path, error = %failure, "a template extension failed");
    html.push_str(&format!(
        "<div class=\"alert alert-error extension-error\" data-plugin=\"{}\">The plugin “{}” failed to render its {} content.</div>",
        entry.plugin,
        Html::escape(entry.verbose_name).as_str(),
        what
    ));
}

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
            let outcome = call_plugin(entry.plugin, slot.name(), || {
                render_slot(slot, entry.extension.as_ref(), &context)
            });
            let failure = match outcome {
                Ok(Some(output)) => {
                    html.push_str(output.as_str());
                    continue;
                }
                Ok(None) => continue,
                Err(PluginFailure::Error(message) | PluginFailure::Panic(message)) => message,
            };
            tracing::error!(plugin = entry.plugin, slot = slot.name(), %path, error = %failure, "a template extension failed");
            html.push_str(&format!(
                "<div class=\"alert alert-error extension-error\" data-plugin=\"{}\">The plugin “{}” failed to render its {} content.</div>",
                entry.plugin,
                Html::escape(entry.verbose_name).as_str(),
                slot.name()
            ));
        }
        html
    }
}

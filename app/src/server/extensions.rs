//! Template extensions of the enabled plugins, ordered once at startup (global ones first,
//! then model-specific ones, each in plugin configuration order), and rendered per slot. An
//! extension that fails or panics shows a small alert naming its plugin; the page still
//! renders.

use crate::registry::PluginRegistry;
use netbox_framework::PluginContext;
use netbox_framework::extensions::{Html, Slot, SlotContext, TemplateExtension};
use serde_json::{Map, Value};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

struct Entry {
    plugin: &'static str,
    verbose_name: &'static str,
    context: Arc<PluginContext>,
    extension: Box<dyn TemplateExtension>,
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
    /// Collects and orders the extensions of the enabled plugins.
    pub fn collect(registry: &PluginRegistry) -> Self {
        let mut global = Vec::new();
        let mut specific = Vec::new();
        for (descriptor, context) in registry.enabled() {
            for extension in descriptor.plugin.template_extensions() {
                let entry = Entry {
                    plugin: descriptor.metadata.name,
                    verbose_name: descriptor.metadata.verbose_name,
                    context: context.clone(),
                    extension,
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
    ) -> String {
        let mut html = String::new();
        for entry in &self.entries {
            let models = entry.extension.models();
            if !models.is_empty() && !model.is_some_and(|model| models.contains(&model)) {
                continue;
            }
            let context = SlotContext::new(path, &entry.context)
                .model(model)
                .object(object);
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                slot.render(entry.extension.as_ref(), &context)
            }));
            let failure = match outcome {
                Ok(Ok(Some(output))) => {
                    html.push_str(output.as_str());
                    continue;
                }
                Ok(Ok(None)) => continue,
                Ok(Err(message)) => message,
                Err(panic) => panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "panic".to_string()),
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

//! What a running plugin knows about itself: its name and its validated settings.

use std::any::Any;
use std::sync::Arc;

/// An enabled plugin's run-time context: its merged settings (operator values over defaults)
/// and, when it declared `settings = Type`, the parsed value of that type.
///
/// The host builds one per enabled plugin at startup, after validation.
///
/// ```
/// use netbox_framework::PluginContext;
/// use std::sync::Arc;
///
/// #[derive(serde::Deserialize)]
/// struct Settings { loud: bool }
///
/// let raw: toml::Table = toml::from_str("loud = true").unwrap();
/// let context = PluginContext::new("animal_sounds", raw, Some(Arc::new(Settings { loud: true })));
/// assert!(context.settings::<Settings>().unwrap().loud);
/// assert_eq!(context.setting("loud"), Some(&toml::Value::Boolean(true)));
/// ```
#[derive(Clone)]
pub struct PluginContext {
    name: &'static str,
    settings: toml::Table,
    typed: Option<Arc<dyn Any + Send + Sync>>,
}

impl PluginContext {
    /// Builds a context (the host does this; tests of plugins may too).
    pub fn new(
        name: &'static str,
        settings: toml::Table,
        typed: Option<Arc<dyn Any + Send + Sync>>,
    ) -> Self {
        PluginContext {
            name,
            settings,
            typed,
        }
    }

    /// The plugin's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The parsed settings, when `T` is the type declared with `settings = T` (or
    /// `toml::Table`, the merged settings, when none was declared); `None` for any other type.
    pub fn settings<T: Any>(&self) -> Option<&T> {
        self.typed.as_deref()?.downcast_ref::<T>()
    }

    /// Like [`settings`](Self::settings), as a shared pointer.
    pub fn settings_arc<T: Any + Send + Sync>(&self) -> Option<Arc<T>> {
        self.typed.clone()?.downcast::<T>().ok()
    }

    /// One merged setting by key, like NetBox's `get_plugin_config(plugin, key)`.
    pub fn setting(&self, key: &str) -> Option<&toml::Value> {
        self.settings.get(key)
    }

    /// All merged settings.
    pub fn raw_settings(&self) -> &toml::Table {
        &self.settings
    }
}

impl std::fmt::Debug for PluginContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginContext")
            .field("name", &self.name)
            .field("settings", &self.settings)
            .field("typed", &self.typed.is_some())
            .finish()
    }
}

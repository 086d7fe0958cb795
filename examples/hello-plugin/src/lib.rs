//! A teaching plugin: the smallest plugin that uses settings, a page and a menu item.
//! `docs/PLUGIN-GUIDE.md` builds it step by step.

use netbox_framework::extract::PluginSettings;
use netbox_framework::menu::MenuItem;
use netbox_framework::routes::Routes;
use netbox_framework::{Plugin, netbox_plugin};
use serde::Deserialize;

/// `[plugins_config.hello]` in the operator's configuration.
#[derive(Debug, Deserialize)]
pub struct HelloSettings {
    /// The greeting shown on the page.
    pub greeting: String,
}

/// The plugin: metadata in the attribute, contributions in the `Plugin` impl.
#[netbox_plugin(
    name = "hello",
    min_version = "0.1.0",
    default_settings(greeting = "Hello"),
    settings = HelloSettings,
)]
pub struct Hello;

impl Plugin for Hello {
    fn routes(&self, routes: &mut Routes) {
        routes.get("/", "index", index);
    }

    fn menu_items(&self) -> Vec<MenuItem> {
        vec![MenuItem::new("", "Say hello")]
    }
}

/// The greeting for `name`, as the page shows it.
pub fn greet(settings: &HelloSettings, name: &str) -> String {
    format!("{}, {name}!", settings.greeting)
}

/// `GET /plugins/hello/`: the greeting, as plain text.
async fn index(settings: PluginSettings<Hello>) -> String {
    greet(&settings, "world")
}

use netbox_framework::extract::PluginSettings;
use netbox_framework::{netbox_plugin, Plugin};

#[derive(serde::Deserialize)]
pub struct ZooSettings {
    pub loud: bool,
}

#[netbox_plugin(name = "zoo", default_settings(loud = false), settings = ZooSettings)]
pub struct Zoo;

impl Plugin for Zoo {}

// The settings type is not a plugin: `PluginSettings<Zoo>` is meant.
async fn page(settings: PluginSettings<ZooSettings>) -> String {
    settings.loud.to_string()
}

fn main() {
    let _ = page;
}

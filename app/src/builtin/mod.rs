//! The host's own features, built as plugins through the same [`Plugin`] contract as any
//! other: whatever a plugin can contribute (models, migrations, menus, ...), the core
//! contributes the same way. Internal plugins are always on, come before the enabled plugins,
//! mount their models at `/<app>/<segment>/` instead of under `/plugins/`, and are not listed
//! among the linked plugins.

pub mod dcim;
pub mod extras;
pub mod ipam;
mod migrations;

use netbox_framework::menu::Menu;
use netbox_framework::migrations::Migration;
use netbox_framework::models::ModelSchema;
use netbox_framework::{Plugin, PluginDescriptor, PluginMetadata};

/// Name of the core plugin, and owner of its migrations and models.
pub const CORE: &str = "core";

/// The core: DCIM (sites and devices), IPAM (VRFs, prefixes, IP addresses) and the change
/// log's table.
pub struct Core;

impl Plugin for Core {
    fn models(&self) -> Vec<&'static ModelSchema> {
        vec![
            dcim::SITE,
            dcim::DEVICE,
            ipam::VRF,
            ipam::PREFIX,
            ipam::IP_ADDRESS,
            extras::TAG,
            extras::CUSTOM_FIELD,
            extras::CHOICE_SET,
        ]
    }

    fn migrations(&self) -> Vec<Migration> {
        let mut all = migrations::migrations();
        all.push(ipam::MIGRATION);
        all.push(extras::MIGRATION);
        all.extend(migrations::later_migrations());
        all
    }

    fn model_views(&self) -> Vec<netbox_framework::views::ModelView> {
        ipam::views()
    }

    fn menus(&self) -> Vec<Menu> {
        let mut menus = dcim::menus();
        menus.extend(ipam::menus());
        menus.extend(extras::menus());
        menus
    }
}

static CORE_DESCRIPTOR: PluginDescriptor = PluginDescriptor {
    metadata: PluginMetadata {
        name: CORE,
        verbose_name: "Core",
        version: netbox_framework::HOST_VERSION,
        description: "The host's own objects: sites, devices, IP prefixes and addresses, and the change log.",
        base_url: CORE,
        ..PluginMetadata::example()
    },
    package: env!("CARGO_PKG_NAME"),
    type_path: "netbox_app::builtin::Core",
    source_dir: env!("CARGO_MANIFEST_DIR"),
    plugin: &Core,
    settings: None,
};

/// The internal plugins, in the order they contribute.
pub fn internal_plugins() -> Vec<&'static PluginDescriptor> {
    vec![&CORE_DESCRIPTOR]
}

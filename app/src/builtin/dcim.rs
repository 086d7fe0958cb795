//! The core's DCIM models (NetBox's, kept small): sites and devices, and their menus.

use netbox_framework::dcim::{Device, Site};
use netbox_framework::menu::{ButtonColor, Menu, MenuButton, MenuGroup, MenuItem};
use netbox_framework::models::{Model, ModelSchema};

/// A site: a building or campus holding devices (the framework's typed [`Site`]).
pub static SITE: &ModelSchema = Site::SCHEMA;

/// A device: a piece of network equipment at a site (the framework's typed [`Device`]).
pub static DEVICE: &ModelSchema = Device::SCHEMA;

/// The "Organization" and "Devices" menus, shown before plugin menus.
pub fn menus() -> Vec<Menu> {
    let add = |link: &str| MenuButton::new(link, "Add", "mdi-plus").color(ButtonColor::Green);
    vec![
        Menu::new(
            "Organization",
            vec![MenuGroup::new(
                "Sites",
                vec![MenuItem::new("/dcim/sites/", "Sites").button(add("/dcim/sites/add/"))],
            )],
        ),
        Menu::new(
            "Devices",
            vec![MenuGroup::new(
                "Devices",
                vec![MenuItem::new("/dcim/devices/", "Devices").button(add("/dcim/devices/add/"))],
            )],
        ),
    ]
}

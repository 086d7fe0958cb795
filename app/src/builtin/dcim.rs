//! The core's DCIM models (NetBox's, kept small): sites and devices, and their menus.

use netbox_framework::menu::{ButtonColor, Menu, MenuButton, MenuGroup, MenuItem};
use netbox_framework::models::{Field, FieldKind, ModelSchema};

/// Statuses of a site, as NetBox names them.
pub const SITE_STATUSES: &[(&str, &str)] = &[
    ("planned", "Planned"),
    ("staging", "Staging"),
    ("active", "Active"),
    ("decommissioning", "Decommissioning"),
    ("retired", "Retired"),
];

/// Statuses of a device.
pub const DEVICE_STATUSES: &[(&str, &str)] = &[
    ("offline", "Offline"),
    ("active", "Active"),
    ("planned", "Planned"),
    ("staged", "Staged"),
    ("failed", "Failed"),
    ("inventory", "Inventory"),
    ("decommissioning", "Decommissioning"),
];

/// A site: a building or campus holding devices.
pub static SITE: ModelSchema = ModelSchema {
    app: "dcim",
    name: "site",
    verbose_name: "Site",
    verbose_name_plural: "Sites",
    table: "dcim_site",
    url_segment: "sites",
    fields: &[
        Field::new("name", "Name", FieldKind::Text { max_length: 100 })
            .required()
            .unique(),
        Field::new("slug", "Slug", FieldKind::Slug)
            .required()
            .unique()
            .help("URL-friendly name: lowercase letters, digits, - and _"),
        Field::new("status", "Status", FieldKind::Choice(SITE_STATUSES))
            .required()
            .default("active"),
        Field::new("region", "Region", FieldKind::Text { max_length: 100 }),
        Field::new("facility", "Facility", FieldKind::Text { max_length: 50 })
            .help("Local facility ID or description"),
        Field::new(
            "description",
            "Description",
            FieldKind::Text { max_length: 200 },
        ),
    ],
    display_field: "name",
    search_fields: &["name", "slug", "region", "facility", "description"],
    unique_together: &[],
    ordering: "name",
};

/// A device: a piece of network equipment at a site.
pub static DEVICE: ModelSchema = ModelSchema {
    app: "dcim",
    name: "device",
    verbose_name: "Device",
    verbose_name_plural: "Devices",
    table: "dcim_device",
    url_segment: "devices",
    fields: &[
        Field::new("name", "Name", FieldKind::Text { max_length: 64 }).required(),
        Field::new("site", "Site", FieldKind::ForeignKey { model: "dcim.site" }).required(),
        Field::new("role", "Role", FieldKind::Text { max_length: 50 })
            .required()
            .help("e.g. router, switch, firewall"),
        Field::new("status", "Status", FieldKind::Choice(DEVICE_STATUSES))
            .required()
            .default("active"),
        Field::new(
            "serial",
            "Serial number",
            FieldKind::Text { max_length: 50 },
        ),
        Field::new(
            "description",
            "Description",
            FieldKind::Text { max_length: 200 },
        ),
    ],
    display_field: "name",
    search_fields: &["name", "role", "serial", "description"],
    unique_together: &[&["site", "name"]],
    ordering: "name",
};

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

//! The core's IPAM models (NetBox's, kept small): VRFs, prefixes and IP addresses, their
//! menu, and the prefix's tabs listing what it contains.

use netbox_framework::ipam::{IpAddress, Prefix, Vrf};
use netbox_framework::menu::{ButtonColor, Menu, MenuButton, MenuGroup, MenuItem};
use netbox_framework::migrations::{Column, ColumnType, Migration, Operation};
use netbox_framework::models::{Model, ModelSchema, OnDelete};
use netbox_framework::views::{ModelView, Tab};

/// A VRF (the framework's typed [`Vrf`]).
pub static VRF: &ModelSchema = Vrf::SCHEMA;

/// An IP prefix (the framework's typed [`Prefix`]).
pub static PREFIX: &ModelSchema = Prefix::SCHEMA;

/// An IP address (the framework's typed [`IpAddress`]).
pub static IP_ADDRESS: &ModelSchema = IpAddress::SCHEMA;

/// The "IPAM" menu.
pub fn menus() -> Vec<Menu> {
    let item = |link: &'static str, text: &'static str| {
        MenuItem::new(link, text).button(
            MenuButton::new(format!("{link}add/"), "Add", "mdi-plus").color(ButtonColor::Green),
        )
    };
    vec![Menu::new(
        "IPAM",
        vec![
            MenuGroup::new(
                "IP Addresses",
                vec![
                    item("/ipam/prefixes/", "Prefixes"),
                    item("/ipam/ip-addresses/", "IP Addresses"),
                ],
            ),
            MenuGroup::new("VRFs", vec![item("/ipam/vrfs/", "VRFs")]),
        ],
    )]
}

/// A prefix's child prefixes and IP addresses (in its VRF), and a VRF's prefixes and
/// addresses, as tabs.
pub fn views() -> Vec<ModelView> {
    vec![
        ModelView::matching(
            "ipam.prefix",
            "prefixes",
            "ipam.prefix",
            &[("within", "prefix"), ("vrf_id", "vrf")],
        )
        .tab(Tab::new("Child Prefixes").weight(100)),
        ModelView::matching(
            "ipam.prefix",
            "ip-addresses",
            "ipam.ipaddress",
            &[("parent", "prefix"), ("vrf_id", "vrf")],
        )
        .tab(Tab::new("IP Addresses").weight(200)),
        ModelView::related("ipam.vrf", "prefixes", "ipam.prefix", "vrf")
            .tab(Tab::new("Prefixes").weight(100)),
        ModelView::related("ipam.vrf", "ip-addresses", "ipam.ipaddress", "vrf")
            .tab(Tab::new("IP Addresses").weight(200)),
    ]
}

/// The IPAM tables: network columns are `CIDR`/`INET` on PostgreSQL.
pub const MIGRATION: Migration = Migration::operations(
    "0005_ipam",
    &[
        Operation::CreateTable {
            table: "ipam_vrf",
            columns: &[
                Column::new("name", ColumnType::Text),
                Column::new("rd", ColumnType::Text).default(""),
                Column::new("description", ColumnType::Text).default(""),
            ],
            unique_together: &[],
        },
        Operation::TimestampColumns { table: "ipam_vrf" },
        Operation::CreateTable {
            table: "ipam_prefix",
            columns: &[
                Column::new("prefix", ColumnType::Cidr),
                Column::new("vrf_id", ColumnType::Integer)
                    .null()
                    .references("ipam_vrf", OnDelete::Protect),
                Column::new("status", ColumnType::Text).default("active"),
                Column::new("description", ColumnType::Text).default(""),
                Column::new("is_pool", ColumnType::Boolean).default("false"),
            ],
            unique_together: &[],
        },
        Operation::TimestampColumns {
            table: "ipam_prefix",
        },
        Operation::CreateTable {
            table: "ipam_ipaddress",
            columns: &[
                Column::new("address", ColumnType::Inet),
                Column::new("status", ColumnType::Text).default("active"),
                Column::new("vrf_id", ColumnType::Integer)
                    .null()
                    .references("ipam_vrf", OnDelete::Protect),
                Column::new("dns_name", ColumnType::Text).default(""),
                Column::new("description", ColumnType::Text).default(""),
            ],
            unique_together: &[],
        },
        Operation::TimestampColumns {
            table: "ipam_ipaddress",
        },
    ],
);

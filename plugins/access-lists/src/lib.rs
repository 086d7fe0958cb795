//! Access Lists: the plugin of NetBox's official plugin tutorial. Access lists belong to a
//! device and hold ordered rules. Enable it with `plugins = ["access_lists"]`; its pages live
//! under `/plugins/access-lists/`, its API under `/api/plugins/access-lists/`.
//!
//! Everything but the schema and the SQL comes from the host: list, detail and edit pages,
//! the REST API, validation, pagination.

use netbox_framework::extensions::{Html, SlotContext, SlotResult, TemplateExtension};
use netbox_framework::menu::{ButtonColor, MenuButton, MenuItem};
use netbox_framework::migrations::Migration;
use netbox_framework::models::{Field, FieldKind, ModelSchema};
use netbox_framework::signals::{Abort, Event};
use netbox_framework::views::{ModelView, Tab};
use netbox_framework::{Plugin, netbox_plugin};

/// The plugin.
#[netbox_plugin(
    name = "access_lists",
    verbose_name = "Access Lists",
    base_url = "access-lists",
    min_version = "0.1.0",
    max_version = "0.9.99"
)]
pub struct AccessLists;

/// What a rule (or a list, by default) does with matching traffic.
pub const ACTIONS: &[(&str, &str)] =
    &[("permit", "Permit"), ("deny", "Deny"), ("reject", "Reject")];

/// Protocols a rule matches.
pub const PROTOCOLS: &[(&str, &str)] = &[
    ("any", "Any"),
    ("tcp", "TCP"),
    ("udp", "UDP"),
    ("icmp", "ICMP"),
];

/// An access list of a device.
pub static ACCESS_LIST: ModelSchema = ModelSchema {
    app: "access_lists",
    name: "accesslist",
    verbose_name: "Access List",
    verbose_name_plural: "Access Lists",
    table: "access_lists_accesslist",
    url_segment: "access-lists",
    fields: &[
        Field::new("name", "Name", FieldKind::Text { max_length: 100 }).required(),
        Field::new(
            "device",
            "Device",
            FieldKind::ForeignKey {
                model: "dcim.device",
            },
        )
        .required(),
        Field::new(
            "default_action",
            "Default action",
            FieldKind::Choice(ACTIONS),
        )
        .required()
        .default("deny")
        .help("What happens to traffic no rule matches"),
        Field::new("comments", "Comments", FieldKind::LongText),
    ],
    display_field: "name",
    search_fields: &["name", "comments"],
    unique_together: &[&["device", "name"]],
    ordering: "name",
};

/// A rule of an access list, at a position (`index`) unique within the list.
pub static ACCESS_LIST_RULE: ModelSchema = ModelSchema {
    app: "access_lists",
    name: "accesslistrule",
    verbose_name: "Access List Rule",
    verbose_name_plural: "Access List Rules",
    table: "access_lists_accesslistrule",
    url_segment: "rules",
    fields: &[
        Field::new(
            "access_list",
            "Access list",
            FieldKind::ForeignKey {
                model: "access_lists.accesslist",
            },
        )
        .required(),
        Field::new("index", "Index", FieldKind::Integer { min: 1, max: 65535 })
            .required()
            .help("Position of the rule in the list; unique within the list"),
        Field::new("protocol", "Protocol", FieldKind::Choice(PROTOCOLS))
            .required()
            .default("any"),
        Field::new(
            "source_prefix",
            "Source prefix",
            FieldKind::Text { max_length: 64 },
        )
        .help("e.g. 10.0.0.0/8; empty: any"),
        Field::new(
            "source_ports",
            "Source ports",
            FieldKind::Text { max_length: 100 },
        )
        .help("e.g. 80,443 or 1024-65535"),
        Field::new(
            "destination_prefix",
            "Destination prefix",
            FieldKind::Text { max_length: 64 },
        ),
        Field::new(
            "destination_ports",
            "Destination ports",
            FieldKind::Text { max_length: 100 },
        ),
        Field::new("action", "Action", FieldKind::Choice(ACTIONS)).required(),
        Field::new(
            "description",
            "Description",
            FieldKind::Text { max_length: 200 },
        ),
    ],
    display_field: "index",
    search_fields: &["source_prefix", "destination_prefix", "description"],
    unique_together: &[&["access_list", "index"]],
    ordering: "\"access_list_id\", \"index\"",
};

/// The plugin's tables (PostgreSQL's dialect is derived by the host).
const CREATE_TABLES: &str = "CREATE TABLE access_lists_accesslist (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    device_id INTEGER NOT NULL REFERENCES dcim_device (id) ON DELETE RESTRICT,
    default_action TEXT NOT NULL DEFAULT 'deny',
    comments TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    last_updated TEXT NOT NULL,
    UNIQUE (device_id, name)
);
CREATE TABLE access_lists_accesslistrule (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    access_list_id INTEGER NOT NULL REFERENCES access_lists_accesslist (id) ON DELETE RESTRICT,
    \"index\" INTEGER NOT NULL,
    protocol TEXT NOT NULL DEFAULT 'any',
    source_prefix TEXT NOT NULL DEFAULT '',
    source_ports TEXT NOT NULL DEFAULT '',
    destination_prefix TEXT NOT NULL DEFAULT '',
    destination_ports TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    last_updated TEXT NOT NULL,
    UNIQUE (access_list_id, \"index\")
);";

impl Plugin for AccessLists {
    fn models(&self) -> Vec<&'static ModelSchema> {
        vec![&ACCESS_LIST, &ACCESS_LIST_RULE]
    }

    fn migrations(&self) -> Vec<Migration> {
        vec![Migration::from_sqlite("0001_initial", CREATE_TABLES)]
    }

    fn template_extensions(&self) -> Vec<Box<dyn TemplateExtension>> {
        vec![Box::new(DeviceListButton)]
    }

    fn model_views(&self) -> Vec<ModelView> {
        vec![
            ModelView::related(
                "dcim.device",
                "access-lists",
                "access_lists.accesslist",
                "device",
            )
            .tab(Tab::new("Access Lists").weight(500)),
            ModelView::related(
                "access_lists.accesslist",
                "rules",
                "access_lists.accesslistrule",
                "access_list",
            )
            .tab(Tab::new("Rules").weight(100)),
        ]
    }

    fn menu_items(&self) -> Vec<MenuItem> {
        let add = |link: &str| MenuButton::new(link, "Add", "mdi-plus").color(ButtonColor::Green);
        vec![
            MenuItem::new("access-lists/", "Access Lists")
                .weight(10)
                .button(add("access-lists/add/")),
            MenuItem::new("rules/", "Access List Rules")
                .weight(20)
                .button(add("rules/add/")),
        ]
    }
}

/// A button on the device list that leads to the access lists.
struct DeviceListButton;

impl TemplateExtension for DeviceListButton {
    fn models(&self) -> &[&'static str] {
        &["dcim.device"]
    }

    fn list_buttons(&self, _: &SlotContext<'_>) -> SlotResult {
        Ok(Some(Html::trusted(
            "<a class=\"btn btn-purple\" href=\"/plugins/access-lists/access-lists/\">Access lists</a>",
        )))
    }
}

/// Refuses to delete a device that still has access lists, saying why.
#[netbox_framework::receiver(pre_delete, model = "dcim.device")]
fn keep_devices_with_access_lists(event: &Event<'_>) -> Result<(), Abort> {
    let lists = event.referenced_by("access_lists.accesslist");
    if lists == 0 {
        return Ok(());
    }
    let name = event
        .before
        .and_then(|device| device.get("name"))
        .and_then(|n| n.as_str())
        .unwrap_or("this device");
    let noun = if lists == 1 {
        "access list"
    } else {
        "access lists"
    };
    Err(Abort::new(format!(
        "Device “{name}” still has {lists} {noun}; delete them first (Access Lists plugin)."
    )))
}

//! Access Lists: the plugin of NetBox's official plugin tutorial. Access lists belong to a
//! device and hold ordered rules. Enable it with `plugins = ["access_lists"]`; its pages live
//! under `/plugins/access-lists/`, its API under `/api/plugins/access-lists/`.
//!
//! Everything but the schema and the SQL comes from the host: list, detail and edit pages,
//! the REST API, validation, pagination.

mod migrations;

use netbox_framework::dcim::Device;
use netbox_framework::extensions::{Html, SlotContext, SlotResult, TemplateExtension};
use netbox_framework::ipam::Prefix;
use netbox_framework::menu::{ButtonColor, MenuButton, MenuItem};
use netbox_framework::migrations::Migration;
use netbox_framework::models::{Choices, ForeignKey, Model, ModelSchema};
use netbox_framework::signals::{Abort, Event};
use netbox_framework::tables::TableColumn;
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

/// What a rule (or a list, by default) does with matching traffic (the tutorial's
/// `ActionChoices`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Choices)]
pub enum Action {
    /// Let it through.
    #[choice(color = "green")]
    Permit,
    /// Drop it.
    #[choice(color = "red")]
    Deny,
    /// Drop it and reset the connection.
    #[choice(label = "Reject (Reset)", color = "orange")]
    Reject,
}

/// Protocols a rule matches (the tutorial's `ProtocolChoices`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Choices)]
pub enum Protocol {
    /// TCP.
    #[choice(label = "TCP", color = "blue")]
    Tcp,
    /// UDP.
    #[choice(label = "UDP", color = "orange")]
    Udp,
    /// ICMP.
    #[choice(label = "ICMP", color = "purple")]
    Icmp,
}

/// An access list: a named, ordered set of rules with a default action. (Beyond the
/// tutorial: the device it is applied to, optional, shown as a tab on device pages.)
#[derive(Debug, Clone, PartialEq, Eq, Model)]
#[model(ordering = ["name"], search = ["name", "comments"])]
pub struct AccessList {
    /// Name.
    #[field(max_length = 100)]
    pub name: String,
    /// What happens to traffic no rule matches.
    pub default_action: Action,
    /// Free text.
    #[field(long)]
    pub comments: Option<String>,
    /// The device it is applied to.
    pub device: Option<ForeignKey<Device>>,
}

/// A rule of an access list, at a position (`index`) unique within the list. Deleting the
/// list deletes its rules.
#[derive(Debug, Clone, PartialEq, Eq, Model)]
#[model(
    verbose_name = "Access List Rule",
    url = "rules",
    api_url = "access-list-rules",
    display = "index",
    ordering = ["access_list", "index"],
    search = ["description"],
    unique_together = [["access_list", "index"]]
)]
pub struct AccessListRule {
    /// The list it belongs to.
    #[field(on_delete = "cascade")]
    pub access_list: ForeignKey<AccessList>,
    /// Position in the list.
    #[field(
        max = 2147483647,
        help = "Position of the rule in the list; unique within the list"
    )]
    pub index: u32,
    /// Protocol matched (any when empty).
    pub protocol: Option<Protocol>,
    /// Source network (any when empty): an IPAM prefix, as in NetBox's tutorial.
    pub source_prefix: Option<ForeignKey<Prefix>>,
    /// Source ports (any when empty).
    #[field(help = "e.g. 80, 443")]
    pub source_ports: Option<Vec<u16>>,
    /// Destination network (any when empty): an IPAM prefix.
    pub destination_prefix: Option<ForeignKey<Prefix>>,
    /// Destination ports (any when empty).
    pub destination_ports: Option<Vec<u16>>,
    /// What happens to matching traffic.
    pub action: Action,
    /// Free text.
    #[field(max_length = 500)]
    pub description: Option<String>,
}

impl Plugin for AccessLists {
    fn models(&self) -> Vec<&'static ModelSchema> {
        vec![AccessList::SCHEMA, AccessListRule::SCHEMA]
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations::ALL.to_vec()
    }

    fn template_extensions(&self) -> Vec<Box<dyn TemplateExtension>> {
        vec![Box::new(DeviceListButton)]
    }

    fn table_columns(&self) -> Vec<TableColumn> {
        // How many access lists each device has, on the device table.
        vec![TableColumn::count(
            "dcim.device",
            "access_lists",
            "Access lists",
            "access_lists.accesslist",
            "device",
        )]
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

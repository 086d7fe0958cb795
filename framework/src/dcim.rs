//! The core's DCIM models, typed: sites and devices. Plugins refer to them in their own
//! models (`ForeignKey<Device>`) and read them as these structs; the host serves them at
//! `/dcim/sites/` and `/dcim/devices/`.
//!
//! ```
//! use netbox_framework::dcim::{Device, DeviceStatus, Site};
//! use netbox_framework::models::{ForeignKey, Model};
//!
//! let device = Device {
//!     name: "ams-core-01".into(),
//!     site: ForeignKey::new(1),
//!     role: "router".into(),
//!     status: DeviceStatus::Active,
//!     serial: None,
//!     description: None,
//! };
//! let values = device.to_values();
//! assert_eq!(values["status"], "active");
//! assert_eq!(Device::from_values(&values).unwrap().site.id(), 1);
//! assert_eq!(Site::KEY, "dcim.site");
//! ```

use crate::models::{Choices, ForeignKey, Model};

/// Statuses of a site, as NetBox names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Choices)]
pub enum SiteStatus {
    /// Planned.
    Planned,
    /// Being set up.
    Staging,
    /// In use.
    Active,
    /// Being taken out of use.
    Decommissioning,
    /// Out of use.
    Retired,
}

/// Statuses of a device, as NetBox names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Choices)]
pub enum DeviceStatus {
    /// Not running.
    Offline,
    /// In use.
    Active,
    /// Planned.
    Planned,
    /// Prepared for use.
    Staged,
    /// Broken.
    Failed,
    /// In stock.
    Inventory,
    /// Being taken out of use.
    Decommissioning,
}

/// A site: a building or campus holding devices.
#[derive(Debug, Clone, PartialEq, Eq, Model)]
#[model(
    app = "dcim",
    ordering = ["name"],
    search = ["name", "slug", "region", "facility", "description"]
)]
pub struct Site {
    /// Unique name.
    #[field(max_length = 100, unique)]
    pub name: String,
    /// Unique URL-friendly name.
    #[field(
        slug,
        unique,
        help = "URL-friendly name: lowercase letters, digits, - and _"
    )]
    pub slug: String,
    /// Status.
    #[field(default = "active")]
    pub status: SiteStatus,
    /// Region, free text.
    #[field(max_length = 100)]
    pub region: Option<String>,
    /// Facility.
    #[field(max_length = 50, help = "Local facility ID or description")]
    pub facility: Option<String>,
    /// Description.
    #[field(max_length = 200)]
    pub description: Option<String>,
}

/// A device: a piece of network equipment at a site.
#[derive(Debug, Clone, PartialEq, Eq, Model)]
#[model(
    app = "dcim",
    ordering = ["name"],
    search = ["name", "role", "serial", "description"],
    unique_together = [["site", "name"]]
)]
pub struct Device {
    /// Name, unique within its site.
    #[field(max_length = 64)]
    pub name: String,
    /// The site it is at.
    pub site: ForeignKey<Site>,
    /// Role, free text.
    #[field(max_length = 50, help = "e.g. router, switch, firewall")]
    pub role: String,
    /// Status.
    #[field(default = "active")]
    pub status: DeviceStatus,
    /// Serial number.
    #[field(max_length = 50, label = "Serial number")]
    pub serial: Option<String>,
    /// Description.
    #[field(max_length = 200)]
    pub description: Option<String>,
}

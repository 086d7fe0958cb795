//! The core's IPAM models, typed: VRFs, prefixes and IP addresses. Plugins refer to them in
//! their own models (`ForeignKey<Prefix>`, as the access-list rules of NetBox's plugin
//! tutorial do) and read them as these structs; the host serves them at `/ipam/vrfs/`,
//! `/ipam/prefixes/` and `/ipam/ip-addresses/`, with NetBox's containment filters
//! (`?within=`, `?within_include=`, `?contains=` on prefixes, `?parent=` on addresses).
//!
//! ```
//! use netbox_framework::ipam::{Prefix, PrefixStatus};
//! use netbox_framework::models::Model;
//!
//! let prefix = Prefix {
//!     prefix: "10.1.0.0/16".parse().unwrap(),
//!     vrf: None,
//!     status: PrefixStatus::Active,
//!     description: None,
//!     is_pool: false,
//! };
//! assert_eq!(prefix.to_values()["prefix"], "10.1.0.0/16");
//! assert_eq!(Prefix::KEY, "ipam.prefix");
//! ```

use crate::models::{Choices, ForeignKey, IpInterface, Model};

/// Statuses of a prefix, as NetBox names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Choices)]
pub enum PrefixStatus {
    /// Holds other prefixes.
    #[choice(color = "gray")]
    Container,
    /// Assigned: its addresses are in use.
    #[choice(color = "blue")]
    Active,
    /// Kept for later: no address of it is handed out.
    #[choice(color = "cyan")]
    Reserved,
    /// Being retired: its addresses are moving elsewhere.
    #[choice(color = "red")]
    Deprecated,
}

/// Statuses of an IP address: NetBox's values (what its API clients send), spelled out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Choices)]
pub enum IpAddressStatus {
    /// Configured on a device or service.
    #[choice(value = "active", color = "blue")]
    Active,
    /// Kept for a device or service to come.
    #[choice(value = "reserved", color = "cyan")]
    Reserved,
    /// Still configured, to be removed.
    #[choice(value = "deprecated", color = "red")]
    Deprecated,
    /// Given out by DHCP.
    #[choice(value = "dhcp", label = "DHCP", color = "green")]
    Dhcp,
    /// Chosen by stateless autoconfiguration.
    #[choice(value = "slaac", label = "SLAAC", color = "purple")]
    Slaac,
}

/// A VRF: a routing table of its own, in which prefixes and addresses may repeat those of
/// other VRFs.
#[derive(Debug, Clone, PartialEq, Eq, Model)]
#[model(
    app = "ipam",
    verbose_name = "VRF",
    verbose_name_plural = "VRFs",
    url = "vrfs",
    ordering = ["name"],
    search = ["name", "rd", "description"]
)]
pub struct Vrf {
    /// Name.
    #[field(max_length = 100)]
    pub name: String,
    /// Route distinguisher.
    #[field(
        max_length = 21,
        label = "Route distinguisher",
        help = "Unique route distinguisher (as defined in RFC 4364)"
    )]
    pub rd: Option<String>,
    /// Description.
    #[field(max_length = 200)]
    pub description: Option<String>,
}

/// An IP prefix: an IPv4 or IPv6 network, in the global table or a VRF.
#[derive(Debug, Clone, PartialEq, Eq, Model)]
#[model(
    url = "prefixes",
    app = "ipam",
    ordering = ["vrf", "prefix"],
    search = ["prefix", "description"]
)]
pub struct Prefix {
    /// The network (`10.1.0.0/16`; an address with host bits set is refused).
    #[field(help = "IPv4 or IPv6 network with mask, e.g. 10.1.0.0/16")]
    pub prefix: crate::ipnet::IpNet,
    /// The VRF whose routing table holds the network (none: the global table).
    #[field(label = "VRF")]
    pub vrf: Option<ForeignKey<Vrf>>,
    /// Whether the network is a container, in use, reserved or on its way out.
    #[field(default = "active")]
    pub status: PrefixStatus,
    /// What the network is for.
    #[field(max_length = 200)]
    pub description: Option<String>,
    /// Whether every address of the network is usable, its first and last too (NetBox's
    /// "is a pool").
    #[field(
        label = "Is a pool",
        help = "All IP addresses within this prefix are usable"
    )]
    pub is_pool: bool,
}

/// An IP address with the prefix length of its network (`192.0.2.1/24`), in the global table
/// or a VRF.
#[derive(Debug, Clone, PartialEq, Eq, Model)]
#[model(
    verbose_name = "IP Address",
    app = "ipam",
    verbose_name_plural = "IP Addresses",
    url = "ip-addresses",
    display = "address",
    ordering = ["address", "vrf"],
    search = ["address", "dns_name", "description"]
)]
pub struct IpAddress {
    /// The address and its mask (`192.0.2.1/24`; a bare address is a host, `/32`).
    #[field(help = "IPv4 or IPv6 address with mask, e.g. 192.0.2.1/24")]
    pub address: IpInterface,
    /// Whether the address is in use, reserved, given out by DHCP, ...
    #[field(default = "active")]
    pub status: IpAddressStatus,
    /// The VRF the address is in (none: the global table).
    #[field(label = "VRF")]
    pub vrf: Option<ForeignKey<Vrf>>,
    /// DNS name.
    #[field(max_length = 255, label = "DNS name")]
    pub dns_name: Option<String>,
    /// Description.
    #[field(max_length = 200)]
    pub description: Option<String>,
}

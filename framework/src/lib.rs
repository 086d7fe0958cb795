//! # netbox-framework
//!
//! The library a plugin author depends on to extend the NetBox-style inventory application.
//! A plugin is a crate with one unit struct that
//!
//! 1. carries the [`netbox_plugin`] attribute (its metadata: name, version, base URL,
//!    supported host versions, settings), and
//! 2. implements the [`Plugin`] trait, whose default methods it overrides to contribute
//!    routes, menu items, template extensions, migrations and the rest.
//!
//! ```
//! use netbox_framework::{netbox_plugin, Plugin};
//!
//! /// Says hello.
//! #[netbox_plugin(name = "hello", min_version = "0.1.0")]
//! pub struct Hello;
//!
//! impl Plugin for Hello {}
//! ```
//!
//! The attribute registers a static [`PluginDescriptor`] at link time; the host collects every
//! descriptor linked into its binary, enables the ones its configuration lists, and reports
//! every problem (unknown plugin, version range, missing or mistyped settings) before it serves
//! anything. See `docs/PLUGIN-GUIDE.md` in the repository for a walk-through.
//!
//! Everything a plugin needs is reachable from this crate: the web types it writes handlers
//! with are re-exported as [`web`] (actix-web), so a plugin needs no direct dependency on the
//! host's internals.
#![warn(missing_docs)]

// The derives name `::netbox_framework`, also inside this crate (its core models).
extern crate self as netbox_framework;

pub mod auth;
mod context;
pub mod data;
pub mod dcim;
mod descriptor;
pub mod extensions;
pub mod extract;
pub mod extras;
pub mod ipam;
pub mod jobs;
pub mod menu;
pub mod middleware;
pub mod migrations;
pub mod models;
pub mod page;
mod plugin;
pub mod preferences;
pub mod routes;
pub mod search;
pub mod settings;
pub mod signals;
pub mod static_files;
pub mod tables;
pub mod views;

pub use context::PluginContext;
pub use descriptor::{PluginDescriptor, PluginMetadata, all_descriptors};
pub use plugin::Plugin;
pub use settings::{
    DefaultSetting, LoadedSettings, SettingsError, SettingsFailure, SettingsSchema,
};

/// Declares a plugin: put it on a unit struct that implements [`Plugin`].
///
/// Keys (all optional but `name`):
///
/// | key | meaning | default |
/// |---|---|---|
/// | `name` | key of the plugin in the operator's `plugins` list; lowercase, digits, `_` | required |
/// | `verbose_name` | name shown to people | `name` in title case |
/// | `version` | the plugin's semantic version | `version` of the plugin's Cargo.toml |
/// | `description` | one line | `description` of Cargo.toml |
/// | `author`, `author_email` | | first entry of `authors` in Cargo.toml |
/// | `base_url` | URL slug: pages at `/plugins/<base_url>/` | `name` with `_` as `-` |
/// | `min_version`, `max_version` | inclusive range of host versions supported | no bound |
/// | `release_track` | reported version becomes `<version>-<release_track>` | none |
/// | `required_settings = ["a", "b"]` | keys the operator must give | none |
/// | `secret_settings = ["api_key"]` | keys never shown, even to superusers | none |
/// | `default_settings(key = literal, ...)` | defaults for keys the operator omits | none |
/// | `settings = Type` | a `serde::Deserialize` struct the merged settings must parse into | none |
///
/// ```
/// use netbox_framework::{netbox_plugin, Plugin};
///
/// #[derive(serde::Deserialize)]
/// pub struct ZooSettings {
///     pub zoo: String,
///     pub loud: bool,
/// }
///
/// #[netbox_plugin(
///     name = "zoo_keeper",
///     verbose_name = "Zoo Keeper",
///     min_version = "0.1.0",
///     max_version = "0.9.99",
///     required_settings = ["zoo"],
///     default_settings(loud = false),
///     settings = ZooSettings,
/// )]
/// pub struct ZooKeeper;
///
/// impl Plugin for ZooKeeper {}
/// ```
///
/// Every mistake in the attribute is a compile error pointing at the offending token.
pub use netbox_framework_macros::netbox_plugin;

/// Registers a function as a signal receiver of the plugin declared in the same crate.
///
/// `#[receiver(SIGNAL)]` or `#[receiver(SIGNAL, model = "app.model")]` where `SIGNAL` is
/// `pre_save`, `post_save`, `pre_delete` or `post_delete`; or `#[receiver(custom = "name")]`
/// for a signal a plugin sends with [`signals::send`]. Add `plugin = "name"` when the crate
/// declares more than one plugin. The function must be
/// `fn(&Event<'_>) -> Result<(), Abort>`.
///
/// ```
/// use netbox_framework::receiver;
/// use netbox_framework::signals::{Abort, Event};
///
/// #[receiver(post_delete, model = "dcim.device")]
/// fn farewell(event: &Event<'_>) -> Result<(), Abort> {
///     println!("goodbye {:?}", event.before.and_then(|d| d.get("name")));
///     Ok(())
/// }
/// # fn main() {}
/// ```
pub use netbox_framework_macros::receiver;

/// IP networks (`ipnet::IpNet`), the type of network fields: a re-export of `ipnet`.
pub use ipnet;

/// Exact decimal numbers (`rust_decimal::Decimal`), the type of decimal fields: a re-export of
/// `rust_decimal`.
pub use rust_decimal;

/// Dates and times (`time::Date`, `time::OffsetDateTime`), the types of date and date-time
/// fields: a re-export of `time`.
pub use time;

/// The web framework plugin handlers are written with (a re-export of `actix-web`), e.g.
/// `netbox_framework::actix::HttpResponse`.
pub use actix_web as actix;

/// Routing helpers for plugin pages and APIs (actix-web's `web` module).
pub use actix_web::web;

/// The template engine plugins render their pages with (a re-export of `askama`). Use it with
/// `#[template(..., askama = netbox_framework::askama)]` so the plugin needs no direct
/// dependency.
pub use askama;

/// Version of the framework, which is the host API version plugins declare
/// `min_version` / `max_version` against.
pub const HOST_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Not public API: what the host application uses to run plugins (installing the signal
/// dispatcher, wrapping pages in its layout, mounting routes, rendering slots). Plugin authors
/// never need it, and it may change in any release.
#[doc(hidden)]
pub mod __host {
    pub use crate::extensions::render_slot;
    pub use crate::middleware::Next as MiddlewareChain;
    pub use crate::page::PageLayout;
    pub use crate::routes::{RouteTable, guarded};
    pub use crate::signals::{Dispatcher, all_receivers, install_dispatcher};
}

/// JSON values, as objects reach receivers and template extensions: re-exports of
/// `serde_json`'s, so a plugin needs no direct dependency.
///
/// ```
/// use netbox_framework::json::{json, Map, Value};
///
/// let object: Map<String, Value> = json!({"name": "ams-core-01"}).as_object().cloned().unwrap();
/// assert_eq!(object["name"], "ams-core-01");
/// ```
pub mod json {
    pub use serde_json::{Map, Value, json};
}

/// Not public API: paths used by the code that [`netbox_plugin`] generates.
#[doc(hidden)]
pub mod __private {
    pub use crate::data::Col;
    pub use crate::descriptor::{PluginDescriptor, PluginMetadata};
    pub use crate::extract::HasSettings;
    pub use crate::models::typed::{
        choice_from_value, clean_values, field_from_owned, field_from_values,
    };
    pub use crate::models::{
        Choices, Field, FieldAttributes, FieldKind, FieldType, Model, ModelSchema, OnDelete,
        ValidationErrors, ValueError, adjust_kind,
    };
    pub use crate::plugin::Plugin;
    pub use crate::settings::TomlTable;
    pub use crate::settings::{DefaultSetting, SettingsSchema, parse_settings};
    pub use crate::signals::{Receiver, ReceiverFn, Signal};
    pub use inventory;
    pub use serde_json::Value as JsonValue;
    /// A JSON object, as models convert to and from.
    pub type JsonMap = serde_json::Map<String, serde_json::Value>;
}

/// The plugin author's guide, from a new crate to a working plugin (also at
/// `docs/PLUGIN-GUIDE.md` in the repository); its Rust examples are compiled by
/// `cargo test --doc`.
// The guide shows a plugin's own `#[test]`s, which doctests compile but do not run.
#[allow(clippy::test_attr_in_doctest)]
#[doc = include_str!("../../docs/PLUGIN-GUIDE.md")]
pub mod guide {}

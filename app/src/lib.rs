//! The host application: configuration, the plugin registry and its startup validation, and
//! the `netbox` command line. The binary (`src/main.rs`) only calls [`cli::main`].
//!
//! Plugins are linked here, in the library, so that integration tests see them too: the
//! build script writes one `extern crate` line per crate of the plugin table in Cargo.toml.

pub mod changelog;
pub mod cli;
pub mod config;
pub mod db;
pub mod dcim;
pub mod demo;
pub mod models;
pub mod problems;
pub mod registry;
pub mod server;
pub mod testing;

/// The crates of the app's plugin table, linked by `build.rs`.
pub mod linked {
    include!(concat!(env!("OUT_DIR"), "/linked_plugins.rs"));
}

use config::Config;
use registry::{LoadReport, PluginRegistry};

/// This host's version, which plugins' `min_version` / `max_version` are checked against.
pub fn host_version() -> semver::Version {
    semver::Version::parse(netbox_framework::HOST_VERSION)
        .expect("Cargo package versions are semantic versions")
}

/// Loads every plugin linked into this binary against `config`.
pub fn load_plugins(config: &Config) -> (PluginRegistry, LoadReport) {
    PluginRegistry::load(
        netbox_framework::all_descriptors(),
        config,
        &host_version(),
        linked::LINKED_PLUGIN_PACKAGES,
    )
}

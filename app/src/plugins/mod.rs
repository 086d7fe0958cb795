//! The plugins linked into the binary: which of them run (the registry, with every problem in
//! one report), what the running ones contribute (asked for once), and the guard around their
//! code.

pub mod contributions;
pub mod guard;
pub mod registry;

pub use contributions::{Contribution, Contributions};
pub use registry::{LinkedPlugin, PluginRegistry, PluginStatus};

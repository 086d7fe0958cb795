//! The host's engine for models (core and plugins'): where each is mounted, validation of
//! input, the SQL behind list/detail/create/update/delete, and the REST API and pages over it.

pub mod api;
pub mod clean;
pub mod registry;
pub mod store;
pub mod views;

pub use registry::{ModelRegistry, MountedModel, TabSpec};

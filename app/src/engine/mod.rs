//! The model engine: every model the application serves (core and plugins'), validation of
//! input, the SQL behind list, get, create, update and delete, signal dispatch and the change
//! log. It knows nothing of HTTP: the web layer (`server/`) calls it with plain values, and
//! commands (`demo-data`) call it the same way.

pub mod access;
pub mod changelog;
mod checks;
pub mod clean;
pub mod custom_field_filters;
pub mod custom_fields;
pub mod data;
mod delete;
mod features;
pub mod filters;
mod links;
pub mod network_filters;
mod page_json;
pub mod recent;
pub mod registry;
mod registry_views;
pub mod scalars;
pub mod signals;
pub mod sql;
pub mod store;
pub mod tags;
pub mod write;

pub use registry::{ModelRegistry, MountedModel, TabSpec};
pub use store::{ListQuery, Store};
pub use write::BulkError;

use crate::auth::permissions::Grants;
use clean::FieldErrors;
use serde_json::{Map, Value};
use std::sync::Arc;

/// Who reads or changes objects: the name the change log records and what they may do. The
/// web layer builds one from each request's identity; commands build their own.
#[derive(Debug, Clone)]
pub struct Actor {
    /// User name (`anonymous` for visitors; the command's name for commands).
    pub user: String,
    /// Id of the request that made the change (empty outside requests).
    pub request_id: String,
    /// What the actor may do (see [`access`]).
    pub grants: Arc<Grants>,
}

impl Actor {
    /// A change made by a command rather than a request (e.g. `demo-data`).
    ///
    /// ```
    /// let actor = netbox_app::engine::Actor::system("demo-data");
    /// assert_eq!((actor.user.as_str(), actor.request_id.as_str()), ("demo-data", ""));
    /// ```
    pub fn system(name: &str) -> Self {
        Actor {
            user: name.to_string(),
            request_id: String::new(),
            grants: Arc::new(Grants::everything()),
        }
    }
}

/// An object: `id`, every field (foreign keys as the referenced id), `created`,
/// `last_updated`.
pub type Object = Map<String, Value>;

/// Why a write changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The input is invalid (messages per field).
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// No object has that id.
    #[error("not found")]
    NotFound,
    /// The actor may not do this (or the object would leave what they may do).
    #[error("{0}")]
    Forbidden(String),
    /// The write conflicts with other objects (e.g. deleting a referenced object).
    #[error("{0}")]
    Conflict(String),
    /// The object is no longer the version the client expected (`If-Match`).
    #[error("the object changed since it was read")]
    Stale,
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

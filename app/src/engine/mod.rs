//! The model engine: every model the application serves (core and plugins'), validation of
//! input, the SQL behind list, get, create, update and delete, signal dispatch and the change
//! log. It knows nothing of HTTP: the web layer (`server/`) calls it with plain values, and
//! commands (`demo-data`) call it the same way.

pub mod changelog;
mod checks;
pub mod clean;
pub mod registry;
pub mod signals;
pub mod sql;
pub mod store;

pub use registry::{ModelRegistry, MountedModel, TabSpec};
pub use store::{ListQuery, Object, Store, WriteError};

/// Who makes a change, for the change log: a plain value the web layer builds from each
/// request, and commands build for themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// User name (`anonymous` until sign-in exists; the command's name for commands).
    pub user: String,
    /// Id of the request that made the change (empty outside requests).
    pub request_id: String,
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
        }
    }
}

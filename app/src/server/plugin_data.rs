//! The web layer's side of the typed data API: each request's
//! [`Data`](netbox_framework::data::Data) is an [`EngineStore`] over the application state as
//! the request's actor (see [`crate::engine::data`]).

use super::actor::RequestActor;
use super::state::AppState;
use crate::db::Database;
use crate::engine::ModelRegistry;
use crate::engine::data::{Backing, EngineStore};
use actix_web::HttpRequest;
use netbox_framework::data::{Data, DataSource, DataStore};
use std::sync::Arc;

impl Backing for AppState {
    fn database(&self) -> &Database {
        &self.database
    }

    fn models(&self) -> &ModelRegistry {
        &self.models
    }
}

/// Makes each request's store (installed as app data).
pub struct HostDataSource(pub Arc<AppState>);

impl DataSource for HostDataSource {
    fn for_request(&self, request: &HttpRequest) -> Arc<dyn DataStore> {
        Arc::new(EngineStore::new(self.0.clone(), RequestActor::of(request)))
    }
}

/// The data API as `request`'s user (for the host's own calls into plugin code).
pub fn data_of(request: &HttpRequest, state: &Arc<AppState>) -> Data {
    Data::new(HostDataSource(state.clone()).for_request(request))
}

/// Runs every enabled plugin's `started` hook, in configuration order, each with the data API
/// as `system:<plugin>`. The first failure (an error or a panic) is the startup's error,
/// naming the plugin.
pub async fn run_started(state: &Arc<AppState>) -> Result<(), String> {
    use futures_util::FutureExt;
    use std::panic::AssertUnwindSafe;
    for (descriptor, context) in state.registry.enabled() {
        let name = descriptor.metadata.name;
        let actor = crate::engine::Actor::system(&format!("system:{name}"));
        let data = Data::new(Arc::new(EngineStore::new(state.clone(), actor)));
        let outcome = AssertUnwindSafe(descriptor.plugin.started(context, &data))
            .catch_unwind()
            .await;
        let message = match outcome {
            Ok(Ok(())) => continue,
            Ok(Err(message)) => message,
            Err(payload) => {
                format!(
                    "panicked: {}",
                    crate::plugins::guard::panic_message(payload.as_ref())
                )
            }
        };
        tracing::error!(plugin = name, %message, "the started hook failed");
        return Err(format!("plugin `{name}`: started hook failed: {message}"));
    }
    Ok(())
}

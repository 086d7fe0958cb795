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

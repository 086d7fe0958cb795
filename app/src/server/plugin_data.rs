//! The host's side of the framework's typed data API ([`netbox_framework::data`]): each
//! request's [`Data`](netbox_framework::data::Data) runs the engine's [`Store`] as the
//! request's actor, so plugin code reads and writes exactly as the REST API does (permissions,
//! validation, signals, change log, one transaction per write).

use super::actor::RequestActor;
use super::state::AppState;
use crate::engine::clean::Mode;
use crate::engine::{Actor, ListQuery, Store, WriteError};
use actix_web::HttpRequest;
use netbox_framework::data::{BoxFuture, DataError, DataSource, DataStore, RawQuery};
use serde_json::{Map, Value};
use std::sync::Arc;

/// Makes each request's store.
pub struct HostDataSource(pub Arc<AppState>);

impl DataSource for HostDataSource {
    fn for_request(&self, request: &HttpRequest) -> Arc<dyn DataStore> {
        Arc::new(HostStore {
            state: self.0.clone(),
            actor: RequestActor::of(request),
        })
    }
}

/// The data API as `request`'s user (for the host's own calls into plugin code).
pub fn data_of(request: &HttpRequest, state: &Arc<AppState>) -> netbox_framework::data::Data {
    netbox_framework::data::Data::new(HostDataSource(state.clone()).for_request(request))
}

/// The engine as one actor.
struct HostStore {
    state: Arc<AppState>,
    actor: Actor,
}

fn data_error(error: WriteError) -> DataError {
    match error {
        WriteError::Invalid(errors) => DataError::Invalid(errors),
        WriteError::NotFound => DataError::NotFound,
        WriteError::Forbidden(message) => DataError::Forbidden(message),
        WriteError::Conflict(message) => DataError::Conflict(message),
        WriteError::Stale => DataError::Conflict(error.to_string()),
        WriteError::Database(error) => {
            tracing::warn!(%error, "data API: database error");
            DataError::Unavailable("the database could not answer; try again".into())
        }
    }
}

impl HostStore {
    fn store(&self, model: &str) -> Result<Store<'_>, DataError> {
        let mounted = self
            .state
            .models
            .get(model)
            .ok_or_else(|| DataError::Forbidden(format!("model `{model}` is not served")))?;
        Ok(Store::new(
            &self.state.database,
            &self.state.models,
            mounted,
            self.actor.clone(),
        ))
    }
}

fn list_query(query: RawQuery, limit: i64) -> ListQuery {
    ListQuery {
        q: query.search,
        filter_groups: query.filters,
        limit,
        offset: query.offset,
        ordering: query.ordering,
        ..ListQuery::default()
    }
}

impl DataStore for HostStore {
    fn list<'a>(
        &'a self,
        query: RawQuery,
    ) -> BoxFuture<'a, Result<Vec<Map<String, Value>>, DataError>> {
        Box::pin(async move {
            let store = self.store(query.model)?;
            let limit = query.limit.unwrap_or(i64::MAX);
            if limit == 0 {
                return Ok(Vec::new());
            }
            let (_, objects) = store
                .list(&list_query(query, limit))
                .await
                .map_err(data_error)?;
            Ok(objects)
        })
    }

    fn count<'a>(&'a self, query: RawQuery) -> BoxFuture<'a, Result<i64, DataError>> {
        Box::pin(async move {
            let store = self.store(query.model)?;
            let (count, _) = store
                .list(&list_query(query, 1))
                .await
                .map_err(data_error)?;
            Ok(count.unwrap_or_default())
        })
    }

    fn create<'a>(
        &'a self,
        model: &'static str,
        values: Map<String, Value>,
    ) -> BoxFuture<'a, Result<Map<String, Value>, DataError>> {
        Box::pin(async move {
            let store = self.store(model)?;
            store.create(&values, true).await.map_err(data_error)
        })
    }

    fn update<'a>(
        &'a self,
        model: &'static str,
        id: i64,
        values: Map<String, Value>,
    ) -> BoxFuture<'a, Result<Map<String, Value>, DataError>> {
        Box::pin(async move {
            let store = self.store(model)?;
            store
                .update(id, &values, Mode::Patch, true)
                .await
                .map_err(data_error)
        })
    }

    fn delete<'a>(&'a self, model: &'static str, id: i64) -> BoxFuture<'a, Result<(), DataError>> {
        Box::pin(async move {
            let store = self.store(model)?;
            store.delete(id).await.map(|_| ()).map_err(data_error)
        })
    }
}

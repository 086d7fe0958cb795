//! The engine behind the framework's typed data API ([`netbox_framework::data`]): an
//! [`EngineStore`] runs every read and write of a plugin's `Data` through the engine's
//! [`Store`] as one [`Actor`], so plugin code reads and writes exactly as the REST API does
//! (permissions, validation, signals, change log, one transaction per write).

use super::clean::Mode;
use super::write::{Done, Step};
use super::{Actor, ListQuery, ModelRegistry, Store, WriteError};
use crate::db::Database;
use futures_util::lock::Mutex;
use netbox_framework::data::{BoxFuture, DataError, DataStore, DataTransaction, RawQuery};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::sync::Arc;

/// What an [`EngineStore`] reads and writes: the database and the served models (the web
/// layer's application state, or a command's own).
pub trait Backing: Send + Sync + 'static {
    /// The connected database.
    fn database(&self) -> &Database;
    /// Every served model.
    fn models(&self) -> &ModelRegistry;
}

/// The engine as one actor, behind a plugin's `Data`.
pub struct EngineStore<B> {
    backing: Arc<B>,
    actor: Actor,
}

impl<B: Backing> EngineStore<B> {
    /// The store of `actor` over `backing`.
    pub fn new(backing: Arc<B>, actor: Actor) -> Self {
        EngineStore { backing, actor }
    }

    fn store(&self, model: &str) -> Result<Store<'_>, DataError> {
        store_of(&*self.backing, &self.actor, model)
    }
}

/// The engine's store of `model` as `actor`.
fn store_of<'a, B: Backing>(
    backing: &'a B,
    actor: &Actor,
    model: &str,
) -> Result<Store<'a>, DataError> {
    let models = backing.models();
    let mounted = models
        .get(model)
        .ok_or_else(|| DataError::Forbidden(format!("model `{model}` is not served")))?;
    Ok(Store::new(
        backing.database(),
        models,
        mounted,
        actor.clone(),
    ))
}

/// A plugin's transaction: writes on one connection, their `post_*` signals kept for after
/// the commit. Dropped without commit, the connection's transaction rolls back.
struct EngineTransaction<'a, B> {
    owner: &'a EngineStore<B>,
    connection: Mutex<sqlx::Transaction<'static, sqlx::Any>>,
    done: RefCell<Vec<(&'static str, Done)>>,
}

impl<B: Backing> EngineTransaction<'_, B> {
    async fn write(
        &self,
        model: &'static str,
        step: Step<'_>,
    ) -> Result<Map<String, Value>, DataError> {
        let store = self.owner.store(model)?;
        let mut connection = self.connection.lock().await;
        let done = store
            .step_in(&mut connection, &step)
            .await
            .map_err(data_error)?;
        let object = match &done {
            Done::Saved(_, after) => after.clone(),
            Done::Deleted(before) => before.clone(),
        };
        self.done.borrow_mut().push((model, done));
        Ok(object)
    }
}

impl<B: Backing> DataTransaction for EngineTransaction<'_, B> {
    fn create<'a>(
        &'a self,
        model: &'static str,
        values: Map<String, Value>,
    ) -> BoxFuture<'a, Result<Map<String, Value>, DataError>> {
        Box::pin(async move { self.write(model, Step::Create(&values, true)).await })
    }

    fn update<'a>(
        &'a self,
        model: &'static str,
        id: i64,
        values: Map<String, Value>,
    ) -> BoxFuture<'a, Result<Map<String, Value>, DataError>> {
        Box::pin(async move {
            self.write(model, Step::Update(id, &values, Mode::Patch, true))
                .await
        })
    }

    fn delete<'a>(&'a self, model: &'static str, id: i64) -> BoxFuture<'a, Result<(), DataError>> {
        Box::pin(async move { self.write(model, Step::Delete(id)).await.map(|_| ()) })
    }

    fn list<'a>(
        &'a self,
        query: RawQuery,
    ) -> BoxFuture<'a, Result<Vec<Map<String, Value>>, DataError>> {
        Box::pin(async move {
            let store = self.owner.store(query.model)?;
            let limit = query.limit.unwrap_or(i64::MAX);
            if limit == 0 {
                return Ok(Vec::new());
            }
            let mut connection = self.connection.lock().await;
            let (_, objects) = store
                .list_in(&mut connection, &list_query(query, limit))
                .await
                .map_err(data_error)?;
            Ok(objects)
        })
    }

    fn commit(self: Box<Self>) -> BoxFuture<'static, Result<(), DataError>> {
        // The signals need the store (borrowed from the owner): commit here, send below.
        let EngineTransaction {
            owner,
            connection,
            done,
        } = *self;
        let committed = async move { connection.into_inner().commit().await };
        let backing = owner.backing.clone();
        let actor = owner.actor.clone();
        let done = done.into_inner();
        Box::pin(async move {
            committed
                .await
                .map_err(|error| data_error(WriteError::Database(error)))?;
            for (model, _) in &done {
                super::features::committed(model);
            }
            for (model, item) in &done {
                if let Ok(store) = store_of(&*backing, &actor, model) {
                    store.after_commit(item);
                }
            }
            Ok(())
        })
    }
}

/// The data API's error for an engine error.
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

fn list_query(query: RawQuery, limit: i64) -> ListQuery {
    ListQuery {
        q: query.search,
        filter_groups: query.filters,
        limit,
        offset: query.offset,
        ordering: query.ordering,
        // Typed objects have no place for tags and custom-field values.
        bare: true,
        ..ListQuery::default()
    }
}

impl<B: Backing> DataStore for EngineStore<B> {
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

    fn begin<'a>(&'a self) -> BoxFuture<'a, Result<Box<dyn DataTransaction + 'a>, DataError>> {
        Box::pin(async move {
            let connection = self
                .backing
                .database()
                .begin_write()
                .await
                .map_err(|error| data_error(WriteError::Database(error)))?;
            Ok(Box::new(EngineTransaction {
                owner: self,
                connection: Mutex::new(connection),
                done: RefCell::new(Vec::new()),
            }) as Box<dyn DataTransaction + 'a>)
        })
    }
}

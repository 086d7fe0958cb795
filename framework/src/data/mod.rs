//! The typed data API: read and write objects of any model, core or plugin, from plugin code.
//!
//! A handler takes a [`Data`] argument (an extractor): it acts as the request's user, so reads
//! return only what the user may view and writes need the user's permissions. Every write
//! goes through the same path as the REST API: validation, permissions, `pre_save` /
//! `post_save` signals, the change log, one transaction.
//!
//! ```
//! use netbox_framework::data::{Data, DataError};
//! use netbox_framework::dcim::Device;
//! use netbox_framework::models::Model;
//!
//! /// How many active devices a site has.
//! async fn active_devices(data: Data, site: i64) -> Result<i64, DataError> {
//!     Device::objects()
//!         .filter(Device::SITE.eq(site))
//!         .filter(Device::STATUS.eq(netbox_framework::dcim::DeviceStatus::Active))
//!         .count(&data)
//!         .await
//! }
//! ```

mod query;

pub use query::{Col, Filter, FilterValue, Order, Query};

use crate::models::{ForeignKey, ManyToMany, Model, ValueError};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, http::StatusCode};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::future::{Future, Ready, ready};
use std::ops::Deref;
use std::pin::Pin;
use std::sync::Arc;

/// A boxed future, as the host's store returns (not `Send`: handlers run on one worker
/// thread).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Why a read or write did not happen.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The values are invalid: messages per field (`__all__` for the object as a whole).
    #[error("{}", invalid_text(.0))]
    Invalid(BTreeMap<String, Vec<String>>),
    /// The user may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// No object has that id (or the user may not see it).
    #[error("no such object")]
    NotFound,
    /// The write conflicts with other objects (a protected reference, say).
    #[error("{0}")]
    Conflict(String),
    /// The database is busy or unreachable; try again.
    #[error("{0}")]
    Unavailable(String),
    /// A stored object does not fit its Rust type.
    #[error("{0}")]
    Decode(#[from] ValueError),
    /// The data API is not available here (the host did not provide it).
    #[error("the data API is not available outside the application's requests")]
    NotInstalled,
}

/// `name: message; other: message` (a field's name left out for `__all__`).
fn invalid_text(errors: &BTreeMap<String, Vec<String>>) -> String {
    let mut parts = Vec::new();
    for (field, messages) in errors {
        for message in messages {
            parts.push(if field == "__all__" {
                message.clone()
            } else {
                format!("{field}: {message}")
            });
        }
    }
    parts.join("; ")
}

impl ResponseError for DataError {
    fn status_code(&self) -> StatusCode {
        match self {
            DataError::Invalid(_) => StatusCode::BAD_REQUEST,
            DataError::NotFound => StatusCode::NOT_FOUND,
            DataError::Forbidden(_) => StatusCode::FORBIDDEN,
            DataError::Conflict(_) => StatusCode::CONFLICT,
            DataError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            DataError::Decode(_) | DataError::NotInstalled => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let body = match self {
            DataError::Invalid(errors) => serde_json::to_value(errors).unwrap_or_default(),
            other => serde_json::json!({ "detail": other.to_string() }),
        };
        HttpResponse::build(self.status_code()).json(body)
    }
}

/// A query as the host's store runs it: the model's key, filter groups (each group one call
/// of the REST API's filters, its pairs OR-ed per name; groups AND-ed), ordering terms
/// (`-name` descending), quick search, limit and offset.
#[doc(hidden)]
#[derive(Debug, Clone, Default)]
pub struct RawQuery {
    pub model: &'static str,
    pub filters: Vec<Vec<(String, String)>>,
    pub ordering: Vec<String>,
    pub search: Option<String>,
    pub limit: Option<i64>,
    pub offset: i64,
}

/// What the host provides behind [`Data`]: the engine's operations on untyped objects
/// (`id`, fields, `created`, `last_updated`), as one actor. Not for plugin code.
#[doc(hidden)]
pub trait DataStore: Send + Sync {
    fn list<'a>(
        &'a self,
        query: RawQuery,
    ) -> BoxFuture<'a, Result<Vec<Map<String, Value>>, DataError>>;
    fn count<'a>(&'a self, query: RawQuery) -> BoxFuture<'a, Result<i64, DataError>>;
    fn begin<'a>(&'a self) -> BoxFuture<'a, Result<Box<dyn DataTransaction + 'a>, DataError>>;
}

/// What the host provides behind [`Transaction`]: writes on one open transaction, then the
/// commit (dropping it without commit rolls back). Not for plugin code.
#[doc(hidden)]
pub trait DataTransaction {
    fn create<'a>(
        &'a self,
        model: &'static str,
        values: Map<String, Value>,
    ) -> BoxFuture<'a, Result<Map<String, Value>, DataError>>;
    fn update<'a>(
        &'a self,
        model: &'static str,
        id: i64,
        values: Map<String, Value>,
    ) -> BoxFuture<'a, Result<Map<String, Value>, DataError>>;
    fn delete<'a>(&'a self, model: &'static str, id: i64) -> BoxFuture<'a, Result<(), DataError>>;
    fn list<'a>(
        &'a self,
        query: RawQuery,
    ) -> BoxFuture<'a, Result<Vec<Map<String, Value>>, DataError>>;
    fn commit(self: Box<Self>) -> BoxFuture<'static, Result<(), DataError>>;
}

/// What the host installs as app data: makes the store of a request's user.
#[doc(hidden)]
pub trait DataSource: Send + Sync {
    fn for_request(&self, request: &HttpRequest) -> Arc<dyn DataStore>;
}

/// The host's [`DataSource`] as actix app data.
#[doc(hidden)]
#[derive(Clone)]
pub struct DataSourceHandle(pub Arc<dyn DataSource>);

/// Access to the application's objects, as the request's user (see the [module](self)).
#[derive(Clone)]
pub struct Data {
    store: Arc<dyn DataStore>,
}

impl FromRequest for Data {
    type Error = DataError;
    type Future = Ready<Result<Self, DataError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match request.app_data::<DataSourceHandle>() {
            Some(source) => Ok(Data {
                store: source.0.for_request(request),
            }),
            None => Err(DataError::NotInstalled),
        })
    }
}

/// A stored object of model `M`: its id, times and fields (`object.name` reads the field
/// through `Deref`).
#[derive(Debug, Clone, PartialEq)]
pub struct Object<M> {
    /// The object's id.
    pub id: i64,
    /// When it was created (RFC 3339).
    pub created: String,
    /// When it last changed (RFC 3339).
    pub last_updated: String,
    /// Its fields.
    pub fields: M,
}

impl<M> Deref for Object<M> {
    type Target = M;

    fn deref(&self) -> &M {
        &self.fields
    }
}

impl<M: Model> Object<M> {
    /// The typed object from the host's untyped one, taken apart (its text is moved).
    pub fn from_owned_map(mut values: Map<String, Value>) -> Result<Self, ValueError> {
        let mut text = |key: &str| match values.remove(key) {
            Some(Value::String(text)) => text,
            _ => String::new(),
        };
        let (created, last_updated) = (text("created"), text("last_updated"));
        Ok(Object {
            id: values
                .get("id")
                .and_then(Value::as_i64)
                .ok_or_else(|| ValueError::new("id", "missing"))?,
            created,
            last_updated,
            fields: M::from_owned_values(values)?,
        })
    }

    /// The typed object from the host's untyped one.
    pub fn from_map(values: &Map<String, Value>) -> Result<Self, ValueError> {
        let text = |key: &str| {
            values
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        Ok(Object {
            id: values
                .get("id")
                .and_then(Value::as_i64)
                .ok_or_else(|| ValueError::new("id", "missing"))?,
            created: text("created"),
            last_updated: text("last_updated"),
            fields: M::from_values(values)?,
        })
    }
}

/// Writes that happen together or not at all (see [`Data::transaction`]).
pub struct Transaction<'a> {
    inner: Box<dyn DataTransaction + 'a>,
}

impl Transaction<'_> {
    /// Creates an object from `fields`, in the transaction.
    pub async fn create<M: Model>(&self, fields: &M) -> Result<Object<M>, DataError> {
        let stored = self.inner.create(M::KEY, fields.to_values()).await?;
        Ok(Object::from_owned_map(stored)?)
    }

    /// Saves every field of `object`, in the transaction.
    pub async fn update<M: Model>(&self, object: &Object<M>) -> Result<Object<M>, DataError> {
        let stored = self
            .inner
            .update(M::KEY, object.id, object.fields.to_values())
            .await?;
        Ok(Object::from_owned_map(stored)?)
    }

    /// Deletes the object of `M` with `id`, in the transaction.
    pub async fn delete<M: Model>(&self, id: i64) -> Result<(), DataError> {
        self.inner.delete(M::KEY, id).await
    }

    /// The objects `query` finds, in the transaction: its own writes included.
    pub async fn all<M: Model>(&self, query: &Query<M>) -> Result<Vec<Object<M>>, DataError> {
        let rows = self.inner.list(raw(query)).await?;
        rows.into_iter()
            .map(|row| Object::from_owned_map(row).map_err(DataError::from))
            .collect()
    }

    /// The object of `M` with `id`, in the transaction, if it exists and the user may view
    /// it.
    pub async fn get<M: Model>(&self, id: i64) -> Result<Option<Object<M>>, DataError> {
        let query = Query::<M>::new()
            .filter(Col::<M, i64>::new("id", "id").eq(id))
            .limit(1);
        Ok(self.all(&query).await?.pop())
    }
}

impl Data {
    /// Runs `work` as one transaction: its writes (made through the [`Transaction`] it gets)
    /// all happen, or, when it returns an error (or one of them fails), none. Signals'
    /// `pre_*` receivers run as each write is made, `post_*` ones after the commit. Inside,
    /// read and write through the transaction only (its reads see its writes): on SQLite it
    /// holds the database's write lock.
    ///
    /// ```
    /// use netbox_framework::data::{Data, DataError};
    /// use netbox_framework::dcim::{Site, SiteStatus};
    ///
    /// async fn two_sites(data: Data) -> Result<(), DataError> {
    ///     data.transaction(async |tx| {
    ///         for name in ["ams", "fra"] {
    ///             tx.create(&Site {
    ///                 name: name.to_uppercase(),
    ///                 slug: name.into(),
    ///                 status: SiteStatus::Planned,
    ///                 region: None,
    ///                 facility: None,
    ///                 description: None,
    ///             })
    ///             .await?;
    ///         }
    ///         Ok(())
    ///     })
    ///     .await
    /// }
    /// ```
    pub async fn transaction<T>(
        &self,
        work: impl AsyncFnOnce(&Transaction<'_>) -> Result<T, DataError>,
    ) -> Result<T, DataError> {
        let transaction = Transaction {
            inner: self.store.begin().await?,
        };
        let value = work(&transaction).await?;
        transaction.inner.commit().await?;
        Ok(value)
    }

    /// A handle on `store` (the host's; tests may bring their own).
    #[doc(hidden)]
    pub fn new(store: Arc<dyn DataStore>) -> Self {
        Data { store }
    }

    /// The object of `M` with `id`, if it exists and the user may view it.
    pub async fn get<M: Model>(&self, id: i64) -> Result<Option<Object<M>>, DataError> {
        let query = Query::<M>::new()
            .filter(Col::<M, i64>::new("id", "id").eq(id))
            .limit(1);
        Ok(self.all(&query).await?.pop())
    }

    /// The objects `query` finds.
    pub async fn all<M: Model>(&self, query: &Query<M>) -> Result<Vec<Object<M>>, DataError> {
        let rows = self.store.list(raw(query)).await?;
        rows.into_iter()
            .map(|row| Object::from_owned_map(row).map_err(DataError::from))
            .collect()
    }

    /// How many objects `query` finds (its limit and offset aside).
    pub async fn count<M: Model>(&self, query: &Query<M>) -> Result<i64, DataError> {
        self.store.count(raw(query)).await
    }

    /// Creates an object from `fields` (a transaction of one write).
    pub async fn create<M: Model>(&self, fields: &M) -> Result<Object<M>, DataError> {
        self.transaction(async |tx| tx.create(fields).await).await
    }

    /// Saves every field of `object` (a transaction of one write).
    pub async fn update<M: Model>(&self, object: &Object<M>) -> Result<Object<M>, DataError> {
        self.transaction(async |tx| tx.update(object).await).await
    }

    /// Deletes the object of `M` with `id` (and, as their references say, the objects that
    /// refer to it).
    pub async fn delete<M: Model>(&self, id: i64) -> Result<(), DataError> {
        self.transaction(async |tx| tx.delete::<M>(id).await).await
    }
}

fn raw<M: Model>(query: &Query<M>) -> RawQuery {
    RawQuery {
        model: M::KEY,
        filters: query
            .filters
            .iter()
            .map(|f| {
                f.values
                    .iter()
                    .map(|v| (f.key.clone(), v.clone()))
                    .collect()
            })
            .collect(),
        ordering: query.ordering.clone(),
        search: query.search.clone(),
        limit: query.limit,
        offset: query.offset,
    }
}

impl<M: Model> Query<M> {
    /// Runs the query.
    pub async fn all(&self, data: &Data) -> Result<Vec<Object<M>>, DataError> {
        data.all(self).await
    }

    /// The first object the query finds.
    pub async fn first(&self, data: &Data) -> Result<Option<Object<M>>, DataError> {
        let query = self.clone().limit(1);
        Ok(data.all(&query).await?.pop())
    }

    /// How many objects the query finds.
    pub async fn count(&self, data: &Data) -> Result<i64, DataError> {
        data.count(self).await
    }
}

impl<M: Model> ForeignKey<M> {
    /// The referenced object, if it exists and the user may view it:
    /// `feeding.keeper.get(&data)`.
    pub async fn get(&self, data: &Data) -> Result<Option<Object<M>>, DataError> {
        data.get::<M>(self.id()).await
    }
}

impl<M: Model> ManyToMany<M> {
    /// The referenced objects the user may view, in the model's ordering:
    /// `enclosure.keepers.all(&data)`.
    pub async fn all(&self, data: &Data) -> Result<Vec<Object<M>>, DataError> {
        if self.ids().is_empty() {
            return Ok(Vec::new());
        }
        let query = Query::<M>::new()
            .filter(Col::<M, i64>::new("id", "id").is_in(self.ids().iter().copied()));
        data.all(&query).await
    }
}

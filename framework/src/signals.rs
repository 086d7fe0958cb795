//! Signals: functions of a plugin that run when objects are saved or deleted (NetBox's Django
//! signals), or when a plugin sends a signal of its own.
//!
//! A receiver is a plain function with the [`receiver`](crate::receiver) attribute; it is
//! registered at link time and runs only while its plugin is enabled, in configuration order.
//! `pre_save` and `pre_delete` receivers run inside the write's transaction and can refuse the
//! write with an [`Abort`] whose message the user sees (a form error, or a 400 in the API);
//! `post_save` and `post_delete` receivers run after the commit.
//!
//! ```
//! use netbox_framework::receiver;
//! use netbox_framework::signals::{Abort, Event};
//!
//! /// Sites named "test" are not welcome.
//! #[receiver(pre_save, model = "dcim.site")]
//! fn no_test_sites(event: &Event<'_>) -> Result<(), Abort> {
//!     match event.after.and_then(|site| site.get("name")).and_then(|name| name.as_str()) {
//!         Some("test") => Err(Abort::new("Sites may not be called “test”.")),
//!         _ => Ok(()),
//!     }
//! }
//! # fn main() {}
//! ```

use crate::context::PluginContext;
use crate::models::Model;
use serde_json::{Map, Value};
use std::sync::OnceLock;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Signal {
    /// Before an object is created or updated (inside the transaction; may abort).
    PreSave,
    /// After an object was created or updated and committed.
    PostSave,
    /// Before an object is deleted (inside the transaction; may abort).
    PreDelete,
    /// After an object was deleted and the deletion committed.
    PostDelete,
    /// A signal a plugin defines and sends with [`send`], by name.
    Custom(&'static str),
}

/// What a receiver gets.
#[derive(Debug)]
#[non_exhaustive]
pub struct Event<'a> {
    /// The signal.
    pub signal: Signal,
    /// The model's key (`"dcim.device"`); for custom signals, the signal's name.
    pub model: &'a str,
    /// The object before the change (`None` on creation and for custom signals).
    pub before: Option<&'a Map<String, Value>>,
    /// The object after the change: the values about to be written for `pre_save`
    /// (without `id` on creation), the stored object for `post_save`; `None` for deletes.
    pub after: Option<&'a Map<String, Value>>,
    /// For deletes: how many objects of each other model still refer to the object, by
    /// model key.
    pub references: &'a [(String, i64)],
    /// The payload of a custom signal.
    pub payload: Option<&'a Value>,
    /// The receiving plugin's context (its settings).
    pub plugin: &'a PluginContext,
}

impl<'a> Event<'a> {
    /// An event (the host builds these; plugin tests may too).
    pub fn new(signal: Signal, model: &'a str, plugin: &'a PluginContext) -> Self {
        Event {
            signal,
            model,
            before: None,
            after: None,
            references: &[],
            payload: None,
            plugin,
        }
    }

    /// Sets the object before and after the change.
    pub fn objects(
        mut self,
        before: Option<&'a Map<String, Value>>,
        after: Option<&'a Map<String, Value>>,
    ) -> Self {
        self.before = before;
        self.after = after;
        self
    }

    /// Sets the counts of referring objects.
    pub fn references(mut self, references: &'a [(String, i64)]) -> Self {
        self.references = references;
        self
    }

    /// Sets a custom signal's payload.
    pub fn payload(mut self, payload: Option<&'a Value>) -> Self {
        self.payload = payload;
        self
    }

    /// The object before the change as model `M` (`None` on creation): a typed view of
    /// [`before`](Self::before). A receiver of another model's signal gets an [`Abort`]
    /// naming the mismatch.
    ///
    /// ```
    /// use netbox_framework::dcim::Device;
    /// use netbox_framework::signals::{Abort, Event};
    ///
    /// #[netbox_framework::receiver(pre_delete, model = "dcim.device")]
    /// fn keep_routers(event: &Event<'_>) -> Result<(), Abort> {
    ///     match event.before_as::<Device>()? {
    ///         Some(device) if device.role == "router" => Err(Abort::new("routers stay")),
    ///         _ => Ok(()),
    ///     }
    /// }
    /// # fn main() {}
    /// ```
    pub fn before_as<M: Model>(&self) -> Result<Option<M>, Abort> {
        self.typed(self.before)
    }

    /// The object after the change as model `M` (`None` for deletes); see
    /// [`before_as`](Self::before_as).
    pub fn after_as<M: Model>(&self) -> Result<Option<M>, Abort> {
        self.typed(self.after)
    }

    fn typed<M: Model>(&self, object: Option<&Map<String, Value>>) -> Result<Option<M>, Abort> {
        if self.model != M::KEY {
            return Err(Abort::new(format!(
                "a receiver read a `{}` object as `{}`",
                self.model,
                M::KEY
            )));
        }
        object
            .map(M::from_values)
            .transpose()
            .map_err(|error| Abort::new(format!("`{}` object: {error}", M::KEY)))
    }

    /// How many objects of `model` refer to the object being deleted (0 when none, or for
    /// other signals).
    pub fn referenced_by(&self, model: &str) -> i64 {
        self.references
            .iter()
            .find(|(key, _)| key == model)
            .map(|(_, count)| *count)
            .unwrap_or(0)
    }
}

/// A receiver's refusal: the write does not happen and the user sees the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Abort(pub String);

impl Abort {
    /// A refusal with a message for the user.
    pub fn new(message: impl Into<String>) -> Self {
        Abort(message.into())
    }
}

/// A receiver function.
pub type ReceiverFn = fn(&Event<'_>) -> Result<(), Abort>;

/// What `#[receiver]` registers.
#[derive(Debug)]
pub struct Receiver {
    /// The signal it receives.
    pub signal: Signal,
    /// Only events of this model (`None`: every model).
    pub model: Option<&'static str>,
    /// Cargo package that declared it (its plugin is found by package).
    pub package: &'static str,
    /// The plugin it belongs to, when its package declares several.
    pub plugin: Option<&'static str>,
    /// Rust path of the function (for messages).
    pub name: &'static str,
    /// The function.
    pub function: ReceiverFn,
}

inventory::collect!(Receiver);

/// Every receiver linked into the binary (in no particular order). Host plumbing.
#[doc(hidden)]
pub fn all_receivers() -> Vec<&'static Receiver> {
    inventory::iter::<Receiver>.into_iter().collect()
}

/// The host's dispatcher of custom signals.
#[doc(hidden)]
pub type Dispatcher = Box<dyn Fn(&'static str, &Value) -> Result<(), Abort> + Send + Sync>;

static DISPATCHER: OnceLock<Dispatcher> = OnceLock::new();

/// Installs the host's dispatcher of custom signals (the host does this once at startup).
#[doc(hidden)]
pub fn install_dispatcher(dispatcher: Dispatcher) {
    let _ = DISPATCHER.set(dispatcher);
}

/// Sends a custom signal to the receivers of enabled plugins, in plugin order; the first
/// refusal is returned. Without a host (e.g. in a plugin's unit tests) nothing receives it.
///
/// ```
/// let result = netbox_framework::signals::send("zoo.fed", &serde_json::json!({"animal": "cat"}));
/// assert!(result.is_ok());
/// ```
pub fn send(signal: &'static str, payload: &Value) -> Result<(), Abort> {
    match DISPATCHER.get() {
        Some(dispatch) => dispatch(signal, payload),
        None => Ok(()),
    }
}

//! The one guard around plugin code the host calls directly (contribution methods, `ready`,
//! template extensions, signal receivers): a panic in the plugin becomes an error naming it,
//! and the host goes on. Handlers and middleware run inside the request-level panic guard of
//! the web layer, which shares [`panic_message`].

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The text of a panic's payload (`panic!("...")` gives a `&str` or a `String`).
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|text| text.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// Why a guarded call of plugin code failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PluginFailure<E> {
    /// The plugin returned an error.
    Error(E),
    /// The plugin panicked; the panic's message.
    Panic(String),
}

/// Runs plugin code, turning a panic into [`PluginFailure::Panic`] (logged with the plugin's
/// name and `what` it was doing).
///
/// ```
/// use netbox_app::plugins::guard::{PluginFailure, call_plugin};
///
/// let fine: Result<u8, PluginFailure<String>> = call_plugin("zoo", "a test", || Ok(1));
/// assert_eq!(fine, Ok(1));
/// let broken: Result<u8, PluginFailure<String>> = call_plugin("zoo", "a test", || panic!("boom"));
/// assert_eq!(broken, Err(PluginFailure::Panic("boom".into())));
/// ```
pub fn call_plugin<T, E>(
    plugin: &str,
    what: &str,
    code: impl FnOnce() -> Result<T, E>,
) -> Result<T, PluginFailure<E>> {
    match catch_unwind(AssertUnwindSafe(code)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(PluginFailure::Error(error)),
        Err(payload) => {
            let message = panic_message(payload.as_ref());
            tracing::error!(plugin, what, panic = %message, "plugin code panicked");
            Err(PluginFailure::Panic(message))
        }
    }
}

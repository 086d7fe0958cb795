//! Signal dispatch: the enabled plugins' receivers of a model's `pre_*`/`post_*` signals and of
//! custom signals, run in plugin order, each inside the plugin guard.

use super::Object;
use super::registry::ModelRegistry;
use crate::plugins::guard::{PluginFailure, call_plugin};
use netbox_framework::signals::{Abort, Event, Signal};
use serde_json::Value;

/// Runs the receivers of `signal` for the model `key`, in plugin order. For `pre_*` signals
/// the first refusal (or failure) is returned as the message to show; `post_*` failures are
/// logged and the others still run.
pub fn send(
    models: &ModelRegistry,
    signal: Signal,
    key: &str,
    before: Option<&Object>,
    after: Option<&Object>,
    references: &[(String, i64)],
) -> Result<(), String> {
    for active in models.receivers(signal, key) {
        let event = Event::new(signal, key, &active.context)
            .objects(before, after)
            .references(references);
        let failure = match call_plugin(active.plugin, active.receiver.name, || {
            (active.receiver.function)(&event)
        }) {
            Ok(()) => continue,
            Err(PluginFailure::Error(Abort(message))) => message,
            Err(PluginFailure::Panic(_)) => format!(
                "The plugin “{}” failed while handling this change.",
                active.plugin
            ),
        };
        if matches!(signal, Signal::PreSave | Signal::PreDelete) {
            return Err(failure);
        }
        tracing::warn!(plugin = active.plugin, receiver = active.receiver.name, message = %failure, "a post-change receiver failed");
    }
    Ok(())
}

/// Makes [`netbox_framework::signals::send`] reach the receivers of custom signals.
pub fn install_custom_dispatcher(models: ModelRegistry) {
    netbox_framework::__host::install_dispatcher(Box::new(
        move |signal: &'static str, payload: &Value| {
            for active in models.receivers(Signal::Custom(signal), signal) {
                let event = Event::new(Signal::Custom(signal), signal, &active.context)
                    .payload(Some(payload));
                match call_plugin(active.plugin, active.receiver.name, || {
                    (active.receiver.function)(&event)
                }) {
                    Ok(()) => {}
                    Err(PluginFailure::Error(refusal)) => return Err(refusal),
                    Err(PluginFailure::Panic(_)) => {
                        return Err(Abort(format!(
                            "The plugin “{}” failed while handling the signal {signal}.",
                            active.plugin
                        )));
                    }
                }
            }
            Ok(())
        },
    ));
}

//! Request extractors for plugin handlers.

use crate::context::PluginContext;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use std::future::{Ready, ready};
use std::ops::Deref;
use std::sync::Arc;

/// The plugin's settings as a handler argument: `PluginSettings<MyPlugin>` dereferences to the
/// type declared with `settings = T` on `MyPlugin`'s `#[netbox_plugin]`, or to the merged raw
/// settings (`toml::Table`) when none is declared. Naming anything but a plugin struct is a
/// compile error.
///
/// ```
/// use netbox_framework::extract::PluginSettings;
/// use netbox_framework::{netbox_plugin, Plugin};
///
/// #[derive(serde::Deserialize)]
/// pub struct ZooSettings { loud: bool }
///
/// #[netbox_plugin(name = "zoo", default_settings(loud = false), settings = ZooSettings)]
/// pub struct Zoo;
/// impl Plugin for Zoo {}
///
/// async fn page(settings: PluginSettings<Zoo>) -> String {
///     if settings.loud { "MOO!".into() } else { "moo".into() }
/// }
/// ```
///
/// ```compile_fail
/// use netbox_framework::extract::PluginSettings;
///
/// #[derive(serde::Deserialize)]
/// pub struct ZooSettings { loud: bool }
///
/// // Not a plugin: the settings type itself is no longer accepted.
/// async fn page(settings: PluginSettings<ZooSettings>) -> String {
///     settings.loud.to_string()
/// }
/// ```
pub struct PluginSettings<P: HasSettings>(Arc<P::Settings>);

/// Implemented by `#[netbox_plugin]` on the plugin struct: its name and the type its settings
/// parse into. Never implement it by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a plugin: `PluginSettings<P>` takes the struct that carries #[netbox_plugin]",
    label = "no #[netbox_plugin] on `{Self}`",
    note = "write `PluginSettings<MyPlugin>` with the plugin struct; it dereferences to the type declared with `settings = ...`"
)]
pub trait HasSettings: 'static {
    /// The plugin's name.
    const NAME: &'static str;
    /// The declared `settings = T`, or `toml::Table` (the merged settings) without one.
    type Settings: Send + Sync + 'static;
}

impl<P: HasSettings> Deref for PluginSettings<P> {
    type Target = P::Settings;

    fn deref(&self) -> &P::Settings {
        &self.0
    }
}

/// The settings of `P` from its context; `None` when the context is another plugin's.
fn settings_of<P: HasSettings>(context: &PluginContext) -> Option<Arc<P::Settings>> {
    if context.name() != P::NAME {
        return None;
    }
    context.settings_arc::<P::Settings>()
}

impl<P: HasSettings> FromRequest for PluginSettings<P> {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(context) = request.app_data::<web::Data<PluginContext>>() else {
            return ready(Err(actix_web::error::ErrorInternalServerError(
                "PluginSettings used outside a plugin's routes",
            )));
        };
        ready(match settings_of::<P>(context) {
            Some(settings) => Ok(PluginSettings(settings)),
            None => Err(actix_web::error::ErrorInternalServerError(format!(
                "a handler of plugin `{}` asked for the settings of plugin `{}`",
                context.name(),
                P::NAME
            ))),
        })
    }
}

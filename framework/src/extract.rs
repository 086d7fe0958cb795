//! Request extractors for plugin handlers.

use crate::context::PluginContext;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use std::future::{Ready, ready};
use std::ops::Deref;
use std::sync::Arc;

/// The plugin's typed settings (the `settings = T` of its `#[netbox_plugin]`), as a handler
/// argument.
///
/// ```
/// use netbox_framework::extract::PluginSettings;
///
/// #[derive(serde::Deserialize)]
/// struct ZooSettings { loud: bool }
///
/// async fn page(settings: PluginSettings<ZooSettings>) -> String {
///     if settings.loud { "MOO!".into() } else { "moo".into() }
/// }
/// ```
///
/// Fails with 500 when `T` is not the plugin's declared settings type.
pub struct PluginSettings<T>(Arc<T>);

impl<T> Deref for PluginSettings<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Send + Sync + 'static> FromRequest for PluginSettings<T> {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(context) = request.app_data::<web::Data<PluginContext>>() else {
            return ready(Err(actix_web::error::ErrorInternalServerError(
                "PluginSettings used outside a plugin's routes",
            )));
        };
        ready(match context.settings_arc::<T>() {
            Some(settings) => Ok(PluginSettings(settings)),
            None => Err(actix_web::error::ErrorInternalServerError(format!(
                "plugin `{}` has no settings of type {}",
                context.name(),
                std::any::type_name::<T>()
            ))),
        })
    }
}

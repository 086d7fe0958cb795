//! Procedural macros of `netbox-framework`. Use them through that crate
//! (`netbox_framework::netbox_plugin`): the code they generate refers only to
//! `netbox_framework::__private`, so a plugin crate needs no other dependency.
#![warn(missing_docs)]

mod attribute;
mod cargo_defaults;
mod checks;
mod expand;
mod receiver;

use proc_macro::TokenStream;

/// Declares a plugin on a unit struct. Documented where plugin authors use it:
/// `netbox_framework::netbox_plugin`.
///
/// ```ignore
/// #[netbox_framework::netbox_plugin(name = "animal_sounds", min_version = "0.1.0")]
/// pub struct AnimalSounds;
/// ```
#[proc_macro_attribute]
pub fn netbox_plugin(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::netbox_plugin(args.into(), item.into()).into()
}

/// Registers a signal receiver. Documented where plugin authors use it:
/// `netbox_framework::receiver`.
///
/// ```ignore
/// #[netbox_framework::receiver(post_save, model = "dcim.device")]
/// fn welcome(event: &Event<'_>) -> Result<(), Abort> { Ok(()) }
/// ```
#[proc_macro_attribute]
pub fn receiver(args: TokenStream, item: TokenStream) -> TokenStream {
    receiver::receiver(args.into(), item.into()).into()
}

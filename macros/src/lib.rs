//! Procedural macros of `netbox-framework`. Use them through that crate
//! (`netbox_framework::netbox_plugin`): the code they generate refers only to
//! `netbox_framework::__private`, so a plugin crate needs no other dependency.
#![warn(missing_docs)]

mod attribute;
mod cargo_defaults;
mod checks;
mod expand;

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

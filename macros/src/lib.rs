//! Procedural macros of `netbox-framework`. Use them through that crate
//! (`netbox_framework::netbox_plugin`): the code they generate refers only to
//! `netbox_framework::__private`, so a plugin crate needs no other dependency.
#![warn(missing_docs)]

mod attribute;
mod cargo_defaults;
mod checks;
mod choices;
mod expand;
mod model;
mod naming;
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
    expand_or_errors(args, item, expand::expand)
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
    expand_or_errors(args, item, receiver::expand)
}

/// Declares a model on a struct. Documented where plugin authors use it:
/// `netbox_framework::models::Model`.
///
/// ```ignore
/// #[derive(netbox_framework::models::Model)]
/// pub struct Animal {
///     #[field(max_length = 100)]
///     pub name: String,
/// }
/// ```
#[proc_macro_derive(Model, attributes(model, field))]
pub fn derive_model(item: TokenStream) -> TokenStream {
    model::expand(item.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Declares a choice set on an enum. Documented where plugin authors use it:
/// `netbox_framework::models::Choices`.
///
/// ```ignore
/// #[derive(Clone, Copy, netbox_framework::models::Choices)]
/// pub enum Action { Permit, Deny }
/// ```
#[proc_macro_derive(Choices, attributes(choice))]
pub fn derive_choices(item: TokenStream) -> TokenStream {
    choices::expand(item.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// The expansion of an attribute macro, or on error the item unchanged followed by the
/// errors, so that the only errors the author sees are the macro's own.
fn expand_or_errors(
    args: TokenStream,
    item: TokenStream,
    expand: fn(
        proc_macro2::TokenStream,
        proc_macro2::TokenStream,
    ) -> syn::Result<proc_macro2::TokenStream>,
) -> TokenStream {
    let item: proc_macro2::TokenStream = item.into();
    match expand(args.into(), item.clone()) {
        Ok(tokens) => tokens.into(),
        Err(error) => {
            let errors = error.to_compile_error();
            quote::quote!(#item #errors).into()
        }
    }
}

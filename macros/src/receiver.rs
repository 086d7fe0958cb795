//! Expansion of `#[receiver(...)]`: checks the arguments and the function, then registers a
//! static `Receiver` through the framework's re-exported `inventory`.

use crate::expand::framework_path;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::parse::Parser;
use syn::{Item, LitStr};

const SIGNALS: &[&str] = &["pre_save", "post_save", "pre_delete", "post_delete"];

#[derive(Default)]
struct ReceiverArgs {
    signal: Option<(syn::Ident, &'static str)>,
    custom: Option<LitStr>,
    model: Option<LitStr>,
    plugin: Option<LitStr>,
}

fn parse_args(args: TokenStream) -> syn::Result<ReceiverArgs> {
    let mut parsed = ReceiverArgs::default();
    syn::meta::parser(|meta| {
        let Some(ident) = meta.path.get_ident().cloned() else {
            return Err(meta.error("expected a signal (pre_save, post_save, pre_delete, post_delete) or a key"));
        };
        let key = ident.to_string();
        let string = |meta: &syn::meta::ParseNestedMeta<'_>| -> syn::Result<LitStr> {
            meta.value()?.parse::<LitStr>().map_err(|e| syn::Error::new(e.span(), format!("`{key}` takes a string literal")))
        };
        match key.as_str() {
            "model" => parsed.model = Some(string(&meta)?),
            "custom" => parsed.custom = Some(string(&meta)?),
            "plugin" => parsed.plugin = Some(string(&meta)?),
            name => match SIGNALS.iter().find(|signal| **signal == name) {
                Some(signal) => {
                    if parsed.signal.is_some() {
                        return Err(meta.error("a receiver receives one signal: write one #[receiver] per signal"));
                    }
                    parsed.signal = Some((ident, signal));
                }
                None => {
                    return Err(meta.error(format!(
                        "unknown signal or key `{name}` in #[receiver]: expected one of pre_save, post_save, pre_delete, post_delete, custom = \"...\", model = \"...\", plugin = \"...\""
                    )));
                }
            },
        }
        Ok(())
    })
    .parse2(args)?;
    Ok(parsed)
}

/// Expands `#[receiver(args)]` on `item`.
pub fn expand(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let parsed = parse_args(args)?;
    let item: Item = syn::parse2(item)?;
    let Item::Fn(function) = item else {
        return Err(syn::Error::new_spanned(
            item,
            "#[receiver] goes on a function: fn(&Event<'_>) -> Result<(), Abort>",
        ));
    };
    if let Some(asyncness) = function.sig.asyncness {
        return Err(syn::Error::new_spanned(
            asyncness,
            "a receiver cannot be async: it runs inside the write's transaction",
        ));
    }
    if !function.sig.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &function.sig.generics,
            "a receiver cannot be generic",
        ));
    }
    let krate = framework_path();
    let private = quote!(#krate::__private);
    let signal = match (&parsed.signal, &parsed.custom) {
        (Some(_), Some(custom)) => {
            return Err(syn::Error::new_spanned(
                custom,
                "a receiver receives either a model signal or a custom signal, not both",
            ));
        }
        (None, None) => {
            return Err(syn::Error::new(
                Span::call_site(),
                "#[receiver] needs a signal: pre_save, post_save, pre_delete, post_delete or custom = \"name\"",
            ));
        }
        (Some((ident, name)), None) => {
            let variant = match *name {
                "pre_save" => quote!(PreSave),
                "post_save" => quote!(PostSave),
                "pre_delete" => quote!(PreDelete),
                _ => quote!(PostDelete),
            };
            quote_spanned!(ident.span()=> #private::Signal::#variant)
        }
        (None, Some(custom)) => {
            if let Some(model) = &parsed.model {
                return Err(syn::Error::new_spanned(
                    model,
                    "a custom signal has no model: remove `model`",
                ));
            }
            if custom.value().trim().is_empty() {
                return Err(syn::Error::new_spanned(
                    custom,
                    "a custom signal needs a name, e.g. custom = \"zoo.fed\"",
                ));
            }
            quote!(#private::Signal::Custom(#custom))
        }
    };
    let model = match &parsed.model {
        Some(model) => {
            let value = model.value();
            let valid = value.split_once('.').is_some_and(|(app, name)| {
                !app.is_empty()
                    && !name.is_empty()
                    && value.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'
                    })
            });
            if !valid {
                return Err(syn::Error::new_spanned(
                    model,
                    format!(
                        "model `{value}` is not a model key: write app.model, e.g. \"dcim.device\""
                    ),
                ));
            }
            quote!(::core::option::Option::Some(#model))
        }
        None => quote!(::core::option::Option::None),
    };
    let plugin = match &parsed.plugin {
        Some(plugin) => quote!(::core::option::Option::Some(#plugin)),
        None => quote!(::core::option::Option::None),
    };
    let name = &function.sig.ident;
    let function_pointer = quote_spanned!(name.span()=> #name);
    Ok(quote! {
        #function

        const _: () = {
            #private::inventory::submit! {
                #private::Receiver {
                    signal: #signal,
                    model: #model,
                    package: ::core::env!("CARGO_PKG_NAME"),
                    plugin: #plugin,
                    name: ::core::concat!(::core::module_path!(), "::", ::core::stringify!(#name)),
                    function: #function_pointer,
                }
            }
        };
    })
}

//! Expansion of `#[netbox_plugin]`: checks the arguments and the struct, then registers a
//! static `PluginDescriptor` through the framework's re-exported `inventory`.

use crate::attribute::{DefaultValue, PluginArgs};
use crate::cargo_defaults::CargoDefaults;
use crate::checks;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::parse::Parser;
use syn::spanned::Spanned;
use syn::{Fields, Item, ItemStruct, LitStr};

/// Collects several independent errors so the author sees them all in one build.
#[derive(Default)]
struct Errors(Option<syn::Error>);

impl Errors {
    fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(existing) => existing.combine(error),
            None => self.0 = Some(error),
        }
    }

    fn check<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        result.map_err(|error| self.push(error)).ok()
    }

    fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

/// Expands `#[netbox_plugin(args)]` on `item`: every error found, or the registration.
pub fn expand(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let mut parsed = PluginArgs::default();
    syn::meta::parser(|meta| parsed.parse_key(meta)).parse2(args)?;
    let item: Item = syn::parse2(item)?;
    let item = unit_struct(item)?;

    let mut errors = Errors::default();
    let name = match &parsed.name {
        Some(literal) => errors.check(checks::name(literal)),
        None => {
            errors.push(syn::Error::new(
                proc_macro2::Span::call_site(),
                "#[netbox_plugin] needs a name: add `name = \"my_plugin\"` (the key operators list in `plugins`)",
            ));
            None
        }
    };
    let base_url = parsed
        .base_url
        .as_ref()
        .and_then(|literal| errors.check(checks::base_url(literal)));
    if let Some(literal) = &parsed.version {
        errors.check(checks::semver(literal, "version"));
    }
    let min = parsed.min_version.as_ref().and_then(|l| {
        errors
            .check(checks::semver(l, "min_version"))
            .map(|v| (l, v))
    });
    let max = parsed.max_version.as_ref().and_then(|l| {
        errors
            .check(checks::semver(l, "max_version"))
            .map(|v| (l, v))
    });
    errors.check(checks::version_range(
        min.as_ref().map(|(l, v)| (*l, v)),
        max.as_ref().map(|(l, v)| (*l, v)),
    ));
    if let Some(literal) = &parsed.author_email {
        errors.check(checks::email(literal));
    }
    if let Some(literal) = &parsed.release_track {
        errors.check(checks::release_track(literal));
    }
    check_settings_listed_once(&parsed, &mut errors);
    errors.finish()?;
    // A missing or invalid name was pushed to `errors` above, so `name` is set here.
    let Some(name) = name else {
        return Err(syn::Error::new(
            proc_macro2::Span::call_site(),
            "plugin name missing",
        ));
    };

    Ok(generate(&parsed, &item, &name, base_url))
}

fn unit_struct(item: Item) -> syn::Result<ItemStruct> {
    const HINT: &str = "#[netbox_plugin] goes on a unit struct, e.g. `pub struct MyPlugin;`: the plugin is a static value, its state belongs in settings or the database";
    match item {
        Item::Struct(item) => {
            if !item.generics.params.is_empty() {
                return Err(syn::Error::new_spanned(
                    &item.generics,
                    format!("a plugin struct cannot be generic: {HINT}"),
                ));
            }
            match &item.fields {
                Fields::Unit => Ok(item),
                fields => Err(syn::Error::new_spanned(
                    fields,
                    format!("a plugin struct cannot have fields: {HINT}"),
                )),
            }
        }
        Item::Enum(item) => Err(syn::Error::new_spanned(item.enum_token, HINT)),
        Item::Fn(item) => Err(syn::Error::new_spanned(item.sig.fn_token, HINT)),
        other => Err(syn::Error::new(other.span(), HINT)),
    }
}

fn check_settings_listed_once(parsed: &PluginArgs, errors: &mut Errors) {
    let mut secret: Vec<String> = Vec::new();
    for literal in &parsed.secret_settings {
        let key = literal.value();
        if secret.contains(&key) {
            errors.push(syn::Error::new_spanned(
                literal,
                format!(
                    "setting `{key}` is listed twice in secret_settings: list each setting once"
                ),
            ));
        }
        secret.push(key);
    }
    let mut seen: Vec<String> = Vec::new();
    for literal in &parsed.required_settings {
        let key = literal.value();
        if seen.contains(&key) {
            errors.push(syn::Error::new_spanned(
                literal,
                format!(
                    "setting `{key}` is listed twice in required_settings: list each setting once"
                ),
            ));
        }
        seen.push(key);
    }
    let mut defaults: Vec<String> = Vec::new();
    for (ident, _) in &parsed.default_settings {
        let key = ident.to_string();
        let message = if defaults.contains(&key) {
            Some(format!(
                "setting `{key}` is listed twice in default_settings: give one default"
            ))
        } else if seen.contains(&key) {
            Some(format!(
                "setting `{key}` is listed twice: both required and with a default; a required setting has no default, so keep it in one list"
            ))
        } else {
            None
        };
        if let Some(message) = message {
            errors.push(syn::Error::new_spanned(ident, message));
        }
        defaults.push(key);
    }
}

pub fn framework_path() -> TokenStream {
    use proc_macro_crate::{FoundCrate, crate_name};
    match crate_name("netbox-framework") {
        Ok(FoundCrate::Name(name)) => {
            let ident = syn::Ident::new(&name, proc_macro2::Span::call_site());
            quote!(::#ident)
        }
        // `Itself` happens in the framework's own doctests, which use it as an extern crate.
        Ok(FoundCrate::Itself) | Err(_) => quote!(::netbox_framework),
    }
}

fn optional(literal: &Option<LitStr>) -> TokenStream {
    match literal {
        Some(literal) => quote!(::core::option::Option::Some(#literal)),
        None => quote!(::core::option::Option::None),
    }
}

fn generate(
    parsed: &PluginArgs,
    item: &ItemStruct,
    name: &str,
    base_url: Option<String>,
) -> TokenStream {
    let krate = framework_path();
    let private = quote!(#krate::__private);
    let cargo = CargoDefaults::from_env();
    let text = |literal: &Option<LitStr>, default: String| {
        literal.as_ref().map(LitStr::value).unwrap_or(default)
    };

    let verbose_name = text(&parsed.verbose_name, checks::default_verbose_name(name));
    let version = text(&parsed.version, cargo.version);
    let description = text(&parsed.description, cargo.description);
    let author = text(&parsed.author, cargo.author);
    let author_email = text(&parsed.author_email, cargo.author_email);
    let base_url = base_url.unwrap_or_else(|| checks::default_base_url(name));
    let min_version = optional(&parsed.min_version);
    let max_version = optional(&parsed.max_version);
    let release_track = optional(&parsed.release_track);
    let required = &parsed.required_settings;
    let secret = &parsed.secret_settings;
    let defaults = parsed.default_settings.iter().map(|(key, value)| {
        let key = key.to_string();
        let value = match value {
            DefaultValue::Bool(v) => quote!(#private::DefaultSetting::Bool(#v)),
            DefaultValue::Integer(v) => quote!(#private::DefaultSetting::Integer(#v)),
            DefaultValue::Float(v) => quote!(#private::DefaultSetting::Float(#v)),
            DefaultValue::Str(v) => quote!(#private::DefaultSetting::String(#v)),
        };
        quote!((#key, #value))
    });
    let settings = match &parsed.settings {
        Some(ty) => quote_spanned! {ty.span()=>
            ::core::option::Option::Some(#private::SettingsSchema {
                type_name: ::core::stringify!(#ty),
                parse: #private::parse_settings::<#ty>,
            })
        },
        None => quote!(::core::option::Option::None),
    };
    let ident = &item.ident;
    let settings_type = match &parsed.settings {
        Some(ty) => quote_spanned!(ty.span()=> #ty),
        None => quote!(#private::TomlTable),
    };
    let declared = quote! {
        impl #private::HasSettings for #ident {
            const NAME: &'static str = #name;
            type Settings = #settings_type;
        }
    };
    let plugin = quote_spanned!(ident.span()=> &#ident);

    quote! {
        #item

        const _: () = {
            #private::inventory::submit! {
                #private::PluginDescriptor {
                    metadata: #private::PluginMetadata {
                        name: #name,
                        verbose_name: #verbose_name,
                        version: #version,
                        description: #description,
                        author: #author,
                        author_email: #author_email,
                        base_url: #base_url,
                        min_version: #min_version,
                        max_version: #max_version,
                        release_track: #release_track,
                        required_settings: &[#(#required),*],
                        secret_settings: &[#(#secret),*],
                        default_settings: &[#(#defaults),*],
                    },
                    package: ::core::env!("CARGO_PKG_NAME"),
                    source_dir: ::core::env!("CARGO_MANIFEST_DIR"),
                    type_path: ::core::concat!(::core::module_path!(), "::", ::core::stringify!(#ident)),
                    plugin: #plugin,
                    settings: #settings,
                }
            }
            #declared
        };
    }
}

//! Expansion of `#[derive(Choices)]`: an enum of unit variants becomes a choice set (value,
//! label, colour per variant) usable as a model field's type.

use crate::expand::framework_path;
use crate::model::Errors;
use crate::naming;
use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, LitStr};

/// Colours a choice may have: the badge colours of the host's pages (NetBox's).
pub const COLORS: &[&str] = &[
    "blue", "indigo", "purple", "pink", "red", "orange", "yellow", "green", "teal", "cyan", "gray",
    "black", "white",
];

#[derive(Default)]
struct ChoiceArgs {
    value: Option<LitStr>,
    label: Option<LitStr>,
    color: Option<LitStr>,
}

fn parse(attrs: &[syn::Attribute], errors: &mut Errors) -> ChoiceArgs {
    let mut args = ChoiceArgs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("choice")) {
        let result = attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            let slot = match key.as_str() {
                "value" => &mut args.value,
                "label" => &mut args.label,
                "color" => &mut args.color,
                _ => {
                    return Err(meta.error(format!(
                        "unknown key `{key}` in #[choice]: expected value, label or color"
                    )));
                }
            };
            if slot.is_some() {
                return Err(meta.error(format!("duplicate key `{key}` in #[choice]")));
            }
            *slot = Some(meta.value()?.parse()?);
            Ok(())
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
    args
}

/// Expands `#[derive(Choices)]` on `input`.
pub fn expand(input: TokenStream) -> syn::Result<TokenStream> {
    let input: DeriveInput = syn::parse2(input)?;
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "#[derive(Choices)] goes on an enum of unit variants, one per choice",
        ));
    };
    let mut errors = Errors::default();
    if !input.generics.params.is_empty() {
        errors.at(&input.generics, "a choice set cannot be generic");
    }
    if data.variants.is_empty() {
        errors.at(&input.ident, "a choice set needs at least one choice");
    }
    let mut values: Vec<String> = Vec::new();
    let (mut idents, mut pairs, mut colors, mut colored) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            errors.at(&variant.ident, "a choice is a unit variant (no fields)");
        }
        let args = parse(&variant.attrs, &mut errors);
        let name = variant.ident.to_string();
        let value = args
            .value
            .as_ref()
            .map_or_else(|| naming::snake(&name), LitStr::value);
        let label = args
            .label
            .as_ref()
            .map_or_else(|| naming::verbose_name(&name), LitStr::value);
        if value.is_empty() || value.len() > 100 || value.chars().any(char::is_control) {
            errors.at(
                args.value
                    .as_ref()
                    .map_or(&variant.ident as &dyn quote::ToTokens, |v| v),
                "a choice's value is 1 to 100 characters, none of them control characters",
            );
        }
        if values.contains(&value) {
            errors.at(
                &variant.ident,
                format!("two choices have the value `{value}`"),
            );
        }
        if let Some(color) = &args.color
            && !COLORS.contains(&color.value().as_str())
        {
            errors.at(
                color,
                format!(
                    "unknown colour `{}`: expected one of {}",
                    color.value(),
                    COLORS.join(", ")
                ),
            );
        }
        colored.push(args.color.is_some());
        colors.push(args.color.as_ref().map(LitStr::value).unwrap_or_default());
        values.push(value.clone());
        pairs.push(quote!((#value, #label)));
        idents.push(variant.ident.clone());
    }
    if colored.iter().any(|c| *c) && !colored.iter().all(|c| *c) {
        errors.at(&input.ident, "give every choice a colour, or none");
    }
    errors.finish()?;
    let colors: Vec<String> = if colored.iter().all(|c| *c) {
        colors
    } else {
        Vec::new()
    };
    let krate = framework_path();
    let private = quote!(#krate::__private);
    let ident = &input.ident;
    Ok(quote! {
        #[automatically_derived]
        #[allow(dead_code)]
        impl #ident {
            /// The stored value.
            pub fn value(&self) -> &'static str {
                <Self as #private::Choices>::value(self)
            }

            /// The label shown to people.
            pub fn label(&self) -> &'static str {
                <Self as #private::Choices>::label(self)
            }
        }

        #[automatically_derived]
        impl #private::Choices for #ident {
            const CHOICES: &'static [(&'static str, &'static str)] = &[#(#pairs),*];
            const COLORS: &'static [&'static str] = &[#(#colors),*];

            fn value(&self) -> &'static str {
                match self { #(#ident::#idents => #values),* }
            }

            fn from_value(value: &str) -> ::core::option::Option<Self> {
                match value {
                    #(#values => ::core::option::Option::Some(#ident::#idents),)*
                    _ => ::core::option::Option::None,
                }
            }
        }

        #[automatically_derived]
        impl #private::FieldType for #ident {
            const KIND: #private::FieldKind = #private::FieldKind::Choice(<#ident as #private::Choices>::CHOICES);
            const COLORS: &'static [&'static str] = <#ident as #private::Choices>::COLORS;

            fn to_value(&self) -> #private::JsonValue {
                #private::JsonValue::String(::std::string::String::from(#private::Choices::value(self)))
            }

            fn from_value(value: &#private::JsonValue) -> ::core::result::Result<Self, ::std::string::String> {
                #private::choice_from_value(value)
            }
        }
    })
}

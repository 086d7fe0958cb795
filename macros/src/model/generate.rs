//! The code `#[derive(Model)]` generates for a checked struct.

use super::{ModelDef, ModelField, Shape};
use crate::expand::framework_path;
use crate::naming;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

fn option<T: quote::ToTokens>(value: Option<T>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

fn field(private: &TokenStream, field: &ModelField) -> TokenStream {
    let args = &field.args;
    let name = &field.name;
    let label = args
        .label
        .as_ref()
        .map_or_else(|| naming::field_label(name), syn::LitStr::value);
    let ty = &field.ty;
    let max_length = option(args.max_length.as_ref().map(|i| i.value as usize));
    let long = args.long.is_some();
    let slug = args.slug.is_some();
    let min = option(args.min.as_ref().map(|i| i.value));
    let max = option(args.max.as_ref().map(|i| i.value));
    let digits = |int: &Option<super::attrs::Int>| {
        option(int.as_ref().map(|i| u32::try_from(i.value).unwrap_or(0)))
    };
    let max_digits = digits(&args.max_digits);
    let decimal_places = digits(&args.decimal_places);
    // Spanned on the type, so that a type that is no field type, or attributes that do not
    // fit it, are reported there.
    let kind = quote_spanned! {ty.span()=>
        #private::adjust_kind(<#ty as #private::FieldType>::KIND, #private::FieldAttributes {
            max_length: #max_length,
            long: #long,
            slug: #slug,
            min: #min,
            max: #max,
            max_digits: #max_digits,
            decimal_places: #decimal_places,
        })
    };
    let mut tokens = quote_spanned! {ty.span()=>
        #private::Field::new(#name, #label, #kind).required_if(!<#ty as #private::FieldType>::OPTIONAL)
    };
    if args.unique.is_some() {
        tokens.extend(quote!(.unique()));
    }
    if args.index.is_some() {
        tokens.extend(quote!(.indexed()));
    }
    if let Some((text, _)) = &args.default {
        tokens.extend(quote!(.default(#text)));
    }
    tokens.extend(quote_spanned! {ty.span()=>
        .colors(<#ty as #private::FieldType>::COLORS)
        .or_default(if <#ty as #private::FieldType>::OPTIONAL { ::core::option::Option::None } else { <#ty as #private::FieldType>::IMPLICIT_DEFAULT })
    });
    if let Some(help) = &args.help {
        tokens.extend(quote!(.help(#help)));
    }
    if let Some(on_delete) = &args.on_delete {
        let variant = match on_delete.value().as_str() {
            "cascade" => quote!(Cascade),
            "set_null" => quote!(SetNull),
            _ => quote!(Protect),
        };
        tokens.extend(quote!(.on_delete(#private::OnDelete::#variant)));
    }
    tokens
}

/// The column of field `name` (`<name>_id` for a foreign key), quoted.
fn column(def: &ModelDef, name: &str) -> String {
    let is_key = def
        .fields
        .iter()
        .any(|f| f.name == name && f.shape == Shape::ForeignKey);
    if is_key {
        format!("\"{name}_id\"")
    } else {
        format!("\"{name}\"")
    }
}

pub fn generate(def: &ModelDef) -> TokenStream {
    let krate = framework_path();
    let private = quote!(#krate::__private);
    let ident = &def.ident;
    let (app, name, table) = (&def.app, &def.name, &def.table);
    let (verbose_name, verbose_name_plural) = (&def.verbose_name, &def.verbose_name_plural);
    let (url, api_url, display) = (&def.url, &def.api_url, &def.display);
    let key = format!("{app}.{name}");
    let fields = def.fields.iter().map(|f| field(&private, f));
    let search = def.args.search.iter();
    let unique_together = def
        .args
        .unique_together
        .iter()
        .map(|group| quote!(&[#(#group),*]));
    let ordering = def
        .args
        .ordering
        .iter()
        .map(|lit| {
            let term = lit.value();
            match term.strip_prefix('-') {
                Some(name) => format!("{} DESC", column(def, name)),
                None => column(def, &term),
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    // Spanned on each field's type, so that a type that is no field type is reported there.
    let to_values = def.fields.iter().map(|f| {
        let (member, name, ty) = (&f.ident, &f.name, &f.ty);
        quote_spanned! {ty.span()=>
            values.insert(::std::string::String::from(#name), <#ty as #private::FieldType>::to_value(&self.#member));
        }
    });
    // One pass over the values, moving each into its field's slot.
    let slots: Vec<syn::Ident> = def
        .fields
        .iter()
        .map(|f| quote::format_ident!("__slot_{}", f.ident))
        .collect();
    let names: Vec<&String> = def.fields.iter().map(|f| &f.name).collect();
    let from_owned = def.fields.iter().zip(&slots).map(|(f, slot)| {
        let (member, name, ty) = (&f.ident, &f.name, &f.ty);
        quote_spanned!(ty.span()=> #member: #private::field_from_owned::<#ty>(#slot, #name)?)
    });
    let from_values = def.fields.iter().map(|f| {
        let (member, name, ty) = (&f.ident, &f.name, &f.ty);
        quote_spanned!(ty.span()=> #member: #private::field_from_values::<#ty>(values, #name)?)
    });
    // `#[model(clean)]`: the struct's own `fn clean(&self) -> Result<(), ValidationErrors>`.
    let clean = match &def.args.clean {
        Some(path) => quote_spanned! {path.span()=>
            ::core::option::Option::Some(|values: &#private::JsonMap| {
                #private::clean_values::<#ident>(values, #ident::clean)
            })
        },
        None => quote!(::core::option::Option::None),
    };
    let columns = def.fields.iter().map(|f| {
        let (vis, name, ty) = (&f.vis, &f.name, &f.ty);
        let constant = syn::Ident::new(&name.to_uppercase(), f.ident.span());
        let column = if f.shape == Shape::ForeignKey {
            format!("{name}_id")
        } else {
            name.clone()
        };
        let doc = format!("The `{name}` field, for filters and orderings.");
        quote! {
            #[doc = #doc]
            #vis const #constant: #private::Col<#ident, #ty> = #private::Col::new(#name, #column);
        }
    });
    quote! {
        #[automatically_derived]
        #[allow(dead_code)]
        impl #ident {
            #(#columns)*
        }

        const _: () = {
            static SCHEMA: #private::ModelSchema = #private::ModelSchema {
                app: #app,
                name: #name,
                verbose_name: #verbose_name,
                verbose_name_plural: #verbose_name_plural,
                table: #table,
                url_segment: #url,
                api_url_segment: #api_url,
                fields: &[#(#fields),*],
                display_field: #display,
                search_fields: &[#(#search),*],
                unique_together: &[#(#unique_together),*],
                ordering: #ordering,
                clean: #clean,
            };

            #[automatically_derived]
            impl #private::Model for #ident {
                const KEY: &'static str = #key;
                const SCHEMA: &'static #private::ModelSchema = &SCHEMA;

                fn to_values(&self) -> #private::JsonMap {
                    let mut values = #private::JsonMap::new();
                    #(#to_values)*
                    values
                }

                fn from_values(values: &#private::JsonMap) -> ::core::result::Result<Self, #private::ValueError> {
                    ::core::result::Result::Ok(#ident { #(#from_values),* })
                }

                fn from_owned_values(values: #private::JsonMap) -> ::core::result::Result<Self, #private::ValueError> {
                    #(let mut #slots = #private::JsonValue::Null;)*
                    for (key, value) in values {
                        match key.as_str() {
                            #(#names => #slots = value,)*
                            _ => {}
                        }
                    }
                    ::core::result::Result::Ok(#ident { #(#from_owned),* })
                }
            }
        };
    }
}

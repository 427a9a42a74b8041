//! Derive macros for typed-torch models.
//!
//! `#[derive(Params)]` on a struct visits each field's parameters under the field's name, so a
//! struct model's names match the `state_dict` of the PyTorch module with the same attributes
//! (`conv1.weight`, `layers.0.bias`). Fields marked `#[params(skip)]` are ignored (hyper-parameters,
//! caches). Tuple structs use field positions (`0.weight`).
use proc_macro::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{parse_macro_input, Data, DeriveInput, Index};

/// Implements `typed_torch::nn::Params` for a struct: parameters are visited field by field, in
/// declaration order, prefixed by the field name; `set_train` reaches every field.
#[proc_macro_derive(Params, attributes(params))]
pub fn derive_params(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match params_impl(&input) {
        Ok(tokens) => tokens.into(),
        Err(err) => err.to_compile_error().into(),
    }
}

fn is_skipped(field: &syn::Field) -> syn::Result<bool> {
    let mut skip = false;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("params")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("skip") {
                skip = true;
                Ok(())
            } else {
                Err(meta.error("expected `#[params(skip)]`"))
            }
        })?;
    }
    Ok(skip)
}

fn params_impl(input: &DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "#[derive(Params)] works on structs; give each layer a named field",
        ));
    };
    let mut names = Vec::new();
    let mut accessors = Vec::new();
    let mut spans = Vec::new();
    for (i, f) in data.fields.iter().enumerate() {
        if is_skipped(f)? {
            continue;
        }
        match &f.ident {
            Some(ident) => {
                names.push(ident.to_string().trim_start_matches("r#").to_string());
                accessors.push(quote!(#ident));
            }
            None => {
                let index = Index::from(i);
                names.push(i.to_string());
                accessors.push(quote!(#index));
            }
        }
        // Errors about a field (e.g. it does not implement `Params`) point at its type.
        spans.push(f.ty.span());
    }
    let visits = accessors.iter().zip(&names).zip(&spans).map(|((a, n), sp)| {
        quote_spanned!(*sp=> ::typed_torch::nn::Params::visit(&self.#a, &::typed_torch::nn::__join_name(__prefix, #n), __f);)
    });
    let visits_mut = accessors.iter().zip(&names).zip(&spans).map(|((a, n), sp)| {
        quote_spanned!(*sp=> ::typed_torch::nn::Params::visit_mut(&mut self.#a, &::typed_torch::nn::__join_name(__prefix, #n), __f);)
    });
    let buffers = accessors.iter().zip(&names).zip(&spans).map(|((a, n), sp)| {
        quote_spanned!(*sp=> ::typed_torch::nn::Params::visit_buffers(&self.#a, &::typed_torch::nn::__join_name(__prefix, #n), __f);)
    });
    let buffers_mut = accessors.iter().zip(&names).zip(&spans).map(|((a, n), sp)| {
        quote_spanned!(*sp=> ::typed_torch::nn::Params::visit_buffers_mut(&mut self.#a, &::typed_torch::nn::__join_name(__prefix, #n), __f);)
    });
    let trains = accessors.iter().zip(&spans).map(
        |(a, sp)| quote_spanned!(*sp=> ::typed_torch::nn::Params::set_train(&mut self.#a, train);),
    );
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    Ok(quote! {
        impl #impl_generics ::typed_torch::nn::Params for #name #ty_generics #where_clause {
            fn visit(&self, __prefix: &str, __f: &mut dyn FnMut(&str, &::typed_torch::tch::Tensor)) {
                #(#visits)*
            }
            fn visit_mut(&mut self, __prefix: &str, __f: &mut dyn FnMut(&str, &mut ::typed_torch::tch::Tensor)) {
                #(#visits_mut)*
            }
            fn set_train(&mut self, train: bool) {
                #(#trains)*
            }
            fn visit_buffers(&self, __prefix: &str, __f: &mut dyn FnMut(&str, &::typed_torch::tch::Tensor)) {
                #(#buffers)*
            }
            fn visit_buffers_mut(&mut self, __prefix: &str, __f: &mut dyn FnMut(&str, &mut ::typed_torch::tch::Tensor)) {
                #(#buffers_mut)*
            }
        }
    })
}

/// Implements `typed_torch::nn::StaticParamCount` for a struct: `PARAM_COUNT` is the sum of its
/// fields' counts (fields marked `#[params(skip)]` are left out), a `const` of the struct's type.
/// A field without a count known at compile time (a `Vec` of layers) is reported at that field;
/// fields whose types involve the struct's type parameters are required to have one in the impl's
/// bounds.
#[proc_macro_derive(StaticParamCount, attributes(params))]
pub fn derive_static_param_count(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match static_param_count_impl(&input) {
        Ok(tokens) => tokens.into(),
        Err(err) => err.to_compile_error().into(),
    }
}

/// Whether `tokens` name one of `params` (a field type that involves a type parameter).
fn mentions(tokens: proc_macro2::TokenStream, params: &[syn::Ident]) -> bool {
    tokens.into_iter().any(|t| match t {
        proc_macro2::TokenTree::Ident(i) => params.contains(&i),
        proc_macro2::TokenTree::Group(g) => mentions(g.stream(), params),
        _ => false,
    })
}

fn static_param_count_impl(input: &DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "#[derive(StaticParamCount)] works on structs",
        ));
    };
    let type_params: Vec<syn::Ident> = input
        .generics
        .type_params()
        .map(|p| p.ident.clone())
        .collect();
    let mut terms = Vec::new();
    let mut bounds = Vec::new();
    for f in &data.fields {
        if is_skipped(f)? {
            continue;
        }
        let ty = &f.ty;
        // Errors about a field (e.g. a `Vec` has no static count) point at its type.
        terms.push(
            quote_spanned!(ty.span()=> <#ty as ::typed_torch::nn::StaticParamCount>::PARAM_COUNT),
        );
        if mentions(quote!(#ty), &type_params) {
            bounds.push(quote_spanned!(ty.span()=> #ty: ::typed_torch::nn::StaticParamCount));
        }
    }
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let mut predicates: Vec<proc_macro2::TokenStream> = where_clause
        .map(|w| w.predicates.iter().map(|p| quote!(#p)).collect())
        .unwrap_or_default();
    predicates.extend(bounds);
    Ok(quote! {
        impl #impl_generics ::typed_torch::nn::StaticParamCount for #name #ty_generics
        where #(#predicates),*
        {
            const PARAM_COUNT: usize = 0 #(+ #terms)*;
        }
    })
}

/// Implements `typed_torch::nn::ToDevice` for a struct with a type parameter named `Dev`: the
/// result is the same struct with `Dev` replaced by the target device, each field moved with its
/// own `to_device` (fields marked `#[params(skip)]` are cloned).
#[proc_macro_derive(ToDevice, attributes(params))]
pub fn derive_to_device(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    conversion_impl(&input, Conversion::Device)
        .unwrap_or_else(|e| e.to_compile_error())
        .into()
}

/// Implements `typed_torch::nn::ToKind` for a struct with a type parameter named `E`: the result is
/// the same struct with `E` replaced by the target float type.
#[proc_macro_derive(ToKind, attributes(params))]
pub fn derive_to_kind(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    conversion_impl(&input, Conversion::Kind)
        .unwrap_or_else(|e| e.to_compile_error())
        .into()
}

#[derive(Clone, Copy)]
enum Conversion {
    Device,
    Kind,
}

fn conversion_impl(input: &DeriveInput, conv: Conversion) -> syn::Result<proc_macro2::TokenStream> {
    let (param, trait_name) = match conv {
        Conversion::Device => ("Dev", "ToDevice"),
        Conversion::Kind => ("E", "ToKind"),
    };
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            format!("#[derive({trait_name})] works on structs"),
        ));
    };
    if !input.generics.type_params().any(|p| p.ident == param) {
        return Err(syn::Error::new_spanned(
            &input.ident,
            format!("#[derive({trait_name})] needs a type parameter named `{param}` to replace, e.g. `struct Net<{param}> {{ ... }}`"),
        ));
    }
    let name = &input.ident;
    let target = format_ident!("__Target");
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    // The same struct with `param` replaced by the target.
    let new_args = input.generics.params.iter().map(|p| match p {
        syn::GenericParam::Type(t) if t.ident == param => quote!(#target),
        syn::GenericParam::Type(t) => {
            let i = &t.ident;
            quote!(#i)
        }
        syn::GenericParam::Const(c) => {
            let i = &c.ident;
            quote!(#i)
        }
        syn::GenericParam::Lifetime(l) => {
            let l = &l.lifetime;
            quote!(#l)
        }
    });
    let output = quote!(#name<#(#new_args),*>);
    let path = match conv {
        Conversion::Device => quote!(::typed_torch::nn::ToDevice),
        Conversion::Kind => quote!(::typed_torch::nn::ToKind),
    };
    let mut inits = Vec::new();
    for (i, f) in data.fields.iter().enumerate() {
        let access = match &f.ident {
            Some(id) => quote!(#id),
            None => {
                let index = Index::from(i);
                quote!(#index)
            }
        };
        let value = match (is_skipped(f)?, conv) {
            (true, _) => quote!(::core::clone::Clone::clone(&self.#access)),
            (false, Conversion::Device) => quote!(#path::to_device::<#target>(&self.#access)?),
            (false, Conversion::Kind) => quote!(#path::to_kind::<#target>(&self.#access)),
        };
        inits.push(quote!(#access: #value));
    }
    Ok(match conv {
        Conversion::Device => quote! {
            impl #impl_generics #path for #name #ty_generics #where_clause {
                type On<#target: ::typed_torch::Device> = #output;
                fn to_device<#target: ::typed_torch::Device>(&self) -> ::typed_torch::Result<Self::On<#target>> {
                    ::core::result::Result::Ok(#name { #(#inits),* })
                }
            }
        },
        Conversion::Kind => quote! {
            impl #impl_generics #path for #name #ty_generics #where_clause {
                type As<#target: ::typed_torch::Float> = #output;
                fn to_kind<#target: ::typed_torch::Float>(&self) -> Self::As<#target> {
                    #name { #(#inits),* }
                }
            }
        },
    })
}

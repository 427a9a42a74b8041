//! Derive macros for typed-torch models.
//!
//! `#[derive(Params)]` on a struct visits each field's parameters under the field's name, so a
//! struct model's names match the `state_dict` of the PyTorch module with the same attributes
//! (`conv1.weight`, `layers.0.bias`). Fields marked `#[params(skip)]` are ignored (hyper-parameters,
//! caches). Tuple structs use field positions (`0.weight`).
use proc_macro::TokenStream;
use quote::{format_ident, quote};
use syn::{parse_macro_input, Data, DeriveInput, Fields, Index};

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
    match &data.fields {
        Fields::Named(fields) => {
            for f in &fields.named {
                if !is_skipped(f)? {
                    let ident = f.ident.clone().expect("named field");
                    names.push(ident.to_string().trim_start_matches("r#").to_string());
                    accessors.push(quote!(#ident));
                }
            }
        }
        Fields::Unnamed(fields) => {
            for (i, f) in fields.unnamed.iter().enumerate() {
                if !is_skipped(f)? {
                    let index = Index::from(i);
                    names.push(i.to_string());
                    accessors.push(quote!(#index));
                }
            }
        }
        Fields::Unit => {}
    }
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let f = format_ident!("__f");
    let prefix = format_ident!("__prefix");
    Ok(quote! {
        impl #impl_generics ::typed_torch::nn::Params for #name #ty_generics #where_clause {
            fn visit(&self, #prefix: &str, #f: &mut dyn FnMut(&str, &::typed_torch::tch::Tensor)) {
                #( ::typed_torch::nn::Params::visit(&self.#accessors, &::typed_torch::nn::__join_name(#prefix, #names), #f); )*
            }
            fn visit_mut(&mut self, #prefix: &str, #f: &mut dyn FnMut(&str, &mut ::typed_torch::tch::Tensor)) {
                #( ::typed_torch::nn::Params::visit_mut(&mut self.#accessors, &::typed_torch::nn::__join_name(#prefix, #names), #f); )*
            }
            fn set_train(&mut self, train: bool) {
                #( ::typed_torch::nn::Params::set_train(&mut self.#accessors, train); )*
            }
        }
    })
}

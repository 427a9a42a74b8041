//! `#[derive(Module)]` for typed-torch: one derive makes a struct a model.
//!
//! It implements, from the struct's fields in declaration order:
//!
//! * `Params`: parameters and buffers visited under the field names, so the names match the
//!   `state_dict` of the PyTorch module with the same attributes (`conv1.weight`,
//!   `layers.0.bias`); tuple structs use positions (`0.weight`); `set_train` reaches every field;
//! * `StaticParamCount`: the sum of the fields' counts, a `const` of the type (left out when a
//!   field is a `Vec` or an `Option`, whose length or presence is a run-time fact);
//! * `ToDevice` when the struct has a type parameter named `Dev`, `ToKind` when it has one named
//!   `E` (or when it holds modules of a generic type, below): the same struct on another device or
//!   dtype. A field whose type names neither (nor a module parameter), such as `act: ReLU`, is
//!   kept as it is, which needs it to be free of tensors (`DeviceIndependent`, `DtypeIndependent`,
//!   implemented for derived structs without tensors); a field like `embed: Embedding<128, 64>`
//!   (f32 on the CPU by its type) leaves the struct without that conversion, and asking for it
//!   names the field's type;
//! * `Init`: every field created by its own `Init` on the struct's device (skipped fields by
//!   `Default`, train flags `true`);
//! * `Differentiable` when the struct is `Clone`: `functional::grad` with respect to the model
//!   gives a model holding each parameter's gradient;
//! * `Summary`: with `#[module(sequential)]` one row per field, otherwise one row for the struct;
//! * with `#[module(sequential)]`, `Module`: the fields run in declaration order.
//!
//! Field attributes: `#[module(skip)]` (not a module: a hyper-parameter, a cache), `#[module(buffer)]`
//! (a tensor saved but not trained), `#[module(train)]` (the `bool` that `set_train` sets),
//! `#[module(transparent)]` (its tensors are named without this field's name),
//! `#[module(rename = "0")]`. Struct attributes: `#[module(sequential)]`, `#[module(manual_init)]`
//! (the struct implements `Init` itself).
//!
//! A type parameter that is a whole field's type (`inner: M`, `blocks: [M; N]`, `Vec<M>`,
//! `Option<M>`) is a module of generic type: the impls require it to implement each trait, and
//! the conversions map it (`Residual<M>` on `Cuda<0>` is `Residual<M::On<Cuda<0>>>`).
use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{parse_macro_input, Data, DeriveInput, Fields, Ident, Index, Type};

/// Implements `Params`, `StaticParamCount`, `ToDevice`, `ToKind`, `Init` and `Summary` (and, with
/// `#[module(sequential)]`, `Module`) for a struct; see the crate docs.
#[proc_macro_derive(Module, attributes(module))]
pub fn derive_module(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match expand(&input) {
        Ok(tokens) => tokens.into(),
        Err(err) => err.to_compile_error().into(),
    }
}

/// What a field is to the model.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A module or a parameter tensor: visited, converted, counted, created.
    Module,
    /// A tensor saved with the model but not trained.
    Buffer,
    /// The `bool` train flag.
    TrainFlag,
    /// Not part of the model: cloned on conversion, `Default` on creation.
    Skip,
}

struct Field {
    access: Tokens,
    /// The `state_dict` segment; `None` for a transparent field.
    segment: Option<String>,
    ty: Type,
    role: Role,
}

#[derive(Default)]
struct StructOptions {
    sequential: bool,
    manual_init: bool,
}

fn struct_options(input: &DeriveInput) -> syn::Result<StructOptions> {
    let mut options = StructOptions::default();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("module")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("sequential") {
                options.sequential = true;
            } else if meta.path.is_ident("manual_init") {
                options.manual_init = true;
            } else {
                return Err(meta.error(
                    "unknown struct option: expected `#[module(sequential)]` or `#[module(manual_init)]`",
                ));
            }
            Ok(())
        })?;
    }
    Ok(options)
}

fn field_role(field: &syn::Field, default_segment: String) -> syn::Result<(Role, Option<String>)> {
    let mut role = Role::Module;
    let mut segment = Some(default_segment);
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("module")) {
        attr.parse_nested_meta(|meta| {
            let set = |r: Role, role: &mut Role| {
                if *role != Role::Module {
                    return Err(meta.error("a field takes one of `skip`, `buffer`, `train`"));
                }
                *role = r;
                Ok(())
            };
            if meta.path.is_ident("skip") {
                set(Role::Skip, &mut role)
            } else if meta.path.is_ident("buffer") {
                set(Role::Buffer, &mut role)
            } else if meta.path.is_ident("train") {
                set(Role::TrainFlag, &mut role)
            } else if meta.path.is_ident("transparent") {
                segment = None;
                Ok(())
            } else if meta.path.is_ident("rename") {
                let name: syn::LitStr = meta.value()?.parse()?;
                segment = Some(name.value());
                Ok(())
            } else {
                Err(meta.error(
                    "unknown field option: expected `skip`, `buffer`, `train`, `transparent` or `rename = \"...\"`",
                ))
            }
        })?;
    }
    Ok((role, segment))
}

fn fields(input: &DeriveInput) -> syn::Result<Vec<Field>> {
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "#[derive(Module)] works on structs: give each layer a field",
        ));
    };
    let mut out = Vec::new();
    let list: Vec<&syn::Field> = match &data.fields {
        Fields::Named(f) => f.named.iter().collect(),
        Fields::Unnamed(f) => f.unnamed.iter().collect(),
        Fields::Unit => Vec::new(),
    };
    for (i, f) in list.into_iter().enumerate() {
        let (access, name) = match &f.ident {
            Some(ident) => (
                quote!(#ident),
                ident.to_string().trim_start_matches("r#").to_string(),
            ),
            None => {
                let index = Index::from(i);
                (quote!(#index), i.to_string())
            }
        };
        let (role, segment) = field_role(f, name)?;
        out.push(Field {
            access,
            segment,
            ty: f.ty.clone(),
            role,
        });
    }
    Ok(out)
}

/// Whether `tokens` name `ident`.
fn mentions(tokens: Tokens, ident: &Ident) -> bool {
    tokens.into_iter().any(|t| match t {
        proc_macro2::TokenTree::Ident(i) => &i == ident,
        proc_macro2::TokenTree::Group(g) => mentions(g.stream(), ident),
        _ => false,
    })
}

/// The last path segment's name and its first type argument: `Vec<M>` -> ("Vec", Some(M)).
fn outer(ty: &Type) -> Option<(String, Option<&Type>)> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    let arg = match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    };
    Some((last.ident.to_string(), arg))
}

fn is_param(ty: &Type, ident: &Ident) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.is_ident(ident))
}

/// Type parameters held as whole modules: `M`, `[M; N]`, `Vec<M>`, `Option<M>`, `Box<M>`.
fn module_params(input: &DeriveInput, fields: &[Field]) -> Vec<Ident> {
    input
        .generics
        .type_params()
        .map(|p| p.ident.clone())
        .filter(|ident| {
            fields.iter().filter(|f| f.role == Role::Module).any(|f| {
                let ty = &f.ty;
                is_param(ty, ident)
                    || matches!(ty, Type::Array(a) if is_param(&a.elem, ident))
                    || matches!(outer(ty), Some((name, Some(arg)))
                        if ["Vec", "Option", "Box"].contains(&name.as_str()) && is_param(arg, ident))
            })
        })
        .collect()
}

/// A field whose presence or length is known only at run time (no static parameter count).
fn is_runtime_sized(ty: &Type) -> bool {
    matches!(outer(ty), Some((name, _)) if name == "Vec" || name == "Option")
}

struct Ctx<'a> {
    input: &'a DeriveInput,
    fields: Vec<Field>,
    module_params: Vec<Ident>,
    tt: Tokens,
}

impl Ctx<'_> {
    /// `Ty: bound` for every skipped field whose type involves a type parameter (it is cloned on
    /// conversion, defaulted on creation).
    fn skipped_bounds(&self, bound: &Tokens) -> Vec<Tokens> {
        let params: Vec<&Ident> = self
            .input
            .generics
            .type_params()
            .map(|p| &p.ident)
            .collect();
        self.fields
            .iter()
            .filter(|f| f.role == Role::Skip)
            .filter(|f| params.iter().any(|p| mentions(f.ty.to_token_stream(), p)))
            .map(|f| {
                let ty = &f.ty;
                quote!(#ty: #bound)
            })
            .collect()
    }

    /// The struct's where-clause predicates plus `P: bound` for every module parameter.
    fn predicates(&self, bound: &Tokens) -> Vec<Tokens> {
        let mut preds: Vec<Tokens> = self
            .input
            .generics
            .where_clause
            .as_ref()
            .map(|w| w.predicates.iter().map(|p| quote!(#p)).collect())
            .unwrap_or_default();
        preds.extend(self.module_params.iter().map(|p| quote!(#p: #bound)));
        preds
    }

    fn modules(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| f.role == Role::Module)
    }
}

fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    let options = struct_options(input)?;
    let fields = fields(input)?;
    let module_params = module_params(input, &fields);
    let ctx = Ctx {
        input,
        fields,
        module_params,
        tt: quote!(::typed_torch),
    };
    let mut out = params(&ctx);
    if !ctx.modules().any(|f| is_runtime_sized(&f.ty)) {
        out.extend(static_param_count(&ctx));
    }
    for conversion in [Conversion::Device, Conversion::Kind] {
        if let Some(tokens) = conversion_impl(&ctx, conversion) {
            out.extend(tokens);
        }
    }
    out.extend(independent_impls(&ctx));
    out.extend(differentiable(&ctx));
    if !options.manual_init {
        out.extend(init(&ctx));
    }
    if options.sequential {
        out.extend(sequential(&ctx)?);
    } else {
        out.extend(one_row_summary(&ctx));
    }
    Ok(out)
}

/// `path.push(segment); <body>; path.pop();`, or the body alone for a transparent field.
fn scoped(segment: &Option<String>, body: Tokens) -> Tokens {
    match segment {
        Some(s) => quote! { __path.push(#s); #body __path.pop(); },
        None => body,
    }
}

fn params(ctx: &Ctx) -> Tokens {
    let tt = &ctx.tt;
    let mut visits = Vec::new();
    let mut visits_mut = Vec::new();
    for f in &ctx.fields {
        let (a, sp) = (&f.access, f.ty.span());
        let (visit, visit_mut) = match f.role {
            // Errors about a field (it does not implement `Params`) point at its type.
            Role::Module => (
                quote_spanned!(sp=> #tt::nn::Params::visit(&self.#a, __path, __v);),
                quote_spanned!(sp=> #tt::nn::Params::visit_mut(&mut self.#a, __path, __v);),
            ),
            Role::Buffer => (
                quote_spanned!(sp=> __v.buffer(__path.as_str(), &self.#a);),
                quote_spanned!(sp=> __v.buffer(__path.as_str(), &mut self.#a);),
            ),
            Role::TrainFlag => {
                visits_mut.push(quote_spanned!(sp=> __v.train_flag(&mut self.#a);));
                continue;
            }
            Role::Skip => continue,
        };
        visits.push(scoped(&f.segment, visit));
        visits_mut.push(scoped(&f.segment, visit_mut));
    }
    let name = &ctx.input.ident;
    let (impl_generics, ty_generics, _) = ctx.input.generics.split_for_impl();
    let preds = ctx.predicates(&quote!(#tt::nn::Params));
    quote! {
        impl #impl_generics #tt::nn::Params for #name #ty_generics where #(#preds,)* {
            #[allow(unused_variables)]
            fn visit<__V: #tt::nn::Visitor>(&self, __path: &mut #tt::nn::Path, __v: &mut __V) {
                #(#visits)*
            }
            #[allow(unused_variables)]
            fn visit_mut<__V: #tt::nn::VisitorMut>(&mut self, __path: &mut #tt::nn::Path, __v: &mut __V) {
                #(#visits_mut)*
            }
        }
    }
}

/// `Differentiable`: a model's gradient is a model (its parameters traced and replaced, the rest
/// kept). Only for a `Clone` struct: the bound is higher-ranked so that a struct that is not
/// `Clone` simply lacks the impl, rather than failing to compile.
fn differentiable(ctx: &Ctx) -> Tokens {
    let tt = &ctx.tt;
    let name = &ctx.input.ident;
    let (impl_generics, ty_generics, _) = ctx.input.generics.split_for_impl();
    let preds = ctx.predicates(&quote!(#tt::nn::Params));
    quote! {
        impl #impl_generics #tt::functional::Differentiable for #name #ty_generics
        where #(#preds,)* for<'__d> Self: ::core::clone::Clone + #tt::nn::Params
        {
            type Traced = Self;
            fn trace(&self, __inputs: &mut #tt::functional::Inputs) -> Self {
                #tt::functional::trace_params(self, __inputs)
            }
            fn untraced(&self) -> Self {
                ::core::clone::Clone::clone(self)
            }
            fn gradient_from(&self, __grads: &mut #tt::functional::Grads) -> Self {
                #tt::functional::params_gradient_from(self, __grads)
            }
        }
    }
}

fn static_param_count(ctx: &Ctx) -> Tokens {
    let tt = &ctx.tt;
    let terms = ctx.modules().map(|f| {
        let ty = &f.ty;
        // Errors about a field (e.g. a type alias of a `Vec`) point at its type.
        quote_spanned!(ty.span()=> <#ty as #tt::nn::StaticParamCount>::PARAM_COUNT)
    });
    let name = &ctx.input.ident;
    let (impl_generics, ty_generics, _) = ctx.input.generics.split_for_impl();
    let preds = ctx.predicates(&quote!(#tt::nn::StaticParamCount));
    quote! {
        impl #impl_generics #tt::nn::StaticParamCount for #name #ty_generics where #(#preds,)* {
            const PARAM_COUNT: usize = 0 #(+ #terms)*;
        }
    }
}

#[derive(Clone, Copy)]
enum Conversion {
    Device,
    Kind,
}

/// `ToDevice` (replacing `Dev`) or `ToKind` (replacing `E`), mapping module parameters; `None`
/// when the struct has neither, so the result would be the same type.
fn conversion_impl(ctx: &Ctx, conv: Conversion) -> Option<Tokens> {
    let tt = &ctx.tt;
    let (param, trait_path, assoc, method, target_bound) = match conv {
        Conversion::Device => (
            "Dev",
            quote!(#tt::nn::ToDevice),
            quote!(On),
            quote!(to_device),
            quote!(#tt::Device),
        ),
        Conversion::Kind => (
            "E",
            quote!(#tt::nn::ToKind),
            quote!(As),
            quote!(to_kind),
            quote!(#tt::Float),
        ),
    };
    let independent = independent_trait(ctx, conv);
    let param_ident = format_ident!("{param}");
    let generics = &ctx.input.generics;
    let replaced = generics.type_params().any(|p| p.ident == param);
    // Without the parameter to replace or modules to map, the result is the same type: right for
    // a layer without tensors (an activation), impossible for one with tensors of fixed type.
    let stateless = ctx
        .fields
        .iter()
        .all(|f| matches!(f.role, Role::Skip | Role::TrainFlag));
    if !replaced && ctx.module_params.is_empty() && !stateless {
        return Some(unconvertible(ctx, conv));
    }
    let target = format_ident!("__Target");
    let new_args = generics.params.iter().map(|p| match p {
        syn::GenericParam::Type(t) if t.ident == param => quote!(#target),
        syn::GenericParam::Type(t) if ctx.module_params.contains(&t.ident) => {
            let i = &t.ident;
            quote!(<#i as #trait_path>::#assoc<#target>)
        }
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
    let name = &ctx.input.ident;
    let output = quote!(#name<#(#new_args),*>);
    // A field whose type names neither the replaced parameter nor a module parameter keeps its
    // type in the result: it must be a layer without tensors (an activation), which is kept as it
    // is; one with tensors (an `Embedding<.., Cpu>` in a struct without `Dev`) leaves the struct
    // without this conversion, and the bound's message names the field's type.
    let fixed = |f: &Field| {
        matches!(f.role, Role::Module | Role::Buffer)
            && !mentions(f.ty.to_token_stream(), &param_ident)
            && !ctx
                .module_params
                .iter()
                .any(|p| mentions(f.ty.to_token_stream(), p))
    };
    let inits = ctx.fields.iter().map(|f| {
        let a = &f.access;
        let sp = f.ty.span();
        let value = match (f.role, conv) {
            (Role::Skip | Role::TrainFlag, _) => quote!(::core::clone::Clone::clone(&self.#a)),
            _ if fixed(f) => quote_spanned!(sp=> #independent::keep(&self.#a)),
            (_, Conversion::Device) => {
                quote_spanned!(sp=> #trait_path::to_device::<#target>(&self.#a)?)
            }
            (_, Conversion::Kind) => quote_spanned!(sp=> #trait_path::to_kind::<#target>(&self.#a)),
        };
        quote!(#a: #value)
    });
    let (impl_generics, ty_generics, _) = generics.split_for_impl();
    let mut preds = ctx.predicates(&trait_path);
    preds.extend(ctx.skipped_bounds(&quote!(::core::clone::Clone)));
    preds.extend(ctx.fields.iter().filter(|f| fixed(f)).map(|f| {
        let ty = &f.ty;
        // `for<'_>` keeps a bound on a concrete type that does not hold from being an error
        // where the struct is defined: the struct is fine, it only cannot be converted.
        quote_spanned!(ty.span()=> for<'__fixed> #ty: #independent)
    }));
    Some(match conv {
        Conversion::Device => quote! {
            impl #impl_generics #trait_path for #name #ty_generics where #(#preds,)* {
                type On<#target: #target_bound> = #output;
                fn #method<#target: #target_bound>(&self) -> #tt::Result<Self::On<#target>> {
                    <#target as #tt::Device>::check()?;
                    ::core::result::Result::Ok(#name { #(#inits),* })
                }
            }
        },
        Conversion::Kind => quote! {
            impl #impl_generics #trait_path for #name #ty_generics where #(#preds,)* {
                type As<#target: #target_bound> = #output;
                fn #method<#target: #target_bound>(&self) -> Self::As<#target> {
                    #name { #(#inits),* }
                }
            }
        },
    })
}

/// The trait of layers a conversion keeps as they are (no tensors of that device or dtype).
fn independent_trait(ctx: &Ctx, conv: Conversion) -> Tokens {
    let tt = &ctx.tt;
    match conv {
        Conversion::Device => quote!(#tt::nn::module::DeviceIndependent),
        Conversion::Kind => quote!(#tt::nn::module::DtypeIndependent),
    }
}

/// `DeviceIndependent` and `DtypeIndependent` for a struct without tensors (every field skipped
/// or the train flag): a model holding it at a fixed type still converts.
fn independent_impls(ctx: &Ctx) -> Tokens {
    let stateless = ctx
        .fields
        .iter()
        .all(|f| matches!(f.role, Role::Skip | Role::TrainFlag));
    if !stateless {
        return Tokens::new();
    }
    let name = &ctx.input.ident;
    let (impl_generics, ty_generics, _) = ctx.input.generics.split_for_impl();
    let mut preds = ctx.predicates(&quote!(::core::marker::Sized));
    preds.extend(ctx.skipped_bounds(&quote!(::core::clone::Clone)));
    let copies = ctx.fields.iter().map(|f| {
        let a = &f.access;
        quote!(#a: ::core::clone::Clone::clone(&self.#a))
    });
    let copies: Vec<Tokens> = copies.collect();
    [Conversion::Device, Conversion::Kind]
        .into_iter()
        .map(|conv| {
            let independent = independent_trait(ctx, conv);
            quote! {
                impl #impl_generics #independent for #name #ty_generics where #(#preds,)* {
                    fn keep(&self) -> Self {
                        #name { #(#copies),* }
                    }
                }
            }
        })
        .collect()
}

/// For a struct whose tensors have a fixed device (or dtype): an impl whose bound never holds and
/// whose error says how to make the struct convertible, rather than rustc's "no method named
/// `to_device`" (which even suggests the tensor op on a field).
fn unconvertible(ctx: &Ctx, conv: Conversion) -> Tokens {
    let tt = &ctx.tt;
    let name = &ctx.input.ident;
    let (impl_generics, ty_generics, _) = ctx.input.generics.split_for_impl();
    let mut preds = ctx.predicates(&quote!(::core::marker::Sized));
    match conv {
        Conversion::Device => {
            preds.push(quote!(for<'__never> Self: #tt::nn::module::HasDeviceParameter));
            quote! {
                impl #impl_generics #tt::nn::ToDevice for #name #ty_generics where #(#preds,)* {
                    type On<__Target: #tt::Device> = Self;
                    fn to_device<__Target: #tt::Device>(&self) -> #tt::Result<Self> {
                        ::core::unreachable!("the bound `HasDeviceParameter` has no impl")
                    }
                }
            }
        }
        Conversion::Kind => {
            preds.push(quote!(for<'__never> Self: #tt::nn::module::HasDtypeParameter));
            quote! {
                impl #impl_generics #tt::nn::ToKind for #name #ty_generics where #(#preds,)* {
                    type As<__Target: #tt::Float> = Self;
                    fn to_kind<__Target: #tt::Float>(&self) -> Self {
                        ::core::unreachable!("the bound `HasDtypeParameter` has no impl")
                    }
                }
            }
        }
    }
}

fn init(ctx: &Ctx) -> Tokens {
    let tt = &ctx.tt;
    let inits = ctx.fields.iter().map(|f| {
        let a = &f.access;
        let sp = f.ty.span();
        let value = match f.role {
            Role::Module => quote_spanned!(sp=> #tt::nn::Init::init()?),
            Role::Buffer => quote_spanned!(sp=> #tt::nn::init::buffer_zeros()?),
            Role::TrainFlag => quote!(true),
            Role::Skip => quote_spanned!(sp=> ::core::default::Default::default()),
        };
        quote!(#a: #value)
    });
    let name = &ctx.input.ident;
    let (impl_generics, ty_generics, _) = ctx.input.generics.split_for_impl();
    let mut preds = ctx.predicates(&quote!(#tt::nn::Init));
    preds.extend(ctx.skipped_bounds(&quote!(::core::default::Default)));
    // A field that cannot be created alone (a tensor with a `Dyn` dim) leaves the struct without
    // `Init` instead of failing the derive; `for<'a>` keeps a bound on a concrete type legal.
    preds.extend(ctx.modules().map(|f| {
        let ty = &f.ty;
        quote!(for<'__init> #ty: #tt::nn::Init)
    }));
    quote! {
        impl #impl_generics #tt::nn::Init for #name #ty_generics where #(#preds,)* {
            fn init() -> #tt::Result<Self> {
                ::core::result::Result::Ok(#name { #(#inits),* })
            }
        }
    }
}

/// Adds `__X` as the first generic parameter of an impl.
fn with_input(generics: &syn::Generics) -> syn::Generics {
    let mut g = generics.clone();
    g.params.insert(0, syn::parse_quote!(__X));
    g
}

fn one_row_summary(ctx: &Ctx) -> Tokens {
    let tt = &ctx.tt;
    let name = &ctx.input.ident;
    let g = with_input(&ctx.input.generics);
    let (impl_generics, _, _) = g.split_for_impl();
    let (_, ty_generics, _) = ctx.input.generics.split_for_impl();
    let mut preds = ctx.predicates(&quote!(#tt::nn::Params));
    preds.push(quote!(Self: #tt::nn::Module<__X>));
    preds.push(quote!(<Self as #tt::nn::Module<__X>>::Output: #tt::nn::DescribeType));
    quote! {
        impl #impl_generics #tt::nn::Summary<__X> for #name #ty_generics where #(#preds,)* {
            fn rows(&self, __prefix: &str, __rows: &mut ::std::vec::Vec<#tt::nn::SummaryRow>) {
                __rows.push(#tt::nn::SummaryRow::of::<Self, __X>(self, __prefix));
            }
        }
    }
}

/// `Module` and `Summary` for a struct whose fields run in declaration order.
fn sequential(ctx: &Ctx) -> syn::Result<Tokens> {
    let tt = &ctx.tt;
    let stages: Vec<&Field> = ctx.modules().collect();
    if stages.is_empty() {
        return Err(syn::Error::new_spanned(
            &ctx.input.ident,
            "#[module(sequential)] needs at least one module field",
        ));
    }
    let name = &ctx.input.ident;
    let g = with_input(&ctx.input.generics);
    let (impl_generics, _, _) = g.split_for_impl();
    let (_, ty_generics, _) = ctx.input.generics.split_for_impl();
    // The input type of each stage: `__X`, then the previous stage's output.
    let mut input = quote!(__X);
    let mut module_preds = ctx.predicates(&quote!(#tt::nn::Params));
    let mut summary_preds = module_preds.clone();
    let mut steps = Vec::new();
    let mut rows = Vec::new();
    for f in &stages {
        let (ty, a) = (&f.ty, &f.access);
        module_preds.push(quote_spanned!(ty.span()=> #ty: #tt::nn::Module<#input>));
        summary_preds.push(
            quote_spanned!(ty.span()=> #ty: #tt::nn::Module<#input> + #tt::nn::Summary<#input>),
        );
        steps.push(quote!(let __x = #tt::nn::Module::<#input>::forward(&self.#a, __x);));
        let prefix = match &f.segment {
            Some(s) => quote!(&#tt::nn::Path::join(__prefix, #s)),
            None => quote!(__prefix),
        };
        rows.push(quote!(#tt::nn::Summary::<#input>::rows(&self.#a, #prefix, __rows);));
        input = quote!(<#ty as #tt::nn::Module<#input>>::Output);
    }
    Ok(quote! {
        impl #impl_generics #tt::nn::Module<__X> for #name #ty_generics where #(#module_preds,)* {
            type Output = #input;
            fn forward(&self, __x: __X) -> Self::Output {
                #(#steps)*
                __x
            }
        }
        impl #impl_generics #tt::nn::Summary<__X> for #name #ty_generics where #(#summary_preds,)* {
            fn rows(&self, __prefix: &str, __rows: &mut ::std::vec::Vec<#tt::nn::SummaryRow>) {
                #(#rows)*
            }
        }
    })
}

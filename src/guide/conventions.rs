//! # Conventions
//!
//! Every layer, op and model in typed-torch follows the rules below; new layers follow them too.
//!
//! ## A layer type reads left to right: sizes, options, dtype, device
//!
//! The numbers PyTorch takes positionally come first: input and output sizes and the kernel
//! (`nn.Conv2d(3, 64, 7)` is `Conv2d<3, 64, 7>`). Every other hyper-parameter is a named option,
//! then come the element type and the device, both defaulted (`f32`, `Cpu`):
//!
//! ```
//! use typed_torch::prelude::*;
//!
//! // nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False), in f64 on the CPU:
//! type Stem = Conv2d<3, 64, 7, (Stride<2>, Padding<3>, NoBias), f64, Cpu>;
//! // nn.Linear(784, 300, bias=False):
//! type Hidden = Linear<784, 300, NoBias>;
//! // All defaults: `()` is "no options".
//! type Head = Linear<300, 10, (), f64>;
//! # let _ = (Stem::init().unwrap(), Hidden::init().unwrap(), Head::init().unwrap());
//! ```
//!
//! ## Options: named, in any order, at most once, PyTorch's defaults for the rest
//!
//! The options are [`Stride`](crate::options::Stride), [`Padding`](crate::options::Padding),
//! [`Dilation`](crate::options::Dilation), [`Groups`](crate::options::Groups),
//! [`OutputPadding`](crate::options::OutputPadding), [`NoBias`](crate::options::NoBias) and
//! [`NoAffine`](crate::options::NoAffine). A layer takes one option or a tuple of them; the
//! order does not matter, and every size they imply is computed by the compiler:
//!
//! ```
//! use typed_torch::prelude::*;
//!
//! let a = Conv2d::<8, 16, 3, (Padding<1>, Stride<2>)>::init().unwrap();
//! let b = Conv2d::<8, 16, 3, (Stride<2>, Padding<1>)>::init().unwrap();
//! let x = Tensor::<(Dyn, D<8>, D<32>, D<32>)>::zeros_dyn(&[2]).unwrap();
//! let y: Tensor<(Dyn, D<16>, D<16>, D<16>)> = a.forward(x.clone());
//! let z: Tensor<(Dyn, D<16>, D<16>, D<16>)> = b.forward(x);
//! ```
//!
//! A functional op takes the same options as a value, after its tensors (`()` for none); pooling
//! names its kernel with [`Kernel`](crate::options::Kernel):
//!
//! ```
//! use typed_torch::prelude::*;
//!
//! let x = Tensor::<(D<1>, D<3>, D<32>, D<32>)>::randn();
//! let w = Tensor::<(D<8>, D<3>, D<3>, D<3>)>::randn();
//! let y: Tensor<(D<1>, D<8>, D<16>, D<16>)> = x.conv2d(&w, None, (Stride::<2>, Padding::<1>));
//! let p: Tensor<(D<1>, D<8>, D<8>, D<8>)> = y.max_pool2d(Kernel::<2>, ());
//! ```
//!
//! An option given twice, or one the layer does not take, is a compile error that names it
//! ("option given twice: `Stride<2>` and `Stride<1>`", "`OutputPadding<1>` is not an option of a
//! convolution layer"):
//!
//! ```compile_fail
//! use typed_torch::prelude::*;
//! let conv = Conv2d::<3, 8, 3, (Stride<2>, Stride<1>)>::init();
//! ```
//!
//! Options that are not sizes (a dropout probability, a norm's `eps` and `momentum`, a
//! leaky ReLU's slope, an embedding's padding index) are run-time values: methods named after
//! PyTorch's arguments set them on a created layer.
//!
//! ```
//! use typed_torch::prelude::*;
//! use typed_torch::nn::LeakyReLU;
//!
//! let norm = BatchNorm2d::<16>::init().unwrap().momentum(0.01).eps(1e-3);
//! let drop = Dropout::default().p(0.2);
//! let act = LeakyReLU::default().negative_slope(0.2);
//! let emb = Embedding::<100, 16>::init().unwrap().padding_idx(0).unwrap();
//! assert_eq!((norm.momentum, drop.p, act.negative_slope), (0.01, 0.2, 0.2));
//! ```
//!
//! Turbofish is only for what has no value to infer it from (axes: `x.sum::<1>()`,
//! `a.cat::<1>(&b)`); there is never a `_` placeholder to write.
//!
//! ## Creating: on the model's own device, with PyTorch's initialisation
//!
//! [`Init::init`](crate::nn::Init::init) creates a layer, a stack or a whole derived model
//! directly on the device in its type, drawing from that device's generator (seed it with
//! `tch::manual_seed`), with no CPU copy; a device this machine lacks is an `Err`:
//!
//! ```
//! use typed_torch::prelude::*;
//!
//! type Mlp<Dev> = HList![Linear<784, 300, (), f32, Dev>, ReLU, Linear<300, 10, (), f32, Dev>];
//! tch::manual_seed(0);
//! let a = Mlp::<Cpu>::init().unwrap();
//! tch::manual_seed(0);
//! let b = Mlp::<Cpu>::init().unwrap();
//! assert!(a.head.weight.as_tch().equal(b.head.weight.as_tch())); // seeded: the same weights
//! if !tch::Cuda::is_available() {
//!     let err = Mlp::<Cuda<0>>::init().unwrap_err();
//!     assert!(err.to_string().contains("Cuda<0> is not available"));
//! }
//! ```
//!
//! ## Sizes: given once
//!
//! Static dims are in the type and never restated: a tensor of static shape is created with no
//! sizes, and one with `Dyn` dims takes the sizes of those dims only, in order. Sizes are `usize`
//! everywhere, in and out.
//!
//! ```
//! use typed_torch::prelude::*;
//!
//! let batch = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::randn_dyn(&[8]).unwrap();
//! assert_eq!(batch.size(), vec![8usize, 1, 28, 28]);
//! let fixed = Tensor::<(D<2>, D<3>)>::zeros();
//! assert_eq!(fixed.dim_size::<1>(), 3usize);
//! ```
//!
//! Code generic over a dim cannot tell which of its sizes are `Dyn`, so it gives every size
//! (checked against the type) with the `*_with_sizes` constructors:
//!
//! ```
//! use typed_torch::prelude::*;
//!
//! fn batch_of_zeros<B: Dim>(batch: usize) -> Tensor<(B, D<4>)> {
//!     Tensor::zeros_with_sizes(&[batch, 4]).unwrap()
//! }
//! assert_eq!(batch_of_zeros::<Dyn>(3).size(), vec![3, 4]);
//! assert_eq!(batch_of_zeros::<D<2>>(2).size(), vec![2, 4]);
//! ```
//!
//! ## Models: one derive
//!
//! `#[derive(Module)]` on a struct gives parameter and buffer traversal under PyTorch's
//! `state_dict` names (the field names), the static parameter count, `to_device` / `to_kind`,
//! `init`, train/eval and the summary; with `#[module(sequential)]` the fields also run in order
//! as the forward pass. A struct generic over `E` and `Dev` (by those names) converts and is
//! created on any device. The crate's own layers use the same derive.
//!
//! ```
//! use typed_torch::prelude::*;
//!
//! #[derive(Module)]
//! #[module(sequential)]
//! struct Classifier<E: Float, Dev: Device> {
//!     features: HList![Conv2d<1, 8, 3, Padding<1>, E, Dev>, ReLU, MaxPool2d<2>],
//!     flatten: Flatten,
//!     head: Linear<{ 8 * 14 * 14 }, 10, (), E, Dev>,
//! }
//!
//! let net = Classifier::<f32, Cpu>::init().unwrap();
//! assert_eq!(net.param_names(), ["features.0.weight", "features.0.bias", "head.weight", "head.bias"]);
//! const N: usize = <Classifier<f32, Cpu> as StaticParamCount>::PARAM_COUNT;
//! assert_eq!(N, net.param_count());
//! let logits: Tensor<(Dyn, D<10>)> =
//!     net.forward(Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_dyn(&[4]).unwrap());
//! let wide: Classifier<f64, Cpu> = net.to_kind::<f64>();
//! ```
//!
//! Field attributes: `#[module(skip)]` for a field that is not a module (a hyper-parameter),
//! `#[module(buffer)]` for a tensor saved but not trained, `#[module(train)]` for the `bool`
//! that `set_train` switches, `#[module(transparent)]` to name a field's tensors without its
//! name, `#[module(rename = "0")]`. A struct with its own `forward` implements
//! [`Module`](crate::nn::Module) by hand and still derives the rest.
//!
//! ## Traversal: one visitor with typed leaves
//!
//! [`Params::visit`](crate::nn::Params::visit) hands each tensor to a
//! [`Visitor`](crate::nn::Visitor) with its name and its full type, so code over a whole model
//! (optimizers, functional gradients, data-parallel averaging) sees shapes and dtypes, not just
//! raw tensors. The common walks are methods: `param_names`, `param_count`, `set_train`,
//! `for_each_param`, `for_each_tensor`.
//!
//! ## Errors read best with explicit imports
//!
//! rustc shortens a type in an error to its bare name (`Conv2d<3, 16, 3>`, `D<28>`) only when
//! nothing else in scope could be meant; names brought in by a glob import, the prelude's
//! included, keep their path (`typed_torch::nn::Conv2d<3, 16, 3>`). The messages say the same
//! either way; the compile-fail suite (`ui-tests/`) imports explicitly, as its snapshots are the
//! errors shown in this documentation.
//!
//! ## Layers of any rank: `for_each_rank!`
//!
//! A layer that takes inputs of several ranks (`LayerNorm` over the last axis, `Flatten` after
//! the batch) writes its impl once, in a macro that receives the rank, the last axis and one type
//! name per dim, and lets [`for_each_rank!`](crate::for_each_rank) expand it over ranks 1 to
//! [`MAX_RANK`](crate::MAX_RANK); an arm that matches fewer names skips those ranks. The shape
//! traits' own impls come from the same generator.
//!
//! ```
//! use typed_torch::prelude::*;
//! use typed_torch::for_each_rank;
//!
//! /// Raises every element to a power; the input's last axis must be `D<N>`.
//! struct PowLast<const N: usize>(f64);
//!
//! trait ApplyPow<L> {
//!     fn apply(&self, layer: &L) -> Self;
//! }
//! macro_rules! pow_rank {
//!     ($rank:literal, $last:literal; $($a:ident)* | $z:ident) => {
//!         impl<$($a: Dim,)* const N: usize, E: Float> ApplyPow<PowLast<N>> for Tensor<($($a,)* D<N>,), E> {
//!             fn apply(&self, layer: &PowLast<N>) -> Self {
//!                 self.pow_scalar(layer.0)
//!             }
//!         }
//!     };
//! }
//! for_each_rank!(pow_rank);
//!
//! let x = Tensor::<(Dyn, D<2>, D<3>)>::ones_dyn(&[4]).unwrap();
//! let _ = Tensor::<(D<3>,)>::ones().apply(&PowLast::<3>(2.0));
//! assert_eq!(x.apply(&PowLast::<3>(2.0)).sum_all().item(), 24.0);
//! ```
//!
//! ## Names
//!
//! A name says what the thing does: `zero_grads_in_place` zeroes gradients in place, an
//! optimizer's `zero_grad` drops them as PyTorch's does; `ConcatOutputs` and `SumOutputs` say how
//! [`Parallel`](crate::nn::Parallel) joins its branches; `*_dyn` constructors take `Dyn` sizes.
//!
//! ## Checklist for a new layer
//!
//! * A struct in its family folder under `src/nn/` (`conv`, `norm`, `recurrent`, ...), with the
//!   positional sizes as const generics, then `Opts` bounded by the family's options trait in
//!   [`options`](crate::options) (add a family there if needed), then `E: Float = f32` and
//!   `Dev: Device = Cpu`.
//! * `#[derive(Debug, Clone, Module)]` with `#[module(manual_init)]`, tensors as fields named as
//!   in PyTorch, an optional tensor as [`Optional`](crate::nn::Optional), buffers marked
//!   `#[module(buffer)]`, run-time options `#[module(skip)]` with a setter method each.
//! * `impl Init` with PyTorch's initialisation from [`nn::init`](crate::nn::init), on `Dev`.
//! * The input-side impl written once, over every rank it takes, with
//!   [`for_each_rank!`](crate::for_each_rank) (ranks are listed in one place, the shape crate's
//!   generator), so shape errors name the layer and the dims.
//! * A test against PyTorch with the same weights, a finite-difference gradient check in f64,
//!   an entry in `tests/model/conversion_trains.rs`, and a compile-fail case for its main mistake.

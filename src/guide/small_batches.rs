//! # Small batches: a compiled training step
//!
//! Online learning, reinforcement learning and control train on batches of 1 to 32, where a
//! step's arithmetic takes microseconds and an eager step's bookkeeping takes the rest: some
//! thirty ops dispatched one by one, an autograd graph recorded and walked, every intermediate
//! and every gradient allocated and freed, threads woken for kernels too small to share. On the
//! README's MLP at batch 1 that bookkeeping is more than 95% of a raw `tch` step.
//!
//! A typed model's layers are known when it compiles, so none of that needs deciding at run
//! time. [`TrainStep`](crate::compiled::TrainStep) runs the forward pass into buffers it keeps
//! from step to step, ends in the loss's own backward kernel, and runs a backward pass derived by
//! hand for each layer: no graph, no allocation after the first step for the covered layers, and
//! under plain SGD no gradient buffer at all, since the update `W -= lr * dy^T x` is one
//! `addmm_` folded into the backward pass. Measured interleaved with raw `tch` on the 2-core
//! build machine (`benches/small_batch.rs`): 2.6x faster at batch 1, 1.5x at batch 8, equal at
//! batch 256; LeNet-5 at batch 64 with Adam 1.35x faster than PyTorch eager.
//!
//! ## A step
//!
//! [`run`](crate::compiled::TrainStep::run) is `zero_grad`, forward, loss, backward and the
//! optimizer's step in one call, and returns the loss. With plain SGD (no momentum or weight
//! decay, one parameter group) the update happens inside the backward pass; with any other
//! optimizer the step writes each parameter's `.grad` and the optimizer steps as usual.
//!
//! ```
//! use typed_torch::compiled::TrainStep;
//! use typed_torch::nn::{Init, Sigmoid};
//! use typed_torch::optim::{Adam, AdamConfig, Sgd, SgdConfig};
//! use typed_torch::{Dyn, Tensor, D};
//! use typed_torch_models::mlp::Mlp;
//!
//! let mut model = Mlp::<Sigmoid>::init().unwrap();
//! let mut sgd = Sgd::new(&mut model, SgdConfig { lr: 0.1, ..Default::default() }).unwrap();
//! let mut step = TrainStep::new();
//! let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::randn_dyn(&[1]).unwrap();
//! let y = Tensor::<(Dyn,), i64>::from_slice_dyn(&[7], &[1]).unwrap();
//! let first = step.run(&mut model, &mut sgd, &x, &y).unwrap();
//! for _ in 0..30 {
//!     step.run(&mut model, &mut sgd, &x, &y).unwrap();
//! }
//! assert!(step.run(&mut model, &mut sgd, &x, &y).unwrap() < first);
//!
//! // Any other optimizer steps from the gradients the compiled step writes.
//! let mut adam = Adam::new(&mut model, AdamConfig::default()).unwrap();
//! let mut step = TrainStep::new();
//! step.run(&mut model, &mut adam, &x, &y).unwrap();
//! // Or the gradients alone, replacing what `.grad` held (no optimizer).
//! let loss = step.gradients(&mut model, &x, &y).unwrap();
//! # let _ = loss;
//! ```
//!
//! The batch may change from step to step (a `Dyn` batch dimension): buffers are remade when the
//! size changes. A label that is not a class index is an error, as in
//! [`loss::try_cross_entropy`](crate::loss::try_cross_entropy), and nothing is updated.
//!
//! ## What is covered, and the fallback
//!
//! Each layer implements [`StepLayer`](crate::compiled::StepLayer) for the inputs it takes, and
//! stacks (HLists) of such layers do too:
//!
//! | layer | backward pass |
//! | --- | --- |
//! | `Linear` (2-D input) | by hand: `dx = dy W`, `dW = dy^T x`, `db = sum dy` (or the SGD update in one `addmm_`) |
//! | `Conv2d` | libtorch's `convolution_backward`, for exactly the gradients needed |
//! | `Sigmoid`, `Tanh`, `ReLU` | libtorch's `sigmoid_backward`, `tanh_backward`, `threshold_backward` |
//! | `MaxPool2d` | libtorch's `max_pool2d_with_indices_backward` |
//! | `Flatten` | a reshape |
//! | [`Autograd<L>`](crate::compiled::Autograd), any `L` | autograd, for that layer alone |
//!
//! The loss is [`CrossEntropy`](crate::compiled::CrossEntropy) (the mean, as
//! [`loss::cross_entropy`](crate::loss::cross_entropy) with `Mean`), through libtorch's
//! `log_softmax` and `nll_loss` forward and backward kernels. Any other layer trains inside a
//! compiled stack when wrapped in `Autograd`: its forward pass records a graph of that layer
//! alone, and its backward pass runs it. The wrapper changes nothing else: same forward pass,
//! same parameter names, same checkpoints.
//!
//! ```
//! use typed_torch::compiled::{Autograd, TrainStep};
//! use typed_torch::nn::{Init, LayerNorm, Linear, ReLU};
//! use typed_torch::optim::{Sgd, SgdConfig};
//! use typed_torch::{Dyn, HList, Tensor, D};
//!
//! type Net = HList![Linear<16, 32>, Autograd<LayerNorm<32>>, ReLU, Linear<32, 4>];
//! let mut net = Net::init().unwrap();
//! let mut opt = Sgd::new(&mut net, SgdConfig { lr: 0.1, ..Default::default() }).unwrap();
//! let mut step = TrainStep::new();
//! let x = Tensor::<(Dyn, D<16>)>::randn_dyn(&[8]).unwrap();
//! let y = Tensor::<(Dyn,), i64>::from_slice_dyn(&[0, 1, 2, 3, 0, 1, 2, 3], &[8]).unwrap();
//! let first = step.run(&mut net, &mut opt, &x, &y).unwrap();
//! for _ in 0..50 {
//!     step.run(&mut net, &mut opt, &x, &y).unwrap();
//! }
//! assert!(step.run(&mut net, &mut opt, &x, &y).unwrap() < first / 2.0);
//! ```
//!
//! ## Same numbers as autograd
//!
//! The compiled step never changes results silently: the forward kernels are the ones the eager
//! layers call, the activations and the loss go back through libtorch's own backward kernels, and
//! the rest is the chain rule with the same products (summed, at most, in another order). The
//! tests (`tests/compiled`) compare every covered layer and whole stacks with autograd in f64 to
//! 1e-12, f32 gradients to 1e-6 relative, and 20 fused SGD steps with eager SGD to 1e-12.
//! [`check_against_autograd`](crate::compiled::check_against_autograd) runs that comparison for
//! one layer, which is how a layer of your own is checked:
//!
//! ```
//! use typed_torch::compiled::{check_against_autograd, Forward, StepLayer, StepTensor, Update};
//! use typed_torch::nn::{Module, Params, Path, Visitor, VisitorMut};
//! use typed_torch::{Shape, Tensor, D};
//!
//! /// `x^2`, elementwise: a layer without parameters.
//! struct Square;
//! impl Params for Square {
//!     fn visit<V: Visitor>(&self, _: &mut Path, _: &mut V) {}
//!     fn visit_mut<V: VisitorMut>(&mut self, _: &mut Path, _: &mut V) {}
//! }
//! impl<S: Shape> Module<Tensor<S, f64>> for Square {
//!     type Output = Tensor<S, f64>;
//!     fn forward(&self, x: Tensor<S, f64>) -> Tensor<S, f64> {
//!         x.square()
//!     }
//! }
//! impl<S: Shape> StepLayer<Tensor<S, f64>> for Square {
//!     type Cache = ();
//!     const TRAINABLE: bool = false;
//!     fn step_forward(&self, x: &tch::Tensor, _: &mut (), _: &mut Forward) -> tch::Tensor {
//!         x * x
//!     }
//!     fn step_backward(
//!         &mut self,
//!         x: &tch::Tensor,
//!         grad: &tch::Tensor,
//!         _: &mut (),
//!         _: Update,
//!         input_grad: bool,
//!     ) -> Option<tch::Tensor> {
//!         input_grad.then(|| grad * x * 2.0)
//!     }
//! }
//! let x = Tensor::<(D<3>, D<4>), f64>::randn();
//! assert!(check_against_autograd(&mut Square, &x).unwrap() < 1e-12);
//! ```
//!
//! ## Threads
//!
//! libtorch splits each kernel over its intra-op threads. For a kernel of a few microseconds the
//! hand-off costs more than it saves: the MLP step at batch 1 runs 1.6x faster on one thread than
//! on two. [`Threads::Auto`](crate::compiled::Threads::Auto), the default, runs steps whose
//! forward pass is under 10M multiply-adds on one thread and restores libtorch's setting after
//! each step; [`Threads::Unchanged`](crate::compiled::Threads::Unchanged) keeps libtorch's
//! setting, and [`Threads::SingleBelow`](crate::compiled::Threads::SingleBelow) sets another
//! threshold.
//!
//! ```
//! use typed_torch::compiled::{Threads, TrainStep};
//! use typed_torch::nn::Sigmoid;
//! use typed_torch::{Dyn, Tensor, D};
//! use typed_torch_models::mlp::Mlp;
//!
//! let step: TrainStep<Mlp<Sigmoid>, Tensor<(Dyn, D<1>, D<28>, D<28>)>, Tensor<(Dyn,), i64>> =
//!     TrainStep::new().threads(Threads::Unchanged);
//! # let _ = step;
//! ```
//!
//! ## Where the time goes
//!
//! A profile of 20,000 batch-1 steps of the MLP (`perf`, 141 µs a step at two threads configured,
//! one used): MKL's matrix-vector products (forward and input gradients, `sgemv`) 17% and its
//! rank-1 updates (the fused SGD update of each weight, `sger`) 20%, so about 40% is the
//! arithmetic and memory traffic of the step itself, mostly reading and writing the 235,200
//! weights of the first layer. The rest is the per-op cost of libtorch that remains with 25 ops
//! a step: dispatcher lookups and TensorIterator set-up (about 10%), `malloc`/`free` of tensor
//! handles and small temporaries (about 8%), reference counting (3%) and tch's own wrapper
//! (error checks after every call). Going further means fewer, fused kernels, which libtorch's
//! API does not offer for these ops.

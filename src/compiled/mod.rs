//! Compiled training steps: small batches without the overhead of eager autograd.
//!
//! At batch 1 the arithmetic of a training step is a few microseconds; an eager step spends the
//! rest dispatching some thirty ops, recording and walking the autograd graph, allocating every
//! intermediate and its gradient, and waking threads for kernels too small to share. A model whose
//! layers are known at compile time needs none of that bookkeeping: [`TrainStep`] runs the
//! forward pass into buffers it keeps between steps (libtorch's `out=` kernels), then a backward
//! pass derived by hand per layer ([`StepLayer`]), and under plain SGD folds the update into the
//! backward matrix products. Layers without a hand-derived backward pass run through autograd
//! ([`Autograd`]), so any stack trains.
//!
//! | layer | backward pass |
//! | --- | --- |
//! | `Linear` (2-D input) | by hand (`mm`, `addmm_`) |
//! | `Sigmoid`, `Tanh`, `ReLU` | libtorch's backward kernels |
//! | `Flatten` | a reshape |
//! | `MaxPool2d` | libtorch's backward kernel |
//! | `Conv2d` | libtorch's `convolution_backward` |
//! | anything in [`Autograd`] | autograd, for that layer alone |
//!
//! The guide's chapter: [`guide::small_batches`](crate::guide::small_batches).
mod autograd;
mod conv;
mod layer;
mod layers;
mod loss;
mod step;
mod threads;

pub use autograd::{Autograd, AutogradCache};
pub use conv::ConvCache;
pub use layer::{Forward, StackCache, StepLayer, StepTensor, Update};
pub use layers::{ElementwiseCache, LinearCache, MaxPoolCache};
pub use loss::{CrossEntropy, CrossEntropyCache, StepLoss};
pub use step::TrainStep;
pub use threads::Threads;

use crate::error::Result;
use crate::nn::Params;

/// How far a layer's compiled passes are from autograd's on one input: the largest absolute
/// difference of the output, the input's gradient and each parameter's gradient, for a random
/// gradient of the output. For a [`StepLayer`] of your own, in f64, expect rounding only (1e-12).
///
/// ```
/// use typed_torch::compiled::check_against_autograd;
/// use typed_torch::nn::{Init, Linear};
/// use typed_torch::{Tensor, D};
/// let mut layer = Linear::<5, 3, (), f64>::init().unwrap();
/// let x = Tensor::<(D<4>, D<5>), f64>::randn();
/// assert!(check_against_autograd(&mut layer, &x).unwrap() < 1e-12);
/// ```
pub fn check_against_autograd<In, L>(layer: &mut L, input: &In) -> Result<f64>
where
    In: StepTensor,
    L: StepLayer<In> + Params,
{
    let x = input.raw();
    // Autograd, from a leaf copy of the input.
    let leaf = x.detach().set_requires_grad(true);
    let (reference_out, grad_out, reference) = tch::with_grad(|| {
        let out = layer
            .forward(In::from_raw(leaf.shallow_clone()))
            .raw()
            .shallow_clone();
        let grad_out = out.randn_like();
        let mut wrt = Vec::new();
        layer.for_each_param(|_, p| {
            if p.requires_grad() {
                wrt.push(p.shallow_clone());
            }
        });
        wrt.push(leaf.shallow_clone());
        let seed = (&out * &grad_out).sum(out.kind());
        let grads = tch::Tensor::run_backward(&[seed], &wrt, false, false);
        (out.detach(), grad_out, grads)
    });
    // The compiled passes.
    let mut cache = L::Cache::default();
    let (out, input_grad) = tch::no_grad(|| {
        let mut forward = Forward {
            input_grad: true,
            macs: 0,
        };
        let out = layer.step_forward(x, &mut cache, &mut forward).copy();
        let dx = layer.step_backward(x, &grad_out, &mut cache, Update::Gradients, true);
        (out, dx)
    });
    let diff = |a: &tch::Tensor, b: &tch::Tensor| -> f64 {
        if a.defined() && b.defined() {
            (a - b).abs().max().double_value(&[])
        } else if a.defined() || b.defined() {
            let t = if a.defined() { a } else { b };
            t.abs().max().double_value(&[])
        } else {
            0.0
        }
    };
    let mut worst = diff(&out, &reference_out);
    let dx = input_grad.unwrap_or_else(|| x.zeros_like());
    worst = worst.max(diff(&dx, reference.last().expect("the input's gradient")));
    let mut i = 0;
    layer.for_each_param(|_, p| {
        if p.requires_grad() {
            worst = worst.max(diff(&p.grad(), &reference[i]));
            i += 1;
        }
    });
    Ok(worst)
}

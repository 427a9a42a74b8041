//! Gradient clipping over any model, like `torch.nn.utils.clip_grad_norm_` and `clip_grad_value_`.
//!
//! Gradients are changed in place (written through, never replaced), as PyTorch does.
use crate::nn::Params;
use tch::Tensor;

/// Every defined gradient of `model`'s parameters (handles sharing the gradients' storage);
/// parameters without a gradient are skipped, as PyTorch skips `p.grad is None`.
fn grads<M: Params + ?Sized>(model: &mut M) -> Vec<Tensor> {
    let mut grads = Vec::new();
    model.for_each_param_mut(|_, t| {
        let g = t.grad();
        if g.defined() {
            grads.push(g);
        }
    });
    grads
}

/// `torch.linalg.vector_norm(t, ord)`: the norm of all elements, whatever the shape.
fn vector_norm(t: &Tensor, ord: f64) -> Tensor {
    // On a 1-d tensor, `linalg_norm` with a scalar order is `linalg_vector_norm`, which tch does
    // not wrap; on 2-d it would be a matrix norm, hence the flattening.
    t.reshape([-1])
        .linalg_norm(ord, None::<&[i64]>, false, None::<tch::Kind>)
}

/// Scales all gradients of `model` together so that their total `norm_type`-norm is at most
/// `max_norm`, and returns the total norm before clipping, like `torch.nn.utils.clip_grad_norm_`.
///
/// The total norm is the norm of the per-parameter gradient norms (the norm of all gradients
/// concatenated); every gradient is multiplied in place by `min(max_norm / (total + 1e-6), 1)`.
/// `norm_type` is 2 for the Euclidean norm, 1, or `f64::INFINITY` for the largest absolute value
/// (any order `torch.linalg.vector_norm` accepts works). The arithmetic is PyTorch's, in the
/// gradients' dtype. Parameters without a gradient are skipped; with none at all, nothing happens
/// and the norm is 0.
///
/// As in PyTorch nothing is checked: a negative `max_norm` flips the gradients, and a non-finite
/// total norm (an overflowing or NaN gradient) makes them all NaN; check the returned norm to skip
/// such steps.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Linear, Module, Params};
/// use typed_torch::optim::clip_grad_norm;
/// use typed_torch::{Tensor, D};
///
/// let mut layer = Linear::<3, 2, (), f64>::init().unwrap();
/// layer.for_each_param_mut(|_, t| { let _ = t.set_requires_grad(true); });
/// let x = Tensor::<(D<4>, D<3>), f64>::randn() * 100.0;
/// layer.forward(x).square().sum_all().backward();
///
/// let before = clip_grad_norm(&mut layer, 1.0, 2.0);
/// assert!(before > 1.0);
/// assert!((clip_grad_norm(&mut layer, 1.0, 2.0) - 1.0).abs() < 1e-5); // now (almost) 1
/// ```
pub fn clip_grad_norm<M: Params + ?Sized>(model: &mut M, max_norm: f64, norm_type: f64) -> f64 {
    clip_norm(grads(model), max_norm, norm_type)
}

/// [`clip_grad_norm`] over the given gradients.
pub(crate) fn clip_norm(mut grads: Vec<Tensor>, max_norm: f64, norm_type: f64) -> f64 {
    let Some(first) = grads.first() else {
        return 0.0;
    };
    let device = first.device();
    tch::no_grad(|| {
        let norms: Vec<Tensor> = grads
            .iter()
            .map(|g| vector_norm(g, norm_type).to_device(device))
            .collect();
        // `stack` promotes mixed dtypes, as `torch.stack` does in PyTorch's version.
        let total = vector_norm(&Tensor::stack(&norms, 0), norm_type);
        // PyTorch's `max_norm / (total + 1e-6)` on a tensor is `reciprocal(total + 1e-6) * max_norm`
        // (`Tensor.__rtruediv__`); the same operations give the same rounding.
        let coef = ((&total + 1e-6).reciprocal() * max_norm).clamp_max(1.0);
        for g in &mut grads {
            let _ = g.g_mul_(&coef.to_device(g.device()));
        }
        total.double_value(&[])
    })
}

/// Clamps every gradient element of `model` to `[-clip_value, clip_value]` in place, like
/// `torch.nn.utils.clip_grad_value_`; parameters without a gradient are skipped.
///
/// As in PyTorch (which clamps below, then above), a negative `clip_value` sets every element to
/// `clip_value`.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Linear, Module, Params};
/// use typed_torch::optim::clip_grad_value;
/// use typed_torch::{Tensor, D};
///
/// let mut layer = Linear::<3, 2, (), f64>::init().unwrap();
/// layer.for_each_param_mut(|_, t| { let _ = t.set_requires_grad(true); });
/// let x = Tensor::<(D<4>, D<3>), f64>::randn() * 100.0;
/// layer.forward(x).square().sum_all().backward();
///
/// clip_grad_value(&mut layer, 0.5);
/// layer.for_each_param(|_, t| {
///     assert!(t.grad().abs().max().double_value(&[]) <= 0.5);
/// });
/// ```
pub fn clip_grad_value<M: Params + ?Sized>(model: &mut M, clip_value: f64) {
    clip_value_of(grads(model), clip_value);
}

/// [`clip_grad_value`] over the given gradients.
pub(crate) fn clip_value_of(mut grads: Vec<Tensor>, clip_value: f64) {
    tch::no_grad(|| {
        for g in &mut grads {
            let _ = g.clamp_min_(-clip_value);
            let _ = g.clamp_max_(clip_value);
        }
    });
}

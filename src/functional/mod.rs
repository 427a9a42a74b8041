//! Functional autodiff after Haskell's `backprop`: the gradient of an ordinary function with
//! respect to any [`Differentiable`] value, of the value's own type, and derivatives of any order
//! by nesting.
//!
//! ```
//! use typed_torch::functional::grad;
//! use typed_torch::{Tensor, D};
//! // d/dx sum(x^3) = 3x^2, and d/dx of that summed = 6x: derivatives nest.
//! let x = Tensor::<(D<3>,), f64>::from_array([1.0, 2.0, 3.0]);
//! let cube = |x: Tensor<(D<3>,), f64>| x.pow_scalar(3.0).sum_all();
//! assert_eq!(grad(cube, &x).to_vec(), [3.0, 12.0, 27.0]);
//! let second = grad(|x: Tensor<(D<3>,), f64>| grad(cube, &x).sum_all(), &x);
//! assert_eq!(second.to_vec(), [6.0, 12.0, 18.0]);
//! ```
mod arith;
mod custom;
mod differentiable;

pub use arith::Combine;
pub use custom::{custom_op, custom_op2, custom_op3};

pub(crate) use differentiable::trace_tensor;
#[doc(hidden)]
pub use differentiable::{params_gradient_from, trace_params};
pub use differentiable::{Differentiable, Grads, Inputs};

use crate::device::Device;
use crate::element::Float;
use crate::shape::{JoinShape, Shape};
use crate::tensor::Tensor;
use std::cell::Cell;

thread_local! {
    /// How many derivatives are being taken around the current code: inside one, a derivative
    /// keeps its own graph (`create_graph`) so that the enclosing one can differentiate it.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Runs `f` one derivative deeper; returns its result and whether an enclosing derivative is
/// being taken.
fn deeper<R>(f: impl FnOnce() -> R) -> (R, bool) {
    struct Restore(usize);
    impl Drop for Restore {
        fn drop(&mut self) {
            DEPTH.with(|d| d.set(self.0));
        }
    }
    let depth = DEPTH.with(Cell::get);
    let _restore = Restore(depth);
    DEPTH.with(|d| d.set(depth + 1));
    (f(), depth > 0)
}

/// The gradients of `root` with respect to `inputs` (undefined for an input it does not depend
/// on), keeping the graph of the backward pass when `nested`.
fn backward(root: &tch::Tensor, inputs: &Inputs, nested: bool) -> Vec<tch::Tensor> {
    if inputs.0.is_empty() || !root.requires_grad() {
        // Nothing to differentiate, or nothing the output depends on: every gradient is zero.
        return inputs.0.iter().map(|_| tch::Tensor::new()).collect();
    }
    tch::Tensor::run_backward(&[root], &inputs.0, true, nested)
}

/// The gradient of `f` at `x`, a value of `x`'s type: `backprop`'s `gradBP`. `f` is any function
/// or closure from `x`'s traced form (tensors stay tensors, `f64` becomes `Tensor<(), f64>`) to
/// a rank-0 float tensor; inputs `f` does not use get zero gradients.
///
/// ```
/// use typed_torch::functional::grad;
/// use typed_torch::{Tensor, D};
/// let w = Tensor::<(D<2>, D<3>), f64>::ones();
/// let b = Tensor::<(D<2>,), f64>::zeros();
/// // Heterogeneous inputs: the gradient is a tuple of the same types.
/// let (dw, db, dk) = grad(|(w, b, k)| (w.sum::<1>() * k + b).square().sum_all(), &(w, b, 2.0_f64));
/// assert_eq!(dw.size(), [2, 3]);
/// assert_eq!(db.to_vec(), [12.0, 12.0]); // 2 (3 k + 0), k = 2
/// assert_eq!(dk, 72.0);                   // sum 2 (3 k) 3
/// ```
pub fn grad<X, E, Dev>(f: impl FnOnce(X::Traced) -> Tensor<(), E, Dev>, x: &X) -> X
where
    X: Differentiable,
    E: Float,
    Dev: Device,
{
    value_and_grad(f, x).1
}

/// The value of `f` at `x` and its gradient: `backprop`'s `backprop`.
pub fn value_and_grad<X, E, Dev>(
    f: impl FnOnce(X::Traced) -> Tensor<(), E, Dev>,
    x: &X,
) -> (Tensor<(), E, Dev>, X)
where
    X: Differentiable,
    E: Float,
    Dev: Device,
{
    let mut inputs = Inputs::default();
    let traced = x.trace(&mut inputs);
    let (out, nested) = deeper(|| f(traced));
    let grads = backward(out.as_tch(), &inputs, nested);
    let gradient = x.gradient_from(&mut Grads(grads.into_iter()));
    let value = if nested { out } else { out.detach() };
    (value, gradient)
}

/// `f` at `x` without recording anything for autograd: `backprop`'s `evalBP`.
pub fn eval<X, Y>(f: impl FnOnce(X::Traced) -> Y, x: &X) -> Y
where
    X: Differentiable,
{
    crate::no_grad(|| f(x.untraced()))
}

/// The vector-Jacobian product: `f` at `x` and `v^T J` (the gradient of `sum(f(x) * v)`), for
/// an `f` of any output shape; `v` has the output's type.
pub fn vjp<X, S, E, Dev>(
    f: impl FnOnce(X::Traced) -> Tensor<S, E, Dev>,
    x: &X,
    v: &Tensor<S, E, Dev>,
) -> (Tensor<S, E, Dev>, X)
where
    X: Differentiable,
    S: Shape,
    E: Float,
    Dev: Device,
{
    let mut inputs = Inputs::default();
    let traced = x.trace(&mut inputs);
    let (out, nested) = deeper(|| f(traced));
    let root = (out.as_tch() * v.as_tch()).sum(E::DTYPE);
    let grads = backward(&root, &inputs, nested);
    let gradient = x.gradient_from(&mut Grads(grads.into_iter()));
    (if nested { out } else { out.detach() }, gradient)
}

/// The Jacobian-vector product: `f` at `x` and `J t`, the derivative of `f` along the tangent
/// `t` (a value of `x`'s type). libtorch has no forward mode for every op, so this is the
/// double-backward construction: `J t` is the gradient, with respect to `u`, of `(J^T u) . t`.
pub fn jvp<X, S, E, Dev>(
    f: impl FnOnce(X::Traced) -> Tensor<S, E, Dev>,
    x: &X,
    t: &X,
) -> (Tensor<S, E, Dev>, Tensor<S, E, Dev>)
where
    X: Differentiable,
    S: Shape,
    E: Float,
    Dev: Device,
{
    let mut inputs = Inputs::default();
    let traced = x.trace(&mut inputs);
    let (out, nested) = deeper(|| f(traced));
    let out_tch = out.as_tch();
    let u = out_tch.zeros_like().detach().set_requires_grad(true);
    let mut tangents = Inputs::default();
    let _ = t.trace(&mut tangents);
    let zero = tch::Tensor::zeros([], (E::DTYPE, Dev::tch()));
    let along = if out_tch.requires_grad() && !inputs.0.is_empty() {
        let root = (out_tch * &u).sum(E::DTYPE);
        let vjps = tch::Tensor::run_backward(&[root], &inputs.0, true, true);
        dot(&vjps, &tangents, nested, zero)
    } else {
        zero
    };
    let derivative = if along.requires_grad() {
        tch::Tensor::run_backward(&[&along], &[&u], true, nested).remove(0)
    } else {
        tch::Tensor::new()
    };
    let derivative = if derivative.defined() {
        derivative
    } else {
        out_tch.zeros_like()
    };
    let out = if nested { out } else { out.detach() };
    (out, Tensor::wrap(derivative))
}

/// The Hessian-vector product: the derivative of `f`'s gradient along `v`, a value of `x`'s
/// type, without forming the Hessian.
pub fn hvp<X, E, Dev>(f: impl FnOnce(X::Traced) -> Tensor<(), E, Dev>, x: &X, v: &X) -> X
where
    X: Differentiable,
    E: Float,
    Dev: Device,
{
    let mut inputs = Inputs::default();
    let traced = x.trace(&mut inputs);
    let (out, nested) = deeper(|| f(traced));
    let mut directions = Inputs::default();
    let _ = v.trace(&mut directions);
    let zero = tch::Tensor::zeros([], (E::DTYPE, Dev::tch()));
    let along = if out.as_tch().requires_grad() && !inputs.0.is_empty() {
        let grads = tch::Tensor::run_backward(&[out.as_tch()], &inputs.0, true, true);
        dot(&grads, &directions, nested, zero)
    } else {
        zero
    };
    let grads = backward(&along, &inputs, nested);
    x.gradient_from(&mut Grads(grads.into_iter()))
}

/// The Hessian of `f` at `x`: for `x` of shape `S`, a tensor of shape `S` followed by `S` (a
/// vector's Hessian is a matrix, a matrix's a rank-4 tensor). One forward pass and one backward
/// pass per entry of `x`, each the derivative of one component of the gradient.
///
/// ```
/// use typed_torch::functional::hessian;
/// use typed_torch::{Tensor, D};
/// // f(x) = x0^2 x1: H = [[2 x1, 2 x0], [2 x0, 0]].
/// let x = Tensor::<(D<2>,), f64>::from_array([3.0, 5.0]);
/// let h = hessian(|x: Tensor<(D<2>,), f64>| (x.narrow::<0, 0, 1>().square() * x.narrow::<0, 1, 1>()).sum_all(), &x);
/// assert_eq!(h.to_vec(), [10.0, 6.0, 6.0, 0.0]);
/// ```
pub fn hessian<S, E, Dev>(
    f: impl FnOnce(Tensor<S, E, Dev>) -> Tensor<(), E, Dev>,
    x: &Tensor<S, E, Dev>,
) -> Tensor<<S as JoinShape<S>>::Output, E, Dev>
where
    S: JoinShape<S>,
    E: Float,
    Dev: Device,
{
    let mut inputs = Inputs::default();
    let traced = x.trace(&mut inputs);
    let (out, nested) = deeper(|| f(traced));
    let gradient = backward_or_zeros(out.as_tch(), &inputs.0[0], true);
    let rows = flat_derivatives(&gradient, &inputs.0[0], nested);
    Tensor::wrap(matrix(rows, x.as_tch()).reshape(joined(&x.as_tch().size(), &x.as_tch().size())))
}

/// The Jacobian of `f` at `x` by reverse mode: for `f` from shape `SI` to shape `SO`, a tensor
/// of shape `SO` followed by `SI` (entry `[i.., j..]` is the derivative of output `i..` by input
/// `j..`). One forward pass and one backward pass per output entry.
///
/// ```
/// use typed_torch::functional::jacobian;
/// use typed_torch::{Tensor, D};
/// // The Jacobian of a matrix's row sums: (2,) by (2, 3).
/// let x = Tensor::<(D<2>, D<3>), f64>::ones();
/// let j = jacobian(|x: Tensor<(D<2>, D<3>), f64>| x.sum::<1>(), &x);
/// assert_eq!(j.size(), [2, 2, 3]);
/// assert_eq!(j.to_vec(), [1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0]);
/// ```
pub fn jacobian<SI, SO, E, Dev>(
    f: impl FnOnce(Tensor<SI, E, Dev>) -> Tensor<SO, E, Dev>,
    x: &Tensor<SI, E, Dev>,
) -> Tensor<<SO as JoinShape<SI>>::Output, E, Dev>
where
    SI: Shape,
    SO: JoinShape<SI>,
    E: Float,
    Dev: Device,
{
    let mut inputs = Inputs::default();
    let traced = x.trace(&mut inputs);
    let (out, nested) = deeper(|| f(traced));
    let rows = flat_derivatives(out.as_tch(), &inputs.0[0], nested);
    Tensor::wrap(matrix(rows, x.as_tch()).reshape(joined(&out.as_tch().size(), &x.as_tch().size())))
}

/// The Jacobian of `f` at `x` by forward mode (one Jacobian-vector product per input entry, by
/// the double-backward construction of [`jvp`]): the same tensor as [`jacobian`], cheaper when
/// the input has fewer entries than the output.
pub fn jacobian_forward<SI, SO, E, Dev>(
    f: impl FnOnce(Tensor<SI, E, Dev>) -> Tensor<SO, E, Dev>,
    x: &Tensor<SI, E, Dev>,
) -> Tensor<<SO as JoinShape<SI>>::Output, E, Dev>
where
    SI: Shape,
    SO: JoinShape<SI>,
    E: Float,
    Dev: Device,
{
    let mut inputs = Inputs::default();
    let traced = x.trace(&mut inputs);
    let (out, nested) = deeper(|| f(traced));
    let out_tch = out.as_tch();
    // J^T u is linear in `u`; its derivative by `u` along the j-th input is J's j-th column.
    let u = out_tch.zeros_like().detach().set_requires_grad(true);
    let transposed = if out_tch.requires_grad() {
        backward_or_zeros(&(out_tch * &u).sum(E::DTYPE), &inputs.0[0], true)
    } else {
        inputs.0[0].zeros_like()
    };
    let columns = flat_derivatives(&transposed, &u, nested);
    let jacobian = matrix(columns, out_tch).transpose(0, 1);
    Tensor::wrap(jacobian.reshape(joined(&out.as_tch().size(), &x.as_tch().size())))
}

/// The gradient of `root` by `input`, zeros when it does not depend on it.
fn backward_or_zeros(root: &tch::Tensor, input: &tch::Tensor, create_graph: bool) -> tch::Tensor {
    let gradient = if root.requires_grad() {
        tch::Tensor::run_backward(&[root], &[input], true, create_graph).remove(0)
    } else {
        tch::Tensor::new()
    };
    if gradient.defined() {
        gradient
    } else {
        input.zeros_like()
    }
}

/// The flattened gradient of every entry of `values` by `input`, one row per entry, all
/// from one recorded graph.
fn flat_derivatives(values: &tch::Tensor, input: &tch::Tensor, nested: bool) -> Vec<tch::Tensor> {
    let flat = values.reshape([-1]);
    (0..flat.size()[0])
        .map(|i| backward_or_zeros(&flat.get(i), input, nested).reshape([-1]))
        .collect()
}

/// The rows stacked into a matrix; with no rows, an empty matrix as wide as `columns` has
/// entries.
fn matrix(rows: Vec<tch::Tensor>, columns: &tch::Tensor) -> tch::Tensor {
    if rows.is_empty() {
        tch::Tensor::zeros(
            [0, columns.numel() as i64],
            (columns.kind(), columns.device()),
        )
    } else {
        tch::Tensor::stack(&rows, 0)
    }
}

/// The dims `outer` followed by `inner`.
fn joined(outer: &[i64], inner: &[i64]) -> Vec<i64> {
    outer.iter().chain(inner).copied().collect()
}

/// `sum_i <gradients_i, directions_i>`, skipping inputs without a gradient; the directions are
/// detached at top level (their own graph is of no use there) and kept inside an enclosing
/// derivative.
fn dot(
    gradients: &[tch::Tensor],
    directions: &Inputs,
    nested: bool,
    zero: tch::Tensor,
) -> tch::Tensor {
    gradients
        .iter()
        .zip(&directions.0)
        .filter(|(g, _)| g.defined())
        .fold(zero, |sum, (g, d)| {
            let d = if nested {
                d.shallow_clone()
            } else {
                d.detach()
            };
            sum + (g * d).sum(g.kind())
        })
}

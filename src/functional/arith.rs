//! Arithmetic on whole differentiable values, tensor by tensor, so gradient descent reads as in
//! `backprop`: `net0 - 0.1 * gradient` is `net0.minus(&gradient.scaled(0.1))`.
use super::differentiable::{Differentiable, Grads, Inputs};

/// Tensor-by-tensor arithmetic on any [`Differentiable`] value (a model and its gradient, tuples
/// of tensors...). The results are plain values: nothing is recorded for autograd, and a model's
/// parameters in a result do not require gradients (differentiate it functionally, or convert it
/// before training it with an optimizer).
///
/// ```
/// use typed_torch::functional::{grad, Combine};
/// use typed_torch::{Tensor, D};
/// let x = (Tensor::<(D<2>,), f64>::from_array([1.0, 2.0]), 3.0f64);
/// let g = grad(|(v, k): (Tensor<(D<2>,), f64>, Tensor<(), f64>)| v.square().sum_all() * k, &x);
/// let (v, k) = x.minus(&g.scaled(0.1)); // one step of gradient descent
/// assert_eq!(v.to_vec(), [1.0 - 0.1 * 6.0, 2.0 - 0.1 * 12.0]);
/// assert_eq!(k, 3.0 - 0.1 * 5.0);
/// ```
pub trait Combine: Differentiable {
    /// `self + other`.
    fn plus(&self, other: &Self) -> Self {
        zip(self, other, |a, b| a + b)
    }
    /// `self - other`.
    fn minus(&self, other: &Self) -> Self {
        zip(self, other, |a, b| a - b)
    }
    /// `k * self`.
    fn scaled(&self, k: f64) -> Self {
        zip(self, self, |a, _| a * k)
    }
}

impl<T: Differentiable> Combine for T {}

/// Each tensor of `a` combined with the same tensor of `b` by `f`, rebuilt as a value of the type.
fn zip<T: Differentiable>(
    a: &T,
    b: &T,
    f: impl Fn(&tch::Tensor, &tch::Tensor) -> tch::Tensor,
) -> T {
    let (mut xs, mut ys) = (Inputs::default(), Inputs::default());
    let _ = a.trace(&mut xs);
    let _ = b.trace(&mut ys);
    assert_eq!(
        xs.0.len(),
        ys.0.len(),
        "combining values with different numbers of tensors (Vecs of different lengths?)"
    );
    let combined: Vec<tch::Tensor> = crate::no_grad(|| {
        xs.0.iter()
            .zip(&ys.0)
            .map(|(x, y)| f(&x.detach(), &y.detach()))
            .collect()
    });
    a.gradient_from(&mut Grads(combined.into_iter()))
}

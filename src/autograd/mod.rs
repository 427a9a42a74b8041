//! Typed autograd: gradients have their tensor's type, and only rank-0 tensors start a backward pass.
mod gradcheck;

pub use gradcheck::{check_gradients, GradReport};

use crate::device::Device;
use crate::element::Float;
use crate::shape::Shape;
use crate::tensor::Tensor;

impl<S: Shape, E: Float, Dev: Device> Tensor<S, E, Dev> {
    /// Marks this tensor as a leaf whose gradient autograd records.
    ///
    /// ```
    /// use typed_torch::{Tensor, D};
    /// let x = Tensor::<(D<3>,)>::from_array([1.0, 2.0, 3.0]).requires_grad();
    /// x.square().sum_all().backward();
    /// assert_eq!(x.grad().unwrap().to_vec(), vec![2.0, 4.0, 6.0]);
    /// ```
    pub fn requires_grad(self) -> Self {
        Tensor::wrap(self.into_tch().set_requires_grad(true))
    }

    /// Whether autograd records operations on this tensor.
    pub fn is_requires_grad(&self) -> bool {
        self.as_tch().requires_grad()
    }

    /// The accumulated gradient, of this tensor's own type; `None` before any backward pass.
    pub fn grad(&self) -> Option<Self> {
        let g = self.as_tch().grad();
        g.defined().then(|| Tensor::wrap(g))
    }

    /// Zeroes the accumulated gradient in place (it stays allocated; the next backward pass
    /// adds to zeros).
    pub fn zero_grad_in_place(&mut self) {
        let mut g = self.as_tch().grad();
        if g.defined() {
            let _ = g.detach_().zero_();
        }
    }

    /// The same values, cut from the autograd graph.
    pub fn detach(&self) -> Self {
        Tensor::wrap(self.as_tch().detach())
    }
}

impl<E: Float, Dev: Device> Tensor<(), E, Dev> {
    /// Back-propagates from this scalar. Only rank-0 tensors have this method, so a backward pass
    /// from a non-scalar (whose meaning would depend on an implicit sum) does not compile.
    pub fn backward(&self) {
        self.as_tch().backward();
    }
}

/// Runs `f` with gradient recording off, like `torch.no_grad()`.
///
/// ```
/// use typed_torch::{no_grad, Tensor, D};
/// let x = Tensor::<(D<2>,)>::ones().requires_grad();
/// let y = no_grad(|| &x * 2.0);
/// assert!(!y.is_requires_grad());
/// ```
pub fn no_grad<T>(f: impl FnOnce() -> T) -> T {
    tch::no_grad(f)
}

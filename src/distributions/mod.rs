//! Probability distributions with `torch.distributions` semantics, typed: the batch shape is in
//! the type, so a log-density, an entropy or a KL divergence has a known shape.
//!
//! * [`Normal`] (reparameterised: [`Rsample`]), [`Bernoulli`] (from logits or probabilities),
//!   [`Categorical`] (the last axis of the logits is the categories), and [`Independent`], which
//!   makes the last `N` batch axes part of each draw (a diagonal Gaussian over a latent vector,
//!   a Bernoulli over an image);
//! * [`kl_divergence`] for the pairs a VAE or a policy-gradient method needs.
//!
//! Constructors validate their parameters as PyTorch's `validate_args` does and return an
//! [`Error::Parameter`](crate::Error::Parameter) naming the first bad entry; the `_unvalidated`
//! forms skip the check (it reads values back from the device) inside training loops.
//!
//! ```
//! use typed_torch::distributions::{kl_divergence, Distribution, Independent, Normal, Rsample};
//! use typed_torch::{Tensor, D};
//! // A diagonal Gaussian over 2-D latents, for a batch of 3.
//! let mean = Tensor::<(D<3>, D<2>), f64>::zeros();
//! let q = Independent::<_, 1>::new(Normal::new(mean, Tensor::full(0.5))?);
//! let z = q.rsample();                                // (3, 2), differentiable
//! let log_q: Tensor<(D<3>,), f64> = q.log_prob(&z);  // one density per draw
//! let prior = Independent::<_, 1>::new(Normal::standard());
//! let kl: Tensor<(D<3>,), f64> = kl_divergence(&q, &prior);
//! assert!((kl.to_vec()[0] - (0.25 - 1.0 - 0.25f64.ln())).abs() < 1e-12);
//! # Ok::<(), typed_torch::Error>(())
//! ```
mod bernoulli;
mod categorical;
mod independent;
mod normal;
mod validate;

pub use bernoulli::Bernoulli;
pub use categorical::Categorical;
pub use independent::Independent;
pub use normal::Normal;

use crate::device::Device;
use crate::element::Float;
use crate::explain::{fail, refuse, Needs};
use crate::shape::Shape;
use crate::tensor::Tensor;

/// A distribution over values of type [`Value`](Distribution::Value), one per entry of its batch
/// shape.
pub trait Distribution {
    /// The batch shape: one independent draw per entry.
    type Batch: Shape;
    /// The float type of densities.
    type E: Float;
    /// The device.
    type Dev: Device;
    /// One draw for the whole batch.
    type Value;

    /// A draw, outside autograd (PyTorch's `sample`).
    fn sample(&self) -> Self::Value;
    /// The log-density (or log-mass) of `value`, one per batch entry.
    ///
    /// # Panics
    ///
    /// At the caller's line, when `Dyn` sizes of `value` and the distribution differ.
    #[track_caller]
    fn log_prob(&self, value: &Self::Value) -> Tensor<Self::Batch, Self::E, Self::Dev>;
    /// The entropy, one per batch entry.
    fn entropy(&self) -> Tensor<Self::Batch, Self::E, Self::Dev>;
}

/// A distribution with a reparameterised draw: the sample is a differentiable function of the
/// parameters and independent noise (PyTorch's `rsample`).
pub trait Rsample: Distribution {
    /// A draw through which gradients reach the parameters.
    fn rsample(&self) -> Self::Value;
}

/// The KL divergence `KL(self || q)` in closed form, for the pairs PyTorch registers.
pub trait KlDivergence<Q>: Distribution {
    /// One divergence per batch entry.
    ///
    /// # Panics
    ///
    /// At the caller's line, when `Dyn` batch sizes of the two distributions differ.
    #[track_caller]
    fn kl_divergence(&self, q: &Q) -> Tensor<Self::Batch, Self::E, Self::Dev>;
}

/// `KL(p || q)`, one per batch entry: `torch.distributions.kl_divergence`.
#[track_caller]
pub fn kl_divergence<P: KlDivergence<Q>, Q>(p: &P, q: &Q) -> Tensor<P::Batch, P::E, P::Dev> {
    p.kl_divergence(q)
}

/// Panics at the caller's line unless the operands have equal sizes; free for static shapes.
#[track_caller]
fn same_sizes<S: Shape>(op: &'static str, why: &'static str, operands: &[&tch::Tensor]) {
    if S::DIMS.iter().all(Option::is_some) {
        return;
    }
    let first = operands[0].size();
    if operands[1..].iter().any(|t| t.size() != first) {
        fail(refuse(op, operands, Needs::Equal(why)));
    }
}

/// `Err` unless the operands have equal sizes; free for static shapes.
fn equal_sizes<S: Shape>(op: &'static str, operands: &[&tch::Tensor]) -> crate::Result<()> {
    if S::DIMS.iter().all(Option::is_some) {
        return Ok(());
    }
    let first = operands[0].size();
    if operands[1..].iter().any(|t| t.size() != first) {
        return Err(refuse(
            op,
            operands,
            Needs::Equal("parameters of equal sizes"),
        ));
    }
    Ok(())
}

/// The machine epsilon of a float kind (`torch.finfo(dtype).eps`), which PyTorch clamps
/// probabilities by before taking their logarithms.
fn machine_epsilon(kind: tch::Kind) -> f64 {
    match kind {
        tch::Kind::Double => f64::EPSILON,
        tch::Kind::Half => 0.000_976_562_5,
        tch::Kind::BFloat16 => 0.007_812_5,
        _ => f32::EPSILON as f64,
    }
}

//! The Bernoulli distribution, `torch.distributions.Bernoulli`.
use super::validate::{real, unit_interval};
use super::{machine_epsilon, same_sizes, Distribution, KlDivergence};
use crate::device::{Cpu, Device};
use crate::element::Float;
use crate::error::Result;
use crate::shape::Shape;
use crate::tensor::Tensor;

/// Independent coin flips, one per entry of the batch shape `S`, each 1 with probability `probs`
/// (or `sigmoid(logits)`). Draws are floats 0 and 1, as in PyTorch.
///
/// ```
/// use typed_torch::distributions::{Bernoulli, Distribution};
/// use typed_torch::{Tensor, D};
/// let coin = Bernoulli::from_probs(Tensor::<(D<2>,), f64>::from_array([0.25, 1.0]))?;
/// let lp = coin.log_prob(&Tensor::from_array([1.0, 1.0]));
/// assert!((lp.to_vec()[0] - 0.25f64.ln()).abs() < 1e-12);
/// assert_eq!(coin.sample().to_vec()[1], 1.0);
/// # Ok::<(), typed_torch::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Bernoulli<S: Shape, E: Float = f32, Dev: Device = Cpu> {
    logits: Tensor<S, E, Dev>,
    probs: Tensor<S, E, Dev>,
}

impl<S: Shape, E: Float, Dev: Device> Bernoulli<S, E, Dev> {
    /// From log-odds, checked not to be NaN.
    ///
    /// # Errors
    ///
    /// [`Error::Parameter`](crate::Error::Parameter) naming the first NaN.
    pub fn from_logits(logits: Tensor<S, E, Dev>) -> Result<Self> {
        real("Bernoulli", "logits", logits.as_tch())?;
        Ok(Self::from_logits_unvalidated(logits))
    }

    /// From log-odds, unchecked (a decoder's output, inside a training loop).
    pub fn from_logits_unvalidated(logits: Tensor<S, E, Dev>) -> Self {
        let probs = logits.sigmoid();
        Bernoulli { logits, probs }
    }

    /// From probabilities, checked to lie in [0, 1].
    ///
    /// # Errors
    ///
    /// [`Error::Parameter`](crate::Error::Parameter) naming the first entry outside [0, 1].
    pub fn from_probs(probs: Tensor<S, E, Dev>) -> Result<Self> {
        unit_interval("Bernoulli", "probs", probs.as_tch())?;
        Ok(Self::from_probs_unvalidated(probs))
    }

    /// From probabilities, unchecked. The log-odds are taken of the probabilities clamped to
    /// `[eps, 1 - eps]`, as PyTorch does, so that 0 and 1 give finite log-densities.
    pub fn from_probs_unvalidated(probs: Tensor<S, E, Dev>) -> Self {
        let p = probs.as_tch();
        let eps = machine_epsilon(p.kind());
        let clamped = p.clamp(eps, 1.0 - eps);
        let logits = Tensor::wrap(clamped.log() - clamped.neg().log1p());
        Bernoulli { logits, probs }
    }

    /// The log-odds.
    pub fn logits(&self) -> &Tensor<S, E, Dev> {
        &self.logits
    }

    /// The probabilities of 1.
    pub fn probs(&self) -> &Tensor<S, E, Dev> {
        &self.probs
    }

    /// The mean, `probs`.
    pub fn mean(&self) -> Tensor<S, E, Dev> {
        self.probs.clone()
    }

    /// The variance, `probs (1 - probs)`.
    pub fn variance(&self) -> Tensor<S, E, Dev> {
        let p = self.probs.as_tch();
        Tensor::wrap(p * (p.neg() + 1.0))
    }
}

impl<S: Shape, E: Float, Dev: Device> Distribution for Bernoulli<S, E, Dev> {
    type Batch = S;
    type E = E;
    type Dev = Dev;
    type Value = Tensor<S, E, Dev>;

    fn sample(&self) -> Self::Value {
        crate::no_grad(|| Tensor::wrap(self.probs.as_tch().bernoulli()))
    }

    /// `value log p + (1 - value) log(1 - p)`, from the logits: minus binary cross-entropy with
    /// logits. Values between 0 and 1 (grey pixels) give that cross-entropy too, as in PyTorch
    /// without `validate_args`.
    #[track_caller]
    fn log_prob(&self, value: &Self::Value) -> Tensor<S, E, Dev> {
        same_sizes::<S>(
            "Bernoulli::log_prob",
            "a value of the distribution's batch sizes",
            &[self.logits.as_tch(), value.as_tch()],
        );
        Tensor::wrap(bce_with_logits(self.logits.as_tch(), value.as_tch()).neg())
    }

    fn entropy(&self) -> Tensor<S, E, Dev> {
        Tensor::wrap(bce_with_logits(self.logits.as_tch(), self.probs.as_tch()))
    }
}

/// `KL(p || q) = p (log p - log q) + (1 - p) (log(1 - p) - log(1 - q))`, written with
/// softplus of the logits; infinite where `q` rules out what `p` allows, as in PyTorch.
impl<S: Shape, E: Float, Dev: Device> KlDivergence<Bernoulli<S, E, Dev>> for Bernoulli<S, E, Dev> {
    #[track_caller]
    fn kl_divergence(&self, q: &Bernoulli<S, E, Dev>) -> Tensor<S, E, Dev> {
        same_sizes::<S>(
            "kl_divergence",
            "distributions of equal batch sizes",
            &[self.logits.as_tch(), q.logits.as_tch()],
        );
        let (p_probs, q_probs) = (self.probs.as_tch(), q.probs.as_tch());
        let (p_logits, q_logits) = (self.logits.as_tch(), q.logits.as_tch());
        let ones = p_probs.ones_like();
        let t1 = p_probs * (q_logits.neg().softplus() - p_logits.neg().softplus());
        let t1 = (&ones * f64::INFINITY)
            .where_self(&q_probs.eq(0.0), &t1)
            .where_self(&p_probs.ne(0.0), &ones.zeros_like());
        let t2 = (p_probs.neg() + 1.0) * (q_logits.softplus() - p_logits.softplus());
        let t2 = (&ones * f64::INFINITY)
            .where_self(&q_probs.eq(1.0), &t2)
            .where_self(&p_probs.ne(1.0), &ones.zeros_like());
        Tensor::wrap(t1 + t2)
    }
}

/// Binary cross-entropy with logits, entry by entry.
fn bce_with_logits(logits: &tch::Tensor, targets: &tch::Tensor) -> tch::Tensor {
    logits.binary_cross_entropy_with_logits::<tch::Tensor>(
        targets,
        None,
        None,
        tch::Reduction::None,
    )
}

//! The categorical distribution, `torch.distributions.Categorical`.
use super::validate::{real, simplex};
use super::{machine_epsilon, Distribution, KlDivergence};
use crate::device::{Cpu, Device};
use crate::element::Float;
use crate::error::Result;
use crate::explain::{check, fail, refuse, Needs};
use crate::shape::SplitLast;
use crate::tensor::Tensor;

/// One draw among the categories of the last axis of `S`, for every entry of the other axes (the
/// batch shape, `S` without its last axis). Draws are `i64` category indices.
///
/// ```
/// use typed_torch::distributions::{Categorical, Distribution};
/// use typed_torch::{Tensor, D};
/// // Two rows of three categories: batch shape (D<2>,).
/// let probs = Tensor::<(D<2>, D<3>), f64>::from_array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]]);
/// let c = Categorical::from_probs(probs)?;
/// let lp: Tensor<(D<2>,), f64> = c.log_prob(&Tensor::from_array([2, 0]));
/// assert!((lp.to_vec()[0] - 0.5f64.ln()).abs() < 1e-12);
/// assert_eq!(c.sample().to_vec()[1], 0);
/// # Ok::<(), typed_torch::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Categorical<S: SplitLast, E: Float = f32, Dev: Device = Cpu> {
    /// Normalised: each row's `logsumexp` is 0.
    logits: Tensor<S, E, Dev>,
    probs: Tensor<S, E, Dev>,
}

impl<S: SplitLast, E: Float, Dev: Device> Categorical<S, E, Dev> {
    /// From unnormalised log-probabilities (a classifier's or a policy's output), checked not to
    /// be NaN.
    ///
    /// # Errors
    ///
    /// [`Error::Parameter`](crate::Error::Parameter) naming the first NaN.
    pub fn from_logits(logits: Tensor<S, E, Dev>) -> Result<Self> {
        real("Categorical", "logits", logits.as_tch())?;
        Ok(Self::from_logits_unvalidated(logits))
    }

    /// From unnormalised log-probabilities, unchecked; they are normalised, as in PyTorch.
    pub fn from_logits_unvalidated(logits: Tensor<S, E, Dev>) -> Self {
        let l = logits.as_tch();
        let normalised = l - l.logsumexp([-1i64].as_slice(), true);
        let probs = normalised.softmax(-1, l.kind());
        Categorical {
            logits: Tensor::wrap(normalised),
            probs: Tensor::wrap(probs),
        }
    }

    /// From probabilities, checked: non-negative, each row summing to 1 (within 1e-6).
    ///
    /// # Errors
    ///
    /// [`Error::Parameter`](crate::Error::Parameter) naming a negative entry or the first row
    /// whose sum is off.
    pub fn from_probs(probs: Tensor<S, E, Dev>) -> Result<Self> {
        simplex("Categorical", "probs", probs.as_tch())?;
        Ok(Self::from_probs_unvalidated(probs))
    }

    /// From non-negative weights, unchecked; each row is divided by its sum, as in PyTorch, and
    /// the log-probabilities are taken of the probabilities clamped to `[eps, 1 - eps]`.
    pub fn from_probs_unvalidated(probs: Tensor<S, E, Dev>) -> Self {
        let p = probs.as_tch();
        let p = p / p.sum_dim_intlist([-1i64].as_slice(), true, p.kind());
        let eps = machine_epsilon(p.kind());
        let logits = p.clamp(eps, 1.0 - eps).log();
        Categorical {
            logits: Tensor::wrap(logits),
            probs: Tensor::wrap(p),
        }
    }

    /// The normalised log-probabilities.
    pub fn logits(&self) -> &Tensor<S, E, Dev> {
        &self.logits
    }

    /// The probabilities.
    pub fn probs(&self) -> &Tensor<S, E, Dev> {
        &self.probs
    }

    /// The number of categories.
    pub fn categories(&self) -> usize {
        *self
            .logits
            .size()
            .last()
            .expect("a categorical's logits have an axis")
    }
}

impl<S: SplitLast, E: Float, Dev: Device> Distribution for Categorical<S, E, Dev> {
    type Batch = S::Init;
    type E = E;
    type Dev = Dev;
    type Value = Tensor<S::Init, i64, Dev>;

    fn sample(&self) -> Self::Value {
        crate::no_grad(|| {
            let p = self.probs.as_tch();
            let k = *p
                .size()
                .last()
                .expect("a categorical's logits have an axis");
            let batch = &p.size()[..p.dim() - 1];
            let drawn = p.reshape([-1, k]).multinomial(1, true);
            Tensor::wrap(drawn.reshape(batch))
        })
    }

    /// The log-probability of each category index in `value`.
    ///
    /// # Panics
    ///
    /// At the caller's line, when an index is outside `0..categories` or `Dyn` batch sizes
    /// differ.
    #[track_caller]
    fn log_prob(&self, value: &Self::Value) -> Tensor<S::Init, E, Dev> {
        let (logits, index) = (self.logits.as_tch(), value.as_tch().unsqueeze(-1));
        let (l, v) = (logits.size(), index.size());
        if l[..l.len() - 1] != v[..v.len() - 1] {
            fail(refuse(
                "Categorical::log_prob",
                &[logits, value.as_tch()],
                Needs::Equal("category indices of the distribution's batch sizes"),
            ));
        }
        let axis = l.len() - 1;
        let gathered = check(
            "Categorical::log_prob",
            &[logits, &index],
            Needs::Gather(axis),
            logits.f_gather(-1, &index, false),
        );
        match gathered {
            Ok(g) => Tensor::wrap(g.squeeze_dim(-1)),
            Err(err) => fail(err),
        }
    }

    /// `-sum p log p` over the categories; a category of probability 0 adds 0.
    fn entropy(&self) -> Tensor<S::Init, E, Dev> {
        let finite = self
            .logits
            .as_tch()
            .clamp_min(lowest(self.logits.as_tch().kind()));
        let p_log_p = finite * self.probs.as_tch();
        let kind = p_log_p.kind();
        Tensor::wrap(
            p_log_p
                .sum_dim_intlist([-1i64].as_slice(), false, kind)
                .neg(),
        )
    }
}

/// `sum p (log p - log q)` over the categories; infinite where `q` rules out a category `p`
/// allows, as in PyTorch.
impl<S: SplitLast, E: Float, Dev: Device> KlDivergence<Categorical<S, E, Dev>>
    for Categorical<S, E, Dev>
{
    #[track_caller]
    fn kl_divergence(&self, q: &Categorical<S, E, Dev>) -> Tensor<S::Init, E, Dev> {
        super::same_sizes::<S>(
            "kl_divergence",
            "distributions of equal batch sizes and categories",
            &[self.logits.as_tch(), q.logits.as_tch()],
        );
        let (p_probs, q_probs) = (self.probs.as_tch(), q.probs.as_tch());
        let t = p_probs * (self.logits.as_tch() - q.logits.as_tch());
        let t = (t.ones_like() * f64::INFINITY)
            .where_self(&q_probs.eq(0.0), &t)
            .where_self(&p_probs.ne(0.0), &t.zeros_like());
        let kind = t.kind();
        Tensor::wrap(t.sum_dim_intlist([-1i64].as_slice(), false, kind))
    }
}

/// The most negative finite value of a float kind (`torch.finfo(dtype).min`).
fn lowest(kind: tch::Kind) -> f64 {
    match kind {
        tch::Kind::Double => f64::MIN,
        tch::Kind::Half => -65504.0,
        tch::Kind::BFloat16 => -3.389_531_389_251_535e38,
        _ => f32::MIN as f64,
    }
}

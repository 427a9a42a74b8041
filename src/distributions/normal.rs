//! The normal distribution, `torch.distributions.Normal`.
use super::validate::{real, Constraint};
use super::{same_sizes, Distribution, KlDivergence, Rsample};
use crate::device::{Cpu, Device};
use crate::element::Float;
use crate::error::Result;
use crate::shape::{Shape, StaticShape};
use crate::tensor::Tensor;

/// `log(sqrt(2 pi))`.
const LOG_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// Independent normal distributions with means `loc` and standard deviations `scale`, one per
/// entry of the batch shape `S`.
///
/// ```
/// use typed_torch::distributions::{Distribution, Normal};
/// use typed_torch::{Tensor, D};
/// let n = Normal::new(Tensor::<(D<2>,), f64>::from_array([0.0, 1.0]), Tensor::full(2.0))?;
/// let lp = n.log_prob(&Tensor::from_array([0.0, 1.0]));
/// let expected = -(2.0f64).ln() - 0.5 * (2.0 * std::f64::consts::PI).ln();
/// assert!((lp.to_vec()[1] - expected).abs() < 1e-12);
/// # Ok::<(), typed_torch::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Normal<S: Shape, E: Float = f32, Dev: Device = Cpu> {
    loc: Tensor<S, E, Dev>,
    scale: Tensor<S, E, Dev>,
}

impl<S: Shape, E: Float, Dev: Device> Normal<S, E, Dev> {
    /// The distribution, its parameters checked: `loc` not NaN, `scale` positive.
    ///
    /// # Errors
    ///
    /// [`Error::Parameter`](crate::Error::Parameter) naming the first bad entry, or
    /// [`Error::Operands`](crate::Error::Operands) when `Dyn` sizes of `loc` and `scale` differ.
    pub fn new(loc: Tensor<S, E, Dev>, scale: Tensor<S, E, Dev>) -> Result<Self> {
        super::equal_sizes::<S>("Normal", &[loc.as_tch(), scale.as_tch()])?;
        real("Normal", "loc", loc.as_tch())?;
        let positive = Constraint {
            distribution: "Normal",
            parameter: "scale",
            constraint: "positive (> 0)",
        };
        crate::no_grad(|| positive.check(scale.as_tch(), scale.as_tch().gt(0.0)))?;
        Ok(Normal { loc, scale })
    }

    /// The distribution without checking its parameters (no read-back from the device), for
    /// training loops whose scales are positive by construction (`exp`, `softplus`).
    ///
    /// # Panics
    ///
    /// At the caller's line, when `Dyn` sizes of `loc` and `scale` differ.
    #[track_caller]
    pub fn new_unvalidated(loc: Tensor<S, E, Dev>, scale: Tensor<S, E, Dev>) -> Self {
        same_sizes::<S>(
            "Normal",
            "a scale of the mean's sizes",
            &[loc.as_tch(), scale.as_tch()],
        );
        Normal { loc, scale }
    }

    /// The mean.
    pub fn loc(&self) -> &Tensor<S, E, Dev> {
        &self.loc
    }

    /// The standard deviation.
    pub fn scale(&self) -> &Tensor<S, E, Dev> {
        &self.scale
    }

    /// The mean (`loc`).
    pub fn mean(&self) -> Tensor<S, E, Dev> {
        self.loc.clone()
    }

    /// The mode (`loc`).
    pub fn mode(&self) -> Tensor<S, E, Dev> {
        self.loc.clone()
    }

    /// The variance, `scale^2`.
    pub fn variance(&self) -> Tensor<S, E, Dev> {
        self.scale.square()
    }

    /// The cumulative distribution function at `value`.
    #[track_caller]
    pub fn cdf(&self, value: &Tensor<S, E, Dev>) -> Tensor<S, E, Dev> {
        self.fits("Normal::cdf", value);
        let z = (value.as_tch() - self.loc.as_tch()) / self.scale.as_tch();
        Tensor::wrap((z / std::f64::consts::SQRT_2).erf() * 0.5 + 0.5)
    }

    /// The inverse of the cumulative distribution function at probabilities `p`.
    #[track_caller]
    pub fn icdf(&self, p: &Tensor<S, E, Dev>) -> Tensor<S, E, Dev> {
        self.fits("Normal::icdf", p);
        let z = (p.as_tch() * 2.0 - 1.0).erfinv() * std::f64::consts::SQRT_2;
        Tensor::wrap(self.loc.as_tch() + self.scale.as_tch() * z)
    }

    /// `loc + scale * eps` for standard normal noise `eps` of the batch's sizes: the draw
    /// [`rsample`](Rsample::rsample) makes, with noise of your own (to share it with another
    /// framework, or to reuse it).
    #[track_caller]
    pub fn rsample_with(&self, eps: &Tensor<S, E, Dev>) -> Tensor<S, E, Dev> {
        self.fits("Normal::rsample_with", eps);
        Tensor::wrap(self.loc.as_tch() + eps.as_tch() * self.scale.as_tch())
    }

    /// Standard normal noise of the batch's sizes, drawn from libtorch's generator as PyTorch
    /// draws it (so a seed gives PyTorch's numbers).
    fn noise(&self) -> Tensor<S, E, Dev> {
        let mut eps = self.loc.as_tch().zeros_like().detach();
        let _ = eps.normal_(0.0, 1.0);
        Tensor::wrap(eps)
    }

    #[track_caller]
    fn fits(&self, op: &'static str, value: &Tensor<S, E, Dev>) {
        same_sizes::<S>(
            op,
            "a value of the distribution's batch sizes",
            &[self.loc.as_tch(), value.as_tch()],
        );
    }
}

impl<S: StaticShape, E: Float, Dev: Device> Normal<S, E, Dev> {
    /// The standard normal, mean 0 and standard deviation 1 in every entry (a VAE's prior), on
    /// the device `Dev`.
    pub fn standard() -> Self {
        let options = (E::DTYPE, Dev::tch());
        Normal {
            loc: Tensor::wrap(tch::Tensor::zeros(S::sizes(), options)),
            scale: Tensor::wrap(tch::Tensor::ones(S::sizes(), options)),
        }
    }
}

impl<S: Shape, E: Float, Dev: Device> Distribution for Normal<S, E, Dev> {
    type Batch = S;
    type E = E;
    type Dev = Dev;
    type Value = Tensor<S, E, Dev>;

    fn sample(&self) -> Self::Value {
        crate::no_grad(|| self.rsample_with(&self.noise()))
    }

    #[track_caller]
    fn log_prob(&self, value: &Self::Value) -> Tensor<S, E, Dev> {
        self.fits("Normal::log_prob", value);
        let (loc, scale) = (self.loc.as_tch(), self.scale.as_tch());
        let variance = scale.square();
        let log_prob =
            -(value.as_tch() - loc).square() / (variance * 2.0) - scale.log() - LOG_SQRT_2PI;
        Tensor::wrap(log_prob)
    }

    fn entropy(&self) -> Tensor<S, E, Dev> {
        Tensor::wrap(self.scale.as_tch().log() + (0.5 + LOG_SQRT_2PI))
    }
}

impl<S: Shape, E: Float, Dev: Device> Rsample for Normal<S, E, Dev> {
    fn rsample(&self) -> Self::Value {
        self.rsample_with(&self.noise())
    }
}

/// `log(s_p / s_q) + (s_p^2 + (m_p - m_q)^2) / (2 s_q^2) - 1/2`, in PyTorch's arrangement.
impl<S: Shape, E: Float, Dev: Device> KlDivergence<Normal<S, E, Dev>> for Normal<S, E, Dev> {
    #[track_caller]
    fn kl_divergence(&self, q: &Normal<S, E, Dev>) -> Tensor<S, E, Dev> {
        same_sizes::<S>(
            "kl_divergence",
            "distributions of equal batch sizes",
            &[self.loc.as_tch(), q.loc.as_tch()],
        );
        let var_ratio = (self.scale.as_tch() / q.scale.as_tch()).square();
        let t1 = ((self.loc.as_tch() - q.loc.as_tch()) / q.scale.as_tch()).square();
        Tensor::wrap((&var_ratio + t1 - 1.0 - var_ratio.log()) * 0.5)
    }
}

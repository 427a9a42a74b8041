//! Integrated gradients: the input gradient averaged along the path from a baseline.
use super::quadrature::Quadrature;
use super::scores::{score_gradient, target_scores};
use crate::device::Device;
use crate::dims::{Dim, D};
use crate::element::Float;
use crate::error::{Error, Result};
use crate::shape::Shape;
use crate::tensor::Tensor;

/// Integrated gradients (Sundararajan et al., 2017): for each input value,
/// `(x - baseline) * integral over a in [0, 1] of d score / d input at baseline + a (x - baseline)`,
/// by a [`Quadrature`] rule with `steps` points (Captum's defaults: 50 Gauss-Legendre points).
///
/// The attributions of a sample add up to `score(x) - score(baseline)` up to the quadrature's
/// error, which [`Attribution::delta`] reports (Captum's convergence delta).
///
/// ```
/// use typed_torch::interpret::IntegratedGradients;
/// use typed_torch::{Tensor, D};
/// // score = x0^2 + x1: attributions x0^2 and x1 from a zero baseline.
/// let classify = |x: Tensor<(D<1>, D<2>), f64>| {
///     let x0 = x.narrow::<1, 0, 1>();
///     &x0 * &x0 + x.narrow::<1, 1, 1>()
/// };
/// let x = Tensor::<(D<1>, D<2>), f64>::from_slice(&[3.0, 2.0]).unwrap();
/// let zero = Tensor::zeros();
/// let ig = IntegratedGradients::default().attribute(classify, &x, &zero, &[0]).unwrap();
/// let a = ig.attributions.to_vec();
/// assert!((a[0] - 9.0).abs() < 1e-12 && (a[1] - 2.0).abs() < 1e-12);
/// assert!(ig.delta[0].abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntegratedGradients {
    /// Points along the path (one forward and backward pass each).
    pub steps: usize,
    /// The quadrature rule.
    pub method: Quadrature,
}

impl Default for IntegratedGradients {
    /// Captum's defaults: 50 Gauss-Legendre points.
    fn default() -> Self {
        IntegratedGradients {
            steps: 50,
            method: Quadrature::GaussLegendre,
        }
    }
}

/// Attributions and how well they account for the change in score.
#[derive(Debug)]
pub struct Attribution<S: Shape, E: Float, Dev: Device> {
    /// One value per input value.
    pub attributions: Tensor<S, E, Dev>,
    /// Per sample, `sum(attributions) - (score(x) - score(baseline))`: zero for the exact
    /// integral (completeness), so its size measures the quadrature's error.
    pub delta: Vec<f64>,
}

impl IntegratedGradients {
    /// Attributions of each sample's `targets` score to the inputs `x`, along the straight path
    /// from `baseline` (often zeros: a black image).
    pub fn attribute<S, B, const K: usize, E, Dev>(
        &self,
        classify: impl Fn(Tensor<S, E, Dev>) -> Tensor<(B, D<K>), E, Dev>,
        x: &Tensor<S, E, Dev>,
        baseline: &Tensor<S, E, Dev>,
        targets: &[usize],
    ) -> Result<Attribution<S, E, Dev>>
    where
        S: Shape,
        B: Dim,
        E: Float,
        Dev: Device,
    {
        const OP: &str = "integrated gradients";
        if self.steps < self.method.min_points() {
            return Err(Error::Invalid(format!(
                "{OP}: {:?} needs at least {} steps, found {}",
                self.method,
                self.method.min_points(),
                self.steps
            )));
        }
        if baseline.size() != x.size() {
            return Err(Error::Invalid(format!(
                "{OP}: the baseline has sizes {:?}, the input {:?}",
                baseline.size(),
                x.size()
            )));
        }
        let path = x.as_tch().f_sub(baseline.as_tch())?.f_detach()?;
        let mut total = path.f_zeros_like()?;
        for (alpha, weight) in self.method.points(self.steps) {
            let point = Tensor::wrap(baseline.as_tch().f_add(&path.f_mul_scalar(alpha)?)?);
            let (grad, _) = score_gradient(OP, &classify, &point, targets)?;
            total = total.f_add(&grad.as_tch().f_mul_scalar(weight)?)?;
        }
        let attributions = total.f_mul(&path)?;
        let change = crate::no_grad(|| -> Result<tch::Tensor> {
            let at_x = target_scores(OP, &classify(x.detach()), targets)?;
            let at_base = target_scores(OP, &classify(baseline.detach()), targets)?;
            Ok(at_x.f_sub(&at_base)?)
        })?;
        let batch = x.size()[0] as i64;
        let sums =
            attributions
                .f_view([batch, -1])?
                .f_sum_dim_intlist(1, false, tch::Kind::Double)?;
        let delta = sums.f_sub(&change.f_to_kind(tch::Kind::Double)?)?;
        Ok(Attribution {
            attributions: Tensor::wrap(attributions),
            delta: Vec::<f64>::try_from(&delta.f_to_device(tch::Device::Cpu)?)?,
        })
    }
}

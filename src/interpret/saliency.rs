//! Saliency maps: the absolute input gradient of a class score.
use super::scores::score_gradient;
use crate::device::Device;
use crate::dims::{Dim, D};
use crate::element::Float;
use crate::error::Result;
use crate::shape::Shape;
use crate::tensor::Tensor;

/// `|d score[target] / d input|` for each sample of the batch `x`: which input values move the
/// score most, whatever the direction (Captum's `Saliency` with `abs=True`).
///
/// `targets` holds one class per sample; an error if its length is not the batch size or a
/// class is out of range.
///
/// ```
/// use typed_torch::interpret::saliency;
/// use typed_torch::{Cat, Tensor, D};
/// // score_k = sum_i x_i^2 * (k + 1): the gradient is 2 (k + 1) x.
/// let classify = |x: Tensor<(D<1>, D<2>), f64>| {
///     let sq = (&x * &x).sum::<1>().unsqueeze::<1>();
///     sq.cat::<1>(&(&sq * 2.0))
/// };
/// let x = Tensor::<(D<1>, D<2>), f64>::from_slice(&[1.0, -3.0]).unwrap();
/// assert_eq!(saliency(classify, &x, &[1]).unwrap().to_vec(), vec![4.0, 12.0]);
/// ```
pub fn saliency<S, B, const K: usize, E, Dev>(
    classify: impl Fn(Tensor<S, E, Dev>) -> Tensor<(B, D<K>), E, Dev>,
    x: &Tensor<S, E, Dev>,
    targets: &[usize],
) -> Result<Tensor<S, E, Dev>>
where
    S: Shape,
    B: Dim,
    E: Float,
    Dev: Device,
{
    let (grad, _) = score_gradient("saliency", &classify, x, targets)?;
    Ok(Tensor::wrap(grad.as_tch().f_abs()?))
}

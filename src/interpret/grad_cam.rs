//! Grad-CAM: where in a convolutional stage's feature maps the evidence for a class lies.
use super::scores::check_targets;
use super::scores::target_scores;
use crate::device::Device;
use crate::dims::{Dim, D};
use crate::element::Float;
use crate::error::{Error, Result};
use crate::shape::Shape;
use crate::tensor::Tensor;

/// Grad-CAM (Selvaraju et al., 2017) at the output of a convolutional stage: the model is split
/// into `features` (input to the stage's `(B, C, H, W)` activations) and `head` (activations to
/// scores); each channel's activations are weighted by the mean over `H` x `W` of the target
/// score's gradient, and the channels summed, giving one `(H, W)` map per sample.
///
/// This is Captum's `LayerGradCam(...).attribute(x, target)`, which keeps negative values; the
/// paper's map is its `.relu()`. Upsample it to the input's size to overlay it (see
/// [`heatmap_overlay`](super::heatmap_overlay)).
///
/// ```
/// use typed_torch::interpret::grad_cam;
/// use typed_torch::nn::{Conv2d, Flatten, Init, Linear, Module};
/// use typed_torch::{Tensor, D};
///
/// let conv = Conv2d::<1, 4, 3>::init().unwrap();
/// let fc = Linear::<{ 4 * 6 * 6 }, 10>::init().unwrap();
/// let x = Tensor::<(D<2>, D<1>, D<8>, D<8>)>::randn();
/// let cam = grad_cam(
///     |x| conv.forward(x).relu(),
///     |a| fc.forward(Flatten.forward(a)),
///     &x,
///     &[3, 7],
/// )
/// .unwrap();
/// assert_eq!(cam.size(), vec![2, 1, 6, 6]);
/// ```
pub fn grad_cam<S, B, const C: usize, H, W, const K: usize, E, Dev>(
    features: impl Fn(Tensor<S, E, Dev>) -> Tensor<(B, D<C>, H, W), E, Dev>,
    head: impl Fn(Tensor<(B, D<C>, H, W), E, Dev>) -> Tensor<(B, D<K>), E, Dev>,
    x: &Tensor<S, E, Dev>,
    targets: &[usize],
) -> Result<Tensor<(B, D<1>, H, W), E, Dev>>
where
    S: Shape,
    B: Dim,
    H: Dim,
    W: Dim,
    E: Float,
    Dev: Device,
{
    const OP: &str = "grad_cam";
    check_targets(OP, targets, x.size()[0], K)?;
    // The stage's activations as a leaf: only the head's part of the graph is needed.
    let acts = crate::no_grad(|| features(x.detach()))
        .detach()
        .requires_grad();
    let scores = target_scores(OP, &head(acts.share()), targets)?;
    let total = scores.f_sum(E::DTYPE)?;
    if !total.requires_grad() {
        return Err(Error::Invalid(format!(
            "{OP}: the scores do not depend on the stage's activations through anything differentiable"
        )));
    }
    let grad = tch::Tensor::f_run_backward(&[&total], &[acts.as_tch()], false, false)?.remove(0);
    let channel_weights = grad.f_mean_dim([2i64, 3].as_slice(), true, E::DTYPE)?;
    let cam = channel_weights
        .f_mul(acts.as_tch())?
        .f_sum_dim_intlist(1, true, E::DTYPE)?;
    Ok(Tensor::wrap(cam))
}

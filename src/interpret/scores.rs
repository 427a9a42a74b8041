//! The class scores attributions start from, and the gradient of their sum.
use crate::device::Device;
use crate::dims::{Dim, D};
use crate::element::Float;
use crate::error::{Error, Result};
use crate::shape::Shape;
use crate::tensor::Tensor;

/// Checks `targets` against the batch size and the class count.
pub(crate) fn check_targets(
    op: &str,
    targets: &[usize],
    batch: usize,
    classes: usize,
) -> Result<()> {
    if targets.len() != batch {
        return Err(Error::Invalid(format!(
            "{op}: {} target(s) for a batch of {batch}: give one class per sample",
            targets.len()
        )));
    }
    if let Some((i, t)) = targets.iter().enumerate().find(|(_, t)| **t >= classes) {
        return Err(Error::Invalid(format!(
            "{op}: target {t} of sample {i} is not a class of the model's {classes}"
        )));
    }
    Ok(())
}

/// Each sample's score for its target class, `(B,)`.
pub(crate) fn target_scores<B: Dim, const K: usize, E: Float, Dev: Device>(
    op: &str,
    logits: &Tensor<(B, D<K>), E, Dev>,
    targets: &[usize],
) -> Result<tch::Tensor> {
    let batch = logits.size()[0];
    check_targets(op, targets, batch, K)?;
    let index: Vec<i64> = targets.iter().map(|&t| t as i64).collect();
    let index = tch::Tensor::from_slice(&index)
        .f_to_device(Dev::tch())?
        .f_view([batch as i64, 1])?;
    Ok(logits
        .as_tch()
        .f_gather(1, &index, false)?
        .f_squeeze_dim(1)?)
}

/// The gradient of the summed target scores of `classify(at)` with respect to `at` (each sample's
/// score depends on its own input only, so the sum's gradient holds every sample's), and the
/// scores themselves.
pub(crate) fn score_gradient<S, B, const K: usize, E, Dev>(
    op: &str,
    classify: &impl Fn(Tensor<S, E, Dev>) -> Tensor<(B, D<K>), E, Dev>,
    at: &Tensor<S, E, Dev>,
    targets: &[usize],
) -> Result<(Tensor<S, E, Dev>, tch::Tensor)>
where
    S: Shape,
    B: Dim,
    E: Float,
    Dev: Device,
{
    let leaf = at.detach().requires_grad();
    let scores = target_scores(op, &classify(leaf.share()), targets)?;
    let total = scores.f_sum(E::DTYPE)?;
    if !total.requires_grad() {
        return Err(Error::Invalid(format!(
            "{op}: the scores do not depend on the input through anything differentiable"
        )));
    }
    let grad = tch::Tensor::f_run_backward(&[&total], &[leaf.as_tch()], false, false)?.remove(0);
    Ok((Tensor::wrap(grad), scores.f_detach()?))
}

//! Losses of a compiled step: the value and its gradient with respect to the model's output,
//! from libtorch's own forward and backward kernels.
use super::layer::buffer;
use crate::device::Device;
use crate::dims::Dim;
use crate::element::Float;
use crate::error::Result;
use crate::explain::{check, Needs};
use crate::tensor::Tensor;
use tch::Reduction::Mean;

/// A loss a [`TrainStep`](super::TrainStep) can end with, for model outputs `Out` and targets
/// `Target`.
pub trait StepLoss<Out, Target> {
    /// Buffers kept between steps.
    type Cache: Default;
    /// The loss of `output` against `target`, and its gradient with respect to `output`.
    fn loss_and_grad(
        &self,
        output: &tch::Tensor,
        target: &Target,
        cache: &mut Self::Cache,
    ) -> Result<(f64, tch::Tensor)>;
}

/// `F.cross_entropy(logits, labels)`, the mean over the batch: what
/// [`loss::cross_entropy`](crate::loss::cross_entropy) computes with [`Mean`](crate::loss::Mean).
#[derive(Clone, Copy, Debug, Default)]
pub struct CrossEntropy;

/// Buffers of [`CrossEntropy`].
#[derive(Default)]
pub struct CrossEntropyCache {
    log_probs: Option<tch::Tensor>,
    loss: Option<tch::Tensor>,
    nll_grad: Option<tch::Tensor>,
    grad: Option<tch::Tensor>,
    one: Option<tch::Tensor>,
    count: Option<(i64, tch::Tensor)>,
}

impl<B: Dim, C: Dim, E: Float, Dev: Device> StepLoss<Tensor<(B, C), E, Dev>, Tensor<(B,), i64, Dev>>
    for CrossEntropy
{
    type Cache = CrossEntropyCache;

    fn loss_and_grad(
        &self,
        logits: &tch::Tensor,
        labels: &Tensor<(B,), i64, Dev>,
        cache: &mut CrossEntropyCache,
    ) -> Result<(f64, tch::Tensor)> {
        let labels = labels.as_tch();
        let size = logits.size();
        let batch = size[0];
        // log_softmax + nll_loss forward and backward: the kernels autograd runs for
        // `F.cross_entropy`, so the gradient is the one autograd computes. A wrong batch or a
        // label outside the classes fails in nll_loss, explained as `loss::cross_entropy` does.
        let log_probs = buffer(&mut cache.log_probs, logits, &size);
        let _ = logits.internal_log_softmax_out(log_probs, 1, false);
        let loss = buffer(&mut cache.loss, logits, &[]);
        let result =
            log_probs.f_nll_loss_out(loss, labels, None::<tch::Tensor>, Mean, NO_IGNORED_CLASS);
        let _ = check(
            "cross_entropy",
            &[logits, labels],
            Needs::ClassTargets,
            result,
        )?;
        if cache.one.as_ref().is_none_or(|t| t.kind() != logits.kind()) {
            cache.one = Some(tch::Tensor::ones([], (logits.kind(), logits.device())));
        }
        let one = cache.one.as_ref().expect("just set");
        if cache.count.as_ref().is_none_or(|(n, _)| *n != batch) {
            let count = tch::Tensor::full([], batch as f64, (logits.kind(), logits.device()));
            cache.count = Some((batch, count));
        }
        let (_, count) = cache.count.as_ref().expect("just set");
        let nll_grad = buffer(&mut cache.nll_grad, logits, &size);
        let _ = log_probs.nll_loss_backward_grad_input(
            nll_grad,
            one,
            labels,
            None::<tch::Tensor>,
            Mean,
            NO_IGNORED_CLASS,
            count,
        );
        let grad = buffer(&mut cache.grad, logits, &size);
        let _ = tch::Tensor::internal_log_softmax_backward_data_out(
            grad,
            nll_grad,
            log_probs,
            1,
            logits.kind(),
        );
        Ok((loss.double_value(&[]), grad.shallow_clone()))
    }
}

/// No label is skipped: every one must be a class index (PyTorch's default of -100 would skip
/// that label silently; the kernels check every other value).
const NO_IGNORED_CLASS: i64 = i64::MIN;

//! Losses with typed operands: predictions and targets must have the same shape (or, for
//! classification, logits `(B, C)` against `i64` class indices `(B,)`), so a mismatch does not
//! compile. The reduction is a value whose type fixes the result's shape: [`Mean`] and [`Sum`]
//! give a rank-0 tensor (ready for `backward`), [`Elementwise`] keeps one loss per element.
//!
//! ```
//! use typed_torch::loss::{self, Mean};
//! use typed_torch::{Tensor, D};
//! let logits = Tensor::<(D<2>, D<3>)>::from_array([[2.0, 0.5, 0.1], [0.1, 0.2, 3.0]]);
//! let labels = Tensor::<(D<2>,), i64>::from_array([0, 2]);
//! let l: Tensor<()> = loss::cross_entropy(&logits, &labels, Mean);
//! assert!(l.item() > 0.0 && l.item() < 0.5);
//! ```
use crate::device::Device;
use crate::dims::Dim;
use crate::element::Float;
use crate::shape::Shape;
use crate::tensor::Tensor;

mod sealed {
    pub trait Sealed {}
}

/// How per-element losses are combined; its type fixes the result's shape.
pub trait Reduction: sealed::Sealed + Copy {
    /// The result shape for per-element losses of shape `S`.
    type Output<S: Shape>: Shape;
    /// libtorch's code for it.
    fn tch(self) -> tch::Reduction;
}

/// The mean of the losses (PyTorch's default), a rank-0 tensor.
#[derive(Clone, Copy, Debug, Default)]
pub struct Mean;
/// The sum of the losses, a rank-0 tensor.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sum;
/// One loss per element (PyTorch's `reduction="none"`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Elementwise;

impl sealed::Sealed for Mean {}
impl sealed::Sealed for Sum {}
impl sealed::Sealed for Elementwise {}

impl Reduction for Mean {
    type Output<S: Shape> = ();
    fn tch(self) -> tch::Reduction {
        tch::Reduction::Mean
    }
}
impl Reduction for Sum {
    type Output<S: Shape> = ();
    fn tch(self) -> tch::Reduction {
        tch::Reduction::Sum
    }
}
impl Reduction for Elementwise {
    type Output<S: Shape> = S;
    fn tch(self) -> tch::Reduction {
        tch::Reduction::None
    }
}

type Reduced<R, S, E, Dev> = Tensor<<R as Reduction>::Output<S>, E, Dev>;

/// Mean squared error `(pred - target)^2`.
pub fn mse<R: Reduction, S: Shape, E: Float, Dev: Device>(
    pred: &Tensor<S, E, Dev>,
    target: &Tensor<S, E, Dev>,
    reduction: R,
) -> Reduced<R, S, E, Dev> {
    Tensor::wrap(pred.as_tch().mse_loss(target.as_tch(), reduction.tch()))
}

/// Mean absolute error `|pred - target|`.
pub fn l1<R: Reduction, S: Shape, E: Float, Dev: Device>(
    pred: &Tensor<S, E, Dev>,
    target: &Tensor<S, E, Dev>,
    reduction: R,
) -> Reduced<R, S, E, Dev> {
    Tensor::wrap(pred.as_tch().l1_loss(target.as_tch(), reduction.tch()))
}

/// Smooth L1: quadratic below `beta`, linear above (PyTorch's default `beta` is 1.0).
pub fn smooth_l1<R: Reduction, S: Shape, E: Float, Dev: Device>(
    pred: &Tensor<S, E, Dev>,
    target: &Tensor<S, E, Dev>,
    beta: f64,
    reduction: R,
) -> Reduced<R, S, E, Dev> {
    Tensor::wrap(
        pred.as_tch()
            .smooth_l1_loss(target.as_tch(), reduction.tch(), beta),
    )
}

/// Huber loss with threshold `delta` (PyTorch's default is 1.0).
pub fn huber<R: Reduction, S: Shape, E: Float, Dev: Device>(
    pred: &Tensor<S, E, Dev>,
    target: &Tensor<S, E, Dev>,
    delta: f64,
    reduction: R,
) -> Reduced<R, S, E, Dev> {
    Tensor::wrap(
        pred.as_tch()
            .huber_loss(target.as_tch(), reduction.tch(), delta),
    )
}

/// Options of [`cross_entropy_with`] and [`nll_with`].
#[derive(Clone, Copy, Debug, Default)]
pub struct ClassOptions<'a, C: Dim, E: Float, Dev: Device> {
    /// A weight per class (PyTorch's `weight`); the mean divides by the targets' total weight.
    pub class_weights: Option<&'a Tensor<(C,), E, Dev>>,
    /// Label smoothing in `[0, 1)` (cross entropy only).
    pub label_smoothing: f64,
}

/// Cross entropy of `logits` `(B, C)` against class indices `(B,)`, as `F.cross_entropy`.
pub fn cross_entropy<R: Reduction, B: Dim, C: Dim, E: Float, Dev: Device>(
    logits: &Tensor<(B, C), E, Dev>,
    targets: &Tensor<(B,), i64, Dev>,
    reduction: R,
) -> Reduced<R, (B,), E, Dev> {
    cross_entropy_with(
        logits,
        targets,
        reduction,
        ClassOptions {
            class_weights: None,
            label_smoothing: 0.0,
        },
    )
}

/// [`cross_entropy`] with class weights and/or label smoothing.
pub fn cross_entropy_with<R: Reduction, B: Dim, C: Dim, E: Float, Dev: Device>(
    logits: &Tensor<(B, C), E, Dev>,
    targets: &Tensor<(B,), i64, Dev>,
    reduction: R,
    options: ClassOptions<'_, C, E, Dev>,
) -> Reduced<R, (B,), E, Dev> {
    let weight = options.class_weights.map(|w| w.as_tch());
    Tensor::wrap(logits.as_tch().cross_entropy_loss(
        targets.as_tch(),
        weight,
        reduction.tch(),
        -100,
        options.label_smoothing,
    ))
}

/// Negative log-likelihood of log-probabilities `(B, C)` against class indices `(B,)`.
pub fn nll<R: Reduction, B: Dim, C: Dim, E: Float, Dev: Device>(
    log_probs: &Tensor<(B, C), E, Dev>,
    targets: &Tensor<(B,), i64, Dev>,
    reduction: R,
) -> Reduced<R, (B,), E, Dev> {
    nll_with(
        log_probs,
        targets,
        reduction,
        ClassOptions {
            class_weights: None,
            label_smoothing: 0.0,
        },
    )
}

/// [`nll`] with class weights (label smoothing does not apply to NLL and is ignored).
pub fn nll_with<R: Reduction, B: Dim, C: Dim, E: Float, Dev: Device>(
    log_probs: &Tensor<(B, C), E, Dev>,
    targets: &Tensor<(B,), i64, Dev>,
    reduction: R,
    options: ClassOptions<'_, C, E, Dev>,
) -> Reduced<R, (B,), E, Dev> {
    let weight = options.class_weights.map(|w| w.as_tch());
    Tensor::wrap(
        log_probs
            .as_tch()
            .nll_loss_nd(targets.as_tch(), weight, reduction.tch(), -100),
    )
}

/// Binary cross entropy of probabilities in `[0, 1]` against targets of the same shape.
pub fn bce<R: Reduction, S: Shape, E: Float, Dev: Device>(
    probs: &Tensor<S, E, Dev>,
    target: &Tensor<S, E, Dev>,
    reduction: R,
) -> Reduced<R, S, E, Dev> {
    Tensor::wrap(probs.as_tch().binary_cross_entropy::<&tch::Tensor>(
        target.as_tch(),
        None,
        reduction.tch(),
    ))
}

/// Binary cross entropy from logits (numerically stable), optionally weighting positive targets
/// element by element with `pos_weight` (PyTorch's `pos_weight`, here of the full shape).
pub fn bce_with_logits<R: Reduction, S: Shape, E: Float, Dev: Device>(
    logits: &Tensor<S, E, Dev>,
    target: &Tensor<S, E, Dev>,
    pos_weight: Option<&Tensor<S, E, Dev>>,
    reduction: R,
) -> Reduced<R, S, E, Dev> {
    Tensor::wrap(
        logits
            .as_tch()
            .binary_cross_entropy_with_logits::<&tch::Tensor>(
                target.as_tch(),
                None,
                pos_weight.map(|w| w.as_tch()),
                reduction.tch(),
            ),
    )
}

/// Kullback-Leibler divergence `KL(target || input)` where `input` holds log-probabilities and
/// `target` probabilities (or log-probabilities when `log_target`), as `F.kl_div`. For PyTorch's
/// `reduction="batchmean"`, use [`Sum`] and divide by the batch size.
pub fn kl_div<R: Reduction, S: Shape, E: Float, Dev: Device>(
    input: &Tensor<S, E, Dev>,
    target: &Tensor<S, E, Dev>,
    log_target: bool,
    reduction: R,
) -> Reduced<R, S, E, Dev> {
    Tensor::wrap(
        input
            .as_tch()
            .kl_div(target.as_tch(), reduction.tch(), log_target),
    )
}

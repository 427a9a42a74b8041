//! Losses with typed operands: predictions and targets must have the same shape (or, for
//! classification, logits `(B, C)` against `i64` class indices `(B,)`), so a mismatch does not
//! compile. The reduction is a value whose type fixes the result's shape: [`Mean`] and [`Sum`]
//! give a rank-0 tensor (ready for `backward`), [`Elementwise`] keeps one loss per element.
//!
//! `Dyn` sizes are only known at run time. A loss checks that they agree: elementwise losses need
//! a prediction and a target of equal sizes (libtorch alone would broadcast a prediction of size 1
//! against 4 targets and return a number), class-index losses one target per row of logits and
//! every index in `0..C` (or -100, ignored). A mismatch panics at the caller's line with one
//! sentence naming the loss and both sizes; each loss has a `try_` form that returns the
//! [`Error::Operands`](crate::Error::Operands) instead. Static shapes need no check, and get none.
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
use crate::error::Result;
use crate::explain::{check, or_panic, refuse, Needs};
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

/// What elementwise losses need of their operands.
const SAME_SIZES: Needs = Needs::Equal("equal sizes (a loss does not broadcast)");

/// Whether a shape has a `Dyn` dim, i.e. whether two tensors of it can differ in size.
const fn has_dyn(dims: &[Option<usize>]) -> bool {
    let mut i = 0;
    while i < dims.len() {
        if dims[i].is_none() {
            return true;
        }
        i += 1;
    }
    false
}

/// An elementwise loss: refuses operands (prediction, target, optional weight) of shape `S` whose
/// `Dyn` sizes differ, which libtorch would broadcast, then makes the libtorch call. For a static
/// `S` the check compiles away.
fn elementwise<S: Shape, R: Shape, E: Float, Dev: Device>(
    op: &'static str,
    operands: &[&tch::Tensor],
    call: impl FnOnce() -> core::result::Result<tch::Tensor, tch::TchError>,
) -> Result<Tensor<R, E, Dev>> {
    if const { has_dyn(S::DIMS) } {
        let first = operands[0].size();
        if operands[1..].iter().any(|t| t.size() != first) {
            return Err(refuse(op, operands, SAME_SIZES));
        }
    }
    check(op, operands, SAME_SIZES, call()).map(Tensor::wrap)
}

/// A class-index loss's libtorch result, its failure explained from the logits, the targets and
/// the class weights.
fn class_loss<R: Shape, E: Float, Dev: Device>(
    op: &'static str,
    logits: &tch::Tensor,
    targets: &tch::Tensor,
    weight: Option<&tch::Tensor>,
    result: core::result::Result<tch::Tensor, tch::TchError>,
) -> Result<Tensor<R, E, Dev>> {
    match weight {
        Some(w) => check(op, &[logits, targets, w], Needs::ClassTargets, result),
        None => check(op, &[logits, targets], Needs::ClassTargets, result),
    }
    .map(Tensor::wrap)
}

/// Mean squared error `(pred - target)^2`.
///
/// # Panics
///
/// At the caller's line, when `Dyn` sizes of `pred` and `target` differ; [`try_mse`] returns the
/// error instead.
#[track_caller]
pub fn mse<R: Reduction, S: Shape, E: Float, Dev: Device>(
    pred: &Tensor<S, E, Dev>,
    target: &Tensor<S, E, Dev>,
    reduction: R,
) -> Reduced<R, S, E, Dev> {
    or_panic(try_mse(pred, target, reduction))
}

/// [`mse`], or an [`Error::Operands`](crate::Error::Operands) when `Dyn` sizes of `pred` and
/// `target` differ.
///
/// ```
/// use typed_torch::loss::{try_mse, Mean};
/// use typed_torch::{Dyn, Tensor};
/// let pred = Tensor::<(Dyn,)>::zeros_dyn(&[1]).unwrap();
/// let target = Tensor::<(Dyn,)>::ones_dyn(&[4]).unwrap();
/// let err = try_mse(&pred, &target, Mean).unwrap_err();
/// assert!(err.to_string().starts_with("mse of sizes [1] and [4]"));
/// ```
pub fn try_mse<R: Reduction, S: Shape, E: Float, Dev: Device>(
    pred: &Tensor<S, E, Dev>,
    target: &Tensor<S, E, Dev>,
    reduction: R,
) -> Result<Reduced<R, S, E, Dev>> {
    let (p, t) = (pred.as_tch(), target.as_tch());
    elementwise::<S, _, E, Dev>("mse", &[p, t], || p.f_mse_loss(t, reduction.tch()))
}

/// Mean absolute error `|pred - target|`.
///
/// # Panics
///
/// At the caller's line, when `Dyn` sizes of `pred` and `target` differ; [`try_l1`] returns the
/// error instead.
#[track_caller]
pub fn l1<R: Reduction, S: Shape, E: Float, Dev: Device>(
    pred: &Tensor<S, E, Dev>,
    target: &Tensor<S, E, Dev>,
    reduction: R,
) -> Reduced<R, S, E, Dev> {
    or_panic(try_l1(pred, target, reduction))
}

/// [`l1`], or an [`Error::Operands`](crate::Error::Operands) when `Dyn` sizes of `pred` and
/// `target` differ.
///
/// ```
/// use typed_torch::loss::{try_l1, Sum};
/// use typed_torch::{Dyn, Tensor};
/// let pred = Tensor::<(Dyn,)>::zeros_dyn(&[3]).unwrap();
/// let target = Tensor::<(Dyn,)>::ones_dyn(&[3]).unwrap();
/// assert_eq!(try_l1(&pred, &target, Sum).unwrap().item(), 3.0);
/// ```
pub fn try_l1<R: Reduction, S: Shape, E: Float, Dev: Device>(
    pred: &Tensor<S, E, Dev>,
    target: &Tensor<S, E, Dev>,
    reduction: R,
) -> Result<Reduced<R, S, E, Dev>> {
    let (p, t) = (pred.as_tch(), target.as_tch());
    elementwise::<S, _, E, Dev>("l1", &[p, t], || p.f_l1_loss(t, reduction.tch()))
}

/// Smooth L1: quadratic below `beta`, linear above (PyTorch's default `beta` is 1.0).
///
/// # Panics
///
/// At the caller's line, when `Dyn` sizes of `pred` and `target` differ; [`try_smooth_l1`]
/// returns the error instead.
#[track_caller]
pub fn smooth_l1<R: Reduction, S: Shape, E: Float, Dev: Device>(
    pred: &Tensor<S, E, Dev>,
    target: &Tensor<S, E, Dev>,
    beta: f64,
    reduction: R,
) -> Reduced<R, S, E, Dev> {
    or_panic(try_smooth_l1(pred, target, beta, reduction))
}

/// [`smooth_l1`], or an [`Error::Operands`](crate::Error::Operands) when `Dyn` sizes of `pred`
/// and `target` differ.
///
/// ```
/// use typed_torch::loss::{try_smooth_l1, Mean};
/// use typed_torch::{Dyn, Tensor};
/// let pred = Tensor::<(Dyn,)>::zeros_dyn(&[2]).unwrap();
/// let target = Tensor::<(Dyn,)>::zeros_dyn(&[3]).unwrap();
/// assert!(try_smooth_l1(&pred, &target, 1.0, Mean).is_err());
/// ```
pub fn try_smooth_l1<R: Reduction, S: Shape, E: Float, Dev: Device>(
    pred: &Tensor<S, E, Dev>,
    target: &Tensor<S, E, Dev>,
    beta: f64,
    reduction: R,
) -> Result<Reduced<R, S, E, Dev>> {
    let (p, t) = (pred.as_tch(), target.as_tch());
    elementwise::<S, _, E, Dev>("smooth_l1", &[p, t], || {
        p.f_smooth_l1_loss(t, reduction.tch(), beta)
    })
}

/// Huber loss with threshold `delta` (PyTorch's default is 1.0).
///
/// # Panics
///
/// At the caller's line, when `Dyn` sizes of `pred` and `target` differ; [`try_huber`] returns
/// the error instead.
#[track_caller]
pub fn huber<R: Reduction, S: Shape, E: Float, Dev: Device>(
    pred: &Tensor<S, E, Dev>,
    target: &Tensor<S, E, Dev>,
    delta: f64,
    reduction: R,
) -> Reduced<R, S, E, Dev> {
    or_panic(try_huber(pred, target, delta, reduction))
}

/// [`huber`], or an [`Error::Operands`](crate::Error::Operands) when `Dyn` sizes of `pred` and
/// `target` differ.
///
/// ```
/// use typed_torch::loss::{try_huber, Mean};
/// use typed_torch::{Dyn, Tensor};
/// let pred = Tensor::<(Dyn,)>::zeros_dyn(&[2]).unwrap();
/// let target = Tensor::<(Dyn,)>::zeros_dyn(&[3]).unwrap();
/// assert!(try_huber(&pred, &target, 1.0, Mean).is_err());
/// ```
pub fn try_huber<R: Reduction, S: Shape, E: Float, Dev: Device>(
    pred: &Tensor<S, E, Dev>,
    target: &Tensor<S, E, Dev>,
    delta: f64,
    reduction: R,
) -> Result<Reduced<R, S, E, Dev>> {
    let (p, t) = (pred.as_tch(), target.as_tch());
    elementwise::<S, _, E, Dev>("huber", &[p, t], || {
        p.f_huber_loss(t, reduction.tch(), delta)
    })
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
///
/// # Panics
///
/// At the caller's line, when a `Dyn` batch differs between logits and targets, or a target is
/// outside `0..C` (and not the ignored -100); [`try_cross_entropy`] returns the error instead.
#[track_caller]
pub fn cross_entropy<R: Reduction, B: Dim, C: Dim, E: Float, Dev: Device>(
    logits: &Tensor<(B, C), E, Dev>,
    targets: &Tensor<(B,), i64, Dev>,
    reduction: R,
) -> Reduced<R, (B,), E, Dev> {
    or_panic(try_cross_entropy(logits, targets, reduction))
}

/// [`cross_entropy`], or an [`Error::Operands`](crate::Error::Operands) when the batches differ or
/// a target is not a class index.
///
/// ```
/// use typed_torch::loss::{try_cross_entropy, Mean};
/// use typed_torch::{Dyn, Tensor, D};
/// let logits = Tensor::<(Dyn, D<10>)>::zeros_dyn(&[8]).unwrap();
/// let labels = Tensor::<(Dyn,), i64>::zeros_dyn(&[4]).unwrap();
/// let err = try_cross_entropy(&logits, &labels, Mean).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "cross_entropy of sizes [8, 10] and [4]: expected one target per row of the logits (8), \
///      found 4 targets"
/// );
/// ```
pub fn try_cross_entropy<R: Reduction, B: Dim, C: Dim, E: Float, Dev: Device>(
    logits: &Tensor<(B, C), E, Dev>,
    targets: &Tensor<(B,), i64, Dev>,
    reduction: R,
) -> Result<Reduced<R, (B,), E, Dev>> {
    try_cross_entropy_with(
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
///
/// # Panics
///
/// As [`cross_entropy`], and when `Dyn` class weights are not one per class;
/// [`try_cross_entropy_with`] returns the error instead.
#[track_caller]
pub fn cross_entropy_with<R: Reduction, B: Dim, C: Dim, E: Float, Dev: Device>(
    logits: &Tensor<(B, C), E, Dev>,
    targets: &Tensor<(B,), i64, Dev>,
    reduction: R,
    options: ClassOptions<'_, C, E, Dev>,
) -> Reduced<R, (B,), E, Dev> {
    or_panic(try_cross_entropy_with(logits, targets, reduction, options))
}

/// [`cross_entropy_with`], or an [`Error::Operands`](crate::Error::Operands) when the batches
/// differ, a target is not a class index, or the class weights are not one per class.
///
/// ```
/// use typed_torch::loss::{try_cross_entropy_with, ClassOptions, Mean};
/// use typed_torch::{Dyn, Tensor, D};
/// let logits = Tensor::<(D<2>, D<3>)>::zeros();
/// let labels = Tensor::<(D<2>,), i64>::from_array([0, 7]);
/// let smooth = ClassOptions { class_weights: None, label_smoothing: 0.1 };
/// let err = try_cross_entropy_with(&logits, &labels, Mean, smooth).unwrap_err();
/// assert!(err.to_string().ends_with("expected class indices in 0..3 (or -100 to ignore), found 7 at position [1]"));
/// ```
pub fn try_cross_entropy_with<R: Reduction, B: Dim, C: Dim, E: Float, Dev: Device>(
    logits: &Tensor<(B, C), E, Dev>,
    targets: &Tensor<(B,), i64, Dev>,
    reduction: R,
    options: ClassOptions<'_, C, E, Dev>,
) -> Result<Reduced<R, (B,), E, Dev>> {
    let (x, y) = (logits.as_tch(), targets.as_tch());
    let weight = options.class_weights.map(|w| w.as_tch());
    let smoothing = options.label_smoothing;
    let result = x.f_cross_entropy_loss(y, weight, reduction.tch(), -100, smoothing);
    class_loss("cross_entropy", x, y, weight, result)
}

/// Negative log-likelihood of log-probabilities `(B, C)` against class indices `(B,)`.
///
/// # Panics
///
/// At the caller's line, when a `Dyn` batch differs between log-probabilities and targets, or a
/// target is outside `0..C` (and not the ignored -100); [`try_nll`] returns the error instead.
#[track_caller]
pub fn nll<R: Reduction, B: Dim, C: Dim, E: Float, Dev: Device>(
    log_probs: &Tensor<(B, C), E, Dev>,
    targets: &Tensor<(B,), i64, Dev>,
    reduction: R,
) -> Reduced<R, (B,), E, Dev> {
    or_panic(try_nll(log_probs, targets, reduction))
}

/// [`nll`], or an [`Error::Operands`](crate::Error::Operands) when the batches differ or a target
/// is not a class index.
///
/// ```
/// use typed_torch::loss::{try_nll, Mean};
/// use typed_torch::{Dyn, Tensor, D};
/// let log_probs = Tensor::<(Dyn, D<10>)>::zeros_dyn(&[8]).unwrap();
/// let labels = Tensor::<(Dyn,), i64>::zeros_dyn(&[4]).unwrap();
/// assert!(try_nll(&log_probs, &labels, Mean).is_err());
/// ```
pub fn try_nll<R: Reduction, B: Dim, C: Dim, E: Float, Dev: Device>(
    log_probs: &Tensor<(B, C), E, Dev>,
    targets: &Tensor<(B,), i64, Dev>,
    reduction: R,
) -> Result<Reduced<R, (B,), E, Dev>> {
    try_nll_with(
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
///
/// # Panics
///
/// As [`nll`], and when `Dyn` class weights are not one per class; [`try_nll_with`] returns the
/// error instead.
#[track_caller]
pub fn nll_with<R: Reduction, B: Dim, C: Dim, E: Float, Dev: Device>(
    log_probs: &Tensor<(B, C), E, Dev>,
    targets: &Tensor<(B,), i64, Dev>,
    reduction: R,
    options: ClassOptions<'_, C, E, Dev>,
) -> Reduced<R, (B,), E, Dev> {
    or_panic(try_nll_with(log_probs, targets, reduction, options))
}

/// [`nll_with`], or an [`Error::Operands`](crate::Error::Operands) when the batches differ, a
/// target is not a class index, or the class weights are not one per class.
///
/// ```
/// use typed_torch::loss::{try_nll_with, ClassOptions, Sum};
/// use typed_torch::{Dyn, Tensor, D};
/// let log_probs = Tensor::<(D<2>, Dyn)>::zeros_dyn(&[3]).unwrap();
/// let labels = Tensor::<(D<2>,), i64>::from_array([0, 2]);
/// let weights = Tensor::<(Dyn,)>::ones_dyn(&[4]).unwrap();
/// let options = ClassOptions { class_weights: Some(&weights), label_smoothing: 0.0 };
/// let err = try_nll_with(&log_probs, &labels, Sum, options).unwrap_err();
/// assert!(err.to_string().ends_with("expected one class weight per class (3), found 4 weights"));
/// ```
pub fn try_nll_with<R: Reduction, B: Dim, C: Dim, E: Float, Dev: Device>(
    log_probs: &Tensor<(B, C), E, Dev>,
    targets: &Tensor<(B,), i64, Dev>,
    reduction: R,
    options: ClassOptions<'_, C, E, Dev>,
) -> Result<Reduced<R, (B,), E, Dev>> {
    let (x, y) = (log_probs.as_tch(), targets.as_tch());
    let weight = options.class_weights.map(|w| w.as_tch());
    let result = x.f_nll_loss_nd(y, weight, reduction.tch(), -100);
    class_loss("nll", x, y, weight, result)
}

/// Binary cross entropy of probabilities in `[0, 1]` against targets of the same shape.
///
/// # Panics
///
/// At the caller's line, when `Dyn` sizes of `probs` and `target` differ; [`try_bce`] returns
/// the error instead.
#[track_caller]
pub fn bce<R: Reduction, S: Shape, E: Float, Dev: Device>(
    probs: &Tensor<S, E, Dev>,
    target: &Tensor<S, E, Dev>,
    reduction: R,
) -> Reduced<R, S, E, Dev> {
    or_panic(try_bce(probs, target, reduction))
}

/// [`bce`], or an [`Error::Operands`](crate::Error::Operands) when `Dyn` sizes of `probs` and
/// `target` differ.
///
/// ```
/// use typed_torch::loss::{try_bce, Mean};
/// use typed_torch::{Dyn, Tensor};
/// let probs = Tensor::<(Dyn,)>::zeros_dyn(&[1]).unwrap().sigmoid();
/// let target = Tensor::<(Dyn,)>::ones_dyn(&[4]).unwrap();
/// assert!(try_bce(&probs, &target, Mean).is_err());
/// ```
pub fn try_bce<R: Reduction, S: Shape, E: Float, Dev: Device>(
    probs: &Tensor<S, E, Dev>,
    target: &Tensor<S, E, Dev>,
    reduction: R,
) -> Result<Reduced<R, S, E, Dev>> {
    let (p, t) = (probs.as_tch(), target.as_tch());
    elementwise::<S, _, E, Dev>("bce", &[p, t], || {
        p.f_binary_cross_entropy::<&tch::Tensor>(t, None, reduction.tch())
    })
}

/// Binary cross entropy from logits (numerically stable), optionally weighting positive targets
/// element by element with `pos_weight` (PyTorch's `pos_weight`, here of the full shape).
///
/// # Panics
///
/// At the caller's line, when `Dyn` sizes of `logits`, `target` and `pos_weight` differ;
/// [`try_bce_with_logits`] returns the error instead.
#[track_caller]
pub fn bce_with_logits<R: Reduction, S: Shape, E: Float, Dev: Device>(
    logits: &Tensor<S, E, Dev>,
    target: &Tensor<S, E, Dev>,
    pos_weight: Option<&Tensor<S, E, Dev>>,
    reduction: R,
) -> Reduced<R, S, E, Dev> {
    or_panic(try_bce_with_logits(logits, target, pos_weight, reduction))
}

/// [`bce_with_logits`], or an [`Error::Operands`](crate::Error::Operands) when `Dyn` sizes of
/// `logits`, `target` and `pos_weight` differ.
///
/// ```
/// use typed_torch::loss::{try_bce_with_logits, Mean};
/// use typed_torch::{Dyn, Tensor};
/// let logits = Tensor::<(Dyn,)>::zeros_dyn(&[4]).unwrap();
/// let target = Tensor::<(Dyn,)>::ones_dyn(&[4]).unwrap();
/// let pos_weight = Tensor::<(Dyn,)>::ones_dyn(&[1]).unwrap();
/// assert!(try_bce_with_logits(&logits, &target, None, Mean).is_ok());
/// assert!(try_bce_with_logits(&logits, &target, Some(&pos_weight), Mean).is_err());
/// ```
pub fn try_bce_with_logits<R: Reduction, S: Shape, E: Float, Dev: Device>(
    logits: &Tensor<S, E, Dev>,
    target: &Tensor<S, E, Dev>,
    pos_weight: Option<&Tensor<S, E, Dev>>,
    reduction: R,
) -> Result<Reduced<R, S, E, Dev>> {
    let (x, t, w) = (
        logits.as_tch(),
        target.as_tch(),
        pos_weight.map(|w| w.as_tch()),
    );
    let call = || x.f_binary_cross_entropy_with_logits::<&tch::Tensor>(t, None, w, reduction.tch());
    match w {
        Some(w) => elementwise::<S, _, E, Dev>("bce_with_logits", &[x, t, w], call),
        None => elementwise::<S, _, E, Dev>("bce_with_logits", &[x, t], call),
    }
}

/// Kullback-Leibler divergence `KL(target || input)` where `input` holds log-probabilities and
/// `target` probabilities (or log-probabilities when `log_target`), as `F.kl_div`. For PyTorch's
/// `reduction="batchmean"`, use [`Sum`] and divide by the batch size.
///
/// # Panics
///
/// At the caller's line, when `Dyn` sizes of `input` and `target` differ; [`try_kl_div`]
/// returns the error instead.
#[track_caller]
pub fn kl_div<R: Reduction, S: Shape, E: Float, Dev: Device>(
    input: &Tensor<S, E, Dev>,
    target: &Tensor<S, E, Dev>,
    log_target: bool,
    reduction: R,
) -> Reduced<R, S, E, Dev> {
    or_panic(try_kl_div(input, target, log_target, reduction))
}

/// [`kl_div`], or an [`Error::Operands`](crate::Error::Operands) when `Dyn` sizes of `input` and
/// `target` differ.
///
/// ```
/// use typed_torch::loss::{try_kl_div, Sum};
/// use typed_torch::{Dyn, Tensor};
/// let input = Tensor::<(Dyn,)>::zeros_dyn(&[1]).unwrap();
/// let target = Tensor::<(Dyn,)>::ones_dyn(&[4]).unwrap();
/// assert!(try_kl_div(&input, &target, false, Sum).is_err());
/// ```
pub fn try_kl_div<R: Reduction, S: Shape, E: Float, Dev: Device>(
    input: &Tensor<S, E, Dev>,
    target: &Tensor<S, E, Dev>,
    log_target: bool,
    reduction: R,
) -> Result<Reduced<R, S, E, Dev>> {
    let (x, t) = (input.as_tch(), target.as_tch());
    elementwise::<S, _, E, Dev>("kl_div", &[x, t], || {
        x.f_kl_div(t, reduction.tch(), log_target)
    })
}

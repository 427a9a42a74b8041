//! One-pass CPU kernels for f32/f64 flat buffers: every element of parameter, gradient and state
//! is read and written once per step, like libtorch's `_fused_adam_`, which `tch` does not expose.
//! Parameters and state are one flat range per group; gradients are the separate tensors autograd
//! made, each covering a known piece of that range. Other devices and dtypes take the tensor-op
//! path in each optimizer.
//!
//! Only the optimizer math lives here: the checks that let the buffers be read as slices, the
//! split over threads and the AVX2 dispatch are `crate::runtime`'s.
use std::ops::{Add, Div, Mul, Sub};

pub(crate) use crate::runtime::GradPart;
use crate::runtime::{for_each_piece_mut, simd, Scalar};

thread_local! {
    static ENABLED: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// Turns the fused CPU kernels off (or back on) for optimizer steps taken on this thread, so
/// tests can check the tensor-op path (the one CUDA and f16/bf16 take) on CPU too.
#[doc(hidden)]
pub fn set_fused_kernels(enabled: bool) {
    ENABLED.with(|e| e.set(enabled));
}

fn enabled() -> bool {
    ENABLED.with(|e| e.get())
}

/// The float types the kernels are instantiated for.
pub(crate) trait Real:
    Scalar
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
{
    fn of(x: f64) -> Self;
    fn sqrt(self) -> Self;
    fn is_nan(self) -> bool;
}

macro_rules! real {
    ($t:ty) => {
        impl Real for $t {
            fn of(x: f64) -> Self {
                x as $t
            }
            fn sqrt(self) -> Self {
                <$t>::sqrt(self)
            }
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
        }
    };
}
real!(f32);
real!(f64);

/// `torch.lerp` as libtorch's CPU kernel computes it (the form depends on the weight, for
/// accuracy near both ends).
#[inline(always)]
fn lerp<T: Real>(from: T, to: T, weight: T, weight_is_small: bool, one_minus_weight: T) -> T {
    if weight_is_small {
        from + weight * (to - from)
    } else {
        to - (to - from) * one_minus_weight
    }
}

/// Adam's per-step scalars, computed in f64 as PyTorch does in Python.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AdamStep {
    pub lr: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    pub weight_decay: f64,
    pub decoupled: bool,
    pub amsgrad: bool,
    pub step: u64,
}

impl AdamStep {
    pub(crate) fn bias_correction1(&self) -> f64 {
        1.0 - self.beta1.powi(self.step as i32)
    }
    pub(crate) fn bias_correction2_sqrt(&self) -> f64 {
        (1.0 - self.beta2.powi(self.step as i32)).sqrt()
    }
}

/// One fused Adam/AdamW step over a group's flat buffers and its gradients (offset in the group,
/// parameter size, tensor); `false` (nothing done) if they are not all CPU f32/f64.
pub(crate) fn adam(
    param: &tch::Tensor,
    grad: &[GradPart<'_>],
    exp_avg: &tch::Tensor,
    exp_avg_sq: &tch::Tensor,
    max_exp_avg_sq: Option<&tch::Tensor>,
    s: AdamStep,
) -> bool {
    match param.kind() {
        _ if !enabled() => false,
        tch::Kind::Float => adam_typed::<f32>(param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, s),
        tch::Kind::Double => adam_typed::<f64>(param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, s),
        _ => false,
    }
}

fn adam_typed<T: Real>(
    param: &tch::Tensor,
    grad: &[GradPart<'_>],
    exp_avg: &tch::Tensor,
    exp_avg_sq: &tch::Tensor,
    max_exp_avg_sq: Option<&tch::Tensor>,
    s: AdamStep,
) -> bool {
    if s.amsgrad != max_exp_avg_sq.is_some() {
        return false;
    }
    let weight = 1.0 - s.beta1;
    let k = Consts {
        l2: T::of(s.weight_decay),
        decay: T::of(1.0 - s.lr * s.weight_decay),
        weight: T::of(weight),
        weight_is_small: weight < 0.5,
        one_minus_weight: T::of(1.0 - weight),
        beta2: T::of(s.beta2),
        one_minus_beta2: T::of(1.0 - s.beta2),
        bc2_sqrt: T::of(s.bias_correction2_sqrt()),
        eps: T::of(s.eps),
        neg_step_size: T::of(-(s.lr / s.bias_correction1())),
    };
    let l2 = s.weight_decay != 0.0 && !s.decoupled;
    let decoupled = s.weight_decay != 0.0 && s.decoupled;
    let small = k.weight_is_small;
    // One piece of the parameters, its gradient, the moments and (AMSGrad) the running maximum.
    let piece = |p: &mut [T], g: &[T], m: &mut [T], v: &mut [T], vmax: Option<&mut [T]>| {
        let k = &k;
        // One instance per combination of options, so the inner loop has no branches.
        macro_rules! pick {
            ($($l2:literal, $dec:literal, $small:literal;)*) => {
                match (l2, decoupled, small, vmax) {
                    $(
                        ($l2, $dec, $small, None) => {
                            simd(adam_loop::<T, $l2, $dec, $small>, (p, g, m, v), k)
                        }
                        ($l2, $dec, $small, Some(x)) => {
                            simd(adam_ams_loop::<T, $l2, $dec, $small>, (p, g, m, v, x), k)
                        }
                    )*
                    _ => unreachable!("L2 and decoupled weight decay exclude each other"),
                }
            };
        }
        pick! {
            false, false, false; false, false, true;
            true, false, false; true, false, true;
            false, true, false; false, true, true;
        }
    };
    // `false` unless the buffers and gradients are contiguous CPU tensors of `T` that fit.
    match max_exp_avg_sq {
        None => for_each_piece_mut([param, exp_avg, exp_avg_sq], grad, |[p, m, v], g| {
            piece(p, g, m, v, None)
        }),
        Some(x) => for_each_piece_mut([param, exp_avg, exp_avg_sq, x], grad, |[p, m, v, x], g| {
            piece(p, g, m, v, Some(x))
        }),
    }
}

struct Consts<T> {
    l2: T,
    decay: T,
    weight: T,
    weight_is_small: bool,
    one_minus_weight: T,
    beta2: T,
    one_minus_beta2: T,
    bc2_sqrt: T,
    eps: T,
    neg_step_size: T,
}

/// The same arithmetic, in the same order, as `torch.optim.Adam`'s single-tensor step, up to the
/// second moment.
#[inline(always)]
fn adam_element<T: Real, const L2: bool, const DECOUPLED: bool, const SMALL: bool>(
    p: &mut T,
    g: T,
    m: &mut T,
    v: &mut T,
    k: &Consts<T>,
) -> T {
    let g = if L2 { g + k.l2 * *p } else { g };
    if DECOUPLED {
        *p = *p * k.decay;
    }
    *m = lerp(*m, g, k.weight, SMALL, k.one_minus_weight);
    *v = *v * k.beta2 + k.one_minus_beta2 * g * g;
    *v
}

type Chunk4<'a, T> = (&'a mut [T], &'a [T], &'a mut [T], &'a mut [T]);
type Chunk5<'a, T> = (&'a mut [T], &'a [T], &'a mut [T], &'a mut [T], &'a mut [T]);

#[inline(always)]
fn adam_loop<T: Real, const L2: bool, const DECOUPLED: bool, const SMALL: bool>(
    (p, g, m, v): Chunk4<'_, T>,
    k: &Consts<T>,
) {
    // Equal lengths up front, so the indexing below needs no checks and the loop vectorises.
    let n = p.len();
    let (g, m, v) = (&g[..n], &mut m[..n], &mut v[..n]);
    for i in 0..n {
        let second =
            adam_element::<T, L2, DECOUPLED, SMALL>(&mut p[i], g[i], &mut m[i], &mut v[i], k);
        let denom = second.sqrt() / k.bc2_sqrt + k.eps;
        p[i] = p[i] + k.neg_step_size * m[i] / denom;
    }
}

#[inline(always)]
fn adam_ams_loop<T: Real, const L2: bool, const DECOUPLED: bool, const SMALL: bool>(
    (p, g, m, v, vmax): Chunk5<'_, T>,
    k: &Consts<T>,
) {
    let n = p.len();
    let (g, m, v, vmax) = (&g[..n], &mut m[..n], &mut v[..n], &mut vmax[..n]);
    for i in 0..n {
        let second =
            adam_element::<T, L2, DECOUPLED, SMALL>(&mut p[i], g[i], &mut m[i], &mut v[i], k);
        // torch.maximum propagates NaN.
        if second > vmax[i] || second.is_nan() {
            vmax[i] = second;
        }
        let denom = vmax[i].sqrt() / k.bc2_sqrt + k.eps;
        p[i] = p[i] + k.neg_step_size * m[i] / denom;
    }
}

/// SGD's per-step scalars.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SgdStep {
    pub lr: f64,
    pub momentum: f64,
    pub dampening: f64,
    pub weight_decay: f64,
    pub nesterov: bool,
    /// The momentum buffer starts as a copy of the first gradient, as in PyTorch.
    pub first: bool,
}

/// One fused SGD step; `momentum_buffer` is `None` when `momentum == 0`. `false` (nothing done)
/// if the buffers are not CPU f32/f64.
pub(crate) fn sgd(
    param: &tch::Tensor,
    grad: &[GradPart<'_>],
    momentum_buffer: Option<&tch::Tensor>,
    s: SgdStep,
) -> bool {
    match param.kind() {
        _ if !enabled() => false,
        tch::Kind::Float => sgd_typed::<f32>(param, grad, momentum_buffer, s),
        tch::Kind::Double => sgd_typed::<f64>(param, grad, momentum_buffer, s),
        _ => false,
    }
}

fn sgd_typed<T: Real>(
    param: &tch::Tensor,
    grad: &[GradPart<'_>],
    momentum_buffer: Option<&tch::Tensor>,
    s: SgdStep,
) -> bool {
    if (s.momentum != 0.0) != momentum_buffer.is_some() {
        return false;
    }
    let k = SgdConsts {
        wd: T::of(s.weight_decay),
        neg_lr: T::of(-s.lr),
        mom: T::of(s.momentum),
        keep: T::of(1.0 - s.dampening),
    };
    let l2 = s.weight_decay != 0.0;
    // One piece of the parameters, its gradient and (with momentum) the momentum buffer.
    let piece = |p: &mut [T], g: &[T], buf: Option<&mut [T]>| {
        let k = &k;
        macro_rules! momentum {
            ($l2:literal, $buf:expr) => {
                match (s.first, s.nesterov) {
                    (false, false) => {
                        simd(sgd_momentum_loop::<T, $l2, false, false>, (p, g, $buf), k)
                    }
                    (false, true) => {
                        simd(sgd_momentum_loop::<T, $l2, false, true>, (p, g, $buf), k)
                    }
                    (true, false) => {
                        simd(sgd_momentum_loop::<T, $l2, true, false>, (p, g, $buf), k)
                    }
                    (true, true) => simd(sgd_momentum_loop::<T, $l2, true, true>, (p, g, $buf), k),
                }
            };
        }
        match (l2, buf) {
            (false, None) => simd(sgd_loop::<T, false>, (p, g), k),
            (true, None) => simd(sgd_loop::<T, true>, (p, g), k),
            (false, Some(buf)) => momentum!(false, buf),
            (true, Some(buf)) => momentum!(true, buf),
        }
    };
    // `false` unless the buffers and gradients are contiguous CPU tensors of `T` that fit.
    match momentum_buffer {
        None => for_each_piece_mut([param], grad, |[p], g| piece(p, g, None)),
        Some(b) => for_each_piece_mut([param, b], grad, |[p, buf], g| piece(p, g, Some(buf))),
    }
}

struct SgdConsts<T> {
    wd: T,
    neg_lr: T,
    mom: T,
    keep: T,
}

#[inline(always)]
fn sgd_loop<T: Real, const L2: bool>((p, g): (&mut [T], &[T]), k: &SgdConsts<T>) {
    let n = p.len();
    let g = &g[..n];
    for i in 0..n {
        let d = if L2 { g[i] + k.wd * p[i] } else { g[i] };
        p[i] = p[i] + k.neg_lr * d;
    }
}

#[inline(always)]
fn sgd_momentum_loop<T: Real, const L2: bool, const FIRST: bool, const NESTEROV: bool>(
    (p, g, buf): (&mut [T], &[T], &mut [T]),
    k: &SgdConsts<T>,
) {
    let n = p.len();
    let (g, buf) = (&g[..n], &mut buf[..n]);
    for i in 0..n {
        let g = if L2 { g[i] + k.wd * p[i] } else { g[i] };
        buf[i] = if FIRST {
            g
        } else {
            buf[i] * k.mom + k.keep * g
        };
        let d = if NESTEROV { g + k.mom * buf[i] } else { buf[i] };
        p[i] = p[i] + k.neg_lr * d;
    }
}

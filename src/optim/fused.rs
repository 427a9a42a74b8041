//! One-pass CPU kernels for f32/f64 flat buffers: every element of parameter, gradient and state
//! is read and written once per step, like libtorch's `_fused_adam_`, which `tch` does not expose.
//! Other devices and dtypes take the tensor-op path in each optimizer.
use std::ops::{Add, Div, Mul, Range, Sub};

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

/// Below this many elements a step is a few microseconds and threads would cost more than they
/// save.
const MIN_PARALLEL: usize = 1 << 15;

/// The float types the kernels are instantiated for.
pub(crate) trait Real:
    Copy
    + Send
    + Sync
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
{
    const KIND: tch::Kind;
    fn of(x: f64) -> Self;
    fn sqrt(self) -> Self;
    fn is_nan(self) -> bool;
}

macro_rules! real {
    ($t:ty, $kind:ident) => {
        impl Real for $t {
            const KIND: tch::Kind = tch::Kind::$kind;
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
real!(f32, Float);
real!(f64, Double);

/// A buffer's base pointer, shared by the threads of one step; each thread touches a disjoint
/// element range.
#[derive(Clone, Copy)]
struct Ptr<T>(*mut T);
// SAFETY: the pointer is only dereferenced inside `for_each_chunk`, whose ranges are disjoint, and
// the buffers outlive the scoped threads.
unsafe impl<T> Send for Ptr<T> {}
unsafe impl<T> Sync for Ptr<T> {}

impl<T> Ptr<T> {
    /// SAFETY: `range` must lie inside the buffer and no other live slice may overlap it.
    unsafe fn slice<'a>(self, range: &Range<usize>) -> &'a mut [T] {
        std::slice::from_raw_parts_mut(self.0.add(range.start), range.len())
    }
}

/// Whether every tensor is a contiguous CPU tensor of `T` with `len` elements, so the kernels may
/// read them as slices.
fn fits<T: Real>(len: usize, tensors: &[&tch::Tensor]) -> bool {
    tensors.iter().all(|t| {
        t.device() == tch::Device::Cpu
            && t.kind() == T::KIND
            && t.is_contiguous()
            && t.numel() == len
    })
}

/// Runs `f` on disjoint chunks of `0..len`, on libtorch's intra-op thread count.
fn for_each_chunk(len: usize, f: impl Fn(Range<usize>) + Sync) {
    let threads = tch::get_num_threads().max(1) as usize;
    if threads == 1 || len < MIN_PARALLEL {
        f(0..len);
        return;
    }
    // Chunks of whole cache lines, so threads never write the same line.
    let chunk = len.div_ceil(threads).div_ceil(16) * 16;
    std::thread::scope(|scope| {
        let f = &f;
        for start in (chunk..len).step_by(chunk) {
            scope.spawn(move || f(start..(start + chunk).min(len)));
        }
        f(0..chunk.min(len));
    });
}

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

/// One fused Adam/AdamW step over flat buffers; `false` (nothing done) if they are not CPU f32/f64.
pub(crate) fn adam(
    param: &tch::Tensor,
    grad: &tch::Tensor,
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
    grad: &tch::Tensor,
    exp_avg: &tch::Tensor,
    exp_avg_sq: &tch::Tensor,
    max_exp_avg_sq: Option<&tch::Tensor>,
    s: AdamStep,
) -> bool {
    let len = param.numel();
    let mut all = vec![param, grad, exp_avg, exp_avg_sq];
    all.extend(max_exp_avg_sq);
    if !fits::<T>(len, &all) || s.amsgrad != max_exp_avg_sq.is_some() {
        return false;
    }
    let ptr = |t: &tch::Tensor| Ptr(t.data_ptr() as *mut T);
    let (p, g, m, v) = (ptr(param), ptr(grad), ptr(exp_avg), ptr(exp_avg_sq));
    let vmax = max_exp_avg_sq.map(ptr);
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
    for_each_chunk(len, |r| {
        // SAFETY: `fits` checked every buffer is contiguous with `len` elements; chunks are
        // disjoint; the five buffers are distinct allocations (optimizer state and the flat
        // parameter and gradient buffers), and no Rust reference to them exists elsewhere.
        let (p, g, m, v) = unsafe { (p.slice(&r), g.slice(&r), m.slice(&r), v.slice(&r)) };
        let vmax = vmax.map(|x| unsafe { x.slice(&r) });
        // One instance per combination of options, so the inner loop has no branches.
        match (l2, decoupled, vmax) {
            (false, false, None) => adam_loop::<T, false, false>(p, g, m, v, &mut [], &k),
            (true, _, None) => adam_loop::<T, true, false>(p, g, m, v, &mut [], &k),
            (false, true, None) => adam_loop::<T, false, true>(p, g, m, v, &mut [], &k),
            (false, false, Some(x)) => adam_ams_loop::<T, false, false>(p, g, m, v, x, &k),
            (true, _, Some(x)) => adam_ams_loop::<T, true, false>(p, g, m, v, x, &k),
            (false, true, Some(x)) => adam_ams_loop::<T, false, true>(p, g, m, v, x, &k),
        }
    });
    true
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

/// The same arithmetic, in the same order, as `torch.optim.Adam`'s single-tensor step.
#[inline(always)]
fn adam_element<T: Real, const L2: bool, const DECOUPLED: bool>(
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
    *m = lerp(*m, g, k.weight, k.weight_is_small, k.one_minus_weight);
    *v = *v * k.beta2 + k.one_minus_beta2 * g * g;
    *v
}

fn adam_loop<T: Real, const L2: bool, const DECOUPLED: bool>(
    p: &mut [T],
    g: &[T],
    m: &mut [T],
    v: &mut [T],
    _: &mut [T],
    k: &Consts<T>,
) {
    for (((p, &g), m), v) in p.iter_mut().zip(g).zip(m.iter_mut()).zip(v.iter_mut()) {
        let second = adam_element::<T, L2, DECOUPLED>(p, g, m, v, k);
        let denom = second.sqrt() / k.bc2_sqrt + k.eps;
        *p = *p + k.neg_step_size * *m / denom;
    }
}

fn adam_ams_loop<T: Real, const L2: bool, const DECOUPLED: bool>(
    p: &mut [T],
    g: &[T],
    m: &mut [T],
    v: &mut [T],
    vmax: &mut [T],
    k: &Consts<T>,
) {
    let elements = p.iter_mut().zip(g).zip(m.iter_mut()).zip(v.iter_mut());
    for ((((p, &g), m), v), vmax) in elements.zip(vmax.iter_mut()) {
        let second = adam_element::<T, L2, DECOUPLED>(p, g, m, v, k);
        // torch.maximum propagates NaN.
        if second > *vmax || second.is_nan() {
            *vmax = second;
        }
        let denom = vmax.sqrt() / k.bc2_sqrt + k.eps;
        *p = *p + k.neg_step_size * *m / denom;
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
    grad: &tch::Tensor,
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
    grad: &tch::Tensor,
    momentum_buffer: Option<&tch::Tensor>,
    s: SgdStep,
) -> bool {
    let len = param.numel();
    let mut all = vec![param, grad];
    all.extend(momentum_buffer);
    if !fits::<T>(len, &all) || (s.momentum != 0.0) != momentum_buffer.is_some() {
        return false;
    }
    let ptr = |t: &tch::Tensor| Ptr(t.data_ptr() as *mut T);
    let (p, g, buf) = (ptr(param), ptr(grad), momentum_buffer.map(ptr));
    let (wd, neg_lr) = (T::of(s.weight_decay), T::of(-s.lr));
    let (mom, keep) = (T::of(s.momentum), T::of(1.0 - s.dampening));
    let l2 = s.weight_decay != 0.0;
    for_each_chunk(len, |r| {
        // SAFETY: as in `adam_typed`: checked sizes, disjoint chunks, distinct buffers.
        let (p, g) = unsafe { (p.slice(&r), g.slice(&r)) };
        let buf = buf.map(|b| unsafe { b.slice(&r) });
        let decayed = |p: T, g: T| if l2 { g + wd * p } else { g };
        match buf {
            None => {
                for (p, &g) in p.iter_mut().zip(g.iter()) {
                    *p = *p + neg_lr * decayed(*p, g);
                }
            }
            Some(buf) => {
                for ((p, &g), b) in p.iter_mut().zip(g.iter()).zip(buf.iter_mut()) {
                    let g = decayed(*p, g);
                    *b = if s.first { g } else { *b * mom + keep * g };
                    let d = if s.nesterov { g + mom * *b } else { *b };
                    *p = *p + neg_lr * d;
                }
            }
        }
    });
    true
}

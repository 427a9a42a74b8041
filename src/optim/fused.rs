//! One-pass CPU kernels for f32/f64 flat buffers: every element of parameter, gradient and state
//! is read and written once per step, like libtorch's `_fused_adam_`, which `tch` does not expose.
//! Parameters and state are one flat range per group; gradients are the separate tensors autograd
//! made, each covering a known piece of that range. Other devices and dtypes take the tensor-op
//! path in each optimizer.
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

/// A parameter's gradient as the optimizers hand it over: its offset in the group's range, the
/// parameter's element count, and the tensor.
pub(crate) type GradPart<'a> = (usize, usize, &'a tch::Tensor);

/// One gradient tensor: the piece `offset..offset + len` of its group's range.
#[derive(Clone, Copy)]
struct Part<T> {
    offset: usize,
    len: usize,
    ptr: Ptr<T>,
}

/// The gradients (offset in a group of `len` elements, in increasing order; parameter size;
/// tensor) as raw pieces, if every one is a contiguous CPU tensor of `T` of its parameter's size
/// inside the range and none overlaps the next.
fn grad_parts<T: Real>(len: usize, grads: &[GradPart<'_>]) -> Option<Vec<Part<T>>> {
    let mut end = 0;
    grads
        .iter()
        .map(|&(offset, n, g)| {
            let fits = g.numel() == n
                && g.device() == tch::Device::Cpu
                && g.kind() == T::KIND
                && g.is_contiguous()
                && offset >= end
                && offset + n <= len;
            fits.then(|| {
                end = offset + n;
                Part {
                    offset,
                    len: n,
                    ptr: Ptr(g.data_ptr() as *mut T),
                }
            })
        })
        .collect()
}

/// Calls `f(range, grad)` for every piece of the chunk `r` a gradient covers: `range` indexes the
/// group's flat buffers, `grad` is the matching slice of that gradient. Alignment gaps between
/// parameters are skipped (they hold zeros and stay zeros).
fn for_each_piece<T>(parts: &[Part<T>], r: &Range<usize>, mut f: impl FnMut(Range<usize>, &[T])) {
    let first = parts.partition_point(|p| p.offset + p.len <= r.start);
    for part in &parts[first..] {
        if part.offset >= r.end {
            break;
        }
        let (start, end) = (
            part.offset.max(r.start),
            (part.offset + part.len).min(r.end),
        );
        if start < end {
            // SAFETY: `grad_parts` checked the piece lies inside a live contiguous gradient of
            // `part.len` elements; nothing writes gradients during a step.
            let g = unsafe {
                std::slice::from_raw_parts(part.ptr.0.add(start - part.offset), end - start)
            };
            f(start..end, g);
        }
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

/// Runs `f` on disjoint chunks of `0..len` on libtorch's intra-op thread count: on libtorch's own
/// OpenMP team where there is one, else in a rayon pool of that many threads kept for the process's
/// life (spawning threads for every step would cost as much as the whole update of a small model).
fn for_each_chunk(len: usize, f: impl Fn(Range<usize>) + Sync) {
    let threads = tch::get_num_threads().max(1) as usize;
    if threads == 1 || len < MIN_PARALLEL {
        f(0..len);
        return;
    }
    // Chunks of whole cache lines, so threads never write the same line.
    let chunk = len.div_ceil(threads).div_ceil(16) * 16;
    let parts = len.div_ceil(chunk);
    let run = |part: usize| f(part * chunk..((part + 1) * chunk).min(len));
    if super::openmp::for_each_part(threads, parts, &run) {
        return;
    }
    match pool(threads) {
        Some(pool) => pool.install(|| {
            use rayon::prelude::*;
            (0..parts).into_par_iter().for_each(run)
        }),
        None => (0..parts).for_each(run),
    }
}

/// One pool per thread count asked for (libtorch's count can change at run time); `None` if the
/// system refuses threads, and the caller then does the work itself.
fn pool(threads: usize) -> Option<&'static rayon::ThreadPool> {
    static POOLS: std::sync::Mutex<Vec<(usize, &'static rayon::ThreadPool)>> =
        std::sync::Mutex::new(Vec::new());
    let mut pools = POOLS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, pool)) = pools.iter().find(|(n, _)| *n == threads) {
        return Some(pool);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("typed-torch-optim-{i}"))
        .build()
        .ok()?;
    // Pools live for the process, like libtorch's own.
    let pool: &'static rayon::ThreadPool = Box::leak(Box::new(pool));
    pools.push((threads, pool));
    Some(pool)
}

/// Calls the kernel `f` (a function item marked `#[inline(always)]`) compiled for AVX2 where the
/// CPU has it (checked once, at run time), so the plain-Rust loops are vectorised 8 floats wide
/// instead of the baseline's 4. The arithmetic and its order are unchanged: Rust never contracts
/// `a * b + c` into an FMA.
#[inline(always)]
fn simd<A, B, F: FnOnce(A, B)>(f: F, a: A, b: B) {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx2")]
        fn avx2<A, B, F: FnOnce(A, B)>(f: F, a: A, b: B) {
            f(a, b)
        }
        static AVX2: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        if *AVX2.get_or_init(|| std::arch::is_x86_feature_detected!("avx2")) {
            // SAFETY: the CPU supports AVX2 (checked above).
            return unsafe { avx2(f, a, b) };
        }
    }
    f(a, b)
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
    let len = param.numel();
    let mut all = vec![param, exp_avg, exp_avg_sq];
    all.extend(max_exp_avg_sq);
    if !fits::<T>(len, &all) || s.amsgrad != max_exp_avg_sq.is_some() {
        return false;
    }
    let Some(parts) = grad_parts::<T>(len, grad) else {
        return false;
    };
    let ptr = |t: &tch::Tensor| Ptr(t.data_ptr() as *mut T);
    let (p, m, v) = (ptr(param), ptr(exp_avg), ptr(exp_avg_sq));
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
    let small = k.weight_is_small;
    for_each_chunk(len, |r| {
        for_each_piece(&parts, &r, |r, g| {
            // SAFETY: `fits` checked every buffer is contiguous with `len` elements; chunks and
            // pieces are disjoint; the buffers are distinct allocations (optimizer state and the flat
            // parameters), and no Rust reference to them exists elsewhere.
            let (p, m, v) = unsafe { (p.slice(&r), m.slice(&r), v.slice(&r)) };
            let vmax = vmax.map(|x| unsafe { x.slice(&r) });
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
        })
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
    let len = param.numel();
    let mut all = vec![param];
    all.extend(momentum_buffer);
    if !fits::<T>(len, &all) || (s.momentum != 0.0) != momentum_buffer.is_some() {
        return false;
    }
    let Some(parts) = grad_parts::<T>(len, grad) else {
        return false;
    };
    let ptr = |t: &tch::Tensor| Ptr(t.data_ptr() as *mut T);
    let (p, buf) = (ptr(param), momentum_buffer.map(ptr));
    let k = SgdConsts {
        wd: T::of(s.weight_decay),
        neg_lr: T::of(-s.lr),
        mom: T::of(s.momentum),
        keep: T::of(1.0 - s.dampening),
    };
    let l2 = s.weight_decay != 0.0;
    for_each_chunk(len, |r| {
        for_each_piece(&parts, &r, |r, g| {
            // SAFETY: as in `adam_typed`: checked sizes, disjoint chunks, distinct buffers.
            let p = unsafe { p.slice(&r) };
            let buf = buf.map(|b| unsafe { b.slice(&r) });
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
                        (true, true) => {
                            simd(sgd_momentum_loop::<T, $l2, true, true>, (p, g, $buf), k)
                        }
                    }
                };
            }
            match (l2, buf) {
                (false, None) => simd(sgd_loop::<T, false>, (p, g), k),
                (true, None) => simd(sgd_loop::<T, true>, (p, g), k),
                (false, Some(buf)) => momentum!(false, buf),
                (true, Some(buf)) => momentum!(true, buf),
            }
        })
    });
    true
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

//! Splitting one pass over flat CPU buffers across threads, and handing each thread its pieces as
//! plain slices.
//!
//! The optimizers' fused kernels update several buffers of one length in place (parameters and
//! optimizer state), reading the gradients autograd made (separate tensors, each covering a known
//! piece of the range). [`for_each_piece_mut`] checks that the tensors can be read as slices and
//! share no memory, cuts the range into disjoint chunks run in parallel ([`for_each_chunk`]), and
//! calls a safe kernel with the matching slices: the raw pointers stay in this file.
use std::ops::Range;

/// Below this many elements a step is a few microseconds and threads would cost more than they
/// save.
const MIN_PARALLEL: usize = 1 << 15;

/// The element types whose tensors [`for_each_piece_mut`] reads as slices.
///
/// # Safety
///
/// `KIND` must be the libtorch dtype whose elements are laid out as `Self`: the slices are made
/// from tensors checked to have that dtype.
pub(crate) unsafe trait Scalar: Copy + Send + Sync {
    /// The matching libtorch dtype.
    const KIND: tch::Kind;
}

// SAFETY: libtorch's `Float` is IEEE binary32, as `f32`.
unsafe impl Scalar for f32 {
    const KIND: tch::Kind = tch::Kind::Float;
}
// SAFETY: libtorch's `Double` is IEEE binary64, as `f64`.
unsafe impl Scalar for f64 {
    const KIND: tch::Kind = tch::Kind::Double;
}

/// A parameter's gradient as the optimizers hand it over: its offset in the group's range, the
/// parameter's element count, and the tensor.
pub(crate) type GradPart<'a> = (usize, usize, &'a tch::Tensor);

/// A buffer's base pointer, shared by the threads of one step; each thread touches a disjoint
/// element range.
#[derive(Clone, Copy)]
struct Ptr<T>(*mut T);
// SAFETY: the pointer is only dereferenced inside `for_each_chunk`, whose ranges are disjoint, and
// the buffers outlive the scoped threads.
unsafe impl<T> Send for Ptr<T> {}
// SAFETY: as for `Send`: shared only to hand each thread its own disjoint ranges.
unsafe impl<T> Sync for Ptr<T> {}

impl<T> Ptr<T> {
    /// SAFETY: `range` must lie inside the buffer and no other live slice may overlap it.
    unsafe fn slice<'a>(self, range: &Range<usize>) -> &'a mut [T] {
        // SAFETY: the caller's contract.
        unsafe { std::slice::from_raw_parts_mut(self.0.add(range.start), range.len()) }
    }
}

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
fn grad_parts<T: Scalar>(len: usize, grads: &[GradPart<'_>]) -> Option<Vec<Part<T>>> {
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
            // `part.len` elements; nothing writes gradients during a step, and
            // `for_each_piece_mut` checked no buffer it writes shares memory with a gradient.
            let g = unsafe {
                std::slice::from_raw_parts(part.ptr.0.add(start - part.offset), end - start)
            };
            f(start..end, g);
        }
    }
}

/// Whether every tensor is a contiguous CPU tensor of `T` with `len` elements, so the kernels may
/// read them as slices.
fn fits<T: Scalar>(len: usize, tensors: &[&tch::Tensor]) -> bool {
    tensors.iter().all(|t| {
        t.device() == tch::Device::Cpu
            && t.kind() == T::KIND
            && t.is_contiguous()
            && t.numel() == len
    })
}

/// The bytes `[start, end)` of `len` elements of `T` from `ptr`.
fn byte_range<T>(ptr: *mut T, len: usize) -> Range<usize> {
    let start = ptr as usize;
    start..start + len * std::mem::size_of::<T>()
}

/// Whether two byte ranges share a byte (empty ranges share none).
fn overlap(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Runs `kernel(buffers, grad)` for every piece of `0..len` that a gradient covers (`len` is the
/// buffers' element count), the range cut into disjoint chunks run in parallel
/// ([`for_each_chunk`]): `buffers` are the pieces of the `N` tensors to update in place, `grad`
/// the matching piece of the gradient.
///
/// `false`, and nothing run, unless every buffer is a contiguous CPU tensor of `T` with `len`
/// elements, every gradient fits as [`GradPart`]s must (a contiguous CPU tensor of `T` of its
/// parameter's size, in increasing offsets inside `0..len`, none overlapping the next), and no
/// buffer shares memory with another buffer or with a gradient.
pub(crate) fn for_each_piece_mut<T: Scalar, const N: usize>(
    buffers: [&tch::Tensor; N],
    grads: &[GradPart<'_>],
    kernel: impl Fn([&mut [T]; N], &[T]) + Sync,
) -> bool {
    let Some(len) = buffers.first().map(|b| b.numel()) else {
        return false;
    };
    if !fits::<T>(len, &buffers) {
        return false;
    }
    let Some(parts) = grad_parts::<T>(len, grads) else {
        return false;
    };
    let ptrs = buffers.map(|t| Ptr(t.data_ptr() as *mut T));
    let bytes = ptrs.map(|p| byte_range(p.0, len));
    for (i, a) in bytes.iter().enumerate() {
        if bytes[i + 1..].iter().any(|b| overlap(a, b))
            || (parts.iter()).any(|g| overlap(a, &byte_range(g.ptr.0, g.len)))
        {
            return false;
        }
    }
    for_each_chunk(len, |r| {
        for_each_piece(&parts, &r, |r, g| {
            // SAFETY: `fits` checked every buffer is contiguous with `len` elements and `r` lies
            // in `0..len`; chunks and pieces are disjoint, so no two threads or calls hold the
            // same range; the buffers share no memory with each other or the gradients (checked
            // above), and no Rust reference to them exists elsewhere during the step.
            let slices = ptrs.map(|p| unsafe { p.slice(&r) });
            kernel(slices, g)
        })
    });
    true
}

/// Runs `f` on disjoint chunks of `0..len` on libtorch's intra-op thread count: on libtorch's own
/// OpenMP team where there is one (the PyTorch wheels' libtorch loads libgomp), else (another
/// OpenMP runtime, or none) on scoped threads spawned for the step, the caller's thread taking the
/// first chunk.
///
/// No thread pool of our own for that fallback: a pool crate's traits reached every user's compile
/// errors (rustc suggested importing crossbeam's `Pointable` for a failed `Conv2d::init`).
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
    on_scoped_threads(parts, &run);
}

/// Runs `run(0)` .. `run(parts - 1)`, each part but the first on a thread of its own.
fn on_scoped_threads(parts: usize, run: &(impl Fn(usize) + Sync)) {
    std::thread::scope(|scope| {
        for part in 1..parts {
            // A refused thread leaves its part to this one rather than losing it.
            if std::thread::Builder::new()
                .spawn_scoped(scope, move || run(part))
                .is_err()
            {
                run(part);
            }
        }
        run(0);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fallback_threads_run_every_part_once() {
        let done: Vec<_> = (0..5)
            .map(|_| std::sync::atomic::AtomicUsize::new(0))
            .collect();
        on_scoped_threads(5, &|part| {
            done[part].fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        });
        let counts: Vec<usize> = done
            .iter()
            .map(|d| d.load(std::sync::atomic::Ordering::Relaxed))
            .collect();
        assert_eq!(counts, [1, 1, 1, 1, 1]);
    }

    #[test]
    fn buffers_sharing_memory_are_refused() {
        let a = tch::Tensor::zeros([8], tch::kind::FLOAT_CPU);
        let b = tch::Tensor::zeros([8], tch::kind::FLOAT_CPU);
        let g = tch::Tensor::ones([8], tch::kind::FLOAT_CPU);
        let add = |[x, y]: [&mut [f32]; 2], g: &[f32]| {
            for i in 0..x.len() {
                x[i] += g[i];
                y[i] -= g[i];
            }
        };
        let grads = [(0, 8, &g)];
        assert!(for_each_piece_mut::<f32, 2>([&a, &b], &grads, add));
        assert_eq!(Vec::<f32>::try_from(&a).unwrap(), vec![1.0; 8]);
        assert_eq!(Vec::<f32>::try_from(&b).unwrap(), vec![-1.0; 8]);
        // The same buffer twice, a gradient that is a buffer, a wrong dtype: nothing runs.
        assert!(!for_each_piece_mut::<f32, 2>([&a, &a], &grads, add));
        assert!(!for_each_piece_mut::<f32, 2>([&a, &b], &[(0, 8, &b)], add));
        assert!(!for_each_piece_mut::<f64, 1>([&a], &grads, |_, _| {}));
        assert_eq!(Vec::<f32>::try_from(&a).unwrap(), vec![1.0; 8]);
    }
}

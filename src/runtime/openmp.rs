//! Running a kernel on libtorch's own OpenMP thread pool.
//!
//! libtorch parallelises its CPU ops with OpenMP (`libgomp`, loaded with it). A second pool of
//! our own (rayon, in an earlier version) would compete with OpenMP's threads, which keep spinning for a while after each
//! op: with as many threads as cores (2), the SGD update of a 266K-parameter MLP took 160 µs in a
//! rayon pool, 105 µs on one thread and 60 µs on OpenMP's team. So the fused optimizer kernels
//! borrow that team, found at run time in the already loaded runtime; where there is none (another OpenMP runtime, or none),
//! the caller falls back to threads of its own.
//!
//! The team is reached through `dlsym` and raw C entry points: this file's `unsafe` blocks are the
//! whole of that, behind the safe [`for_each_part`].
use std::ffi::{c_int, c_uint, c_void};
use std::sync::OnceLock;

/// `GOMP_parallel(fn, data, num_threads, flags)`: what GCC compiles `#pragma omp parallel` to.
type Parallel =
    unsafe extern "C" fn(unsafe extern "C" fn(*mut c_void), *mut c_void, c_uint, c_uint);
/// `omp_get_thread_num` and `omp_get_num_threads`.
type Query = unsafe extern "C" fn() -> c_int;

struct Runtime {
    parallel: Parallel,
    thread_num: Query,
    num_threads: Query,
}

#[cfg(unix)]
fn runtime() -> Option<&'static Runtime> {
    static RUNTIME: OnceLock<Option<Runtime>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            // Touch libtorch first so its runtime is loaded before the lookup.
            let _ = tch::get_num_threads();
            let find = |name: &std::ffi::CStr| {
                // SAFETY: dlsym with a NUL-terminated name; RTLD_DEFAULT searches what is loaded.
                let symbol = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
                (!symbol.is_null()).then_some(symbol)
            };
            let parallel = find(c"GOMP_parallel")?;
            let thread_num = find(c"omp_get_thread_num")?;
            let num_threads = find(c"omp_get_num_threads")?;
            // SAFETY: these are the C signatures of libgomp's entry points (GOMP 4.0 ABI, also
            // exported by LLVM's and Intel's OpenMP runtimes).
            unsafe {
                Some(Runtime {
                    parallel: std::mem::transmute::<*mut c_void, Parallel>(parallel),
                    thread_num: std::mem::transmute::<*mut c_void, Query>(thread_num),
                    num_threads: std::mem::transmute::<*mut c_void, Query>(num_threads),
                })
            }
        })
        .as_ref()
}

#[cfg(not(unix))]
fn runtime() -> Option<&'static Runtime> {
    None
}

thread_local! {
    static ENABLED: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// Makes the fused kernels on this thread use their own thread pool even where libtorch's OpenMP
/// team is available (or go back to it), so tests can check the pool that builds without OpenMP
/// use.
#[doc(hidden)]
pub fn set_openmp_team(enabled: bool) {
    ENABLED.with(|e| e.set(enabled));
}

/// Runs `work(part)` for every `part` in `0..parts`, spread over an OpenMP team of up to
/// `threads` threads; `false` (nothing run) if no OpenMP runtime is loaded (or the team is turned
/// off on this thread, see [`set_openmp_team`]).
pub(crate) fn for_each_part(threads: usize, parts: usize, work: &(dyn Fn(usize) + Sync)) -> bool {
    let Some(rt) = runtime().filter(|_| ENABLED.with(|e| e.get())) else {
        return false;
    };
    struct Job<'a> {
        work: &'a (dyn Fn(usize) + Sync),
        parts: usize,
        rt: &'static Runtime,
    }
    unsafe extern "C" fn run(data: *mut c_void) {
        // SAFETY: `data` is the `Job` below, alive until GOMP_parallel returns.
        let job = unsafe { &*(data as *const Job<'_>) };
        // The team may be smaller than asked (nested parallelism, limits): stride by its size.
        // SAFETY: two argument-less queries of the OpenMP runtime, called inside its team.
        let (me, team) = unsafe { ((job.rt.thread_num)(), (job.rt.num_threads)()) };
        let (me, team) = (me.max(0) as usize, team.max(1) as usize);
        for part in (me..job.parts).step_by(team) {
            (job.work)(part);
        }
    }
    let job = Job { work, parts, rt };
    // SAFETY: `run` only reads `job`, which outlives the call; GOMP_parallel returns after every
    // thread of the team has finished.
    unsafe {
        (rt.parallel)(
            run,
            &job as *const Job<'_> as *mut c_void,
            threads as c_uint,
            0,
        )
    };
    true
}

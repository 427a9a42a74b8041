//! The intra-op thread count of a step, chosen by the size of its work.
//!
//! Measured on the 2-core build machine, the README's MLP step (784-300-100-10, SGD) interleaved
//! with raw tch: on two threads the compiled step took 0.68 of raw tch's time at batch 8 (2.1M
//! forward multiply-adds) and 0.80 at batch 32 (8.5M); on one thread, 0.45 and 0.75. Waking the
//! second thread for each of some twenty small kernels costs more than it saves until the
//! kernels are large; at batch 256 (68M) two threads win.

/// How a [`TrainStep`](super::TrainStep) sets libtorch's intra-op thread count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Threads {
    /// One thread for steps whose forward pass is below
    /// [`SINGLE_THREAD_BELOW`](Threads::SINGLE_THREAD_BELOW) multiply-adds, libtorch's setting
    /// otherwise. The count is restored after each step.
    #[default]
    Auto,
    /// libtorch's setting (`tch::set_num_threads`) for every step.
    Unchanged,
    /// One thread for steps below this many forward multiply-adds (a machine with more cores, or
    /// faster ones, may want another threshold than [`Auto`](Threads::Auto)'s).
    SingleBelow(u64),
}

impl Threads {
    /// Forward-pass multiply-adds below which [`Threads::Auto`] runs a step on one thread.
    pub const SINGLE_THREAD_BELOW: u64 = 10_000_000;

    /// The thread count for a step of `macs` forward multiply-adds, if it is to change.
    pub(crate) fn for_work(self, macs: Option<u64>) -> Option<i32> {
        match (self, macs) {
            (Threads::Auto, Some(m)) if m < Self::SINGLE_THREAD_BELOW => Some(1),
            (Threads::SingleBelow(limit), Some(m)) if m < limit => Some(1),
            _ => None,
        }
    }
}

/// Sets the thread count for its lifetime, restoring the previous one when dropped (also when the
/// step panics).
pub(crate) struct ThreadCount {
    restore: Option<i32>,
}

impl ThreadCount {
    pub(crate) fn set(count: Option<i32>) -> Self {
        let current = tch::get_num_threads();
        match count {
            Some(n) if n != current => {
                tch::set_num_threads(n);
                ThreadCount {
                    restore: Some(current),
                }
            }
            _ => ThreadCount { restore: None },
        }
    }
}

impl Drop for ThreadCount {
    fn drop(&mut self) {
        if let Some(n) = self.restore {
            tch::set_num_threads(n);
        }
    }
}

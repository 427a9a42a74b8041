//! The intra-op thread count of a step, chosen by the size of its work.
//!
//! Measured on the 2-core build machine: the 784-300-100-10 MLP step at batch 1 (266K
//! multiply-adds forward) ran 1.6x faster on one thread than on two, because waking the second
//! thread for each of some twenty small kernels costs more than the kernels' arithmetic; at
//! batch 32 (8.5M) two threads were faster again.

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
}

impl Threads {
    /// Forward-pass multiply-adds below which [`Threads::Auto`] runs a step on one thread.
    pub const SINGLE_THREAD_BELOW: u64 = 2_000_000;

    /// The thread count for a step of `macs` forward multiply-adds, if it is to change.
    pub(crate) fn for_work(self, macs: Option<u64>) -> Option<i32> {
        match (self, macs) {
            (Threads::Auto, Some(m)) if m < Self::SINGLE_THREAD_BELOW => Some(1),
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

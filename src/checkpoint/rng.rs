//! Random-number state that survives a checkpoint.
use serde::{Deserialize, Serialize};

/// A seed and a step count from which libtorch's global generator is reseeded before each
/// training step, so that a resumed run draws the same random numbers (dropout masks, random
/// initialisations) as a run straight through.
///
/// Why not save the generator itself: `tch` 0.26 exposes only `tch::manual_seed` for libtorch's
/// global CPU generator, and the C API underneath it (`torch-sys`'s `torch_api.h`) has
/// `at_manual_seed` but no `get_rng_state`/`set_rng_state`, so the generator's position can be
/// neither read nor restored from Rust. Reseeding from `(seed, step)` makes the position a
/// function of two numbers that a checkpoint does hold. (The data loader needs nothing: its
/// shuffling is a pure function of its seed and the epoch.)
///
/// The generator is global to the process: another thread drawing random numbers between a
/// reseed and the step's draws changes them, resumed or not.
///
/// ```
/// use typed_torch::checkpoint::RngState;
/// let mut rng = RngState::new(7);
/// rng.reseed_torch(); // before step 0
/// let a = tch::Tensor::randn([3], tch::kind::FLOAT_CPU);
/// let mut resumed = RngState { seed: 7, step: 0 }; // as loaded from a checkpoint
/// resumed.reseed_torch();
/// let b = tch::Tensor::randn([3], tch::kind::FLOAT_CPU);
/// assert_eq!(Vec::<f32>::try_from(a).unwrap(), Vec::<f32>::try_from(b).unwrap());
/// assert_eq!(resumed.step, 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RngState {
    /// The run's seed.
    pub seed: u64,
    /// Steps reseeded so far: the next [`reseed_torch`](Self::reseed_torch) seeds step `step`.
    pub step: u64,
}

impl RngState {
    /// Step 0 of a run with seed `seed`.
    pub fn new(seed: u64) -> Self {
        RngState { seed, step: 0 }
    }

    /// The libtorch seed of step `step`: `seed` and `step` mixed by SplitMix64, so neighbouring
    /// steps and seeds get unrelated streams.
    pub fn seed_for(seed: u64, step: u64) -> u64 {
        let mut z = seed
            .wrapping_add(step.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Seeds libtorch's global generator for the current step, then counts the step.
    pub fn reseed_torch(&mut self) {
        // libtorch takes the seed as a u64; tch's signature is i64, bit-for-bit the same.
        tch::manual_seed(Self::seed_for(self.seed, self.step) as i64);
        self.step += 1;
    }
}

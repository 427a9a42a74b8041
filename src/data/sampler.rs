//! Samplers: which samples an epoch visits, in which order. The [`DataLoader`](super::DataLoader)
//! batches what its sampler gives; [`DistributedSampler`] gives each process of a data-parallel
//! run its own shard.
use super::loader::shuffled_order;
use crate::error::{Error, Result};

/// Picks the samples of each epoch: indices into a dataset of `len` samples, in visiting order.
///
/// Implementations must be deterministic in `(len, epoch)`: data-parallel ranks and resumed runs
/// rely on seeing the same order again.
pub trait Sampler: Send + Sync {
    /// The indices epoch `epoch` visits, in order.
    fn indices(&self, len: usize, epoch: u64) -> Vec<usize>;

    /// How many indices [`indices`](Self::indices) returns for a dataset of `len` samples.
    fn count(&self, len: usize) -> usize;
}

/// One rank's shard of every epoch, as PyTorch's `DistributedSampler`: the epoch's order
/// (shuffled with the seed and epoch, identically on every rank, or dataset order) is padded by
/// repeating its first indices until it divides evenly (or, with
/// [`drop_last`](Self::drop_last), cut to a multiple of the world size); rank `r` then takes
/// positions `r, r + world, r + 2 world, ...`. Every sample is visited exactly once per epoch
/// across the ranks, apart from the padding (or the dropped tail).
///
/// ```
/// use typed_torch::data::{DistributedSampler, Sampler};
/// let shards: Vec<Vec<usize>> = (0..3)
///     .map(|rank| DistributedSampler::new(rank, 3).unwrap().indices(7, 0))
///     .collect();
/// assert_eq!(shards, [vec![0, 3, 6], vec![1, 4, 0], vec![2, 5, 1]]); // 0 and 1 pad to 9
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DistributedSampler {
    rank: usize,
    world_size: usize,
    shuffle: bool,
    seed: u64,
    drop_last: bool,
}

impl DistributedSampler {
    /// Rank `rank`'s shard of `world_size` (dataset order, padded); an error unless
    /// `rank < world_size`.
    pub fn new(rank: usize, world_size: usize) -> Result<Self> {
        if rank >= world_size {
            return Err(Error::Invalid(format!(
                "DistributedSampler: rank {rank} is not in 0..{world_size}"
            )));
        }
        Ok(DistributedSampler {
            rank,
            world_size,
            shuffle: false,
            seed: 0,
            drop_last: false,
        })
    }

    /// Whether each epoch shuffles (seeded by [`seed`](Self::seed) and the epoch, the same on
    /// every rank) before sharding.
    pub fn shuffle(mut self, shuffle: bool) -> Self {
        self.shuffle = shuffle;
        self
    }

    /// The shuffling seed (default 0); every rank must use the same one.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Drop the tail that does not divide evenly instead of padding with repeated samples.
    pub fn drop_last(mut self, drop_last: bool) -> Self {
        self.drop_last = drop_last;
        self
    }

    /// This sampler's rank.
    pub fn rank(&self) -> usize {
        self.rank
    }

    /// The number of shards.
    pub fn world_size(&self) -> usize {
        self.world_size
    }
}

impl Sampler for DistributedSampler {
    fn indices(&self, len: usize, epoch: u64) -> Vec<usize> {
        let mut order = if self.shuffle {
            shuffled_order(len, self.seed, epoch)
        } else {
            (0..len).collect()
        };
        let total = self.count(len) * self.world_size;
        if total <= order.len() {
            order.truncate(total);
        } else if !order.is_empty() {
            // Repeat the order's start as often as needed (a dataset smaller than the world
            // repeats whole).
            let mut k = 0;
            while order.len() < total {
                order.push(order[k]);
                k += 1;
            }
        }
        order
            .into_iter()
            .skip(self.rank)
            .step_by(self.world_size)
            .collect()
    }

    fn count(&self, len: usize) -> usize {
        if self.drop_last {
            len / self.world_size
        } else {
            len.div_ceil(self.world_size)
        }
    }
}

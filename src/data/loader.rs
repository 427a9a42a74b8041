//! `DataLoader`: batches of a [`Dataset`] in seeded-shuffled order, transformed, optionally
//! prepared ahead on a background thread.
use super::dataset::{Batch, Dataset, WithBatchDim};
use super::sampler::Sampler;
use super::transform::{DataRng, Transform};
use crate::dims::{Dim, Dyn, D};
use crate::error::{Error, Result};
use core::marker::PhantomData;
use rand::seq::SliceRandom;
use rand_chacha::rand_core::SeedableRng;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;
use std::thread::JoinHandle;

/// The batches a loader over `Ds` yields, with batch dim `L`.
pub type LoaderBatch<Ds, L> =
    <Batch<<Ds as Dataset>::Inputs, <Ds as Dataset>::Targets> as WithBatchDim<L>>::Output;

/// Batches of a [`Dataset`], one pass per call to [`epoch`](DataLoader::epoch).
///
/// * The batch dim `L` is [`Dyn`] (from [`new`](DataLoader::new)), or a static `D<B>` (from
///   [`fixed`](DataLoader::fixed)), where the partial last batch is always dropped so that every
///   batch has exactly `B` samples.
/// * Shuffling is seeded. Epoch `e` draws its order from ChaCha8 keyed by the seed and the purpose
///   (shuffle or transform), on stream `e`: the same seed and epoch give the same order and the
///   same random transforms on every run and machine, whichever epochs were iterated before, and
///   with or without prefetching.
/// * With [`prefetch`](DataLoader::prefetch), a thread prepares up to `depth` batches ahead
///   (gathering and transforming) while the caller trains on the current one.
///
/// ```
/// use typed_torch::data::{DataLoader, TensorDataset};
/// use typed_torch::{Tensor, Dyn, D};
/// let x = Tensor::<(Dyn, D<3>)>::zeros_dyn(&[10]).unwrap();
/// let y = Tensor::<(Dyn,), i64>::zeros_dyn(&[10]).unwrap();
/// let loader = DataLoader::new(TensorDataset::new(x, y).unwrap(), 4)
///     .unwrap()
///     .shuffle(true)
///     .seed(7);
/// assert_eq!(loader.len(), 3); // 4 + 4 + 2
/// for batch in loader.epoch(0) {
///     let batch = batch.unwrap();
///     let _x: &Tensor<(Dyn, D<3>)> = &batch.inputs;
///     let _y: &Tensor<(Dyn,), i64> = &batch.targets;
/// }
///
/// // A static batch dim: every batch is full, the last 2 samples are dropped.
/// let x = Tensor::<(Dyn, D<3>)>::zeros_dyn(&[10]).unwrap();
/// let y = Tensor::<(Dyn,), i64>::zeros_dyn(&[10]).unwrap();
/// let fixed = DataLoader::<_, D<4>>::fixed(TensorDataset::new(x, y).unwrap()).unwrap();
/// let batches: Vec<_> = fixed.epoch(0).collect::<Result<_, _>>().unwrap();
/// let _x: &Tensor<(D<4>, D<3>)> = &batches[1].inputs;
/// assert_eq!(batches.len(), 2);
/// ```
pub struct DataLoader<Ds: Dataset, L: Dim = Dyn> {
    dataset: Ds,
    batch_size: usize,
    drop_last: bool,
    shuffle: bool,
    seed: u64,
    transform: Option<Arc<dyn Transform<Ds::Inputs>>>,
    sampler: Option<Arc<dyn Sampler>>,
    prefetch: Option<(usize, Spawn<Ds>)>,
    marker: PhantomData<L>,
}

/// Starts a prefetch thread. A function pointer made where the thread's `Send` bounds are known
/// (in [`DataLoader::prefetch`]), so that loaders over datasets without them still work inline.
type Spawn<Ds> = fn(
    &Ds,
    Plan,
    Option<Arc<dyn Transform<<Ds as Dataset>::Inputs>>>,
    usize,
) -> Result<Prefetch<Ds>>;

type Sent<Ds> = Result<Batch<<Ds as Dataset>::Inputs, <Ds as Dataset>::Targets>>;

struct Prefetch<Ds: Dataset> {
    rx: Option<Receiver<Sent<Ds>>>,
    thread: Option<JoinHandle<()>>,
}

impl<Ds: Dataset> DataLoader<Ds, Dyn> {
    /// Batches of `batch_size` samples in dataset order, the last one possibly smaller; an error if
    /// `batch_size` is 0.
    pub fn new(dataset: Ds, batch_size: usize) -> Result<Self> {
        Self::build(dataset, batch_size, false)
    }

    /// Whether to drop the last batch when it has fewer than `batch_size` samples.
    pub fn drop_last(mut self, drop_last: bool) -> Self {
        self.drop_last = drop_last;
        self
    }
}

impl<Ds: Dataset, const B: usize> DataLoader<Ds, D<B>> {
    /// Batches of exactly `B` samples, typed `D<B>`: a partial last batch is dropped. An error if
    /// `B` is 0.
    pub fn fixed(dataset: Ds) -> Result<Self> {
        Self::build(dataset, B, true)
    }
}

/// Key material for the two random streams, so shuffling and transforms never share draws.
#[derive(Clone, Copy)]
enum Purpose {
    Shuffle = 0,
    Transform = 1,
}

/// `0..len` in the order a loader seeded with `seed` shuffles it in epoch `epoch` (shared with the
/// graph loader, so both shuffle alike).
pub(crate) fn shuffled_order(len: usize, seed: u64, epoch: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.shuffle(&mut rng(seed, Purpose::Shuffle, epoch));
    order
}

fn rng(seed: u64, purpose: Purpose, epoch: u64) -> DataRng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8] = purpose as u8;
    let mut rng = DataRng::from_seed(key);
    rng.set_stream(epoch);
    rng
}

impl<Ds: Dataset, L: Dim> DataLoader<Ds, L> {
    fn build(dataset: Ds, batch_size: usize, drop_last: bool) -> Result<Self> {
        if batch_size == 0 {
            return Err(Error::Invalid("DataLoader: batch size 0".into()));
        }
        Ok(DataLoader {
            dataset,
            batch_size,
            drop_last,
            shuffle: false,
            seed: 0,
            transform: None,
            sampler: None,
            prefetch: None,
            marker: PhantomData,
        })
    }

    /// Whether each epoch visits the samples in a fresh seeded random order (default: no, dataset
    /// order).
    pub fn shuffle(mut self, shuffle: bool) -> Self {
        self.shuffle = shuffle;
        self
    }

    /// The seed of the shuffling and of random transforms (default 0).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Takes each epoch's samples and their order from `sampler` instead of the whole dataset
    /// (then [`shuffle`](Self::shuffle) has no effect; [`seed`](Self::seed) still seeds random
    /// transforms). For data-parallel training, a
    /// [`DistributedSampler`](super::DistributedSampler) gives each rank its shard:
    ///
    /// ```
    /// use typed_torch::data::{DataLoader, DistributedSampler, TensorDataset};
    /// use typed_torch::{Tensor, Dyn, D};
    /// let x = Tensor::<(Dyn, D<3>)>::zeros_dyn(&[10]).unwrap();
    /// let y = Tensor::<(Dyn,), i64>::zeros_dyn(&[10]).unwrap();
    /// let shard = DistributedSampler::new(1, 2).unwrap().shuffle(true).seed(7);
    /// let loader = DataLoader::new(TensorDataset::new(x, y).unwrap(), 4).unwrap().sampler(shard);
    /// assert_eq!(loader.order(0).len(), 5); // half of the 10 samples
    /// assert_eq!(loader.len(), 2); // batches of 4 and 1
    /// ```
    pub fn sampler<S: Sampler + 'static>(mut self, sampler: S) -> Self {
        self.sampler = Some(Arc::new(sampler));
        self
    }

    /// Applies `transform` to the inputs of every batch, replacing any earlier one (combine several
    /// as a tuple).
    pub fn transform<T: Transform<Ds::Inputs> + 'static>(mut self, transform: T) -> Self {
        self.transform = Some(Arc::new(transform));
        self
    }

    /// Prepares up to `depth` batches ahead on a background thread (0 turns prefetching off). The
    /// thread works on a clone of the dataset, which for a [`TensorDataset`](super::TensorDataset)
    /// shares the tensors' storage.
    pub fn prefetch(mut self, depth: usize) -> Self
    where
        Ds: Clone + Send + 'static,
        Ds::Inputs: Send + 'static,
        Ds::Targets: Send + 'static,
    {
        self.prefetch = (depth > 0).then_some((depth, spawn::<Ds> as Spawn<Ds>));
        self
    }

    /// Number of batches per epoch.
    pub fn len(&self) -> usize {
        let n = match &self.sampler {
            Some(sampler) => sampler.count(self.dataset.len()),
            None => self.dataset.len(),
        };
        if self.drop_last {
            n / self.batch_size
        } else {
            n.div_ceil(self.batch_size)
        }
    }

    /// Whether an epoch yields no batch.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Samples per batch (the last batch may have fewer unless they are dropped).
    pub fn batch_size(&self) -> usize {
        self.batch_size
    }

    /// The dataset.
    pub fn dataset(&self) -> &Ds {
        &self.dataset
    }

    /// The sample order of epoch `epoch`, before batching: the sampler's, else `0..len` unless
    /// shuffling.
    pub fn order(&self, epoch: u64) -> Vec<usize> {
        if let Some(sampler) = &self.sampler {
            sampler.indices(self.dataset.len(), epoch)
        } else if self.shuffle {
            shuffled_order(self.dataset.len(), self.seed, epoch)
        } else {
            (0..self.dataset.len()).collect()
        }
    }

    /// The batches of epoch `epoch` (the epoch picks the shuffle and the random transforms). Each
    /// item is a batch or the error that ended the epoch.
    pub fn epoch(&self, epoch: u64) -> Epoch<'_, Ds, L> {
        let plan = Plan {
            order: self.order(epoch),
            batch_size: self.batch_size,
            batches: self.len(),
            next: 0,
            rng: rng(self.seed, Purpose::Transform, epoch),
        };
        let remaining = plan.batches;
        let source = match self.prefetch {
            Some((depth, spawn)) => {
                match spawn(&self.dataset, plan, self.transform.clone(), depth) {
                    Ok(prefetch) => Source::Prefetch(prefetch),
                    Err(e) => Source::Failed(Some(e)),
                }
            }
            None => Source::Inline {
                dataset: &self.dataset,
                plan: Box::new(plan),
                transform: self.transform.as_deref(),
            },
        };
        Epoch {
            source,
            remaining,
            marker: PhantomData,
        }
    }
}

impl<Ds: Dataset + core::fmt::Debug, L: Dim> core::fmt::Debug for DataLoader<Ds, L> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DataLoader")
            .field("dataset", &self.dataset)
            .field("batch_size", &self.batch_size)
            .field("drop_last", &self.drop_last)
            .field("shuffle", &self.shuffle)
            .field("seed", &self.seed)
            .field("transform", &self.transform.is_some())
            .field("sampler", &self.sampler.is_some())
            .field("prefetch", &self.prefetch.map(|(depth, _)| depth))
            .finish()
    }
}

/// One epoch's schedule: the sample order, where we are in it, and the transforms' generator.
/// Batches are made strictly in order from it, on one thread, so the random draws do not depend
/// on timing.
struct Plan {
    order: Vec<usize>,
    batch_size: usize,
    batches: usize,
    next: usize,
    rng: DataRng,
}

impl Plan {
    fn next_batch<Ds: Dataset>(
        &mut self,
        dataset: &Ds,
        transform: Option<&dyn Transform<Ds::Inputs>>,
    ) -> Option<Sent<Ds>> {
        if self.next >= self.batches {
            return None;
        }
        let start = self.next * self.batch_size;
        let end = (start + self.batch_size).min(self.order.len());
        self.next += 1;
        let batch = dataset.get_batch(&self.order[start..end]);
        let batch = match (batch, transform) {
            (Ok(b), Some(t)) => t.apply(b.inputs, &mut self.rng).map(|inputs| Batch {
                inputs,
                targets: b.targets,
            }),
            (batch, _) => batch,
        };
        if batch.is_err() {
            self.next = self.batches; // an error ends the epoch
        }
        Some(batch)
    }
}

fn spawn<Ds>(
    dataset: &Ds,
    mut plan: Plan,
    transform: Option<Arc<dyn Transform<Ds::Inputs>>>,
    depth: usize,
) -> Result<Prefetch<Ds>>
where
    Ds: Dataset + Clone + Send + 'static,
    Ds::Inputs: Send + 'static,
    Ds::Targets: Send + 'static,
{
    let dataset = dataset.clone();
    // The bound is the prefetch depth: the thread blocks once `depth` batches wait unread.
    let (tx, rx) = sync_channel(depth);
    let thread = std::thread::Builder::new()
        .name("typed-torch-data".into())
        .spawn(move || {
            while let Some(batch) = plan.next_batch(&dataset, transform.as_deref()) {
                if tx.send(batch).is_err() {
                    break; // the epoch was dropped early
                }
            }
        })
        .map_err(|e| {
            Error::Invalid(format!("DataLoader: cannot start the prefetch thread: {e}"))
        })?;
    Ok(Prefetch {
        rx: Some(rx),
        thread: Some(thread),
    })
}

impl<Ds: Dataset> Drop for Prefetch<Ds> {
    fn drop(&mut self) {
        // Closing the channel first unblocks a thread waiting to send, so the join cannot hang.
        drop(self.rx.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

enum Source<'a, Ds: Dataset> {
    Inline {
        dataset: &'a Ds,
        // Boxed: the generator's buffer makes a plan ten times the size of the other variant.
        plan: Box<Plan>,
        transform: Option<&'a dyn Transform<Ds::Inputs>>,
    },
    Prefetch(Prefetch<Ds>),
    /// The prefetch thread could not start: the epoch yields this error, then ends.
    Failed(Option<Error>),
}

/// The batches of one epoch of a [`DataLoader`], from [`DataLoader::epoch`].
pub struct Epoch<'a, Ds: Dataset, L: Dim> {
    source: Source<'a, Ds>,
    remaining: usize,
    marker: PhantomData<L>,
}

impl<Ds: Dataset, L: Dim> Iterator for Epoch<'_, Ds, L>
where
    Batch<Ds::Inputs, Ds::Targets>: WithBatchDim<L>,
{
    type Item = Result<LoaderBatch<Ds, L>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        let batch = match &mut self.source {
            Source::Inline {
                dataset,
                plan,
                transform,
            } => plan.next_batch(*dataset, *transform),
            Source::Prefetch(p) => match p.rx.as_ref().map(Receiver::recv) {
                Some(Ok(batch)) => Some(batch),
                // The thread ended without sending everything: it panicked; re-raise that here.
                _ => match p.thread.take().map(JoinHandle::join) {
                    Some(Err(panic)) => std::panic::resume_unwind(panic),
                    _ => None,
                },
            },
            Source::Failed(e) => e.take().map(Err),
        };
        let batch = batch.map(|b| b.and_then(WithBatchDim::with_batch_dim));
        self.remaining = match &batch {
            Some(Ok(_)) => self.remaining - 1,
            _ => 0,
        };
        batch
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        // Exact unless an error ends the epoch early.
        (0, Some(self.remaining))
    }
}

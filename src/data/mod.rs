//! Data: datasets, a batching [`DataLoader`], batch transforms, and readers for standard formats
//! (MNIST IDX files, plain or gzip; numeric CSV tables, with the `csv` feature) that return typed
//! tensors and name the file and the problem when a file is malformed.
//!
//! * [`Dataset`] is anything indexable that gathers samples into a [`Batch`]; [`TensorDataset`]
//!   holds them as two in-memory tensors and gathers a batch with one `index_select` each.
//! * [`DataLoader`] batches a dataset with a `Dyn` or static batch dim, seeded shuffling per epoch,
//!   drop-last, transforms and background prefetching; the same seed gives the same batches.
//! * [`Transform`]s act on whole batches: [`Normalize`], [`RandomCrop`], [`RandomHorizontalFlip`],
//!   composed as tuples, their randomness drawn from the loader's seeded [`DataRng`].
//!
//! ```no_run
//! use typed_torch::data::{DataLoader, Mnist, Normalize, RandomCrop, TensorDataset};
//! let mnist = Mnist::load(".typed-torch/mnist")?;
//! let images = mnist.train_images.to_kind::<f32>() / 255.0; // Tensor<(Dyn, D<1>, D<28>, D<28>)>
//! let train = TensorDataset::new(images, mnist.train_labels)?;
//! let loader = DataLoader::new(train, 64)?
//!     .shuffle(true)
//!     .seed(1)
//!     .transform((RandomCrop::new(2), Normalize::new([0.1307], [0.3081])?))
//!     .prefetch(2);
//! for epoch in 0..3 {
//!     for batch in loader.epoch(epoch) {
//!         let (x, y) = batch?.into_parts(); // Tensor<(Dyn, D<1>, D<28>, D<28>)>, Tensor<(Dyn,), i64>
//!     }
//! }
//! # Ok::<(), typed_torch::Error>(())
//! ```
#[cfg(feature = "csv")]
pub(crate) mod csv;
mod dataset;
mod idx;
pub(crate) mod loader;
mod mnist;
mod sampler;
mod text;
mod transform;

#[cfg(feature = "csv")]
pub use csv::{Column, CsvLabel, CsvReader, CsvTable};
pub use dataset::{Batch, Dataset, TensorDataset, WithBatchDim};
pub use idx::{read_idx, IdxArray};
pub use loader::{DataLoader, Epoch, LoaderBatch};
pub use mnist::Mnist;
pub use sampler::{DistributedSampler, Sampler};
pub use text::CharCorpus;
pub use transform::{DataRng, Normalize, RandomCrop, RandomHorizontalFlip, Transform};

/// The traits a [`Transform`] uses on a [`DataRng`] (`gen_range`, `gen_bool`...) and that seed one
/// (`DataRng::seed_from_u64`), from `rand` 0.8, so that writing or testing a transform needs no
/// direct `rand` dependency.
pub use rand::{Rng, SeedableRng};

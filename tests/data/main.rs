//! The data pipeline, in one test binary (one libtorch link):
//!
//! * `loader`: `TensorDataset`, `DataLoader`, the batch transforms and the CSV reader;
//! * `mnist_reader`: the MNIST IDX reader on the real sample and on malformed files.
//! * `sampler`: `DistributedSampler` shards against PyTorch's.
//!
//! * `vision`: image decoding and transforms against PIL and torchvision.transforms.v2.
//!
//! All draw only from the loaders' own seeded generators, never from libtorch's.
#[path = "../common/mod.rs"]
mod common;

mod loader;
mod mnist_reader;
mod sampler;
mod vision;

//! The data pipeline, in one test binary (one libtorch link):
//!
//! * `loader`: `TensorDataset`, `DataLoader`, the batch transforms and the CSV reader;
//! * `mnist_reader`: the MNIST IDX reader on the real sample and on malformed files.
//!
//! Both draw only from the loaders' own seeded generators, never from libtorch's, and compare no
//! PyTorch values, so this binary needs nothing from `tests/common`.
mod loader;
mod mnist_reader;

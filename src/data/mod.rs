//! Data: readers for standard formats (MNIST IDX files, plain or gzip) that return typed tensors
//! and name the file and the problem when a file is malformed.
mod idx;
mod mnist;

pub use idx::{read_idx, IdxArray};
pub use mnist::Mnist;

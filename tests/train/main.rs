//! Training, in one test binary (one libtorch link):
//!
//! * `mnist_training`: the MNIST examples' models reach their accuracy, deterministically;
//! * `helpers`: checkpoints, per-sample metrics, curves and CSV of the training loop.
//!
//! `mnist_training` needs the initial weights that follow its seeds, so it locks libtorch's
//! generator while creating a model; `helpers`' drawing tests hold it shared (see
//! `common::GENERATOR`).
#[path = "../common/mod.rs"]
mod common;
// The MNIST examples' own loaders (a module of theirs, not `tests/common`).
#[path = "../../examples/common/mod.rs"]
mod examples_common;

mod helpers;
mod mnist_training;

//! Training, in one test binary (one libtorch link):
//!
//! * `mnist_training`: the MNIST examples' models reach their accuracy, deterministically;
//! * `char_lm`: the character-level language model learns English and refuses malformed text;
//! * `char_gpt`: the small GPT's cached generation equals the uncached one, and it learns English;
//! * `graph_classification`: the GIN learns to classify MNIST digits drawn as graphs;
//! * `karate_gcn`: the GCN places the karate club's members from one labelled member per club;
//! * `vae_mnist`: the VAE's training step equals PyTorch's, and the example learns digits;
//! * `gaussian_process`: the GP's likelihood, gradient and predictions equal scikit-learn's, and
//!   the example's fit learns;
//! * `confusion`: the confusion matrix and per-class scores equal scikit-learn's;
//! * `explain_mnist`: the explained LeNet learns and its integrated gradients are faithful;
//! * `helpers`: checkpoints, per-sample metrics, curves and CSV of the training loop.
//!
//! `mnist_training` needs the initial weights that follow its seeds, so it locks libtorch's
//! generator while creating a model; `helpers`' drawing tests hold it shared (see
//! `common::GENERATOR`).
// `char_lm` and `char_gpt` each include `examples/common/lm.rs`, so it is compiled twice here.
#![allow(clippy::duplicate_mod)]

#[path = "../common/mod.rs"]
mod common;
// The MNIST examples' own loaders (a module of theirs, not `tests/common`).
#[path = "../../examples/common/mod.rs"]
mod examples_common;
// The `char_lm` example itself: the tests call its `train` with command-line flags.
#[path = "../../examples/char_lm.rs"]
#[allow(dead_code)]
mod char_lm_example;
// The `char_gpt` example itself, called the same way.
#[path = "../../examples/char_gpt.rs"]
#[allow(dead_code)]
mod char_gpt_example;
// The `graph_classification` example itself, called the same way.
#[path = "../../examples/graph_classification.rs"]
#[allow(dead_code)]
mod graph_classification_example;
// The `explain_mnist` example itself, called the same way.
#[path = "../../examples/explain_mnist.rs"]
#[allow(dead_code)]
mod explain_mnist_example;
// The `karate_gcn` example itself, called the same way.
#[path = "../../examples/karate_gcn.rs"]
#[allow(dead_code)]
mod karate_gcn_example;
// The `vae_mnist` example itself, called the same way.
#[path = "../../examples/vae_mnist.rs"]
#[allow(dead_code)]
mod vae_mnist_example;
// The `gaussian_process` example itself, called the same way.
#[path = "../../examples/gaussian_process.rs"]
#[allow(dead_code)]
mod gaussian_process_example;

mod char_gpt;
mod char_lm;
mod confusion;
mod explain_mnist;
mod gaussian_process;
mod graph_classification;
mod helpers;
mod karate_gcn;
mod mnist_training;
mod vae_mnist;

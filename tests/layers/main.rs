//! Layers against `torch.nn` (and distributions against `torch.distributions`), in one test binary (one libtorch link, one run of the PyTorch
//! reference script):
//!
//! * `vs_pytorch`: `Linear` stacks and derived struct models, initialisation, summaries;
//! * `cnn`: convolution, pooling and reshaping layers, and the 20-layer reference CNN;
//! * `normalization`: batch, layer and group norm in train and eval mode;
//! * `attention`: `MultiheadAttention`;
//! * `transformer`: Transformer layers, stacks and model, attention with `kdim`/`vdim`;
//! * `recurrent`: `Rnn`, `Lstm` and `Gru` stacks, outputs, states and every gradient;
//! * `graph`: graph layers and pooling against torch_geometric;
//! * `misc`: activations and `Embedding`;
//! * `distributions`: `Normal`, `Bernoulli`, `Categorical`, `Independent`, KL divergences.
//!
//! `vs_pytorch` creates a model twice from one seed and `distributions` draws under PyTorch's
//! seeds, so they lock libtorch's generator for those tests, and the tests that draw from it hold
//! it shared (see `common::GENERATOR`).
#[path = "../common/mod.rs"]
mod common;

mod attention;
mod cnn;
mod distributions;
mod graph;
mod misc;
mod normalization;
mod recurrent;
mod transformer;
mod vs_pytorch;

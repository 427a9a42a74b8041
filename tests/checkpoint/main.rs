//! Checkpoints, in one test binary (one libtorch link, one run of the PyTorch reference script):
//!
//! * `pytorch`: every layer and example model round-trips through PyTorch's `state_dict` files;
//! * `resume`: training resumes exactly from a checkpoint of model, optimizer, schedule and RNG;
//! * `robustness`: damaged and misfitting files are refused, leaving the model unchanged.
//!
//! `resume` needs the numbers that follow its seeds, so it locks libtorch's generator; the other
//! modules' tests that draw from it hold it shared (see `common::GENERATOR`).
#[path = "../common/mod.rs"]
mod common;

mod pytorch;
mod resume;
mod robustness;

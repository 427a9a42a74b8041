//! Optimizers and schedules, in one test binary (one libtorch link, one run of the PyTorch
//! reference script):
//!
//! * `vs_pytorch`: optimizer trajectories against `torch.optim`;
//! * `schedules_vs_pytorch`: learning-rate schedules and gradient clipping against PyTorch's;
//! * `behaviour`: fused kernels against the tensor-op path, `zero_grad`, misuse, changing rates.
//!
//! No test here needs the numbers after a seed, so libtorch's generator is shared freely.
//! `behaviour` raises libtorch's thread count to two for the whole process; the other modules
//! compare with tolerances that do not depend on it.
#[path = "../common/mod.rs"]
mod common;

mod behaviour;
mod schedules_vs_pytorch;
mod vs_pytorch;

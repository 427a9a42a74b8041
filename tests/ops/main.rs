//! Tensors and ops, in one test binary (one libtorch link, one run of the PyTorch reference
//! script):
//!
//! * `vs_pytorch`: every op's result shape and values against PyTorch;
//! * `losses_vs_pytorch`: every loss and reduction against `torch.nn.functional`;
//! * `graph_scatter`: the scatter operations of `typed_torch::graph` against `torch_geometric`;
//! * `gradcheck`: autograd's gradients of ops against finite differences;
//! * `functional`: `functional::grad` and its family, by finite differences and analytic derivatives;
//! * `functional_nudge`: the same, as property tests over random shapes and values;
//! * `linalg_nudge`: `typed_torch::linalg` gradients (and second derivatives) against finite differences over random sizes;
//! * `linalg_vs_pytorch`: `typed_torch::linalg` against `torch.linalg` (values and gradients);
//! * `runtime_errors`: operands whose `Dyn` sizes or values do not fit, panicking and `try_` forms;
//! * `zero_cost`: a typed tensor is exactly a `tch::Tensor`.
//!
//! None of them needs libtorch's global generator to itself (random inputs are only checked
//! statistically or against their own gradients), so they share it freely.
#[path = "../common/mod.rs"]
mod common;

// The `backprop_readme` example itself: its functions are the test's subject.
#[path = "../../examples/backprop_readme.rs"]
#[allow(dead_code)]
mod backprop_example;
mod functional;
mod functional_nudge;
mod gradcheck;
mod graph_scatter;
mod linalg_nudge;
mod linalg_vs_pytorch;
mod losses_vs_pytorch;
mod runtime_errors;
mod vs_pytorch;
mod zero_cost;

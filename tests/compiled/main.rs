//! The compiled training step (`typed_torch::compiled`) against autograd, in one test binary:
//!
//! * `parity`: every layer it covers, and whole stacks, give autograd's outputs and gradients
//!   (f64 to 1e-12);
//! * `training`: steps with plain SGD (fused into the backward pass), momentum SGD and Adam follow
//!   eager training step for step; f32 gradients within 1e-6 relative; a bad label is an error
//!   that changes nothing; frozen parameters stay; the thread count comes back;
//! * `learning`: the `online_mnist` example: the MLP trained online (batch 1) on real MNIST
//!   digits learns, and ends where eager training ends.
#[path = "../common/mod.rs"]
mod common;
// The `online_mnist` example itself: the learning test calls its `run` with command-line flags.
#[path = "../../examples/online_mnist.rs"]
#[allow(dead_code)]
mod online_mnist_example;

mod learning;
mod parity;
mod training;

use typed_torch::nn::{Flatten, Init, Linear, Params, Sigmoid};
use typed_torch::HList;

/// The README's MLP in f64.
pub type Mlp64 = HList![
    Flatten,
    Linear<784, 300, (), f64>, Sigmoid,
    Linear<300, 100, (), f64>, Sigmoid,
    Linear<100, 10, (), f64>
];

/// Two models with the same initial weights (made under the generator lock from one seed; every
/// other draw in these tests takes the shared side of that lock, or it could land between the
/// seed and the first model's initialisation).
pub fn twins<M: Init>(seed: i64) -> (M, M) {
    let _guard = common::lock_generator();
    tch::manual_seed(seed);
    let a = M::init().unwrap();
    tch::manual_seed(seed);
    let b = M::init().unwrap();
    (a, b)
}

/// The largest absolute difference between the two models' parameters.
pub fn param_gap<M: Params>(model: &M, reference: &M) -> f64 {
    let mut theirs = Vec::new();
    reference.for_each_param(|_, p| theirs.push(p.shallow_clone()));
    let mut gap = 0.0f64;
    let mut i = 0;
    model.for_each_param(|_, p| {
        gap = gap.max((p - &theirs[i]).abs().max().double_value(&[]));
        i += 1;
    });
    gap
}

/// The largest absolute difference between the two models' gradients, as a fraction of the
/// largest gradient of `reference`; both must have the same gradients defined.
pub fn grad_gap<M: Params>(model: &M, reference: &M) -> f64 {
    let mut theirs = Vec::new();
    reference.for_each_param(|_, p| theirs.push(p.grad()));
    let (mut gap, mut scale) = (0.0f64, 0.0f64);
    let mut i = 0;
    model.for_each_param(|name, p| {
        let (g, gq) = (p.grad(), &theirs[i]);
        i += 1;
        assert_eq!(g.defined(), gq.defined(), "{name}: one gradient is missing");
        if g.defined() {
            gap = gap.max((&g - gq).abs().max().double_value(&[]));
            scale = scale.max(gq.abs().max().double_value(&[]));
        }
    });
    if scale > 0.0 {
        gap / scale
    } else {
        gap
    }
}

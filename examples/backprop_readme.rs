//! The program of Haskell's `backprop` README, line for line: a two-layer network of logistic
//! units as a plain struct, its squared error, the gradient of that error with respect to the
//! whole network (a value of the network's type), and gradient descent as `net0 - 0.1 * grad`.
//!
//! `cargo run --release --example backprop_readme`
use typed_torch::functional::{grad, Combine};
use typed_torch::prelude::*;
use typed_torch::Shape;

// data Network = Net { _weight1 :: L 20 100, _bias1 :: R 20, _weight2 :: L 5 20, _bias2 :: R 5 }
/// The README's network: 100 inputs, 20 hidden logistic units, 5 logistic outputs.
#[derive(Debug, Clone, typed_torch::nn::Module)]
pub struct Network {
    /// `L 20 100`.
    pub weight1: Tensor<(D<20>, D<100>), f64>,
    /// `R 20`.
    pub bias1: Tensor<(D<20>,), f64>,
    /// `L 5 20`.
    pub weight2: Tensor<(D<5>, D<20>), f64>,
    /// `R 5`.
    pub bias2: Tensor<(D<5>,), f64>,
}

// logistic x = 1 / (1 + exp (-x))
/// The logistic function.
pub fn logistic<S: Shape>(x: Tensor<S, f64>) -> Tensor<S, f64> {
    ((-x).exp() + 1.0).reciprocal()
}

// runNet net x = z
//   where y = logistic $ (net ^^. weight1) #> x + (net ^^. bias1)
//         z = logistic $ (net ^^. weight2) #> y + (net ^^. bias2)
/// The network's output for one input.
pub fn run_net(net: &Network, x: &Tensor<(D<100>,), f64>) -> Tensor<(D<5>,), f64> {
    let y = logistic(net.weight1.matmul(x) + &net.bias1);
    logistic(net.weight2.matmul(&y) + &net.bias2)
}

// squaredError target output = error `dot` error  where error = target - output
/// The squared distance between target and output.
pub fn squared_error(
    target: &Tensor<(D<5>,), f64>,
    output: Tensor<(D<5>,), f64>,
) -> Tensor<(), f64> {
    let error = target - output;
    (&error * &error).sum_all()
}

// netError target input net = squaredError (auto target) (runNet net (auto input))
/// The network's error on one example.
pub fn net_error(
    target: &Tensor<(D<5>,), f64>,
    input: &Tensor<(D<100>,), f64>,
    net: Network,
) -> Tensor<(), f64> {
    squared_error(target, run_net(&net, input))
}

/// A network of small random weights (the README leaves the start to the reader).
pub fn random_network() -> Network {
    Network {
        weight1: Tensor::randn() * 0.1,
        bias1: Tensor::randn() * 0.1,
        weight2: Tensor::randn() * 0.1,
        bias2: Tensor::randn() * 0.1,
    }
}

fn main() {
    tch::manual_seed(0);
    let input = Tensor::<(D<100>,), f64>::randn();
    let target = Tensor::<(D<5>,), f64>::from_array([0.9, 0.1, 0.1, 0.9, 0.5]);
    let mut net = random_network();
    // gradBP (netError targ inpt) net0 :: Network
    let gradient: Network = grad(|n| net_error(&target, &input, n), &net);
    println!(
        "gradient: a Network; |d weight1| = {:.4}, |d bias2| = {:.4}",
        gradient.weight1.square().sum_all().sqrt().item(),
        gradient.bias2.square().sum_all().sqrt().item()
    );
    for step in 0..=50 {
        let error = net_error(&target, &input, net.clone()).item();
        if step % 10 == 0 {
            println!("step {step:>2}: error {error:.6}");
        }
        // net1 = net0 - 0.1 * gradBP (netError targ inpt) net0
        let gradient = grad(|n| net_error(&target, &input, n), &net);
        net = net.minus(&gradient.scaled(0.1));
    }
}

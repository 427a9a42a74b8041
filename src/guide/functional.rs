//! # Functional autodiff: gradients of ordinary functions
//!
//! Besides `loss.backward()` and `param.grad()`, typed-torch differentiates ordinary Rust
//! functions, after Haskell's `backprop` library: "write your functions normally", and
//! [`grad`](crate::functional::grad) returns the gradient as a value of the input's own type,
//! whatever that type is.
//!
//! ## The `backprop` README, side by side
//!
//! The README's network is a record of four matrices and vectors; here a struct with the
//! derive, which makes it [`Differentiable`](crate::functional::Differentiable) (it is `Clone`):
//!
//! ```text
//! data Network = Net { _weight1 :: L 20 100     struct Network { weight1: Tensor<(D<20>, D<100>), f64>,
//!                    , _bias1   :: R 20                          bias1:   Tensor<(D<20>,), f64>,
//!                    , _weight2 :: L  5 20                       weight2: Tensor<(D<5>, D<20>), f64>,
//!                    , _bias2   :: R  5 }                        bias2:   Tensor<(D<5>,), f64> }
//!
//! runNet net x = z                               fn run_net(net: &Network, x: &Tensor<(D<100>,), f64>) -> Tensor<(D<5>,), f64> {
//!   where y = logistic $ (net ^^. weight1) #> x      let y = logistic(net.weight1.matmul(x) + &net.bias1);
//!                        + (net ^^. bias1)
//!         z = logistic $ (net ^^. weight2) #> y      logistic(net.weight2.matmul(&y) + &net.bias2)
//!                        + (net ^^. bias2)       }
//!
//! gradBP (netError targ inpt) net0               grad(|n| net_error(&targ, &inpt, n), &net0)
//! net0 - 0.1 * gradBP (netError targ inpt) net0  net0.minus(&grad(|n| net_error(&targ, &inpt, n), &net0).scaled(0.1))
//! ```
//!
//! The whole program runs as a test:
//!
//! ```
//! use typed_torch::functional::{grad, Combine};
//! use typed_torch::prelude::*;
//! use typed_torch::Shape;
//!
//! #[derive(Debug, Clone, typed_torch::nn::Module)]
//! struct Network {
//!     weight1: Tensor<(D<20>, D<100>), f64>,
//!     bias1: Tensor<(D<20>,), f64>,
//!     weight2: Tensor<(D<5>, D<20>), f64>,
//!     bias2: Tensor<(D<5>,), f64>,
//! }
//!
//! fn logistic<S: Shape>(x: Tensor<S, f64>) -> Tensor<S, f64> {
//!     ((-x).exp() + 1.0).reciprocal()
//! }
//!
//! fn run_net(net: &Network, x: &Tensor<(D<100>,), f64>) -> Tensor<(D<5>,), f64> {
//!     let y = logistic(net.weight1.matmul(x) + &net.bias1);
//!     logistic(net.weight2.matmul(&y) + &net.bias2)
//! }
//!
//! fn squared_error(target: &Tensor<(D<5>,), f64>, output: Tensor<(D<5>,), f64>) -> Tensor<(), f64> {
//!     let error = target - output;
//!     (&error * &error).sum_all()
//! }
//!
//! fn net_error(target: &Tensor<(D<5>,), f64>, input: &Tensor<(D<100>,), f64>, net: Network) -> Tensor<(), f64> {
//!     squared_error(target, run_net(&net, input))
//! }
//!
//! let net0 = Network {
//!     weight1: Tensor::randn() * 0.1,
//!     bias1: Tensor::randn() * 0.1,
//!     weight2: Tensor::randn() * 0.1,
//!     bias2: Tensor::randn() * 0.1,
//! };
//! let (targ, inpt) = (Tensor::<(D<5>,), f64>::ones() * 0.5, Tensor::<(D<100>,), f64>::randn());
//! let gradient: Network = grad(|n| net_error(&targ, &inpt, n), &net0);
//! let net1 = net0.minus(&gradient.scaled(0.1));
//! assert!(net_error(&targ, &inpt, net1).item() < net_error(&targ, &inpt, net0).item());
//! ```
//!
//! `examples/backprop_readme.rs` is the same program with 50 steps of descent.
//!
//! ## What can be differentiated
//!
//! Float tensors of any shape; `f32` and `f64` (the function sees a rank-0 tensor, the gradient
//! is a number); tuples of up to six, arrays, `Vec`s, `Option`s and HLists of differentiable
//! values, mixed freely (`backprop`'s heterogeneous `gradBP2`, `backpropN`); and every
//! `#[derive(Module)]` struct that is `Clone`, layers included, whose gradient is a model holding
//! each parameter's gradient. An input the function does not use gets zeros. The caller's values
//! are not touched: their tensors are traced as fresh leaves (a tensor autograd already records,
//! such as a parameter, is differentiated as itself).
//!
//! Differentiating with respect to an integer tensor, or a function that does not return a rank-0
//! float tensor, does not compile ("cannot differentiate with respect to ...", "expected
//! `Tensor<(), _, _>`"); for vector outputs there are [`vjp`](crate::functional::vjp),
//! [`jvp`](crate::functional::jvp) and the Jacobians.
//!
//! ## The family
//!
//! * [`value_and_grad`](crate::functional::value_and_grad) (`backprop`), [`eval`](crate::functional::eval)
//!   (`evalBP`: no graph);
//! * [`vjp`](crate::functional::vjp) (`v^T J`) and [`jvp`](crate::functional::jvp) (`J t`; libtorch
//!   has no forward mode for every op, so it is the double-backward construction);
//! * [`jacobian`](crate::functional::jacobian) (one backward pass per output entry) and
//!   [`jacobian_forward`](crate::functional::jacobian_forward) (one `jvp` per input entry), both
//!   from one forward pass: for `f` from any shape to any shape, the output's axes then the
//!   input's, so `(M, N)` for `f: (N,) -> (M,)` and `(2, 2, 3)` for the row sums of a `(2, 3)`;
//! * [`hvp`](crate::functional::hvp) and [`hessian`](crate::functional::hessian): `(N, N)` for a
//!   vector, `(R, C, R, C)` for a matrix;
//! * [`Combine`](crate::functional::Combine): `plus`, `minus`, `scaled` on whole values;
//! * [`custom_op`](crate::functional::custom_op), [`custom_op2`](crate::functional::custom_op2)
//!   and [`custom_op3`](crate::functional::custom_op3): operations of one, two or three tensors
//!   with your own backward (below).
//!
//! Every construction is checked against finite differences as property tests over random shapes
//! and values (`tests/ops/functional_nudge.rs`, after hmatrix-backprop's "nudge" tests).
//!
//! ## Your own operations
//!
//! [`custom_op`](crate::functional::custom_op) is `backprop`'s `op1` (PyTorch's
//! `autograd.Function`): a forward computed on the input's values, and a backward of your own from
//! the input and the output's gradient. libtorch runs it as a node of its graph (through a small
//! C++ shim the build compiles against the set-up's headers, since tch has no custom autograd
//! function). A backward written with tensor ops is differentiable in turn, and a backward that is
//! itself a custom op defines the second derivative:
//!
//! ```
//! use typed_torch::functional::{custom_op, grad};
//! use typed_torch::{Tensor, D};
//!
//! type V = Tensor<(D<2>,), f64>;
//! fn cos(x: &V) -> V {
//!     custom_op(x, |x| x.cos(), |x, g| -(g * x.sin()))
//! }
//! fn sin(x: &V) -> V {
//!     custom_op(x, |x| x.sin(), |x, g| g * cos(x)) // d sin = cos, itself a custom op
//! }
//! let x = V::from_array([0.5, 2.0]);
//! let d2 = grad(|x: V| grad(|x: V| sin(&x).sum_all(), &x).sum_all(), &x);
//! assert_eq!(d2.to_vec(), [-(0.5f64.sin()), -(2.0f64.sin())]);
//! ```
//!
//! A backward that panics fails the backward pass with its message; what the backward captures
//! lives as long as the graph that holds the node.
//!
//! ## Any order
//!
//! A derivative taken inside another keeps its own graph, so derivatives nest to any order (the
//! `backprop` README's open question (c)): the third derivative of `tanh`, checked against
//! `-2 (1 - t^2)(1 - 3 t^2)` in the tests, is three nested `grad`s:
//!
//! ```
//! use typed_torch::functional::grad;
//! use typed_torch::{Tensor, D};
//!
//! type V = Tensor<(D<2>,), f64>;
//! let x = V::from_array([0.3, -1.2]);
//! let d1 = |x: V| grad(|x: V| x.tanh().sum_all(), &x);
//! let d2 = |x: V| grad(|x: V| d1(x).sum_all(), &x);
//! let d3 = grad(|x: V| d2(x).sum_all(), &x);
//! for (got, v) in d3.to_vec().iter().zip([0.3f64, -1.2]) {
//!     let t = v.tanh();
//!     assert!((got - (-2.0 * (1.0 - t * t) * (1.0 - 3.0 * t * t))).abs() < 1e-12);
//! }
//! ```
//!
//! ## How it is checked
//!
//! `tests/ops/functional.rs`: gradients against central differences in f64; heterogeneous inputs
//! against hand-derived values; a model's gradient against module autograd; third and fourth
//! derivatives of `x^4` and `tanh` against their analytic forms; the Hessian of `logsumexp`
//! against `diag(p) - p p^T`; Jacobians by both modes and `jvp`/`vjp` against differences; the
//! README program. `ui-tests/tests/fail/functional` holds the compile errors.

//! Parameter initialisation as PyTorch does it, drawn from libtorch's generator (seed it with
//! `tch::manual_seed`). Parameters are created requiring gradients, like `nn.Parameter`.
use crate::device::Cpu;
use crate::element::Float;
use crate::shape::Shape;
use crate::tensor::Tensor;

/// Uniform in `±1/sqrt(fan_in)`: PyTorch's default for Linear and convolution weights
/// (Kaiming-uniform with `a = sqrt(5)`) and biases.
pub(crate) fn fan_in_uniform<S: Shape, E: Float>(fan_in: usize) -> Tensor<S, E, Cpu> {
    uniform((fan_in.max(1) as f64).sqrt().recip())
}

/// Uniform in `±bound`, for a parameter whose shape is static.
pub(crate) fn uniform<S: Shape, E: Float>(bound: f64) -> Tensor<S, E, Cpu> {
    // Parameter shapes are static; quotient dims such as `IN/G` are `D<_>` once normalised.
    let sizes: Vec<i64> = S::DIMS
        .iter()
        .map(|d| d.expect("static parameter shape") as i64)
        .collect();
    let t = tch::Tensor::empty(sizes, (E::DTYPE, tch::Device::Cpu))
        .uniform_(-bound, bound)
        .set_requires_grad(true);
    Tensor::from_tch(t).expect("sizes come from the static shape")
}

/// A parameter filled by `make` (ones, zeros...), requiring gradients like `nn.Parameter`.
pub(crate) fn trainable<S: Shape, E: Float>(
    make: impl FnOnce() -> Tensor<S, E, Cpu>,
) -> Tensor<S, E, Cpu> {
    make().requires_grad()
}

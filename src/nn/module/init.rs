//! Creating a model directly on its device with PyTorch's initialisation: the [`Init`] trait and
//! the initialisers layers use. Random values come from libtorch's generator of that device (seed
//! it with `tch::manual_seed`); parameters require gradients, like `nn.Parameter`.
use crate::device::Device;
use crate::element::Float;
use crate::error::Result;
use crate::shape::{Shape, StaticShape};
use crate::tensor::Tensor;
use frunk::{HCons, HNil};

/// A layer or model created on its own device (`Dev` in its type) with PyTorch's default
/// initialisation; an error if the device is missing.
///
/// `#[derive(Module)]` implements it field by field, HList stacks layer by layer, so a whole model
/// is one call, with no CPU copy in between:
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Init, Linear, ReLU};
/// use typed_torch::{Cpu, Cuda, HList};
/// type Mlp<Dev> = HList![Linear<784, 300, (), f32, Dev>, ReLU, Linear<300, 10, (), f32, Dev>];
/// let on_cpu = Mlp::<Cpu>::init().unwrap();
/// match Mlp::<Cuda<0>>::init() {
///     Ok(_) => println!("built on the GPU"),
///     Err(e) => println!("no GPU here: {e}"),
/// }
/// ```
pub trait Init: Sized {
    /// Creates the layer with PyTorch's initialisation on its device.
    fn init() -> Result<Self>;
}

impl Init for HNil {
    fn init() -> Result<Self> {
        Ok(HNil)
    }
}

/// A stack creates its layers in order, so a seeded stack draws the same values as the same
/// layers created one by one.
impl<H: Init, T: Init> Init for HCons<H, T> {
    fn init() -> Result<Self> {
        let head = H::init()?;
        Ok(HCons {
            head,
            tail: T::init()?,
        })
    }
}

impl<M: Init, const N: usize> Init for [M; N] {
    fn init() -> Result<Self> {
        let blocks: Vec<M> = (0..N).map(|_| M::init()).collect::<Result<_>>()?;
        Ok(blocks
            .try_into()
            .unwrap_or_else(|_| unreachable!("N blocks were made")))
    }
}

impl<T: ?Sized> Init for core::marker::PhantomData<T> {
    fn init() -> Result<Self> {
        Ok(core::marker::PhantomData)
    }
}

/// A bare parameter tensor starts at zero, like `nn.Parameter(torch.zeros(...))`.
impl<S: StaticShape, E: Float, Dev: Device> Init for Tensor<S, E, Dev> {
    fn init() -> Result<Self> {
        Ok(parameter(filled::<S, E, Dev>(0.0)?))
    }
}

/// A buffer of zeros (not trained), for `#[module(buffer)]` fields of a derived model.
pub fn buffer_zeros<S: Shape, E: Float, Dev: Device>() -> Result<Tensor<S, E, Dev>> {
    filled(0.0)
}

/// The sizes of a parameter's shape, which is static once its quotient dims (`IN/groups`) are
/// normalised.
fn static_sizes<S: Shape>() -> Vec<i64> {
    S::DIMS
        .iter()
        .map(|d| d.expect("a parameter's shape is static") as i64)
        .collect()
}

/// Uniform in `±1/sqrt(fan_in)`: PyTorch's default for `Linear` and convolution weights
/// (Kaiming-uniform with `a = sqrt(5)`) and their biases.
pub fn fan_in_uniform<S: Shape, E: Float, Dev: Device>(fan_in: usize) -> Result<Tensor<S, E, Dev>> {
    uniform((fan_in.max(1) as f64).sqrt().recip())
}

/// A parameter of run-time `sizes` uniform in `±bound`, for weights whose shape is known only
/// from a layer's constants (a recurrent stack's, which depend on the layer's position).
pub(crate) fn uniform_sized<S: Shape, E: Float, Dev: Device>(
    sizes: &[i64],
    bound: f64,
) -> Result<Tensor<S, E, Dev>> {
    debug_assert!(S::matches(sizes), "{sizes:?} do not fit {}", S::describe());
    Dev::check()?;
    let t = tch::Tensor::f_empty(sizes, (E::DTYPE, Dev::tch()))?.f_uniform_(-bound, bound)?;
    Ok(parameter(Tensor::wrap(t)))
}

/// A parameter uniform in `±bound`.
pub fn uniform<S: Shape, E: Float, Dev: Device>(bound: f64) -> Result<Tensor<S, E, Dev>> {
    Dev::check()?;
    let t = tch::Tensor::f_empty(static_sizes::<S>(), (E::DTYPE, Dev::tch()))?
        .f_uniform_(-bound, bound)?;
    Ok(parameter(Tensor::wrap(t)))
}

/// Xavier (Glorot) uniform: `±sqrt(6 / (fan_in + fan_out))`, PyTorch's `xavier_uniform_`.
pub fn xavier_uniform<S: Shape, E: Float, Dev: Device>(
    fan_in: usize,
    fan_out: usize,
) -> Result<Tensor<S, E, Dev>> {
    uniform((6.0 / (fan_in + fan_out).max(1) as f64).sqrt())
}

/// A parameter of ones (a norm's scale).
pub fn ones<S: Shape, E: Float, Dev: Device>() -> Result<Tensor<S, E, Dev>> {
    Ok(parameter(filled(1.0)?))
}

/// A parameter of zeros (a norm's shift, an attention bias).
pub fn zeros<S: Shape, E: Float, Dev: Device>() -> Result<Tensor<S, E, Dev>> {
    Ok(parameter(filled(0.0)?))
}

/// A parameter of standard normal values (an embedding table).
pub fn normal<S: Shape, E: Float, Dev: Device>() -> Result<Tensor<S, E, Dev>> {
    Dev::check()?;
    let t = tch::Tensor::f_randn(static_sizes::<S>(), (E::DTYPE, Dev::tch()))?;
    Ok(parameter(Tensor::wrap(t)))
}

/// A tensor of `value` on `Dev` (no gradient).
pub(crate) fn filled<S: Shape, E: Float, Dev: Device>(value: f64) -> Result<Tensor<S, E, Dev>> {
    Dev::check()?;
    Ok(Tensor::wrap(tch::Tensor::f_full(
        static_sizes::<S>(),
        value,
        (E::DTYPE, Dev::tch()),
    )?))
}

/// Marks a freshly made tensor as a trainable leaf.
fn parameter<S: Shape, E: Float, Dev: Device>(t: Tensor<S, E, Dev>) -> Tensor<S, E, Dev> {
    Tensor::wrap(t.into_tch().set_requires_grad(true))
}

/// A step counter buffer (`num_batches_tracked`): an `i64` zero on `Dev`.
pub(crate) fn step_counter<Dev: Device>() -> Result<Tensor<(), i64, Dev>> {
    Dev::check()?;
    Ok(Tensor::wrap(tch::Tensor::f_zeros(
        [],
        (tch::Kind::Int64, Dev::tch()),
    )?))
}

//! Parameter-free layers: activations, softmax along an axis, flatten, dropout.
use super::module::module_via_layer_input;
use super::{LayerInput, Params};
use crate::device::Device;
use crate::element::Float;
use crate::shape::{RemoveAxis, Shape};
use crate::tensor::Tensor;

macro_rules! stateless {
    ($($(#[$doc:meta])* $name:ident => |$x:ident| $body:expr;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default)]
        pub struct $name;

        impl<S: Shape, E: Float, Dev: Device> LayerInput<$name> for Tensor<S, E, Dev> {
            type Output = Self;
            fn run(_: &$name, $x: Self) -> Self {
                $body
            }
        }
        module_via_layer_input!([] $name);

        $crate::stateless_conversions!($name);

        impl Params for $name {
            fn visit(&self, _: &str, _: &mut dyn FnMut(&str, &tch::Tensor)) {}
            fn visit_mut(&mut self, _: &str, _: &mut dyn FnMut(&str, &mut tch::Tensor)) {}
        }

        impl super::StaticParamCount for $name {
            const PARAM_COUNT: usize = 0;
        }
    )*};
}

stateless! {
    /// `torch.nn.ReLU`.
    ReLU => |x| x.relu();
    /// `torch.nn.GELU` (exact erf form).
    GELU => |x| x.gelu();
    /// `torch.nn.SiLU`.
    SiLU => |x| x.silu();
    /// `torch.nn.Tanh`.
    Tanh => |x| x.tanh();
    /// `torch.nn.Sigmoid`.
    Sigmoid => |x| x.sigmoid();
}

/// `torch.nn.LeakyReLU(negative_slope)`; the default slope is PyTorch's 0.01.
#[derive(Clone, Copy, Debug)]
pub struct LeakyReLU {
    /// Slope for negative inputs.
    pub negative_slope: f64,
}

impl Default for LeakyReLU {
    fn default() -> Self {
        LeakyReLU {
            negative_slope: 0.01,
        }
    }
}

/// `torch.nn.ELU(alpha)`; the default `alpha` is PyTorch's 1.0.
#[derive(Clone, Copy, Debug)]
pub struct ELU {
    /// Scale of the negative part.
    pub alpha: f64,
}

impl Default for ELU {
    fn default() -> Self {
        ELU { alpha: 1.0 }
    }
}

/// `torch.nn.Softmax(dim=AX)`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Softmax<const AX: usize>;

/// `torch.nn.LogSoftmax(dim=AX)`.
#[derive(Clone, Copy, Debug, Default)]
pub struct LogSoftmax<const AX: usize>;

impl<S: Shape, E: Float, Dev: Device> LayerInput<LeakyReLU> for Tensor<S, E, Dev> {
    type Output = Self;
    fn run(layer: &LeakyReLU, x: Self) -> Self {
        x.leaky_relu(layer.negative_slope)
    }
}
module_via_layer_input!([] LeakyReLU);

impl<S: Shape, E: Float, Dev: Device> LayerInput<ELU> for Tensor<S, E, Dev> {
    type Output = Self;
    fn run(layer: &ELU, x: Self) -> Self {
        x.elu(layer.alpha)
    }
}
module_via_layer_input!([] ELU);

impl<const AX: usize, S: RemoveAxis<AX>, E: Float, Dev: Device> LayerInput<Softmax<AX>>
    for Tensor<S, E, Dev>
{
    type Output = Self;
    fn run(_: &Softmax<AX>, x: Self) -> Self {
        x.softmax::<AX>()
    }
}
module_via_layer_input!([const AX: usize] Softmax<AX>);

impl<const AX: usize, S: RemoveAxis<AX>, E: Float, Dev: Device> LayerInput<LogSoftmax<AX>>
    for Tensor<S, E, Dev>
{
    type Output = Self;
    fn run(_: &LogSoftmax<AX>, x: Self) -> Self {
        x.log_softmax::<AX>()
    }
}
module_via_layer_input!([const AX: usize] LogSoftmax<AX>);

macro_rules! no_params {
    ($($name:ty $(: $ax:ident)?),*) => {$(
        impl$(<const $ax: usize>)? Params for $name {
            fn visit(&self, _: &str, _: &mut dyn FnMut(&str, &tch::Tensor)) {}
            fn visit_mut(&mut self, _: &str, _: &mut dyn FnMut(&str, &mut tch::Tensor)) {}
        }
        impl$(<const $ax: usize>)? super::StaticParamCount for $name {
            const PARAM_COUNT: usize = 0;
        }
        impl$(<const $ax: usize>)? super::ToDevice for $name {
            type On<D2: Device> = Self;
            fn to_device<D2: Device>(&self) -> crate::Result<Self> {
                D2::check()?;
                Ok(*self)
            }
        }
        impl$(<const $ax: usize>)? super::ToKind for $name {
            type As<E2: Float> = Self;
            fn to_kind<E2: Float>(&self) -> Self {
                *self
            }
        }
    )*};
}
no_params!(LeakyReLU, ELU, Softmax<AX>: AX, LogSoftmax<AX>: AX);

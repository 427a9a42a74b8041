//! Activations and softmax along an axis: layers without parameters. Run-time options (a slope,
//! an `alpha`) are set by methods named after PyTorch's arguments.
use super::module::module_via_layer_input;
use super::LayerInput;
use crate::device::Device;
use crate::element::Float;
use crate::shape::{RemoveAxis, Shape};
use crate::tensor::Tensor;

macro_rules! stateless {
    ($($(#[$doc:meta])* $name:ident => |$x:ident| $body:expr;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, super::Module)]
        pub struct $name;

        impl<S: Shape, E: Float, Dev: Device> LayerInput<$name> for Tensor<S, E, Dev> {
            type Output = Self;
            fn run(_: &$name, $x: Self) -> Self {
                $body
            }
        }
        module_via_layer_input!([] $name);
    )*};
}

stateless! {
    /// `torch.nn.Identity`: the input unchanged (a stack without a final norm).
    Identity => |x| x;
    /// `torch.nn.ReLU`.
    ReLU => |x| x.relu();
    /// `torch.nn.ReLU6`: ReLU capped at 6 (MobileNet's activation).
    ReLU6 => |x| x.relu6();
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
#[derive(Clone, Copy, Debug, super::Module)]
#[module(manual_init)]
pub struct LeakyReLU {
    /// Slope for negative inputs.
    #[module(skip)]
    pub negative_slope: f64,
}

impl Default for LeakyReLU {
    fn default() -> Self {
        LeakyReLU {
            negative_slope: 0.01,
        }
    }
}

impl LeakyReLU {
    /// Sets `negative_slope` (PyTorch's argument of that name): `LeakyReLU::default().negative_slope(0.2)`.
    pub fn negative_slope(mut self, slope: f64) -> Self {
        self.negative_slope = slope;
        self
    }
}

impl super::Init for LeakyReLU {
    fn init() -> crate::Result<Self> {
        Ok(Self::default())
    }
}

/// `torch.nn.ELU(alpha)`; the default `alpha` is PyTorch's 1.0.
#[derive(Clone, Copy, Debug, super::Module)]
#[module(manual_init)]
pub struct ELU {
    /// Scale of the negative part.
    #[module(skip)]
    pub alpha: f64,
}

impl Default for ELU {
    fn default() -> Self {
        ELU { alpha: 1.0 }
    }
}

impl ELU {
    /// Sets `alpha` (PyTorch's argument of that name).
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.alpha = alpha;
        self
    }
}

impl super::Init for ELU {
    fn init() -> crate::Result<Self> {
        Ok(Self::default())
    }
}

/// `torch.nn.Softmax(dim=AX)`.
#[derive(Clone, Copy, Debug, Default, super::Module)]
pub struct Softmax<const AX: usize>;

/// `torch.nn.LogSoftmax(dim=AX)`.
#[derive(Clone, Copy, Debug, Default, super::Module)]
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

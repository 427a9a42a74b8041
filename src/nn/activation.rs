//! Parameter-free layers: activations, softmax along an axis, flatten, dropout.
use super::{Module, Params};
use crate::device::Device;
use crate::element::Float;
use crate::shape::Shape;
use crate::tensor::Tensor;

macro_rules! stateless {
    ($($(#[$doc:meta])* $name:ident => |$x:ident| $body:expr;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default)]
        pub struct $name;

        impl<S: Shape, E: Float, Dev: Device> Module<Tensor<S, E, Dev>> for $name {
            type Output = Tensor<S, E, Dev>;
            fn forward(&self, $x: Tensor<S, E, Dev>) -> Self::Output {
                $body
            }
        }

        $crate::stateless_conversions!($name);

        impl Params for $name {
            fn visit(&self, _: &str, _: &mut dyn FnMut(&str, &tch::Tensor)) {}
            fn visit_mut(&mut self, _: &str, _: &mut dyn FnMut(&str, &mut tch::Tensor)) {}
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

//! Elementwise unary math and activations. Transcendental functions need a [`Float`] dtype.
use crate::device::Device;
use crate::element::{Float, Numeric};
use crate::shape::Shape;
use crate::tensor::Tensor;

macro_rules! unary {
    ($bound:ident: $($(#[$doc:meta])* $name:ident => $tch:ident;)*) => {
        impl<S: Shape, E: $bound, Dev: Device> Tensor<S, E, Dev> {
            $(
                $(#[$doc])*
                pub fn $name(&self) -> Self {
                    Tensor::wrap(self.as_tch().$tch())
                }
            )*
        }
    };
}

unary! {Float:
    /// `e^x`.
    exp => exp;
    /// Natural logarithm.
    log => log;
    /// Square root.
    sqrt => sqrt;
    /// `1 / sqrt(x)`.
    rsqrt => rsqrt;
    /// Sine.
    sin => sin;
    /// Cosine.
    cos => cos;
    /// Hyperbolic tangent.
    tanh => tanh;
    /// Logistic sigmoid `1 / (1 + e^-x)`.
    sigmoid => sigmoid;
    /// `1 / x`.
    reciprocal => reciprocal;
    /// SiLU (swish): `x * sigmoid(x)`.
    silu => silu;
    /// Log of the sigmoid, computed stably.
    log_sigmoid => log_sigmoid;
    /// Softplus `log(1 + e^x)`.
    softplus => softplus;
    /// Hard tanh: clamp to `[-1, 1]`.
    hardtanh => hardtanh;
    /// ReLU capped at 6: `min(max(x, 0), 6)` (MobileNet's activation).
    relu6 => relu6;
}

unary! {Numeric:
    /// `max(x, 0)`.
    relu => relu;
    /// `|x|`.
    abs => abs;
    /// `-x`.
    neg => neg;
    /// `x * x`.
    square => square;
    /// Sign: -1, 0 or 1.
    sign => sign;
}

impl<S: Shape, E: Float, Dev: Device> Tensor<S, E, Dev> {
    /// GELU, exact (erf) form as PyTorch's default.
    pub fn gelu(&self) -> Self {
        Tensor::wrap(self.as_tch().gelu("none"))
    }

    /// GELU, tanh approximation.
    pub fn gelu_tanh(&self) -> Self {
        Tensor::wrap(self.as_tch().gelu("tanh"))
    }

    /// Leaky ReLU with the given negative slope (PyTorch's default is 0.01).
    pub fn leaky_relu(&self, negative_slope: f64) -> Self {
        Tensor::wrap(self.as_tch().leaky_relu_with_slope(negative_slope))
    }

    /// ELU with the given `alpha` (PyTorch's default is 1.0).
    pub fn elu(&self, alpha: f64) -> Self {
        Tensor::wrap(self.as_tch().elu_with_alpha(alpha))
    }

    /// `x^exponent`.
    pub fn pow_scalar(&self, exponent: f64) -> Self {
        Tensor::wrap(self.as_tch().pow_tensor_scalar(exponent))
    }

    /// `x * factor`, for a constant written as `f64` whatever the element type (generic code over
    /// `E: Float` cannot write `x * 0.5`, whose `0.5` must be an `E`).
    ///
    /// ```
    /// use typed_torch::{Float, Tensor, D};
    /// fn half<E: Float>(x: &Tensor<(D<2>,), E>) -> Tensor<(D<2>,), E> {
    ///     x.mul_scalar(0.5)
    /// }
    /// assert_eq!(half(&Tensor::<(D<2>,), f32>::from_array([2.0, 3.0])).to_vec(), [1.0, 1.5]);
    /// ```
    pub fn mul_scalar(&self, factor: f64) -> Self {
        Tensor::wrap(self.as_tch() * factor)
    }

    /// `x + term`, for a constant written as `f64` whatever the element type.
    pub fn add_scalar(&self, term: f64) -> Self {
        Tensor::wrap(self.as_tch() + term)
    }
}

impl<S: Shape, E: Numeric, Dev: Device> Tensor<S, E, Dev> {
    /// Clamps each element to `[min, max]` (bounds of the element type, so an integer tensor
    /// stays an integer tensor).
    ///
    /// ```
    /// use typed_torch::{Tensor, D};
    /// let x = Tensor::<(D<3>,), i64>::from_array([-5, 1, 9]);
    /// assert_eq!(x.clamp(-2, 3).to_vec(), vec![-2, 1, 3]);
    /// ```
    pub fn clamp(&self, min: E, max: E) -> Self {
        Tensor::wrap(self.as_tch().clamp(min.to_scalar(), max.to_scalar()))
    }
}

/// Activations whose slope or scale tch's generated API fixes at PyTorch's default.
trait ActivationsWithParameter {
    fn leaky_relu_with_slope(&self, slope: f64) -> tch::Tensor;
    fn elu_with_alpha(&self, alpha: f64) -> tch::Tensor;
}

impl ActivationsWithParameter for tch::Tensor {
    fn leaky_relu_with_slope(&self, slope: f64) -> tch::Tensor {
        self.where_self(&self.gt(0.0), &(self * slope))
    }
    fn elu_with_alpha(&self, alpha: f64) -> tch::Tensor {
        self.where_self(&self.gt(0.0), &(self.expm1() * alpha))
    }
}

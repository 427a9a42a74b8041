//! Binary arithmetic with numpy broadcasting computed in the type, and scalar arithmetic.
//!
//! `a + b` needs equal element types and devices; the result shape is the broadcast of both shapes
//! (`(Dyn, D<10>) + (D<10>,)` is `(Dyn, D<10>)`), and incompatible dims do not compile.
use crate::device::Device;
use crate::element::Numeric;
use crate::shape::{BroadcastShape, Shape};
use crate::tensor::Tensor;
use core::ops::{Add, Div, Mul, Neg, Sub};

macro_rules! binary {
    ($($trait:ident $method:ident |$a:ident, $b:ident| $tensor:expr, |$t:ident, $s:ident| $scalar:expr;)*) => {$(
        impl<S1, S2, E: Numeric, Dev: Device> $trait<&Tensor<S2, E, Dev>> for &Tensor<S1, E, Dev>
        where
            S1: BroadcastShape<S2>,
            S2: Shape,
        {
            type Output = Tensor<S1::Output, E, Dev>;
            fn $method(self, rhs: &Tensor<S2, E, Dev>) -> Self::Output {
                let ($a, $b) = (self.as_tch(), rhs.as_tch());
                Tensor::wrap($tensor)
            }
        }
        impl<S1, S2, E: Numeric, Dev: Device> $trait<Tensor<S2, E, Dev>> for Tensor<S1, E, Dev>
        where
            S1: BroadcastShape<S2>,
            S2: Shape,
        {
            type Output = Tensor<S1::Output, E, Dev>;
            fn $method(self, rhs: Tensor<S2, E, Dev>) -> Self::Output {
                $trait::$method(&self, &rhs)
            }
        }
        impl<S1, S2, E: Numeric, Dev: Device> $trait<&Tensor<S2, E, Dev>> for Tensor<S1, E, Dev>
        where
            S1: BroadcastShape<S2>,
            S2: Shape,
        {
            type Output = Tensor<S1::Output, E, Dev>;
            fn $method(self, rhs: &Tensor<S2, E, Dev>) -> Self::Output {
                $trait::$method(&self, rhs)
            }
        }
        impl<S1, S2, E: Numeric, Dev: Device> $trait<Tensor<S2, E, Dev>> for &Tensor<S1, E, Dev>
        where
            S1: BroadcastShape<S2>,
            S2: Shape,
        {
            type Output = Tensor<S1::Output, E, Dev>;
            fn $method(self, rhs: Tensor<S2, E, Dev>) -> Self::Output {
                $trait::$method(self, &rhs)
            }
        }
        impl<S: Shape, E: Numeric, Dev: Device> $trait<E> for &Tensor<S, E, Dev> {
            type Output = Tensor<S, E, Dev>;
            fn $method(self, rhs: E) -> Self::Output {
                let ($t, $s) = (self.as_tch(), rhs.to_scalar());
                Tensor::wrap($scalar)
            }
        }
        impl<S: Shape, E: Numeric, Dev: Device> $trait<E> for Tensor<S, E, Dev> {
            type Output = Tensor<S, E, Dev>;
            fn $method(self, rhs: E) -> Self::Output {
                $trait::$method(&self, rhs)
            }
        }
    )*};
}

binary! {
    Add add |a, b| a + b, |t, s| t.g_add_scalar(s);
    Sub sub |a, b| a - b, |t, s| t.g_sub_scalar(s);
    Mul mul |a, b| a * b, |t, s| t.g_mul_scalar(s);
    // libtorch's `/` is true division even for integers, which would give a float tensor typed as
    // an integer one; integer tensors divide like Rust integers instead (truncating).
    Div div |a, b| if E::IS_FLOAT { a / b } else { a.divide_tensor_mode(b, "trunc") },
        |t, s| if E::IS_FLOAT { t.g_div_scalar(s) } else { t.divide_scalar_mode(s, "trunc") };
}

impl<S: Shape, E: Numeric, Dev: Device> Neg for &Tensor<S, E, Dev> {
    type Output = Tensor<S, E, Dev>;
    fn neg(self) -> Self::Output {
        Tensor::wrap(self.as_tch().neg())
    }
}

impl<S: Shape, E: Numeric, Dev: Device> Neg for Tensor<S, E, Dev> {
    type Output = Tensor<S, E, Dev>;
    fn neg(self) -> Self::Output {
        Tensor::wrap(self.as_tch().neg())
    }
}

impl<S1: Shape, E: Numeric, Dev: Device> Tensor<S1, E, Dev> {
    /// Elementwise maximum, broadcasting.
    pub fn maximum<S2: Shape>(&self, other: &Tensor<S2, E, Dev>) -> Tensor<S1::Output, E, Dev>
    where
        S1: BroadcastShape<S2>,
    {
        Tensor::wrap(self.as_tch().maximum(other.as_tch()))
    }

    /// Elementwise minimum, broadcasting.
    pub fn minimum<S2: Shape>(&self, other: &Tensor<S2, E, Dev>) -> Tensor<S1::Output, E, Dev>
    where
        S1: BroadcastShape<S2>,
    {
        Tensor::wrap(self.as_tch().minimum(other.as_tch()))
    }
}

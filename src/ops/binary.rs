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
    ($($trait:ident $method:ident $named:ident;)*) => {$(
        impl<S1, S2, E: Numeric, Dev: Device> $trait<&Tensor<S2, E, Dev>> for &Tensor<S1, E, Dev>
        where
            S1: BroadcastShape<S2>,
            S2: Shape,
        {
            type Output = Tensor<S1::Output, E, Dev>;
            fn $method(self, rhs: &Tensor<S2, E, Dev>) -> Self::Output {
                Tensor::wrap($trait::$method(self.as_tch(), rhs.as_tch()))
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
                Tensor::wrap(self.as_tch().$named(rhs.to_scalar()))
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
    Add add g_add_scalar;
    Sub sub g_sub_scalar;
    Mul mul g_mul_scalar;
    Div div g_div_scalar;
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

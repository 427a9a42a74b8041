//! Binary arithmetic with numpy broadcasting computed in the type, and scalar arithmetic.
//!
//! `a + b` needs equal element types and devices; the result shape is the broadcast of both shapes
//! (`(Dyn, D<10>) + (D<10>,)` is `(Dyn, D<10>)`), and incompatible dims do not compile.
use crate::device::Device;
use crate::element::Numeric;
use crate::error::Result;
use crate::explain::{check, or_panic, Needs};
use crate::shape::{BroadcastShape, Shape};
use crate::tensor::Tensor;
use core::ops::{Add, Div, Mul, Neg, Sub};

macro_rules! binary {
    ($($(#[$doc:meta])* $trait:ident $method:ident $try_method:ident |$a:ident, $b:ident| $tensor:expr, |$t:ident, $s:ident, $r:ident| $scalar:expr;)*) => {
        /// The libtorch calls behind the operators, their failures explained; no shape bounds, so
        /// the operator impls and the `try_` methods share them whatever their where-clauses.
        mod raw {
            use super::*;
            $(
                // `E` picks true or truncating division; the other ops ignore it.
                #[allow(clippy::extra_unused_type_parameters)]
                pub(super) fn $method<E: Numeric>($a: &tch::Tensor, $b: &tch::Tensor) -> Result<tch::Tensor> {
                    check(stringify!($method), &[$a, $b], Needs::BINARY, $tensor)
                }
            )*
        }
        $(
        impl<S1, S2, E: Numeric, Dev: Device> $trait<&Tensor<S2, E, Dev>> for &Tensor<S1, E, Dev>
        where
            S1: BroadcastShape<S2>,
            S2: Shape,
        {
            type Output = Tensor<S1::Output, E, Dev>;
            #[track_caller]
            fn $method(self, rhs: &Tensor<S2, E, Dev>) -> Self::Output {
                Tensor::wrap(or_panic(raw::$method::<E>(self.as_tch(), rhs.as_tch())))
            }
        }
        impl<S1, S2, E: Numeric, Dev: Device> $trait<Tensor<S2, E, Dev>> for Tensor<S1, E, Dev>
        where
            S1: BroadcastShape<S2>,
            S2: Shape,
        {
            type Output = Tensor<S1::Output, E, Dev>;
            #[track_caller]
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
            #[track_caller]
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
            #[track_caller]
            fn $method(self, rhs: Tensor<S2, E, Dev>) -> Self::Output {
                $trait::$method(self, &rhs)
            }
        }
        impl<S: Shape, E: Numeric, Dev: Device> $trait<E> for &Tensor<S, E, Dev> {
            type Output = Tensor<S, E, Dev>;
            #[track_caller]
            fn $method(self, rhs: E) -> Self::Output {
                let ($t, $s, $r) = (self.as_tch(), rhs.to_scalar(), rhs);
                Tensor::wrap(or_panic(check(stringify!($method), &[$t], Needs::Libtorch, $scalar)))
            }
        }
        impl<S: Shape, E: Numeric, Dev: Device> $trait<E> for Tensor<S, E, Dev> {
            type Output = Tensor<S, E, Dev>;
            #[track_caller]
            fn $method(self, rhs: E) -> Self::Output {
                $trait::$method(&self, rhs)
            }
        }
        impl<S1: Shape, E: Numeric, Dev: Device> Tensor<S1, E, Dev> {
            $(#[$doc])*
            pub fn $try_method<S2: Shape>(
                &self,
                rhs: &Tensor<S2, E, Dev>,
            ) -> Result<Tensor<S1::Output, E, Dev>>
            where
                S1: BroadcastShape<S2>,
            {
                raw::$method::<E>(self.as_tch(), rhs.as_tch()).map(Tensor::wrap)
            }
        }
    )*};
}

binary! {
    /// `self + rhs`, or an [`Error::Operands`](crate::Error::Operands) when their `Dyn` sizes do
    /// not broadcast, where `+` panics at the caller's line.
    ///
    /// ```
    /// use typed_torch::{Dyn, Tensor, D};
    /// let a = Tensor::<(Dyn, D<3>)>::ones_dyn(&[2]).unwrap();
    /// assert_eq!(a.try_add(&a).unwrap().to_vec(), vec![2.0; 6]);
    /// let b = Tensor::<(Dyn, D<3>)>::ones_dyn(&[5]).unwrap();
    /// assert!(a.try_add(&b).is_err());
    /// ```
    Add add try_add |a, b| a.f_add(b), |t, s, _rhs| t.f_add_scalar(s);
    /// `self - rhs`, or an [`Error::Operands`](crate::Error::Operands) when their `Dyn` sizes do
    /// not broadcast, where `-` panics at the caller's line.
    ///
    /// ```
    /// use typed_torch::{Dyn, Tensor, D};
    /// let a = Tensor::<(Dyn,)>::ones_dyn(&[2]).unwrap();
    /// let b = Tensor::<(Dyn,)>::ones_dyn(&[3]).unwrap();
    /// assert!(a.try_sub(&b).is_err());
    /// ```
    Sub sub try_sub |a, b| a.f_sub(b), |t, s, _rhs| t.f_sub_scalar(s);
    /// `self * rhs`, or an [`Error::Operands`](crate::Error::Operands) when their `Dyn` sizes do
    /// not broadcast, where `*` panics at the caller's line.
    ///
    /// ```
    /// use typed_torch::{Dyn, Tensor, D};
    /// let a = Tensor::<(Dyn,)>::ones_dyn(&[2]).unwrap();
    /// let b = Tensor::<(Dyn,)>::ones_dyn(&[1]).unwrap(); // size 1 broadcasts
    /// assert_eq!(a.try_mul(&b).unwrap().size(), vec![2]);
    /// ```
    Mul mul try_mul |a, b| a.f_mul(b), |t, s, _rhs| t.f_mul_scalar(s);
    /// `self / rhs`, or an [`Error::Operands`](crate::Error::Operands) when their `Dyn` sizes do
    /// not broadcast or an integer divisor is zero, where `/` panics at the caller's line.
    ///
    /// ```
    /// use typed_torch::{Tensor, D};
    /// let a = Tensor::<(D<2>,), i64>::from_array([7, 8]);
    /// assert_eq!(a.try_div(&Tensor::from_array([2, 3])).unwrap().to_vec(), vec![3, 2]);
    /// assert!(a.try_div(&Tensor::from_array([2, 0])).is_err());
    /// ```
    // libtorch's `/` is true division even for integers, which would give a float tensor typed as
    // an integer one; integer tensors divide like Rust integers instead (truncating).
    Div div try_div |a, b| if E::IS_FLOAT { a.f_div(b) } else { a.f_divide_tensor_mode(b, "trunc") },
        |t, s, rhs| if E::IS_FLOAT {
            t.f_div_scalar(s)
        } else if rhs == E::ZERO {
            // libtorch's own refusal, made here: when a scalar op fails, tch panics while dropping
            // the scalar (its `Drop` unwraps the pending error) before returning the `Err`.
            Err(tch::TchError::Torch("ZeroDivisionError".into()))
        } else {
            t.f_divide_scalar_mode(s, "trunc")
        };
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
    #[track_caller]
    pub fn maximum<S2: Shape>(&self, other: &Tensor<S2, E, Dev>) -> Tensor<S1::Output, E, Dev>
    where
        S1: BroadcastShape<S2>,
    {
        let (a, b) = (self.as_tch(), other.as_tch());
        Tensor::wrap(or_panic(check(
            "maximum",
            &[a, b],
            Needs::BINARY,
            a.f_maximum(b),
        )))
    }

    /// Elementwise minimum, broadcasting.
    #[track_caller]
    pub fn minimum<S2: Shape>(&self, other: &Tensor<S2, E, Dev>) -> Tensor<S1::Output, E, Dev>
    where
        S1: BroadcastShape<S2>,
    {
        let (a, b) = (self.as_tch(), other.as_tch());
        Tensor::wrap(or_panic(check(
            "minimum",
            &[a, b],
            Needs::BINARY,
            a.f_minimum(b),
        )))
    }
}

//! Reductions along a typed axis (`sum::<1>()` drops axis 1; `sum_keepdim::<1>()` keeps it as
//! `D<1>`), reductions to a scalar, and softmax along an axis.
use crate::device::Device;
use crate::element::{Element, Float, Numeric};
use crate::explain::{check, or_panic, Needs};
use crate::shape::{RemoveAxis, Shape};
use crate::tensor::Tensor;

macro_rules! reduce {
    ($bound:ident: $($(#[$doc:meta])* $name:ident $keep:ident => |$t:ident, $ax:ident, $kd:ident| $body:expr;)*) => {
        impl<S: Shape, E: $bound, Dev: Device> Tensor<S, E, Dev> {$(
            $(#[$doc])*
            #[track_caller]
            pub fn $name<const AX: usize>(&self) -> Tensor<<S as RemoveAxis<AX>>::Output, E, Dev>
            where
                S: RemoveAxis<AX>,
            {
                let ($t, $ax, $kd) = (self.as_tch(), AX as i64, false);
                Tensor::wrap(or_panic(check(stringify!($name), &[$t], Needs::NonEmpty(AX, AX + 1), $body)))
            }

            $(#[$doc])*
            /// (Keeps the axis as `D<1>`.)
            #[track_caller]
            pub fn $keep<const AX: usize>(&self) -> Tensor<<S as RemoveAxis<AX>>::Kept, E, Dev>
            where
                S: RemoveAxis<AX>,
            {
                let ($t, $ax, $kd) = (self.as_tch(), AX as i64, true);
                Tensor::wrap(or_panic(check(stringify!($keep), &[$t], Needs::NonEmpty(AX, AX + 1), $body)))
            }
        )*}
    };
}

reduce! {Numeric:
    /// Maximum along axis `AX`.
    max max_keepdim => |t, ax, kd| t.f_amax([ax].as_slice(), kd);
    /// Minimum along axis `AX`.
    min min_keepdim => |t, ax, kd| t.f_amin([ax].as_slice(), kd);
}

reduce! {Float:
    /// Mean along axis `AX`.
    mean mean_keepdim => |t, ax, kd| t.f_mean_dim([ax].as_slice(), kd, None::<tch::Kind>);
    /// `log(sum(exp(x)))` along axis `AX`, computed stably.
    logsumexp logsumexp_keepdim => |t, ax, kd| t.f_logsumexp([ax].as_slice(), kd);
    /// Unbiased variance (Bessel's correction, as PyTorch's default) along axis `AX`.
    var var_keepdim => |t, ax, kd| t.f_var_dim([ax].as_slice(), true, kd);
    /// Unbiased standard deviation along axis `AX`.
    std std_keepdim => |t, ax, kd| t.f_std_dim([ax].as_slice(), true, kd);
}

impl<S: Shape, E: Numeric, Dev: Device> Tensor<S, E, Dev> {
    /// Index of the maximum along axis `AX`.
    ///
    /// # Panics
    ///
    /// At the caller's line, when a `Dyn` axis `AX` is empty.
    #[track_caller]
    pub fn argmax<const AX: usize>(&self) -> Tensor<<S as RemoveAxis<AX>>::Output, i64, Dev>
    where
        S: RemoveAxis<AX>,
    {
        let (t, non_empty) = (self.as_tch(), Needs::NonEmpty(AX, AX + 1));
        Tensor::wrap(or_panic(check(
            "argmax",
            &[t],
            non_empty,
            t.f_argmax(AX as i64, false),
        )))
    }

    /// Index of the minimum along axis `AX`.
    ///
    /// # Panics
    ///
    /// At the caller's line, when a `Dyn` axis `AX` is empty.
    #[track_caller]
    pub fn argmin<const AX: usize>(&self) -> Tensor<<S as RemoveAxis<AX>>::Output, i64, Dev>
    where
        S: RemoveAxis<AX>,
    {
        let (t, non_empty) = (self.as_tch(), Needs::NonEmpty(AX, AX + 1));
        Tensor::wrap(or_panic(check(
            "argmin",
            &[t],
            non_empty,
            t.f_argmin(AX as i64, false),
        )))
    }

    /// Sum of all elements.
    pub fn sum_all(&self) -> Tensor<(), E::Sum, Dev> {
        Tensor::wrap(self.as_tch().sum(<E::Sum as Element>::DTYPE))
    }

    /// Sum along axis `AX`; integer tensors sum in `i64` (as PyTorch), floats in their own type.
    ///
    /// ```
    /// use typed_torch::{Tensor, D};
    /// let x = Tensor::<(D<2>, D<300>), u8>::ones();
    /// let s: Tensor<(D<2>,), i64> = x.sum::<1>();
    /// assert_eq!(s.to_vec(), vec![300, 300]);
    /// ```
    pub fn sum<const AX: usize>(&self) -> Tensor<<S as RemoveAxis<AX>>::Output, E::Sum, Dev>
    where
        S: RemoveAxis<AX>,
    {
        let dtype = <E::Sum as Element>::DTYPE;
        Tensor::wrap(
            self.as_tch()
                .sum_dim_intlist([AX as i64].as_slice(), false, dtype),
        )
    }

    /// Sum along axis `AX`, keeping it as `D<1>`.
    pub fn sum_keepdim<const AX: usize>(&self) -> Tensor<<S as RemoveAxis<AX>>::Kept, E::Sum, Dev>
    where
        S: RemoveAxis<AX>,
    {
        let dtype = <E::Sum as Element>::DTYPE;
        Tensor::wrap(
            self.as_tch()
                .sum_dim_intlist([AX as i64].as_slice(), true, dtype),
        )
    }
}

impl<S: Shape, E: Float, Dev: Device> Tensor<S, E, Dev> {
    /// Mean of all elements.
    pub fn mean_all(&self) -> Tensor<(), E, Dev> {
        Tensor::wrap(self.as_tch().mean(E::DTYPE))
    }

    /// Softmax along axis `AX`.
    ///
    /// ```
    /// use typed_torch::{Tensor, D};
    /// let p = Tensor::<(D<2>, D<3>)>::zeros().softmax::<1>();
    /// assert!((p.sum::<1>().to_vec()[0] - 1.0).abs() < 1e-6);
    /// ```
    pub fn softmax<const AX: usize>(&self) -> Self
    where
        S: RemoveAxis<AX>,
    {
        Tensor::wrap(self.as_tch().softmax(AX as i64, E::DTYPE))
    }

    /// Log-softmax along axis `AX`.
    pub fn log_softmax<const AX: usize>(&self) -> Self
    where
        S: RemoveAxis<AX>,
    {
        Tensor::wrap(self.as_tch().log_softmax(AX as i64, E::DTYPE))
    }
}

//! Comparisons giving `bool` tensors, and `where_` selecting by them.
use crate::device::Device;
use crate::element::{Element, Numeric};
use crate::explain::{check, or_panic, Needs};
use crate::shape::{BroadcastShape, Shape};
use crate::tensor::Tensor;

/// The fallible (`f_`) form of each tch comparison that the table below names.
macro_rules! fallible {
    (eq_tensor) => {
        tch::Tensor::f_eq_tensor
    };
    (ne_tensor) => {
        tch::Tensor::f_ne_tensor
    };
    (lt_tensor) => {
        tch::Tensor::f_lt_tensor
    };
    (le_tensor) => {
        tch::Tensor::f_le_tensor
    };
    (gt_tensor) => {
        tch::Tensor::f_gt_tensor
    };
    (ge_tensor) => {
        tch::Tensor::f_ge_tensor
    };
}

macro_rules! compare {
    ($($(#[$doc:meta])* $name:ident $scalar:ident => $tch:ident $tch_scalar:ident;)*) => {
        impl<S1: Shape, E: Numeric, Dev: Device> Tensor<S1, E, Dev> {$(
            $(#[$doc])*
            #[track_caller]
            pub fn $name<S2: Shape>(&self, other: &Tensor<S2, E, Dev>) -> Tensor<S1::Output, bool, Dev>
            where
                S1: BroadcastShape<S2>,
            {
                let (a, b) = (self.as_tch(), other.as_tch());
                let result = fallible!($tch)(a, b);
                Tensor::wrap(or_panic(check(stringify!($name), &[a, b], Needs::BINARY, result)))
            }

            $(#[$doc])*
            /// (Against a scalar.)
            pub fn $scalar(&self, value: E) -> Tensor<S1, bool, Dev> {
                Tensor::wrap(self.as_tch().$tch_scalar(value.to_scalar()))
            }
        )*}
    };
}

compare! {
    /// `self == other`, elementwise, broadcasting.
    eq eq_scalar => eq_tensor eq;
    /// `self != other`, elementwise, broadcasting.
    ne ne_scalar => ne_tensor ne;
    /// `self < other`, elementwise, broadcasting.
    lt lt_scalar => lt_tensor lt;
    /// `self <= other`, elementwise, broadcasting.
    le le_scalar => le_tensor le;
    /// `self > other`, elementwise, broadcasting.
    gt gt_scalar => gt_tensor gt;
    /// `self >= other`, elementwise, broadcasting.
    ge ge_scalar => ge_tensor ge;
}

impl<SC: Shape, Dev: Device> Tensor<SC, bool, Dev> {
    /// Picks `if_true` where this mask is true and `if_false` elsewhere; all three broadcast.
    ///
    /// ```
    /// use typed_torch::{Tensor, D};
    /// let x = Tensor::<(D<3>,)>::from_array([-1.0, 0.5, 2.0]);
    /// let y = x.gt_scalar(0.0).where_(&x, &x.zeros_like());
    /// assert_eq!(y.to_vec(), vec![0.0, 0.5, 2.0]);
    /// ```
    #[track_caller]
    pub fn where_<S1: Shape, S2: Shape, E: Element>(
        &self,
        if_true: &Tensor<S1, E, Dev>,
        if_false: &Tensor<S2, E, Dev>,
    ) -> Tensor<<<SC as BroadcastShape<S1>>::Output as BroadcastShape<S2>>::Output, E, Dev>
    where
        SC: BroadcastShape<S1>,
        <SC as BroadcastShape<S1>>::Output: BroadcastShape<S2>,
    {
        let (cond, a, b) = (self.as_tch(), if_true.as_tch(), if_false.as_tch());
        let places = Needs::Broadcast(&["in the condition", "in if_true", "in if_false"]);
        Tensor::wrap(or_panic(check(
            "where_",
            &[cond, a, b],
            places,
            a.f_where_self(cond, b),
        )))
    }

    /// Logical not.
    pub fn logical_not(&self) -> Self {
        Tensor::wrap(self.as_tch().logical_not())
    }
}

//! Comparisons giving `bool` tensors, and `where_` selecting by them.
use crate::device::Device;
use crate::element::{Element, Numeric};
use crate::shape::{BroadcastShape, Shape};
use crate::tensor::Tensor;

macro_rules! compare {
    ($($(#[$doc:meta])* $name:ident $scalar:ident => $tch:ident $tch_scalar:ident;)*) => {
        impl<S1: Shape, E: Numeric, Dev: Device> Tensor<S1, E, Dev> {$(
            $(#[$doc])*
            pub fn $name<S2: Shape>(&self, other: &Tensor<S2, E, Dev>) -> Tensor<S1::Output, bool, Dev>
            where
                S1: BroadcastShape<S2>,
            {
                Tensor::wrap(self.as_tch().$tch(other.as_tch()))
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
    pub fn where_<S1: Shape, S2: Shape, E: Element>(
        &self,
        if_true: &Tensor<S1, E, Dev>,
        if_false: &Tensor<S2, E, Dev>,
    ) -> Tensor<<<SC as BroadcastShape<S1>>::Output as BroadcastShape<S2>>::Output, E, Dev>
    where
        SC: BroadcastShape<S1>,
        <SC as BroadcastShape<S1>>::Output: BroadcastShape<S2>,
    {
        Tensor::wrap(
            if_true
                .as_tch()
                .where_self(self.as_tch(), if_false.as_tch()),
        )
    }

    /// Logical not.
    pub fn logical_not(&self) -> Self {
        Tensor::wrap(self.as_tch().logical_not())
    }
}

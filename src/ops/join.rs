//! Joining tensors: `cat` along an existing axis, `stack` along a new one.
use crate::device::Device;
use crate::dims::D;
use crate::element::Element;
use crate::shape::{CatShape, InsertAxis, Shape};
use crate::tensor::Tensor;

impl<S1: Shape, E: Element, Dev: Device> Tensor<S1, E, Dev> {
    /// Concatenates `other` along axis `AX`: sizes add there (at compile time when both are
    /// static); every other dim must be equal.
    ///
    /// ```
    /// use typed_torch::{Tensor, D};
    /// let a = Tensor::<(D<2>, D<3>)>::zeros();
    /// let b = Tensor::<(D<2>, D<5>)>::ones();
    /// let c: Tensor<(D<2>, D<8>)> = a.cat::<1, _>(&b);
    /// ```
    pub fn cat<const AX: usize, S2: Shape>(
        &self,
        other: &Tensor<S2, E, Dev>,
    ) -> Tensor<<S1 as CatShape<S2, AX>>::Output, E, Dev>
    where
        S1: CatShape<S2, AX>,
    {
        Tensor::wrap(tch::Tensor::cat(
            &[self.as_tch(), other.as_tch()],
            AX as i64,
        ))
    }

    /// Stacks `N` tensors of this shape along a new axis `AX` of size `D<N>`.
    ///
    /// ```
    /// use typed_torch::{Tensor, D};
    /// let a = Tensor::<(D<3>,)>::zeros();
    /// let s: Tensor<(D<2>, D<3>)> = Tensor::stack::<0, 2>([&a, &a]);
    /// ```
    pub fn stack<const AX: usize, const N: usize>(
        tensors: [&Self; N],
    ) -> Tensor<<S1 as InsertAxis<AX, D<N>>>::Output, E, Dev>
    where
        S1: InsertAxis<AX, D<N>>,
    {
        let inner: Vec<&tch::Tensor> = tensors.iter().map(|t| t.as_tch()).collect();
        Tensor::wrap(tch::Tensor::stack(&inner, AX as i64))
    }
}

//! Joining tensors: `cat` along an existing axis, `stack` along a new one.
use crate::device::Device;
use crate::dims::D;
use crate::element::Element;
use crate::error::Result;
use crate::explain::{check, or_panic, Needs};
use crate::shape::{CatShape, InsertAxis, Shape};
use crate::tensor::Tensor;

/// Concatenation with another tensor along an axis: `a.cat::<1>(&b)`.
///
/// A trait rather than an inherent method so that only the axis is written: the other tensor's
/// shape is inferred from the argument (it is in the prelude).
pub trait Cat<Rhs> {
    /// Concatenates `other` along axis `AX`: sizes add there (at compile time when both are
    /// static); every other dim must be equal.
    ///
    /// ```
    /// use typed_torch::{Cat, Tensor, D};
    /// let a = Tensor::<(D<2>, D<3>)>::zeros();
    /// let b = Tensor::<(D<2>, D<5>)>::ones();
    /// let c: Tensor<(D<2>, D<8>)> = a.cat::<1>(&b);
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line, when a `Dyn` dim other than `AX` differs between the two;
    /// [`try_cat`](Self::try_cat) returns the error instead.
    #[track_caller]
    fn cat<const AX: usize>(&self, other: &Rhs) -> <Self as CatAlong<Rhs, AX>>::Output
    where
        Self: CatAlong<Rhs, AX>,
    {
        or_panic(self.cat_along(other))
    }

    /// [`cat`](Self::cat), or an [`Error::Operands`](crate::Error::Operands) when a `Dyn` dim
    /// other than `AX` differs between the two.
    ///
    /// ```
    /// use typed_torch::{Cat, Tensor, D, Dyn};
    /// let a = Tensor::<(Dyn, D<3>)>::zeros_dyn(&[2]).unwrap();
    /// let b = Tensor::<(Dyn, D<5>)>::zeros_dyn(&[4]).unwrap();
    /// assert!(a.try_cat::<1>(&b).is_err());
    /// assert_eq!(a.try_cat::<0>(&a).unwrap().size(), vec![4, 3]);
    /// ```
    fn try_cat<const AX: usize>(&self, other: &Rhs) -> Result<<Self as CatAlong<Rhs, AX>>::Output>
    where
        Self: CatAlong<Rhs, AX>,
    {
        self.cat_along(other)
    }
}

impl<S1: Shape, E: Element, Dev: Device, Rhs> Cat<Rhs> for Tensor<S1, E, Dev> {}

/// What [`Cat::cat`] along `AX` computes: implemented when the shapes fit at compile time.
pub trait CatAlong<Rhs, const AX: usize> {
    /// The concatenation's type.
    type Output;
    /// Concatenates, or explains why the run-time sizes do not fit.
    fn cat_along(&self, other: &Rhs) -> Result<Self::Output>;
}

impl<const AX: usize, S1, S2: Shape, E: Element, Dev: Device> CatAlong<Tensor<S2, E, Dev>, AX>
    for Tensor<S1, E, Dev>
where
    S1: CatShape<S2, AX>,
{
    type Output = Tensor<<S1 as CatShape<S2, AX>>::Output, E, Dev>;
    fn cat_along(&self, other: &Tensor<S2, E, Dev>) -> Result<Self::Output> {
        cat(self.as_tch(), other.as_tch(), AX).map(Tensor::wrap)
    }
}

impl<S1: Shape, E: Element, Dev: Device> Tensor<S1, E, Dev> {
    /// Stacks `N` tensors of this shape along a new axis `AX` of size `D<N>`.
    ///
    /// ```
    /// use typed_torch::{Tensor, D};
    /// let a = Tensor::<(D<3>,)>::zeros();
    /// let s: Tensor<(D<2>, D<3>)> = Tensor::stack::<0, 2>([&a, &a]);
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line, when `Dyn` sizes differ between the tensors;
    /// [`try_stack`](Self::try_stack) returns the error instead.
    #[track_caller]
    pub fn stack<const AX: usize, const N: usize>(
        tensors: [&Self; N],
    ) -> Tensor<<S1 as InsertAxis<AX, D<N>>>::Output, E, Dev>
    where
        S1: InsertAxis<AX, D<N>>,
    {
        Tensor::wrap(or_panic(stack(tensors.map(|t| t.as_tch()), AX)))
    }

    /// [`stack`](Self::stack), or an [`Error::Operands`](crate::Error::Operands) when `Dyn`
    /// sizes differ between the tensors.
    ///
    /// ```
    /// use typed_torch::{Tensor, Dyn};
    /// let a = Tensor::<(Dyn,)>::zeros_dyn(&[2]).unwrap();
    /// let b = Tensor::<(Dyn,)>::zeros_dyn(&[3]).unwrap();
    /// assert!(Tensor::try_stack::<0, 2>([&a, &b]).is_err());
    /// ```
    pub fn try_stack<const AX: usize, const N: usize>(
        tensors: [&Self; N],
    ) -> Result<Tensor<<S1 as InsertAxis<AX, D<N>>>::Output, E, Dev>>
    where
        S1: InsertAxis<AX, D<N>>,
    {
        stack(tensors.map(|t| t.as_tch()), AX).map(Tensor::wrap)
    }
}

/// libtorch's `cat` of two tensors along `axis`, its failure explained.
fn cat(a: &tch::Tensor, b: &tch::Tensor, axis: usize) -> Result<tch::Tensor> {
    let result = tch::Tensor::f_cat(&[a, b], axis as i64);
    check("cat", &[a, b], Needs::Cat(axis), result)
}

/// libtorch's `stack` along `axis`, its failure explained.
fn stack<const N: usize>(tensors: [&tch::Tensor; N], axis: usize) -> Result<tch::Tensor> {
    let result = tch::Tensor::f_stack(&tensors, axis as i64);
    check("stack", &tensors, Needs::Equal("equal sizes"), result)
}

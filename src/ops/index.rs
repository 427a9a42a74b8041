//! Selecting parts of a tensor: `narrow` (static or run-time range), `index_select`, `gather`,
//! `one_hot`.
use crate::device::Device;
use crate::dims::{Dim, Dyn, D};
use crate::element::{Element, Index};
use crate::error::{Error, Result};
use crate::explain::{check, or_panic, Needs};
use crate::shape::{AppendAxis, DimAt, NarrowAxis, ReplaceAxis, SameRank, Shape};
use crate::tensor::Tensor;

impl<S: Shape, E: Element, Dev: Device> Tensor<S, E, Dev> {
    /// The slice `START..START+LEN` of axis `AX`; the bound is checked at compile time.
    ///
    /// ```
    /// use typed_torch::{Tensor, D};
    /// let x = Tensor::<(D<5>,), i64>::arange();
    /// assert_eq!(x.narrow::<0, 1, 3>().to_vec(), vec![1, 2, 3]);
    /// ```
    pub fn narrow<const AX: usize, const START: usize, const LEN: usize>(
        &self,
    ) -> Tensor<<S as ReplaceAxis<AX, D<LEN>>>::Output, E, Dev>
    where
        S: ReplaceAxis<AX, D<LEN>> + NarrowAxis<AX, D<START>, D<LEN>>,
    {
        Tensor::wrap(self.as_tch().narrow(AX as i64, START as i64, LEN as i64))
    }

    /// The slice `start..start+len` of axis `AX`, checked at run time; the axis becomes `Dyn`.
    pub fn narrow_dyn<const AX: usize>(
        &self,
        start: usize,
        len: usize,
    ) -> Result<Tensor<<S as ReplaceAxis<AX, Dyn>>::Output, E, Dev>>
    where
        S: ReplaceAxis<AX, Dyn>,
    {
        let size = self.size()[AX];
        if start.checked_add(len).is_none_or(|end| end > size) {
            return Err(Error::Invalid(format!(
                "narrow_dyn: {start}..{start}+{len} is outside axis {AX} of size {size}"
            )));
        }
        Ok(Tensor::wrap(self.as_tch().f_narrow(
            AX as i64,
            start as i64,
            len as i64,
        )?))
    }
}

/// Selecting along an axis by an index tensor: `x.index_select::<0>(&i)`, `x.gather::<1>(&i)`.
///
/// A trait rather than inherent methods so that only the axis is written: the index's shape is
/// inferred from the argument (it is in the prelude).
pub trait SelectBy<Idx> {
    /// Picks entries `index` along axis `AX`; that axis takes the index's length.
    ///
    /// ```
    /// use typed_torch::{SelectBy, Tensor, D};
    /// let x = Tensor::<(D<4>,), i64>::arange();
    /// let i = Tensor::<(D<2>,), i64>::from_array([3, 0]);
    /// assert_eq!(x.index_select::<0>(&i).to_vec(), vec![3, 0]);
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line, when an index is outside `0..` the size of axis `AX`.
    #[track_caller]
    fn index_select<const AX: usize>(
        &self,
        index: &Idx,
    ) -> <Self as IndexSelectAlong<Idx, AX>>::Output
    where
        Self: IndexSelectAlong<Idx, AX>,
    {
        or_panic(self.index_select_along(index))
    }

    /// Gathers along axis `AX` (PyTorch's `gather`): the result has the index's shape, which has
    /// this tensor's rank.
    ///
    /// ```
    /// use typed_torch::{SelectBy, Tensor, D};
    /// let x = Tensor::<(D<2>, D<3>), i64>::from_array([[1, 2, 3], [4, 5, 6]]);
    /// let i = Tensor::<(D<2>, D<1>), i64>::from_array([[2], [0]]);
    /// assert_eq!(x.gather::<1>(&i).to_vec(), vec![3, 4]);
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line, when the index is larger than this tensor outside axis `AX`, or an
    /// index is outside `0..` the size of axis `AX`.
    #[track_caller]
    fn gather<const AX: usize>(&self, index: &Idx) -> <Self as GatherAlong<Idx, AX>>::Output
    where
        Self: GatherAlong<Idx, AX>,
    {
        or_panic(self.gather_along(index))
    }
}

impl<S: Shape, E: Element, Dev: Device, Idx> SelectBy<Idx> for Tensor<S, E, Dev> {}

/// What [`SelectBy::index_select`] along `AX` computes.
pub trait IndexSelectAlong<Idx, const AX: usize> {
    /// The selection's type.
    type Output;
    /// Selects, or explains which index is out of range.
    fn index_select_along(&self, index: &Idx) -> Result<Self::Output>;
}

impl<const AX: usize, S: Shape, L: Dim, E: Element, Dev: Device>
    IndexSelectAlong<Tensor<(L,), i64, Dev>, AX> for Tensor<S, E, Dev>
where
    S: ReplaceAxis<AX, L>,
{
    type Output = Tensor<<S as ReplaceAxis<AX, L>>::Output, E, Dev>;
    fn index_select_along(&self, index: &Tensor<(L,), i64, Dev>) -> Result<Self::Output> {
        let (src, index) = (self.as_tch(), index.as_tch());
        let result = src.f_index_select(AX as i64, index);
        check("index_select", &[src, index], Needs::Indices(AX), result).map(Tensor::wrap)
    }
}

/// What [`SelectBy::gather`] along `AX` computes.
pub trait GatherAlong<Idx, const AX: usize> {
    /// The gathered type.
    type Output;
    /// Gathers, or explains which index is out of range.
    fn gather_along(&self, index: &Idx) -> Result<Self::Output>;
}

impl<const AX: usize, S: Shape, S2: Shape, E: Element, Dev: Device>
    GatherAlong<Tensor<S2, i64, Dev>, AX> for Tensor<S, E, Dev>
where
    S: DimAt<AX>,
    S2: SameRank<S>,
{
    type Output = Tensor<S2, E, Dev>;
    fn gather_along(&self, index: &Tensor<S2, i64, Dev>) -> Result<Self::Output> {
        let (src, index) = (self.as_tch(), index.as_tch());
        let result = src.f_gather(AX as i64, index, false);
        check("gather", &[src, index], Needs::Gather(AX), result).map(Tensor::wrap)
    }
}

impl<S: Shape, E: Index, Dev: Device> Tensor<S, E, Dev> {
    /// One-hot encoding with `C` classes, as a new last axis (`i64` like PyTorch's).
    ///
    /// ```
    /// use typed_torch::{Tensor, D};
    /// let y = Tensor::<(D<2>,), i64>::from_array([1, 0]).one_hot::<3>();
    /// assert_eq!(y.to_vec(), vec![0, 1, 0, 1, 0, 0]);
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line, when a value is outside `0..C`.
    #[track_caller]
    pub fn one_hot<const C: usize>(&self) -> Tensor<<S as AppendAxis<D<C>>>::Output, i64, Dev>
    where
        S: AppendAxis<D<C>>,
    {
        let (t, classes) = (self.as_tch(), C as i64);
        let result = t.f_one_hot(classes);
        Tensor::wrap(or_panic(check(
            "one_hot",
            &[t],
            Needs::Classes(classes),
            result,
        )))
    }
}

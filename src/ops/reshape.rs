//! Reshaping: `reshape` (element count checked at compile time), `flatten`, `squeeze`/`unsqueeze`,
//! `transpose`/`permute`.
use crate::device::Device;
use crate::dims::D;
use crate::element::Element;
use crate::error::{Error, Result};
use crate::shape::{
    AxisOrder, DimAt, FlattenAxes, InsertAxis, Numel, PermuteAxes, RemoveAxis, ReshapeInto, Shape,
    Squeezable, SwapAxes,
};
use crate::tensor::Tensor;

impl<S: Shape, E: Element, Dev: Device> Tensor<S, E, Dev> {
    /// Reshapes to a static shape with the same element count, checked at compile time.
    ///
    /// ```
    /// use typed_torch::{Tensor, D};
    /// let x = Tensor::<(D<2>, D<6>)>::zeros();
    /// let y: Tensor<(D<3>, D<4>)> = x.reshape();
    /// ```
    pub fn reshape<S2>(&self) -> Tensor<S2, E, Dev>
    where
        S2: Shape,
        S: Numel + ReshapeInto<S2>,
    {
        Tensor::wrap(
            self.as_tch().reshape(
                S2::DIMS
                    .iter()
                    .map(|d| d.unwrap_or(0) as i64)
                    .collect::<Vec<_>>(),
            ),
        )
    }

    /// Reshapes to `S2`, which may hold one `Dyn` dim (inferred, like `-1` in PyTorch); the
    /// element counts are checked at run time.
    ///
    /// ```
    /// use typed_torch::{Tensor, D, Dyn};
    /// let x = Tensor::<(Dyn, D<28>, D<28>)>::zeros_dyn(&[4]).unwrap();
    /// let y = x.try_reshape::<(Dyn, D<784>)>().unwrap();
    /// assert_eq!(y.size(), vec![4, 784]);
    /// assert!(x.try_reshape::<(Dyn, D<785>)>().is_err());
    /// ```
    pub fn try_reshape<S2: Shape>(&self) -> Result<Tensor<S2, E, Dev>> {
        let dyn_count = S2::DIMS.iter().filter(|d| d.is_none()).count();
        if dyn_count > 1 {
            return Err(Error::Invalid(format!(
                "try_reshape into {}: at most one Dyn dim can be inferred",
                S2::describe()
            )));
        }
        let known: i64 = S2::DIMS.iter().flatten().map(|&d| d as i64).product();
        let numel = self.numel() as i64;
        let fits = if dyn_count == 0 {
            known == numel
        } else {
            known > 0 && numel % known == 0
        };
        if !fits {
            return Err(Error::Shape {
                expected: S2::describe(),
                found: self.as_tch().size(),
            });
        }
        let sizes: Vec<i64> = S2::DIMS
            .iter()
            .map(|d| d.map_or(-1, |d| d as i64))
            .collect();
        Ok(Tensor::wrap(self.as_tch().f_reshape(&sizes)?))
    }

    /// Merges axes `A..=B` into one; its size is their product (`Dyn` if any of them is `Dyn`).
    ///
    /// ```
    /// use typed_torch::{Tensor, D, Dyn};
    /// let x = Tensor::<(Dyn, D<16>, D<4>, D<4>)>::zeros_dyn(&[2]).unwrap();
    /// let y: Tensor<(Dyn, D<256>)> = x.flatten::<1, 3>();
    /// ```
    pub fn flatten<const A: usize, const B: usize>(
        &self,
    ) -> Tensor<<S as FlattenAxes<A, B>>::Output, E, Dev>
    where
        S: FlattenAxes<A, B>,
    {
        Tensor::wrap(self.as_tch().flatten(A as i64, B as i64))
    }

    /// Removes axis `AX`, which must be `D<1>`.
    pub fn squeeze<const AX: usize>(&self) -> Tensor<<S as RemoveAxis<AX>>::Output, E, Dev>
    where
        S: RemoveAxis<AX> + DimAt<AX>,
        <S as DimAt<AX>>::Output: Squeezable,
    {
        Tensor::wrap(self.as_tch().squeeze_dim(AX as i64))
    }

    /// Inserts a `D<1>` axis before axis `AX`.
    pub fn unsqueeze<const AX: usize>(&self) -> Tensor<<S as InsertAxis<AX, D<1>>>::Output, E, Dev>
    where
        S: InsertAxis<AX, D<1>>,
    {
        Tensor::wrap(self.as_tch().unsqueeze(AX as i64))
    }

    /// Exchanges axes `A` and `B`.
    pub fn transpose<const A: usize, const B: usize>(
        &self,
    ) -> Tensor<<S as SwapAxes<A, B>>::Output, E, Dev>
    where
        S: SwapAxes<A, B>,
    {
        Tensor::wrap(self.as_tch().transpose(A as i64, B as i64))
    }

    /// Reorders the axes, e.g. `permute::<Axes3<2, 0, 1>>()`.
    ///
    /// ```
    /// use typed_torch::{Axes3, Tensor, D};
    /// let x = Tensor::<(D<2>, D<3>, D<4>)>::zeros();
    /// let y: Tensor<(D<4>, D<2>, D<3>)> = x.permute::<Axes3<2, 0, 1>>();
    /// ```
    pub fn permute<P: AxisOrder>(&self) -> Tensor<<S as PermuteAxes<P>>::Output, E, Dev>
    where
        S: PermuteAxes<P>,
    {
        Tensor::wrap(self.as_tch().permute(P::AXES))
    }
}

//! Creating tensors: constants, random values, ranges, arrays (length checked at compile time)
//! and slices (length checked at run time).
use crate::device::{Cpu, Device};
use crate::dims::D;
use crate::element::{Element, Float, Numeric};
use crate::error::{Error, Result};
use crate::shape::{Shape, StaticShape};
use crate::tensor::Tensor;

fn options<E: Element, Dev: Device>() -> (tch::Kind, tch::Device) {
    (E::DTYPE, Dev::tch())
}

/// The full sizes of shape `S` from the sizes of its `Dyn` dims alone, in order.
fn full_sizes<S: Shape>(dyn_sizes: &[usize]) -> Result<Vec<i64>> {
    let expected = S::DIMS.iter().filter(|d| d.is_none()).count();
    if dyn_sizes.len() != expected {
        return Err(Error::DynSizes {
            shape: S::describe(),
            expected,
            found: dyn_sizes.to_vec(),
        });
    }
    let mut given = dyn_sizes.iter();
    Ok(S::DIMS
        .iter()
        .map(|d| d.unwrap_or_else(|| *given.next().expect("counted above")) as i64)
        .collect())
}

/// Every size of shape `S`, checked against it (for code generic over a dim).
fn all_sizes<S: Shape>(sizes: &[usize]) -> Result<Vec<i64>> {
    let sizes: Vec<i64> = sizes.iter().map(|&s| s as i64).collect();
    if S::matches(&sizes) {
        Ok(sizes)
    } else {
        Err(Error::Shape {
            expected: S::describe(),
            found: sizes,
        })
    }
}

/// Infallible creation is on the CPU; on another device use the `*_dyn` constructors, which
/// return an error when the device is missing, or create here and `to_device`.
impl<S: StaticShape, E: Element> Tensor<S, E, Cpu> {
    /// All zeros.
    ///
    /// ```
    /// use typed_torch::{Tensor, D};
    /// assert_eq!(Tensor::<(D<2>,)>::zeros().to_vec(), vec![0.0, 0.0]);
    /// ```
    pub fn zeros() -> Self {
        Tensor::wrap(tch::Tensor::zeros(S::sizes(), options::<E, Cpu>()))
    }

    /// All ones.
    pub fn ones() -> Self {
        Tensor::wrap(tch::Tensor::ones(S::sizes(), options::<E, Cpu>()))
    }

    /// Every element `value`.
    ///
    /// ```
    /// use typed_torch::{Tensor, D};
    /// assert_eq!(Tensor::<(D<2>,), i64>::full(7).to_vec(), vec![7, 7]);
    /// ```
    pub fn full(value: E) -> Self {
        Tensor::wrap(tch::Tensor::full(
            S::sizes(),
            value.to_scalar(),
            options::<E, Cpu>(),
        ))
    }

    /// Copies `data` (row-major); an error if its length is not the shape's element count.
    ///
    /// ```
    /// use typed_torch::{Tensor, D};
    /// let x = Tensor::<(D<2>, D<2>)>::from_slice(&[1.0, 2.0, 3.0, 4.0]).unwrap();
    /// assert!(Tensor::<(D<2>, D<2>)>::from_slice(&[1.0]).is_err());
    /// ```
    pub fn from_slice(data: &[E]) -> Result<Self> {
        let sizes = S::sizes();
        Self::from_slice_checked(data, sizes)
    }
}

impl<S: Shape, E: Element, Dev: Device> Tensor<S, E, Dev> {
    fn from_slice_checked(data: &[E], sizes: Vec<i64>) -> Result<Self> {
        let expected: i64 = sizes.iter().product();
        if data.len() as i64 != expected {
            return Err(Error::Length {
                shape: S::describe(),
                expected: expected as usize,
                found: data.len(),
            });
        }
        let t = tch::Tensor::from_slice(data).f_reshape(&sizes)?;
        Dev::check()?;
        Ok(Tensor::wrap(t.f_to_device(Dev::tch())?))
    }

    /// Zeros on `Dev`, given the sizes of the `Dyn` dims only, in order (the static ones are in
    /// the type); an error if their number is wrong or the device is missing.
    ///
    /// ```
    /// use typed_torch::{Tensor, D, Dyn};
    /// let x = Tensor::<(Dyn, D<3>)>::zeros_dyn(&[5]).unwrap();
    /// assert_eq!(x.size(), vec![5, 3]);
    /// assert!(Tensor::<(Dyn, D<3>)>::zeros_dyn(&[5, 3]).is_err()); // one `Dyn` dim, two sizes
    /// ```
    pub fn zeros_dyn(dyn_sizes: &[usize]) -> Result<Self> {
        let sizes = full_sizes::<S>(dyn_sizes)?;
        Dev::check()?;
        Ok(Tensor::wrap(tch::Tensor::f_zeros(
            &sizes,
            options::<E, Dev>(),
        )?))
    }

    /// Ones on `Dev`, given the sizes of the `Dyn` dims only.
    pub fn ones_dyn(dyn_sizes: &[usize]) -> Result<Self> {
        let sizes = full_sizes::<S>(dyn_sizes)?;
        Dev::check()?;
        Ok(Tensor::wrap(tch::Tensor::f_ones(
            &sizes,
            options::<E, Dev>(),
        )?))
    }

    /// Copies `data` to `Dev`, given the sizes of the `Dyn` dims only; an error if the data
    /// length is not the element count.
    ///
    /// ```
    /// use typed_torch::{Tensor, D, Dyn};
    /// let x = Tensor::<(Dyn, D<2>)>::from_slice_dyn(&[1.0, 2.0, 3.0, 4.0], &[2]).unwrap();
    /// assert_eq!(x.size(), vec![2, 2]);
    /// ```
    pub fn from_slice_dyn(data: &[E], dyn_sizes: &[usize]) -> Result<Self> {
        let sizes = full_sizes::<S>(dyn_sizes)?;
        Self::from_slice_checked(data, sizes)
    }

    /// Copies `data` into the given sizes of every dim, checked against `S`: for code generic
    /// over a dim that may be static or `Dyn` (which cannot tell which sizes are `Dyn`); with a
    /// concrete shape, [`from_slice_dyn`](Self::from_slice_dyn) takes the `Dyn` sizes alone.
    ///
    /// ```
    /// use typed_torch::{Dim, Tensor, Dyn};
    /// fn table<F: Dim>(data: &[f32], rows: usize, cols: usize) -> typed_torch::Result<Tensor<(Dyn, F)>> {
    ///     Tensor::from_slice_with_sizes(data, &[rows, cols])
    /// }
    /// assert!(table::<typed_torch::D<2>>(&[1.0; 6], 3, 2).is_ok());
    /// assert!(table::<typed_torch::D<3>>(&[1.0; 6], 3, 2).is_err());
    /// ```
    pub fn from_slice_with_sizes(data: &[E], sizes: &[usize]) -> Result<Self> {
        Self::from_slice_checked(data, all_sizes::<S>(sizes)?)
    }

    /// Zeros of the given sizes of every dim, checked against `S`: for code generic over a dim
    /// (see [`from_slice_with_sizes`](Self::from_slice_with_sizes)).
    ///
    /// ```
    /// use typed_torch::{Dim, Tensor, D};
    /// fn batch_of<B: Dim>(n: usize) -> Tensor<(B, D<3>)> {
    ///     Tensor::zeros_with_sizes(&[n, 3]).unwrap()
    /// }
    /// assert_eq!(batch_of::<typed_torch::Dyn>(5).size(), vec![5, 3]);
    /// assert_eq!(batch_of::<D<2>>(2).size(), vec![2, 3]);
    /// ```
    pub fn zeros_with_sizes(sizes: &[usize]) -> Result<Self> {
        let sizes = all_sizes::<S>(sizes)?;
        Dev::check()?;
        Ok(Tensor::wrap(tch::Tensor::f_zeros(
            &sizes,
            options::<E, Dev>(),
        )?))
    }

    /// Zeros with this tensor's run-time sizes.
    pub fn zeros_like(&self) -> Self {
        Tensor::wrap(self.as_tch().zeros_like())
    }

    /// Ones with this tensor's run-time sizes.
    pub fn ones_like(&self) -> Self {
        Tensor::wrap(self.as_tch().ones_like())
    }
}

impl<S: StaticShape, E: Float> Tensor<S, E, Cpu> {
    /// Uniform random values in `[0, 1)` (seed with `tch::manual_seed`).
    pub fn rand() -> Self {
        Tensor::wrap(tch::Tensor::rand(S::sizes(), options::<E, Cpu>()))
    }

    /// Standard normal random values (seed with `tch::manual_seed`).
    pub fn randn() -> Self {
        Tensor::wrap(tch::Tensor::randn(S::sizes(), options::<E, Cpu>()))
    }
}

impl<S: Shape, E: Float, Dev: Device> Tensor<S, E, Dev> {
    /// Standard normal values on `Dev`, given the sizes of the `Dyn` dims only.
    pub fn randn_dyn(dyn_sizes: &[usize]) -> Result<Self> {
        let sizes = full_sizes::<S>(dyn_sizes)?;
        Dev::check()?;
        Ok(Tensor::wrap(tch::Tensor::f_randn(
            &sizes,
            options::<E, Dev>(),
        )?))
    }

    /// Standard normal values of the given sizes of every dim, checked against `S`: for code
    /// generic over a dim (see [`from_slice_with_sizes`](Self::from_slice_with_sizes)).
    pub fn randn_with_sizes(sizes: &[usize]) -> Result<Self> {
        let sizes = all_sizes::<S>(sizes)?;
        Dev::check()?;
        Ok(Tensor::wrap(tch::Tensor::f_randn(
            &sizes,
            options::<E, Dev>(),
        )?))
    }

    /// Uniform values in `[0, 1)` on `Dev`, given the sizes of the `Dyn` dims only.
    pub fn rand_dyn(dyn_sizes: &[usize]) -> Result<Self> {
        let sizes = full_sizes::<S>(dyn_sizes)?;
        Dev::check()?;
        Ok(Tensor::wrap(tch::Tensor::f_rand(
            &sizes,
            options::<E, Dev>(),
        )?))
    }
}

impl<const N: usize, E: Numeric> Tensor<(D<N>,), E, Cpu> {
    /// `0, 1, ..., N-1`.
    ///
    /// ```
    /// use typed_torch::{Tensor, D};
    /// assert_eq!(Tensor::<(D<3>,), i64>::arange().to_vec(), vec![0, 1, 2]);
    /// ```
    pub fn arange() -> Self {
        Tensor::wrap(tch::Tensor::arange(N as i64, options::<E, Cpu>()))
    }
}

impl<E: Element> Tensor<(), E, Cpu> {
    /// A rank-0 tensor holding `value`.
    pub fn scalar(value: E) -> Self {
        Tensor::from_slice(&[value]).expect("one element fits a rank-0 shape")
    }
}

impl<E: Element, Dev: Device> Tensor<(), E, Dev> {
    /// The value of a rank-0 tensor.
    pub fn item(&self) -> E {
        self.to_vec()[0]
    }
}

/// Nested arrays whose lengths give a static shape: `[E; N]`, `[[E; M]; N]`, ... up to rank 4.
pub trait ArrayData<E: Element> {
    /// The shape the nesting describes.
    type Shape: StaticShape;
    /// The elements in row-major order.
    fn flatten(&self) -> Vec<E>;
}

impl<E: Element, const A: usize> ArrayData<E> for [E; A] {
    type Shape = (D<A>,);
    fn flatten(&self) -> Vec<E> {
        self.to_vec()
    }
}
impl<E: Element, const A: usize, const B: usize> ArrayData<E> for [[E; B]; A] {
    type Shape = (D<A>, D<B>);
    fn flatten(&self) -> Vec<E> {
        self.iter().flatten().copied().collect()
    }
}
impl<E: Element, const A: usize, const B: usize, const C: usize> ArrayData<E> for [[[E; C]; B]; A] {
    type Shape = (D<A>, D<B>, D<C>);
    fn flatten(&self) -> Vec<E> {
        self.iter().flatten().flatten().copied().collect()
    }
}
impl<E: Element, const A: usize, const B: usize, const C: usize, const F: usize> ArrayData<E>
    for [[[[E; F]; C]; B]; A]
{
    type Shape = (D<A>, D<B>, D<C>, D<F>);
    fn flatten(&self) -> Vec<E> {
        self.iter().flatten().flatten().flatten().copied().collect()
    }
}

impl<S: StaticShape, E: Element> Tensor<S, E, Cpu> {
    /// From nested arrays; their lengths must equal the static dims, checked at compile time.
    ///
    /// ```
    /// use typed_torch::{Tensor, D};
    /// let x: Tensor<(D<2>, D<3>)> = Tensor::from_array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
    /// assert_eq!(x.size(), vec![2, 3]);
    /// ```
    pub fn from_array<A: ArrayData<E, Shape = S>>(data: A) -> Self {
        Self::from_slice(&data.flatten()).expect("array lengths equal the static dims")
    }
}

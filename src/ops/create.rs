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

/// Checks run-time `sizes` against shape `S` and returns them as libtorch takes them.
fn checked_sizes<S: Shape>(sizes: &[usize]) -> Result<Vec<i64>> {
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

/// Infallible creation is on the CPU; on another device use the `*_sized` constructors, which
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

    /// Zeros with run-time `sizes` (needed when the shape has `Dyn` dims); checked against `S`.
    ///
    /// ```
    /// use typed_torch::{Tensor, D, Dyn};
    /// let x = Tensor::<(Dyn, D<3>)>::zeros_sized(&[5, 3]).unwrap();
    /// assert!(Tensor::<(Dyn, D<3>)>::zeros_sized(&[5, 4]).is_err());
    /// ```
    pub fn zeros_sized(sizes: &[usize]) -> Result<Self> {
        let sizes = checked_sizes::<S>(sizes)?;
        Dev::check()?;
        Ok(Tensor::wrap(tch::Tensor::f_zeros(
            &sizes,
            options::<E, Dev>(),
        )?))
    }

    /// Ones with run-time `sizes`, checked against `S`.
    pub fn ones_sized(sizes: &[usize]) -> Result<Self> {
        let sizes = checked_sizes::<S>(sizes)?;
        Dev::check()?;
        Ok(Tensor::wrap(tch::Tensor::f_ones(
            &sizes,
            options::<E, Dev>(),
        )?))
    }

    /// Copies `data` into run-time `sizes`, checked against `S` and against the data length.
    pub fn from_slice_sized(data: &[E], sizes: &[usize]) -> Result<Self> {
        let sizes = checked_sizes::<S>(sizes)?;
        Self::from_slice_checked(data, sizes)
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
    /// Standard normal values with run-time `sizes`, checked against `S`.
    pub fn randn_sized(sizes: &[usize]) -> Result<Self> {
        let sizes = checked_sizes::<S>(sizes)?;
        Dev::check()?;
        Ok(Tensor::wrap(tch::Tensor::f_randn(
            &sizes,
            options::<E, Dev>(),
        )?))
    }

    /// Uniform values in `[0, 1)` with run-time `sizes`, checked against `S`.
    pub fn rand_sized(sizes: &[usize]) -> Result<Self> {
        let sizes = checked_sizes::<S>(sizes)?;
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

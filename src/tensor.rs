//! The typed tensor: a `tch::Tensor` whose shape, dtype and device are in its type.
use crate::device::{Cpu, Device};
use crate::element::Element;
use crate::error::{Error, Result};
use crate::shape::Shape;
use core::marker::PhantomData;

/// A tensor of shape `S`, element type `E` and device `Dev`, wrapping a [`tch::Tensor`].
///
/// The type parameters cost nothing at run time: the struct is the `tch::Tensor` and a
/// zero-sized marker, and no op checks sizes on the hot path.
///
/// ```
/// use typed_torch::{Tensor, D};
/// let x = Tensor::<(D<2>, D<3>)>::ones();
/// let y = x.sum::<1>();           // Tensor<(D<2>,)>
/// assert_eq!(y.to_vec(), vec![3.0, 3.0]);
/// ```
pub struct Tensor<S: Shape, E: Element = f32, Dev: Device = Cpu> {
    inner: tch::Tensor,
    marker: PhantomData<(S, E, Dev)>,
}

impl<S: Shape, E: Element, Dev: Device> Tensor<S, E, Dev> {
    /// Wraps a `tch::Tensor` the crate itself built, whose shape, dtype and device are known to fit.
    pub(crate) fn wrap(inner: tch::Tensor) -> Self {
        debug_assert!(
            S::matches(&inner.size()),
            "typed-torch bug: {:?} built for {}",
            inner.size(),
            S::describe()
        );
        Tensor {
            inner,
            marker: PhantomData,
        }
    }

    /// Converts a `tch::Tensor`, checking its shape, dtype and device against the type.
    ///
    /// ```
    /// use typed_torch::{Tensor, D, Dyn};
    /// let raw = tch::Tensor::zeros([5, 784], (tch::Kind::Float, tch::Device::Cpu));
    /// let x = Tensor::<(Dyn, D<784>)>::from_tch(raw).unwrap();
    /// assert_eq!(x.size(), vec![5, 784]);
    /// let bad = tch::Tensor::zeros([5, 10], (tch::Kind::Float, tch::Device::Cpu));
    /// assert!(Tensor::<(Dyn, D<784>)>::from_tch(bad).is_err());
    /// ```
    pub fn from_tch(inner: tch::Tensor) -> Result<Self> {
        let found = inner.size();
        if !S::matches(&found) {
            return Err(Error::Shape {
                expected: S::describe(),
                found,
            });
        }
        if inner.kind() != E::DTYPE {
            return Err(Error::Dtype {
                expected: E::NAME,
                found: inner.kind(),
            });
        }
        if inner.device() != Dev::tch() {
            return Err(Error::DeviceMismatch {
                expected: Dev::tch(),
                found: inner.device(),
            });
        }
        Ok(Tensor {
            inner,
            marker: PhantomData,
        })
    }

    /// The wrapped `tch::Tensor`.
    pub fn as_tch(&self) -> &tch::Tensor {
        &self.inner
    }

    /// Mutable access for parameter traversal; callers keep the shape, dtype and device.
    pub(crate) fn as_tch_mut(&mut self) -> &mut tch::Tensor {
        &mut self.inner
    }

    /// Unwraps into the `tch::Tensor`.
    pub fn into_tch(self) -> tch::Tensor {
        self.inner
    }

    /// Run-time sizes (static dims are as in the type; `Dyn` dims are read from the tensor).
    pub fn size(&self) -> Vec<usize> {
        self.inner.size().into_iter().map(|s| s as usize).collect()
    }

    /// The run-time size of axis `AX`.
    pub fn dim_size<const AX: usize>(&self) -> usize
    where
        S: crate::shape::DimAt<AX>,
    {
        self.inner.size()[AX] as usize
    }

    /// Number of elements.
    pub fn numel(&self) -> usize {
        self.inner.numel()
    }

    /// Converts the element type, e.g. `to_kind::<f64>()`.
    pub fn to_kind<E2: Element>(&self) -> Tensor<S, E2, Dev> {
        Tensor::wrap(self.inner.to_kind(E2::DTYPE))
    }

    /// Moves to device `D2`; an error if that device does not exist here.
    ///
    /// ```
    /// use typed_torch::{Tensor, Cuda, D};
    /// let x = Tensor::<(D<2>,)>::zeros();
    /// if !tch::Cuda::is_available() {
    ///     assert!(x.to_device::<Cuda<0>>().is_err());
    /// }
    /// ```
    pub fn to_device<D2: Device>(&self) -> Result<Tensor<S, E, D2>> {
        D2::check()?;
        Ok(Tensor::wrap(self.inner.f_to_device(D2::tch())?))
    }

    /// Reinterprets the shape type after checking the run-time sizes, e.g. to turn a `Dyn` batch
    /// into `D<32>` or back.
    ///
    /// ```
    /// use typed_torch::{Tensor, D, Dyn};
    /// let x = Tensor::<(Dyn, D<3>)>::zeros_dyn(&[4]).unwrap();
    /// let y: Tensor<(D<4>, D<3>)> = x.to_shape().unwrap();
    /// assert!(y.to_shape::<(D<5>, D<3>)>().is_err());
    /// ```
    pub fn to_shape<S2: Shape>(&self) -> Result<Tensor<S2, E, Dev>> {
        Tensor::from_tch(self.inner.shallow_clone())
    }

    /// Copies the elements out, in row-major order.
    pub fn to_vec(&self) -> Vec<E> {
        let flat = self.inner.flatten(0, -1).to_device(tch::Device::Cpu);
        let mut out = vec![E::ZERO; flat.numel()];
        let len = out.len();
        flat.copy_data(&mut out, len);
        out
    }

    /// A new tensor sharing this one's storage (no copy), like a Python reference.
    pub fn share(&self) -> Self {
        Tensor::wrap(self.inner.shallow_clone())
    }

    /// A copy with its own storage.
    pub fn deep_clone(&self) -> Self {
        Tensor::wrap(self.inner.copy())
    }
}

impl<S: Shape, E: Element, Dev: Device> Clone for Tensor<S, E, Dev> {
    /// Shares storage (like a Python reference); use [`Tensor::deep_clone`] for a copy.
    fn clone(&self) -> Self {
        self.share()
    }
}

impl<S: Shape, E: Element, Dev: Device> core::fmt::Debug for Tensor<S, E, Dev> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "Tensor<{}, {}, {:?}> {:?}",
            S::describe(),
            E::NAME,
            Dev::default(),
            self.inner
        )
    }
}

impl<S: Shape, E: Element, Dev: Device> core::fmt::Display for Tensor<S, E, Dev> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}", self.inner)
    }
}

impl<S: Shape, E: Element> TryFrom<tch::Tensor> for Tensor<S, E, Cpu> {
    type Error = Error;
    fn try_from(t: tch::Tensor) -> Result<Self> {
        Self::from_tch(t)
    }
}

impl<S: Shape, E: Element, Dev: Device> From<Tensor<S, E, Dev>> for tch::Tensor {
    fn from(t: Tensor<S, E, Dev>) -> Self {
        t.inner
    }
}

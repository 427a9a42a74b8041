//! A tensor whose existence is in the type: a layer's bias under `NoBias`, a norm's weight and bias
//! under `NoAffine`. The parameter count follows from the type, and a present one is used as the
//! tensor itself.
use super::{
    DeviceIndependent, DtypeIndependent, Init, Params, Path, StaticParamCount, ToDevice, ToKind,
    Visitor, VisitorMut,
};
use crate::device::Device;
use crate::element::Float;
use crate::error::Result;
use crate::options::{Absent, Presence, Present};
use core::marker::PhantomData;

/// `T` when `F` is [`Present`], nothing when it is [`Absent`]: `Linear<4, 2>`'s `bias` is an
/// `Optional<Present, Tensor<(D<2>,)>>`, which dereferences to the tensor;
/// `Linear<4, 2, NoBias>`'s holds none (and has no `Deref`).
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Init, Linear, Params};
/// use typed_torch::options::NoBias;
/// let with = Linear::<4, 2>::init().unwrap();
/// assert_eq!(with.bias.size(), vec![2]);              // the tensor itself
/// let without = Linear::<4, 2, NoBias>::init().unwrap();
/// assert!(without.bias.get().is_none());
/// assert_eq!(without.param_names(), ["weight"]);
/// ```
pub struct Optional<F: Presence, T> {
    // Some exactly when `F` is `Present`: only the constructors below build one.
    inner: Option<T>,
    marker: PhantomData<F>,
}

impl<F: Presence, T> Optional<F, T> {
    /// Creates the value with `make` when `F` is [`Present`].
    pub fn make(make: impl FnOnce() -> Result<T>) -> Result<Self> {
        Ok(Optional {
            inner: if F::PRESENT { Some(make()?) } else { None },
            marker: PhantomData,
        })
    }

    /// The value, when present.
    pub fn get(&self) -> Option<&T> {
        self.inner.as_ref()
    }

    /// Mutable access to the value, when present.
    pub fn get_mut(&mut self) -> Option<&mut T> {
        self.inner.as_mut()
    }

    /// The same presence, the value converted by `f`.
    pub fn try_map<U>(&self, f: impl FnOnce(&T) -> Result<U>) -> Result<Optional<F, U>> {
        Ok(Optional {
            inner: self.inner.as_ref().map(f).transpose()?,
            marker: PhantomData,
        })
    }
}

impl<T> Optional<Present, T> {
    /// Wraps a present value.
    pub fn new(value: T) -> Self {
        Optional {
            inner: Some(value),
            marker: PhantomData,
        }
    }
}

impl<T> Optional<Absent, T> {
    /// The absent value.
    pub fn none() -> Self {
        Optional {
            inner: None,
            marker: PhantomData,
        }
    }
}

impl<T> core::ops::Deref for Optional<Present, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner
            .as_ref()
            .expect("a present Optional holds its value")
    }
}

impl<T> core::ops::DerefMut for Optional<Present, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner
            .as_mut()
            .expect("a present Optional holds its value")
    }
}

impl<F: Presence, T: Clone> Clone for Optional<F, T> {
    fn clone(&self) -> Self {
        Optional {
            inner: self.inner.clone(),
            marker: PhantomData,
        }
    }
}

impl<F: Presence, T: core::fmt::Debug> core::fmt::Debug for Optional<F, T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match &self.inner {
            Some(t) => t.fmt(f),
            None => f.write_str("None"),
        }
    }
}

impl<F: Presence, T: Params> Params for Optional<F, T> {
    fn visit<V: Visitor>(&self, path: &mut Path, v: &mut V) {
        if let Some(t) = &self.inner {
            t.visit(path, v);
        }
    }
    fn visit_mut<V: VisitorMut>(&mut self, path: &mut Path, v: &mut V) {
        if let Some(t) = &mut self.inner {
            t.visit_mut(path, v);
        }
    }
}

impl<F: Presence, T: StaticParamCount> StaticParamCount for Optional<F, T> {
    const PARAM_COUNT: usize = if F::PRESENT { T::PARAM_COUNT } else { 0 };
}

impl<F: Presence, T: ToDevice> ToDevice for Optional<F, T> {
    type On<D2: Device> = Optional<F, T::On<D2>>;
    fn to_device<D2: Device>(&self) -> Result<Self::On<D2>> {
        self.try_map(|t| t.to_device::<D2>())
    }
}

impl<F: Presence, T: ToKind> ToKind for Optional<F, T> {
    type As<E2: Float> = Optional<F, T::As<E2>>;
    fn to_kind<E2: Float>(&self) -> Self::As<E2> {
        Optional {
            inner: self.inner.as_ref().map(|t| t.to_kind::<E2>()),
            marker: PhantomData,
        }
    }
}

impl<F: Presence, T: DeviceIndependent> DeviceIndependent for Optional<F, T> {
    fn keep(&self) -> Self {
        Optional {
            inner: self.inner.as_ref().map(T::keep),
            marker: PhantomData,
        }
    }
}

impl<F: Presence, T: DtypeIndependent> DtypeIndependent for Optional<F, T> {
    fn keep(&self) -> Self {
        Optional {
            inner: self.inner.as_ref().map(T::keep),
            marker: PhantomData,
        }
    }
}

/// A present value created by its own `Init` (layers with their own initialisation use
/// [`Optional::make`]).
impl<F: Presence, T: Init> Init for Optional<F, T> {
    fn init() -> Result<Self> {
        Self::make(T::init)
    }
}

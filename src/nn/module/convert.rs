//! Whole-model device and dtype conversion whose result type says where the model now lives:
//! `model.to_device::<Cuda<0>>()?` turns `Linear<4, 2>` (on `Cpu`) into `Linear<4, 2, (), f32, Cuda<0>>`.
//!
//! A converted model is a new model: its tensors are its own (even when dtype and device do not
//! change), and each parameter is a new autograd leaf that requires gradients (like PyTorch's
//! `module.to(...)`, which replaces `param.data`), so backward fills its gradients and an
//! optimizer trains it. `Tensor::to_kind` and `Tensor::to_device`, the
//! inherent methods, are differentiable ops instead, recorded by autograd: in a hand-written
//! conversion impl call the traits (`ToKind::to_kind(&self.weight)`), because method syntax on a
//! tensor field picks the inherent op and the field would silently stop training.
use crate::device::Device;
use crate::element::Element;
use crate::error::Result;
use crate::shape::Shape;
use crate::tensor::Tensor;
use frunk::{HCons, HNil};

/// Moves a model to device `D2`; the result is the same model type on `D2`.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Init, Linear, ReLU, ToDevice};
/// use typed_torch::{Cpu, Cuda, HList};
/// let model = <HList![Linear<4, 2>, ReLU]>::init().unwrap();
/// let same: HList![Linear<4, 2, (), f32, Cpu>, ReLU] = model.to_device::<Cpu>().unwrap();
/// if !tch::Cuda::is_available() {
///     assert!(model.to_device::<Cuda<0>>().is_err());
/// }
/// ```
pub trait ToDevice {
    /// This model on device `D2`.
    type On<D2: Device>;
    /// Copies every parameter to `D2`; an error if `D2` is not present.
    fn to_device<D2: Device>(&self) -> Result<Self::On<D2>>;
}

/// Converts a model's floating-point parameters to element type `E2`.
pub trait ToKind {
    /// This model with `E2` parameters.
    type As<E2: crate::element::Float>;
    /// Converts every parameter.
    fn to_kind<E2: crate::element::Float>(&self) -> Self::As<E2>;
}

/// A converted tensor is a tensor of the new model: its own storage (libtorch returns the same
/// tensor for a conversion to its own dtype and device, which would tie the two models' weights
/// and running statistics together), and a new leaf when it is a parameter (converting a tensor
/// that requires gradients is an op autograd records, and gradients of a recorded result are not
/// kept, so an optimizer would never see them).
fn keep_trainable<S: Shape, E: Element, Dev: Device, E2: Element, D2: Device>(
    from: &Tensor<S, E, Dev>,
    to: Tensor<S, E2, D2>,
) -> Tensor<S, E2, D2> {
    let to = if E::DTYPE == E2::DTYPE && Dev::tch() == D2::tch() {
        Tensor::wrap(to.into_tch().detach().copy())
    } else {
        to
    };
    if from.as_tch().requires_grad() {
        Tensor::wrap(to.into_tch().detach().set_requires_grad(true))
    } else {
        to
    }
}

impl<S: Shape, E: Element, Dev: Device> ToDevice for Tensor<S, E, Dev> {
    type On<D2: Device> = Tensor<S, E, D2>;
    fn to_device<D2: Device>(&self) -> Result<Tensor<S, E, D2>> {
        Ok(keep_trainable(self, Tensor::to_device::<D2>(self)?))
    }
}

impl<S: Shape, E: crate::element::Float, Dev: Device> ToKind for Tensor<S, E, Dev> {
    type As<E2: crate::element::Float> = Tensor<S, E2, Dev>;
    fn to_kind<E2: crate::element::Float>(&self) -> Tensor<S, E2, Dev> {
        keep_trainable(self, Tensor::to_kind::<E2>(self))
    }
}

/// An integer tensor (a step counter buffer) keeps its dtype: a new copy, so the converted model
/// counts its own steps.
impl<S: Shape, Dev: Device> ToKind for Tensor<S, i64, Dev> {
    type As<E2: crate::element::Float> = Tensor<S, i64, Dev>;
    fn to_kind<E2: crate::element::Float>(&self) -> Self {
        self.deep_clone()
    }
}

impl<P: ToDevice> ToDevice for Option<P> {
    type On<D2: Device> = Option<P::On<D2>>;
    fn to_device<D2: Device>(&self) -> Result<Self::On<D2>> {
        self.as_ref().map(|p| p.to_device::<D2>()).transpose()
    }
}

impl<P: ToKind> ToKind for Option<P> {
    type As<E2: crate::element::Float> = Option<P::As<E2>>;
    fn to_kind<E2: crate::element::Float>(&self) -> Self::As<E2> {
        self.as_ref().map(|p| p.to_kind::<E2>())
    }
}

impl<P: ToDevice> ToDevice for Vec<P> {
    type On<D2: Device> = Vec<P::On<D2>>;
    fn to_device<D2: Device>(&self) -> Result<Self::On<D2>> {
        self.iter().map(|p| p.to_device::<D2>()).collect()
    }
}

impl<P: ToKind> ToKind for Vec<P> {
    type As<E2: crate::element::Float> = Vec<P::As<E2>>;
    fn to_kind<E2: crate::element::Float>(&self) -> Self::As<E2> {
        self.iter().map(|p| p.to_kind::<E2>()).collect()
    }
}

impl ToDevice for HNil {
    type On<D2: Device> = HNil;
    fn to_device<D2: Device>(&self) -> Result<HNil> {
        Ok(HNil)
    }
}

impl ToKind for HNil {
    type As<E2: crate::element::Float> = HNil;
    fn to_kind<E2: crate::element::Float>(&self) -> HNil {
        HNil
    }
}

impl<H: ToDevice, T: ToDevice> ToDevice for HCons<H, T> {
    type On<D2: Device> = HCons<H::On<D2>, T::On<D2>>;
    fn to_device<D2: Device>(&self) -> Result<Self::On<D2>> {
        Ok(HCons {
            head: self.head.to_device::<D2>()?,
            tail: self.tail.to_device::<D2>()?,
        })
    }
}

impl<H: ToKind, T: ToKind> ToKind for HCons<H, T> {
    type As<E2: crate::element::Float> = HCons<H::As<E2>, T::As<E2>>;
    fn to_kind<E2: crate::element::Float>(&self) -> Self::As<E2> {
        HCons {
            head: self.head.to_kind::<E2>(),
            tail: self.tail.to_kind::<E2>(),
        }
    }
}

impl<M: ToDevice, const N: usize> ToDevice for [M; N] {
    type On<D2: Device> = [M::On<D2>; N];
    fn to_device<D2: Device>(&self) -> Result<Self::On<D2>> {
        let blocks: Vec<M::On<D2>> = self
            .iter()
            .map(|b| b.to_device::<D2>())
            .collect::<Result<_>>()?;
        Ok(blocks
            .try_into()
            .unwrap_or_else(|_| unreachable!("N blocks were converted")))
    }
}

impl<M: ToKind, const N: usize> ToKind for [M; N] {
    type As<E2: crate::element::Float> = [M::As<E2>; N];
    fn to_kind<E2: crate::element::Float>(&self) -> Self::As<E2> {
        core::array::from_fn(|i| self[i].to_kind::<E2>())
    }
}

impl<T: ?Sized> ToDevice for core::marker::PhantomData<T> {
    type On<D2: Device> = Self;
    fn to_device<D2: Device>(&self) -> Result<Self> {
        Ok(core::marker::PhantomData)
    }
}

impl<T: ?Sized> ToKind for core::marker::PhantomData<T> {
    type As<E2: crate::element::Float> = Self;
    fn to_kind<E2: crate::element::Float>(&self) -> Self {
        core::marker::PhantomData
    }
}

/// Never implemented: the bound of the `ToDevice` impl `#[derive(Module)]` gives a struct whose
/// layers have a fixed device, so that moving it explains what to change.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no device parameter, so it cannot move to another device",
    label = "its layers' device is fixed by their types",
    note = "make the struct generic over its device, `struct Model<Dev: Device>`, with `Dev` in its layers' types (`Linear<4, 2, (), f32, Dev>`)"
)]
pub trait HasDeviceParameter {}

/// Never implemented: the bound of the `ToKind` impl `#[derive(Module)]` gives a struct whose
/// layers have a fixed dtype, so that converting it explains what to change.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no dtype parameter, so it cannot change its element type",
    label = "its layers' dtype is fixed by their types",
    note = "make the struct generic over its dtype, `struct Model<E: Float>`, with `E` in its layers' types (`Linear<4, 2, (), E>`)"
)]
pub trait HasDtypeParameter {}

/// A layer without tensors of any particular device (an activation, a pooling layer): a model
/// holding it at a fixed type keeps it as it is when it moves. `#[derive(Module)]` implements it
/// for structs without tensors and requires it of every field whose type does not name the
/// struct's `Dev` (or a module type parameter).
#[diagnostic::on_unimplemented(
    message = "`{Self}` holds tensors on a device fixed by its type, so a model holding it cannot move to another device",
    label = "this field's device does not follow the model's",
    note = "name the struct's device parameter in this field's type (`Embedding<128, 64, f32, Dev>`), or give the struct one: `struct Model<Dev: Device>`"
)]
pub trait DeviceIndependent {
    /// The same layer, its own copy.
    fn keep(&self) -> Self;
}

/// A layer without tensors of the model's dtype (an activation, a step counter): a model holding
/// it at a fixed type keeps it as it is when its dtype changes. `#[derive(Module)]` implements it
/// for structs without tensors and requires it of every field whose type does not name the
/// struct's `E` (or a module type parameter).
#[diagnostic::on_unimplemented(
    message = "`{Self}` holds tensors of a dtype fixed by its type, so a model holding it cannot change its element type",
    label = "this field's dtype does not follow the model's",
    note = "name the struct's dtype parameter in this field's type (`Linear<4, 2, (), E, Dev>`), or give the struct one: `struct Model<E: Float>`"
)]
pub trait DtypeIndependent {
    /// The same layer, its own copy.
    fn keep(&self) -> Self;
}

/// A step counter: integer tensors keep their dtype (their own copy, as in [`ToKind`]).
impl<S: Shape, Dev: Device> DtypeIndependent for Tensor<S, i64, Dev> {
    fn keep(&self) -> Self {
        self.deep_clone()
    }
}

macro_rules! independent_containers {
    ($($trait:ident),*) => {$(
        impl<T: ?Sized> $trait for core::marker::PhantomData<T> {
            fn keep(&self) -> Self {
                core::marker::PhantomData
            }
        }
        impl<P: $trait> $trait for Option<P> {
            fn keep(&self) -> Self {
                self.as_ref().map($trait::keep)
            }
        }
        impl<P: $trait> $trait for Vec<P> {
            fn keep(&self) -> Self {
                self.iter().map($trait::keep).collect()
            }
        }
        impl<M: $trait, const N: usize> $trait for [M; N] {
            fn keep(&self) -> Self {
                core::array::from_fn(|i| self[i].keep())
            }
        }
        impl $trait for HNil {
            fn keep(&self) -> Self {
                HNil
            }
        }
        impl<H: $trait, T: $trait> $trait for HCons<H, T> {
            fn keep(&self) -> Self {
                HCons {
                    head: self.head.keep(),
                    tail: self.tail.keep(),
                }
            }
        }
    )*};
}
independent_containers!(DeviceIndependent, DtypeIndependent);

//! What `grad` can differentiate with respect to: tensors, scalars, and any nesting of tuples,
//! arrays, `Vec`s, `Option`s, HLists and derived models.
use crate::device::{Cpu, Device};
use crate::element::Float;
use crate::nn::Params;
use crate::shape::Shape;
use crate::tensor::Tensor;
use frunk::{HCons, HNil};

/// The tensors autograd differentiates with respect to, in the order a value's
/// [`Differentiable::trace`] met them.
#[derive(Debug, Default)]
pub struct Inputs(pub(crate) Vec<tch::Tensor>);

/// The gradients of the [`Inputs`], in the same order, consumed by
/// [`Differentiable::gradient_from`]; an input the function did not use has none (its gradient is
/// zeros).
#[derive(Debug)]
pub struct Grads(pub(crate) std::vec::IntoIter<tch::Tensor>);

impl Grads {
    /// The next input's gradient, or zeros like `like` when the function did not use it.
    pub(crate) fn next_like(&mut self, like: &tch::Tensor) -> tch::Tensor {
        match self.0.next() {
            Some(g) if g.defined() => g,
            _ => like.zeros_like(),
        }
    }
}

/// A value a function can be differentiated with respect to; its gradient is a value of the
/// same type (a model's gradient is a model, as `backprop`'s `gradBP` returns a `Network`).
///
/// Implemented for float tensors, `f32` and `f64` (the function sees them as rank-0 tensors),
/// tuples of up to six, arrays, `Vec`, `Option`, HLists, and every `#[derive(Module)]` struct
/// that is `Clone` (its parameters are differentiated; buffers and settings are kept).
///
/// A tensor that autograd already records (a parameter, or the variable of an enclosing
/// derivative) is differentiated as itself, so derivatives nest; any other tensor is traced as a
/// fresh leaf, so the caller's value is untouched.
#[diagnostic::on_unimplemented(
    message = "cannot differentiate with respect to `{Self}`",
    label = "not a differentiable value",
    note = "gradients are taken with respect to float tensors, `f32`/`f64`, and tuples, arrays, `Vec`s, `Option`s, HLists of them, or `#[derive(Module)]` structs that are `Clone`"
)]
pub trait Differentiable: Sized {
    /// What the function receives: this value with its tensors traced (`f64` becomes
    /// `Tensor<(), f64>`).
    type Traced;
    /// The traced value; each traced tensor is pushed to `inputs` in order.
    fn trace(&self, inputs: &mut Inputs) -> Self::Traced;
    /// The value as the function takes it, without tracing (for [`eval`](super::eval)).
    fn untraced(&self) -> Self::Traced;
    /// A value of this type built from the gradients, in the order `trace` pushed the inputs.
    fn gradient_from(&self, grads: &mut Grads) -> Self;
}

/// `t` as an autograd input: itself when autograd records it already, else a fresh leaf.
pub(crate) fn trace_tensor(t: &tch::Tensor, inputs: &mut Inputs) -> tch::Tensor {
    let traced = if t.requires_grad() {
        t.shallow_clone()
    } else {
        t.detach().set_requires_grad(true)
    };
    inputs.0.push(traced.shallow_clone());
    traced
}

impl<S: Shape, E: Float, Dev: Device> Differentiable for Tensor<S, E, Dev> {
    type Traced = Self;
    fn trace(&self, inputs: &mut Inputs) -> Self {
        Tensor::wrap(trace_tensor(self.as_tch(), inputs))
    }
    fn untraced(&self) -> Self {
        self.clone()
    }
    fn gradient_from(&self, grads: &mut Grads) -> Self {
        Tensor::wrap(grads.next_like(self.as_tch()))
    }
}

macro_rules! scalar {
    ($t:ty) => {
        /// Seen by the function as a rank-0 tensor; its gradient is a plain number.
        impl Differentiable for $t {
            type Traced = Tensor<(), $t, Cpu>;
            fn trace(&self, inputs: &mut Inputs) -> Self::Traced {
                let t = tch::Tensor::from(*self).to_kind(<$t as crate::element::Element>::DTYPE);
                Tensor::wrap(trace_tensor(&t, inputs))
            }
            fn untraced(&self) -> Self::Traced {
                Tensor::wrap(
                    tch::Tensor::from(*self).to_kind(<$t as crate::element::Element>::DTYPE),
                )
            }
            fn gradient_from(&self, grads: &mut Grads) -> Self {
                match grads.0.next() {
                    Some(g) if g.defined() => g.double_value(&[]) as $t,
                    _ => 0.0,
                }
            }
        }
    };
}
scalar!(f32);
scalar!(f64);

macro_rules! tuple {
    ($($t:ident $i:tt),+) => {
        impl<$($t: Differentiable),+> Differentiable for ($($t,)+) {
            type Traced = ($($t::Traced,)+);
            fn trace(&self, inputs: &mut Inputs) -> Self::Traced {
                ($(self.$i.trace(inputs),)+)
            }
            fn untraced(&self) -> Self::Traced {
                ($(self.$i.untraced(),)+)
            }
            fn gradient_from(&self, grads: &mut Grads) -> Self {
                ($(self.$i.gradient_from(grads),)+)
            }
        }
    };
}
tuple!(A 0);
tuple!(A 0, B 1);
tuple!(A 0, B 1, C 2);
tuple!(A 0, B 1, C 2, G 3);
tuple!(A 0, B 1, C 2, G 3, H 4);
tuple!(A 0, B 1, C 2, G 3, H 4, I 5);

impl<T: Differentiable, const N: usize> Differentiable for [T; N] {
    type Traced = [T::Traced; N];
    fn trace(&self, inputs: &mut Inputs) -> Self::Traced {
        let mut items = self.iter();
        core::array::from_fn(|_| items.next().expect("N items").trace(inputs))
    }
    fn untraced(&self) -> Self::Traced {
        core::array::from_fn(|i| self[i].untraced())
    }
    fn gradient_from(&self, grads: &mut Grads) -> Self {
        let mut items = self.iter();
        core::array::from_fn(|_| items.next().expect("N items").gradient_from(grads))
    }
}

impl<T: Differentiable> Differentiable for Vec<T> {
    type Traced = Vec<T::Traced>;
    fn trace(&self, inputs: &mut Inputs) -> Self::Traced {
        self.iter().map(|t| t.trace(inputs)).collect()
    }
    fn untraced(&self) -> Self::Traced {
        self.iter().map(Differentiable::untraced).collect()
    }
    fn gradient_from(&self, grads: &mut Grads) -> Self {
        self.iter().map(|t| t.gradient_from(grads)).collect()
    }
}

impl<T: Differentiable> Differentiable for Option<T> {
    type Traced = Option<T::Traced>;
    fn trace(&self, inputs: &mut Inputs) -> Self::Traced {
        self.as_ref().map(|t| t.trace(inputs))
    }
    fn untraced(&self) -> Self::Traced {
        self.as_ref().map(Differentiable::untraced)
    }
    fn gradient_from(&self, grads: &mut Grads) -> Self {
        self.as_ref().map(|t| t.gradient_from(grads))
    }
}

impl Differentiable for HNil {
    type Traced = HNil;
    fn trace(&self, _: &mut Inputs) -> HNil {
        HNil
    }
    fn untraced(&self) -> HNil {
        HNil
    }
    fn gradient_from(&self, _: &mut Grads) -> HNil {
        HNil
    }
}

impl<H: Differentiable, T: Differentiable> Differentiable for HCons<H, T> {
    type Traced = HCons<H::Traced, T::Traced>;
    fn trace(&self, inputs: &mut Inputs) -> Self::Traced {
        let head = self.head.trace(inputs);
        HCons {
            head,
            tail: self.tail.trace(inputs),
        }
    }
    fn untraced(&self) -> Self::Traced {
        HCons {
            head: self.head.untraced(),
            tail: self.tail.untraced(),
        }
    }
    fn gradient_from(&self, grads: &mut Grads) -> Self {
        let head = self.head.gradient_from(grads);
        HCons {
            head,
            tail: self.tail.gradient_from(grads),
        }
    }
}

/// [`Differentiable::trace`] of a model: a copy whose parameters are traced (the derive's impl).
#[doc(hidden)]
pub fn trace_params<M: Params + Clone>(model: &M, inputs: &mut Inputs) -> M {
    let mut traced = model.clone();
    // The copy's tensor handles are its own: replacing one leaves the model's untouched.
    traced.for_each_param_mut(|_, p| *p = trace_tensor(p, inputs));
    traced
}

/// [`Differentiable::gradient_from`] of a model: a copy holding each parameter's gradient (the
/// derive's impl).
#[doc(hidden)]
pub fn params_gradient_from<M: Params + Clone>(model: &M, grads: &mut Grads) -> M {
    let mut gradient = model.clone();
    gradient.for_each_param_mut(|_, p| *p = grads.next_like(p));
    gradient
}

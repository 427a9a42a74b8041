//! [`StepLayer`]: what a layer does inside a compiled step (forward into its own buffers, backward
//! by hand), and its composition through HList stacks.
use frunk::{HCons, HNil};

use crate::device::Device;
use crate::element::Element;
use crate::nn::Module;
use crate::shape::Shape;
use crate::tensor::Tensor;

/// What the backward pass does with a parameter's gradient.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Update {
    /// Writes it to the parameter's `.grad`, replacing what was there (any optimizer then steps).
    Gradients,
    /// Applies plain SGD on the spot, `p -= lr * grad`, without storing the gradient: the update
    /// of a large weight then costs one pass over it instead of three.
    Sgd {
        /// The learning rate.
        lr: f64,
    },
}

/// What the forward pass is told and tells back.
#[derive(Debug, Default)]
pub struct Forward {
    /// Whether a gradient with respect to this layer's input will be asked for.
    pub input_grad: bool,
    /// Multiply-adds of the forward pass so far (a work estimate for the thread count).
    pub macs: u64,
}

/// A value that flows between the layers of a compiled step: a typed tensor, whose raw tensor the
/// step works on.
pub trait StepTensor {
    /// The tensor behind the type.
    fn raw(&self) -> &tch::Tensor;
    /// The type around a tensor of the right shape, dtype and device.
    #[doc(hidden)]
    fn from_raw(raw: tch::Tensor) -> Self;
}

impl<S: Shape, E: Element, Dev: Device> StepTensor for Tensor<S, E, Dev> {
    fn raw(&self) -> &tch::Tensor {
        self.as_tch()
    }
    fn from_raw(raw: tch::Tensor) -> Self {
        Tensor::wrap(raw)
    }
}

/// A layer a compiled training step ([`TrainStep`](super::TrainStep)) can run on `In`: a forward
/// pass into buffers it keeps in its [`Cache`](Self::Cache), and a backward pass that computes
/// the gradient for its input and updates or stores its parameters' gradients.
///
/// typed-torch implements it by hand for `Linear`, `Conv2d`, `Sigmoid`, `Tanh`, `ReLU`, `Flatten`
/// and `MaxPool2d`, and through autograd for any layer wrapped in
/// [`Autograd`](super::Autograd); stacks (HLists) of such layers implement it too. A layer of your
/// own implements it on raw `tch` tensors, and is checked against autograd with
/// [`check_against_autograd`](super::check_against_autograd).
///
/// The contract: `step_forward` returns what `Module::forward` returns (as a raw tensor, which the
/// layer may overwrite on the next step); `step_backward`, given the gradient of the loss with
/// respect to that output, returns the gradient with respect to `input` when `input_grad` is set,
/// and handles every parameter that requires a gradient as `update` says. Parameters that do not
/// require one (frozen) are left alone.
pub trait StepLayer<In: StepTensor>: Module<In, Output: StepTensor> {
    /// Buffers and whatever the forward pass keeps for the backward pass.
    type Cache: Default;
    /// Whether the layer (or anything in it) has parameters to train.
    const TRAINABLE: bool;

    /// The forward pass of `input`.
    fn step_forward(
        &self,
        input: &tch::Tensor,
        cache: &mut Self::Cache,
        forward: &mut Forward,
    ) -> tch::Tensor;

    /// The backward pass: `grad` is d loss / d output of the last `step_forward` of `input`.
    fn step_backward(
        &mut self,
        input: &tch::Tensor,
        grad: &tch::Tensor,
        cache: &mut Self::Cache,
        update: Update,
        input_grad: bool,
    ) -> Option<tch::Tensor>;
}

/// The empty stack passes its input and gradient through.
impl<X: StepTensor> StepLayer<X> for HNil {
    type Cache = ();
    const TRAINABLE: bool = false;
    fn step_forward(&self, input: &tch::Tensor, _: &mut (), _: &mut Forward) -> tch::Tensor {
        input.shallow_clone()
    }
    fn step_backward(
        &mut self,
        _: &tch::Tensor,
        grad: &tch::Tensor,
        _: &mut (),
        _: Update,
        input_grad: bool,
    ) -> Option<tch::Tensor> {
        input_grad.then(|| grad.shallow_clone())
    }
}

/// The head's and the tail's caches, and the head's output (the tail's input).
pub struct StackCache<H, T> {
    head: H,
    middle: Option<tch::Tensor>,
    tail: T,
}

impl<H: Default, T: Default> Default for StackCache<H, T> {
    fn default() -> Self {
        StackCache {
            head: H::default(),
            middle: None,
            tail: T::default(),
        }
    }
}

impl<X, H, T> StepLayer<X> for HCons<H, T>
where
    X: StepTensor,
    H: StepLayer<X>,
    T: StepLayer<H::Output>,
    T::Output: StepTensor,
{
    type Cache = StackCache<H::Cache, T::Cache>;
    const TRAINABLE: bool = H::TRAINABLE || T::TRAINABLE;

    fn step_forward(
        &self,
        input: &tch::Tensor,
        cache: &mut Self::Cache,
        forward: &mut Forward,
    ) -> tch::Tensor {
        let input_grad = forward.input_grad;
        let middle = self.head.step_forward(input, &mut cache.head, forward);
        // The tail's input needs a gradient only if something before it learns.
        forward.input_grad = input_grad || H::TRAINABLE;
        let out = self.tail.step_forward(&middle, &mut cache.tail, forward);
        forward.input_grad = input_grad;
        cache.middle = Some(middle);
        out
    }

    fn step_backward(
        &mut self,
        input: &tch::Tensor,
        grad: &tch::Tensor,
        cache: &mut Self::Cache,
        update: Update,
        input_grad: bool,
    ) -> Option<tch::Tensor> {
        let middle = cache
            .middle
            .take()
            .expect("step_backward follows step_forward");
        let head_needs = input_grad || H::TRAINABLE;
        let middle_grad =
            self.tail
                .step_backward(&middle, grad, &mut cache.tail, update, head_needs);
        let result = match middle_grad {
            Some(g) => self
                .head
                .step_backward(input, &g, &mut cache.head, update, input_grad),
            None => None,
        };
        cache.middle = Some(middle);
        result
    }
}

/// A buffer of `size` like `like` (dtype and device), reused while the size stays the same.
pub(crate) fn buffer<'a>(
    slot: &'a mut Option<tch::Tensor>,
    like: &tch::Tensor,
    size: &[i64],
) -> &'a tch::Tensor {
    let fits = slot
        .as_ref()
        .is_some_and(|t| t.size() == size && t.kind() == like.kind());
    if !fits {
        *slot = Some(tch::Tensor::empty(size, (like.kind(), like.device())));
    }
    slot.as_ref().expect("just set")
}

extern "C" {
    fn tt_set_grad(param: *mut std::ffi::c_void, grad: *mut std::ffi::c_void);
}

/// The gradient tensor of `param` to write into: its `.grad` when that has the right size, else a
/// new one made its `.grad`.
pub(crate) fn grad_of(param: &tch::Tensor) -> tch::Tensor {
    let g = param.grad();
    if g.defined() && g.size() == param.size() && g.kind() == param.kind() {
        return g;
    }
    let fresh = param.zeros_like();
    // SAFETY: both handles are live tch tensors; the shim copies `fresh` (a refcount) into the
    // parameter's gradient slot. Same shape, dtype and device, as PyTorch's setter requires.
    unsafe { tt_set_grad(param.as_ptr() as *mut _, fresh.as_ptr() as *mut _) };
    fresh
}

/// Applies `update` to `param` given its gradient `g`, a tensor of its own that nothing else
/// holds on to (it may become the parameter's `.grad`, as autograd hands its results over).
pub(crate) fn apply_update(param: &tch::Tensor, g: tch::Tensor, update: Update) {
    match update {
        Update::Gradients if g.is_contiguous() && g.size() == param.size() => {
            // SAFETY: both handles are live tch tensors of the same shape, dtype and device.
            unsafe { tt_set_grad(param.as_ptr() as *mut _, g.as_ptr() as *mut _) };
        }
        Update::Gradients => {
            grad_of(param).copy_(&g);
        }
        Update::Sgd { lr } => {
            let _ = param.shallow_clone().g_add_(&(&g * -lr));
        }
    }
}

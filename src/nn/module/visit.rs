//! Parameter traversal: one visitor, typed leaves, PyTorch `state_dict` names, train/eval mode.
use crate::device::Device;
use crate::element::Element;
use crate::shape::Shape;
use crate::tensor::Tensor;
use frunk::{HCons, HNil};

/// A model's tensors and modes, visited in `state_dict` order by one [`Visitor`] (or
/// [`VisitorMut`]), which receives each tensor with its full type and name.
///
/// Layers name their own tensors (`weight`, `bias`); containers prefix them: HList stacks number
/// their layers like `nn.Sequential` (`0.weight`), structs use their field names
/// (`conv1.weight`). `#[derive(Module)]` implements it; the provided methods cover the common
/// walks (names, counts, train/eval, gradients).
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Init, Linear, Params, ReLU};
/// use typed_torch::HList;
/// let mlp = <HList![Linear<4, 3>, ReLU, Linear<3, 1>]>::init().unwrap();
/// assert_eq!(mlp.param_names(), ["0.weight", "0.bias", "2.weight", "2.bias"]);
/// assert_eq!(mlp.param_count(), 4 * 3 + 3 + 3 + 1);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a layer or model with parameters",
    label = "this does not implement `Params`",
    note = "in a `#[derive(Module)]` struct, mark fields that are not modules with `#[module(skip)]`"
)]
pub trait Params {
    /// Visits every parameter and buffer under `path`, in `state_dict` order.
    fn visit<V: Visitor>(&self, path: &mut Path, v: &mut V);

    /// Visits every parameter and buffer mutably (and every train flag).
    fn visit_mut<V: VisitorMut>(&mut self, path: &mut Path, v: &mut V);

    /// All parameter names, in `state_dict` order (buffers are not parameters).
    fn param_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        self.for_each_param(|name, _| names.push(name.to_string()));
        names
    }

    /// Number of scalar parameters, as `sum(p.numel() for p in m.parameters())`.
    fn param_count(&self) -> usize {
        let mut count = 0;
        self.for_each_param(|_, t| count += t.numel());
        count
    }

    /// Switches training behaviour (dropout, batch-norm statistics) of every layer: `true` is
    /// PyTorch's `model.train()`, `false` its `model.eval()`.
    fn set_train(&mut self, train: bool) {
        struct SetTrain(bool);
        impl VisitorMut for SetTrain {
            fn param<S: Shape, E: Element, Dev: Device>(
                &mut self,
                _: &str,
                _: &mut Tensor<S, E, Dev>,
            ) {
            }
            fn train_flag(&mut self, flag: &mut bool) {
                *flag = self.0;
            }
        }
        self.visit_mut(&mut Path::default(), &mut SetTrain(train));
    }

    /// Zeroes every parameter's gradient in place (PyTorch's `model.zero_grad(set_to_none=False)`).
    /// An optimizer's [`zero_grad`](crate::optim::Optimizer::zero_grad) drops them instead, as
    /// PyTorch's does by default; either way the next backward pass starts from zero.
    fn zero_grads_in_place(&mut self) {
        self.for_each_param_mut(|_, t| t.zero_grad());
    }

    /// Calls `f` with each parameter's name and untyped tensor (see [`Params::visit`] for typed
    /// ones).
    fn for_each_param(&self, mut f: impl FnMut(&str, &tch::Tensor)) {
        self.visit(
            &mut Path::default(),
            &mut Untyped {
                f: &mut f,
                params: true,
                buffers: false,
            },
        );
    }

    /// Calls `f` with each parameter's name and mutable untyped tensor; `f` keeps its shape,
    /// dtype and device.
    fn for_each_param_mut(&mut self, mut f: impl FnMut(&str, &mut tch::Tensor)) {
        self.visit_mut(
            &mut Path::default(),
            &mut UntypedMut {
                f: &mut f,
                params: true,
                buffers: false,
            },
        );
    }

    /// Calls `f` with each buffer (state saved with the model but not trained, such as batch-norm
    /// running statistics).
    fn for_each_buffer(&self, mut f: impl FnMut(&str, &tch::Tensor)) {
        self.visit(
            &mut Path::default(),
            &mut Untyped {
                f: &mut f,
                params: false,
                buffers: true,
            },
        );
    }

    /// Calls `f` with each buffer, mutably; `f` keeps its shape, dtype and device.
    fn for_each_buffer_mut(&mut self, mut f: impl FnMut(&str, &mut tch::Tensor)) {
        self.visit_mut(
            &mut Path::default(),
            &mut UntypedMut {
                f: &mut f,
                params: false,
                buffers: true,
            },
        );
    }

    /// Calls `f` with every tensor of the `state_dict`, parameters and buffers, in its order.
    fn for_each_tensor(&self, mut f: impl FnMut(&str, &tch::Tensor)) {
        self.visit(
            &mut Path::default(),
            &mut Untyped {
                f: &mut f,
                params: true,
                buffers: true,
            },
        );
    }

    /// Mutable access to every tensor of the `state_dict` (loading weights); `f` keeps each
    /// tensor's shape, dtype and device.
    fn for_each_tensor_mut(&mut self, mut f: impl FnMut(&str, &mut tch::Tensor)) {
        self.visit_mut(
            &mut Path::default(),
            &mut UntypedMut {
                f: &mut f,
                params: true,
                buffers: true,
            },
        );
    }
}

/// Receives a model's tensors, each with its full type and `state_dict` name.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Init, Linear, Params, Path, Visitor};
/// use typed_torch::{Device, Element, Shape, Tensor};
///
/// /// Collects each parameter's static shape, as the type states it.
/// struct Shapes(Vec<String>);
/// impl Visitor for Shapes {
///     fn param<S: Shape, E: Element, Dev: Device>(&mut self, name: &str, _: &Tensor<S, E, Dev>) {
///         self.0.push(format!("{name}: {}", S::describe()));
///     }
/// }
/// let mut shapes = Shapes(Vec::new());
/// Linear::<4, 2>::init().unwrap().visit(&mut Path::default(), &mut shapes);
/// assert_eq!(shapes.0, ["weight: (D<2>, D<4>)", "bias: (D<2>,)"]);
/// ```
pub trait Visitor {
    /// A trainable parameter.
    fn param<S: Shape, E: Element, Dev: Device>(&mut self, name: &str, tensor: &Tensor<S, E, Dev>);
    /// A buffer; ignored unless overridden.
    fn buffer<S: Shape, E: Element, Dev: Device>(
        &mut self,
        name: &str,
        tensor: &Tensor<S, E, Dev>,
    ) {
        let _ = (name, tensor);
    }
}

/// Receives a model's tensors mutably, and its train flags.
pub trait VisitorMut {
    /// A trainable parameter.
    fn param<S: Shape, E: Element, Dev: Device>(
        &mut self,
        name: &str,
        tensor: &mut Tensor<S, E, Dev>,
    );
    /// A buffer; ignored unless overridden.
    fn buffer<S: Shape, E: Element, Dev: Device>(
        &mut self,
        name: &str,
        tensor: &mut Tensor<S, E, Dev>,
    ) {
        let _ = (name, tensor);
    }
    /// A layer's training flag; ignored unless overridden.
    fn train_flag(&mut self, train: &mut bool) {
        let _ = train;
    }
}

/// The dotted `state_dict` name of the module being visited: containers push a segment (a field
/// name, a position) before visiting a child and pop it after.
#[derive(Debug, Clone, Default)]
pub struct Path {
    name: String,
    marks: Vec<usize>,
}

impl Path {
    /// Enters a child named `segment`.
    pub fn push(&mut self, segment: &str) {
        self.marks.push(self.name.len());
        if !self.name.is_empty() {
            self.name.push('.');
        }
        self.name.push_str(segment);
    }

    /// Enters the child at `index` (a stack's layer, a list's element).
    pub fn push_index(&mut self, index: usize) {
        use core::fmt::Write;
        self.marks.push(self.name.len());
        if !self.name.is_empty() {
            self.name.push('.');
        }
        let _ = write!(self.name, "{index}");
    }

    /// Leaves the child entered last.
    pub fn pop(&mut self) {
        let mark = self.marks.pop().expect("Path::pop without a matching push");
        self.name.truncate(mark);
    }

    /// The current name, e.g. `features.3.weight`.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// Joins a prefix and a name as PyTorch does (`layers` + `0` = `layers.0`).
    pub fn join(prefix: &str, name: &str) -> String {
        if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}.{name}")
        }
    }
}

/// A closure over untyped tensors as a visitor.
struct Untyped<'f, F> {
    f: &'f mut F,
    params: bool,
    buffers: bool,
}

impl<F: FnMut(&str, &tch::Tensor)> Visitor for Untyped<'_, F> {
    fn param<S: Shape, E: Element, Dev: Device>(&mut self, name: &str, t: &Tensor<S, E, Dev>) {
        if self.params {
            (self.f)(name, t.as_tch());
        }
    }
    fn buffer<S: Shape, E: Element, Dev: Device>(&mut self, name: &str, t: &Tensor<S, E, Dev>) {
        if self.buffers {
            (self.f)(name, t.as_tch());
        }
    }
}

struct UntypedMut<'f, F> {
    f: &'f mut F,
    params: bool,
    buffers: bool,
}

impl<F: FnMut(&str, &mut tch::Tensor)> VisitorMut for UntypedMut<'_, F> {
    fn param<S: Shape, E: Element, Dev: Device>(&mut self, name: &str, t: &mut Tensor<S, E, Dev>) {
        if self.params {
            (self.f)(name, t.as_tch_mut());
        }
    }
    fn buffer<S: Shape, E: Element, Dev: Device>(&mut self, name: &str, t: &mut Tensor<S, E, Dev>) {
        if self.buffers {
            (self.f)(name, t.as_tch_mut());
        }
    }
}

/// A tensor is a parameter named by its container's field (a learned positional embedding).
impl<S: Shape, E: Element, Dev: Device> Params for Tensor<S, E, Dev> {
    fn visit<V: Visitor>(&self, path: &mut Path, v: &mut V) {
        v.param(path.as_str(), self);
    }
    fn visit_mut<V: VisitorMut>(&mut self, path: &mut Path, v: &mut V) {
        v.param(path.as_str(), self);
    }
}

impl Params for HNil {
    fn visit<V: Visitor>(&self, _: &mut Path, _: &mut V) {}
    fn visit_mut<V: VisitorMut>(&mut self, _: &mut Path, _: &mut V) {}
}

/// A stack numbers its layers like `nn.Sequential`.
impl<H: Params, T: StackParams> Params for HCons<H, T> {
    fn visit<V: Visitor>(&self, path: &mut Path, v: &mut V) {
        self.visit_from(0, path, v);
    }
    fn visit_mut<V: VisitorMut>(&mut self, path: &mut Path, v: &mut V) {
        self.visit_mut_from(0, path, v);
    }
}

/// The rest of a stack, numbered from `index`.
#[doc(hidden)]
pub trait StackParams {
    fn visit_from<V: Visitor>(&self, index: usize, path: &mut Path, v: &mut V);
    fn visit_mut_from<V: VisitorMut>(&mut self, index: usize, path: &mut Path, v: &mut V);
}

impl StackParams for HNil {
    fn visit_from<V: Visitor>(&self, _: usize, _: &mut Path, _: &mut V) {}
    fn visit_mut_from<V: VisitorMut>(&mut self, _: usize, _: &mut Path, _: &mut V) {}
}

impl<H: Params, T: StackParams> StackParams for HCons<H, T> {
    fn visit_from<V: Visitor>(&self, index: usize, path: &mut Path, v: &mut V) {
        path.push_index(index);
        self.head.visit(path, v);
        path.pop();
        self.tail.visit_from(index + 1, path, v);
    }
    fn visit_mut_from<V: VisitorMut>(&mut self, index: usize, path: &mut Path, v: &mut V) {
        path.push_index(index);
        self.head.visit_mut(path, v);
        path.pop();
        self.tail.visit_mut_from(index + 1, path, v);
    }
}

/// An absent optional part has no parameters.
impl<P: Params> Params for Option<P> {
    fn visit<V: Visitor>(&self, path: &mut Path, v: &mut V) {
        if let Some(p) = self {
            p.visit(path, v);
        }
    }
    fn visit_mut<V: VisitorMut>(&mut self, path: &mut Path, v: &mut V) {
        if let Some(p) = self {
            p.visit_mut(path, v);
        }
    }
}

/// Layers in a slice are numbered like `nn.ModuleList`.
fn visit_list<'a, P: Params + 'a, V: Visitor>(
    items: impl Iterator<Item = &'a P>,
    path: &mut Path,
    v: &mut V,
) {
    for (i, p) in items.enumerate() {
        path.push_index(i);
        p.visit(path, v);
        path.pop();
    }
}

fn visit_list_mut<'a, P: Params + 'a, V: VisitorMut>(
    items: impl Iterator<Item = &'a mut P>,
    path: &mut Path,
    v: &mut V,
) {
    for (i, p) in items.enumerate() {
        path.push_index(i);
        p.visit_mut(path, v);
        path.pop();
    }
}

/// A `Vec` of layers is numbered like `nn.ModuleList`.
impl<P: Params> Params for Vec<P> {
    fn visit<V: Visitor>(&self, path: &mut Path, v: &mut V) {
        visit_list(self.iter(), path, v);
    }
    fn visit_mut<V: VisitorMut>(&mut self, path: &mut Path, v: &mut V) {
        visit_list_mut(self.iter_mut(), path, v);
    }
}

/// An array of layers is numbered like `nn.ModuleList`.
impl<P: Params, const N: usize> Params for [P; N] {
    fn visit<V: Visitor>(&self, path: &mut Path, v: &mut V) {
        visit_list(self.iter(), path, v);
    }
    fn visit_mut<V: VisitorMut>(&mut self, path: &mut Path, v: &mut V) {
        visit_list_mut(self.iter_mut(), path, v);
    }
}

/// A marker field (`PhantomData`) holds nothing.
impl<T: ?Sized> Params for core::marker::PhantomData<T> {
    fn visit<V: Visitor>(&self, _: &mut Path, _: &mut V) {}
    fn visit_mut<V: VisitorMut>(&mut self, _: &mut Path, _: &mut V) {}
}

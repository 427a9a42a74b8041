//! Parameter traversal with PyTorch `state_dict` names, and train/eval mode.
use frunk::{HCons, HNil};

/// Visits a model's parameters (and buffers such as running statistics) by their PyTorch
/// `state_dict` names, and switches train/eval mode.
///
/// Layers name their own tensors (`weight`, `bias`); containers prefix them: HList stacks number
/// their layers like `nn.Sequential` (`0.weight`), structs use their field names (`conv1.weight`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a layer or model with parameters",
    label = "this does not implement `Params`",
    note = "in a `#[derive(Params)]` struct, mark fields that hold no parameters with `#[params(skip)]`"
)]
pub trait Params {
    /// Calls `f` with each tensor's full name, in `state_dict` order.
    fn visit(&self, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor));

    /// Calls `f` with each tensor's full name and mutable access to it.
    fn visit_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut tch::Tensor));

    /// Switches training behaviour (dropout, batch-norm statistics); a no-op for most layers.
    fn set_train(&mut self, _train: bool) {}

    /// Calls `f` with each buffer: state that is saved with the model but not trained (batch-norm
    /// running statistics), by its `state_dict` name. Most layers have none.
    fn visit_buffers(&self, _prefix: &str, _f: &mut dyn FnMut(&str, &tch::Tensor)) {}

    /// Mutable access to each buffer.
    fn visit_buffers_mut(&mut self, _prefix: &str, _f: &mut dyn FnMut(&str, &mut tch::Tensor)) {}

    /// Every tensor of the `state_dict`: parameters, then buffers.
    fn visit_state(&self, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor)) {
        self.visit(prefix, f);
        self.visit_buffers(prefix, f);
    }

    /// Mutable access to every tensor of the `state_dict` (loading weights).
    fn visit_state_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut tch::Tensor)) {
        self.visit_mut(prefix, f);
        self.visit_buffers_mut(prefix, f);
    }

    /// All names, in `state_dict` order.
    fn param_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        self.visit("", &mut |name, _| names.push(name.to_string()));
        names
    }

    /// Number of scalar parameters.
    fn param_count(&self) -> usize {
        let mut count = 0;
        self.visit("", &mut |_, t| count += t.numel());
        count
    }

    /// Clears every parameter's gradient.
    fn zero_grad(&mut self) {
        self.visit_mut("", &mut |_, t| t.zero_grad());
    }
}

/// Joins a container prefix and a local name the way PyTorch does (`layers` + `0` = `layers.0`).
pub fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// An HList visits its elements under their positions, like `nn.Sequential`.
trait ParamsFrom {
    fn visit_from(&self, index: usize, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor));
    fn visit_mut_from(
        &mut self,
        index: usize,
        prefix: &str,
        f: &mut dyn FnMut(&str, &mut tch::Tensor),
    );
    fn set_train_all(&mut self, train: bool);
    fn visit_buffers_from(&self, index: usize, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor));
    fn visit_buffers_mut_from(
        &mut self,
        index: usize,
        prefix: &str,
        f: &mut dyn FnMut(&str, &mut tch::Tensor),
    );
}

impl ParamsFrom for HNil {
    fn visit_from(&self, _: usize, _: &str, _: &mut dyn FnMut(&str, &tch::Tensor)) {}
    fn visit_mut_from(&mut self, _: usize, _: &str, _: &mut dyn FnMut(&str, &mut tch::Tensor)) {}
    fn set_train_all(&mut self, _: bool) {}
    fn visit_buffers_from(&self, _: usize, _: &str, _: &mut dyn FnMut(&str, &tch::Tensor)) {}
    fn visit_buffers_mut_from(
        &mut self,
        _: usize,
        _: &str,
        _: &mut dyn FnMut(&str, &mut tch::Tensor),
    ) {
    }
}

impl<H: Params, T: ParamsFrom> ParamsFrom for HCons<H, T> {
    fn visit_from(&self, index: usize, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor)) {
        self.head.visit(&join(prefix, &index.to_string()), f);
        self.tail.visit_from(index + 1, prefix, f);
    }
    fn visit_mut_from(
        &mut self,
        index: usize,
        prefix: &str,
        f: &mut dyn FnMut(&str, &mut tch::Tensor),
    ) {
        self.head.visit_mut(&join(prefix, &index.to_string()), f);
        self.tail.visit_mut_from(index + 1, prefix, f);
    }
    fn set_train_all(&mut self, train: bool) {
        self.head.set_train(train);
        self.tail.set_train_all(train);
    }
    fn visit_buffers_from(
        &self,
        index: usize,
        prefix: &str,
        f: &mut dyn FnMut(&str, &tch::Tensor),
    ) {
        self.head
            .visit_buffers(&join(prefix, &index.to_string()), f);
        self.tail.visit_buffers_from(index + 1, prefix, f);
    }
    fn visit_buffers_mut_from(
        &mut self,
        index: usize,
        prefix: &str,
        f: &mut dyn FnMut(&str, &mut tch::Tensor),
    ) {
        self.head
            .visit_buffers_mut(&join(prefix, &index.to_string()), f);
        self.tail.visit_buffers_mut_from(index + 1, prefix, f);
    }
}

impl Params for HNil {
    fn visit(&self, _: &str, _: &mut dyn FnMut(&str, &tch::Tensor)) {}
    fn visit_mut(&mut self, _: &str, _: &mut dyn FnMut(&str, &mut tch::Tensor)) {}
}

impl<H: Params, T: ParamsFrom> Params for HCons<H, T> {
    fn visit(&self, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor)) {
        self.visit_from(0, prefix, f);
    }
    fn visit_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut tch::Tensor)) {
        self.visit_mut_from(0, prefix, f);
    }
    fn set_train(&mut self, train: bool) {
        self.set_train_all(train);
    }
    fn visit_buffers(&self, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor)) {
        self.visit_buffers_from(0, prefix, f);
    }
    fn visit_buffers_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut tch::Tensor)) {
        self.visit_buffers_mut_from(0, prefix, f);
    }
}

/// A tensor is a parameter named by its container's field (e.g. a learned positional embedding).
impl<S: crate::shape::Shape, E: crate::element::Element, Dev: crate::device::Device> Params
    for crate::tensor::Tensor<S, E, Dev>
{
    fn visit(&self, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor)) {
        f(prefix, self.as_tch());
    }
    fn visit_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut tch::Tensor)) {
        f(prefix, self.as_tch_mut());
    }
}

/// An absent optional part has no parameters.
impl<P: Params> Params for Option<P> {
    fn visit(&self, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor)) {
        if let Some(p) = self {
            p.visit(prefix, f);
        }
    }
    fn visit_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut tch::Tensor)) {
        if let Some(p) = self {
            p.visit_mut(prefix, f);
        }
    }
    fn set_train(&mut self, train: bool) {
        if let Some(p) = self {
            p.set_train(train);
        }
    }
    fn visit_buffers(&self, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor)) {
        if let Some(p) = self {
            p.visit_buffers(prefix, f);
        }
    }
    fn visit_buffers_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut tch::Tensor)) {
        if let Some(p) = self {
            p.visit_buffers_mut(prefix, f);
        }
    }
}

/// A `Vec` of layers is numbered like `nn.ModuleList`.
impl<P: Params> Params for Vec<P> {
    fn visit(&self, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor)) {
        for (i, p) in self.iter().enumerate() {
            p.visit(&join(prefix, &i.to_string()), f);
        }
    }
    fn visit_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut tch::Tensor)) {
        for (i, p) in self.iter_mut().enumerate() {
            p.visit_mut(&join(prefix, &i.to_string()), f);
        }
    }
    fn set_train(&mut self, train: bool) {
        self.iter_mut().for_each(|p| p.set_train(train));
    }
    fn visit_buffers(&self, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor)) {
        for (i, p) in self.iter().enumerate() {
            p.visit_buffers(&join(prefix, &i.to_string()), f);
        }
    }
    fn visit_buffers_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut tch::Tensor)) {
        for (i, p) in self.iter_mut().enumerate() {
            p.visit_buffers_mut(&join(prefix, &i.to_string()), f);
        }
    }
}

//! `Dropout`: zeroes elements with probability `p` in training mode, the identity in eval mode.
use super::module::module_via_layer_input;
use super::{LayerInput, Params};
use crate::device::Device;
use crate::element::Float;
use crate::shape::Shape;
use crate::tensor::Tensor;

/// `torch.nn.Dropout(p)`; starts in training mode like PyTorch; `Params::set_train(false)`
/// (usually through the whole model) switches it off.
///
/// ```
/// use typed_torch::nn::{Dropout, Module, Params};
/// use typed_torch::{Tensor, D};
/// let mut drop = Dropout::new(0.5);
/// drop.set_train(false);
/// let x = Tensor::<(D<4>,)>::ones();
/// assert_eq!(drop.forward(x.clone()).to_vec(), x.to_vec());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Dropout {
    /// Probability of zeroing an element.
    pub p: f64,
    /// Whether the layer is in training mode.
    pub train: bool,
}

impl Dropout {
    /// Dropout with probability `p`, in training mode.
    pub fn new(p: f64) -> Self {
        Dropout { p, train: true }
    }
}

impl Default for Dropout {
    /// PyTorch's default, `p = 0.5`.
    fn default() -> Self {
        Self::new(0.5)
    }
}

impl<S: Shape, E: Float, Dev: Device> LayerInput<Dropout> for Tensor<S, E, Dev> {
    type Output = Self;
    fn run(layer: &Dropout, x: Self) -> Self {
        x.dropout(layer.p, layer.train)
    }
}
module_via_layer_input!([] Dropout);

impl Params for Dropout {
    fn visit(&self, _: &str, _: &mut dyn FnMut(&str, &tch::Tensor)) {}
    fn visit_mut(&mut self, _: &str, _: &mut dyn FnMut(&str, &mut tch::Tensor)) {}
    fn set_train(&mut self, train: bool) {
        self.train = train;
    }
}
crate::stateless_conversions!(Dropout);

impl super::StaticParamCount for Dropout {
    const PARAM_COUNT: usize = 0;
}

//! `Dropout`: zeroes elements with probability `p` in training mode, the identity in eval mode.
use super::module::module_via_layer_input;
use super::LayerInput;
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
/// let mut drop = Dropout::default().p(0.2);
/// drop.set_train(false);
/// let x = Tensor::<(D<4>,)>::ones();
/// assert_eq!(drop.forward(x.clone()).to_vec(), x.to_vec());
/// ```
#[derive(Debug, Clone, Copy, super::Module)]
#[module(manual_init)]
pub struct Dropout {
    /// Probability of zeroing an element.
    #[module(skip)]
    pub p: f64,
    /// Whether the layer is in training mode.
    #[module(train)]
    pub train: bool,
}

impl Dropout {
    /// Sets `p` (PyTorch's argument of that name): `Dropout::default().p(0.2)`.
    pub fn p(mut self, p: f64) -> Self {
        self.p = p;
        self
    }
}

impl Default for Dropout {
    /// PyTorch's default, `p = 0.5`, in training mode.
    fn default() -> Self {
        Dropout {
            p: 0.5,
            train: true,
        }
    }
}

impl super::Init for Dropout {
    fn init() -> crate::Result<Self> {
        Ok(Self::default())
    }
}

impl<S: Shape, E: Float, Dev: Device> LayerInput<Dropout> for Tensor<S, E, Dev> {
    type Output = Self;
    fn run(layer: &Dropout, x: Self) -> Self {
        x.dropout(layer.p, layer.train)
    }
}
module_via_layer_input!([] Dropout);

//! `Embedding`: a `(V, F)` table looked up by `i64` indices of any shape.
use super::module::module_via_layer_input;
use super::{Init, LayerInput};
use crate::device::{Cpu, Device};
use crate::dims::D;
use crate::element::Float;
use crate::error::{Error, Result};
use crate::explain::or_panic;
use crate::ops::embedding;
use crate::shape::{AppendAxis, Shape};
use crate::tensor::Tensor;

/// `torch.nn.Embedding(V, F, padding_idx)`: weight `(V, F)` initialised `N(0, 1)` with the padding
/// row zeroed; the padding row gets no gradient, as in PyTorch. `forward` panics at the caller's
/// line on an index outside `0..V`, naming it.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Embedding, Init, Module};
/// use typed_torch::{Tensor, D};
/// let emb = Embedding::<100, 16>::init().unwrap().padding_idx(0).unwrap();
/// let ids = Tensor::<(D<2>, D<5>), i64>::zeros();
/// let v: Tensor<(D<2>, D<5>, D<16>)> = emb.forward(ids);
/// ```
#[derive(Debug, Clone, super::Module)]
#[module(manual_init)]
pub struct Embedding<const V: usize, const F: usize, E: Float = f32, Dev: Device = Cpu> {
    /// `(V, F)`.
    pub weight: Tensor<(D<V>, D<F>), E, Dev>,
    /// A row that stays zero and receives no gradient (PyTorch's `padding_idx`).
    #[module(skip)]
    pub padding_idx: Option<usize>,
}

/// PyTorch's initialisation, `N(0, 1)`, without a padding row.
impl<const V: usize, const F: usize, E: Float, Dev: Device> Init for Embedding<V, F, E, Dev> {
    fn init() -> Result<Self> {
        Ok(Embedding {
            weight: super::init::normal()?,
            padding_idx: None,
        })
    }
}

impl<const V: usize, const F: usize, E: Float, Dev: Device> Embedding<V, F, E, Dev> {
    /// Sets `padding_idx` (PyTorch's argument of that name): that row is zeroed and gets no
    /// gradient. An error if it is not below `V`.
    pub fn padding_idx(mut self, padding_idx: usize) -> Result<Self> {
        if padding_idx >= V {
            return Err(Error::Invalid(format!(
                "Embedding<{V}, {F}>: padding_idx {padding_idx} is out of range: expected an index below {V}"
            )));
        }
        crate::no_grad(|| {
            let _ = self.weight.as_tch().get(padding_idx as i64).fill_(0.0);
        });
        self.padding_idx = Some(padding_idx);
        Ok(self)
    }
}

impl<S: Shape + AppendAxis<D<F>>, const V: usize, const F: usize, E: Float, Dev: Device>
    LayerInput<Embedding<V, F, E, Dev>> for Tensor<S, i64, Dev>
{
    type Output = Tensor<<S as AppendAxis<D<F>>>::Output, E, Dev>;
    fn run(layer: &Embedding<V, F, E, Dev>, ids: Self) -> Self::Output {
        let (table, padding) = (layer.weight.as_tch(), layer.padding_idx);
        Tensor::wrap(or_panic(embedding(table, ids.as_tch(), padding)))
    }
}

module_via_layer_input!([const V: usize, const F: usize, E: Float, Dev: Device] Embedding<V, F, E, Dev>);

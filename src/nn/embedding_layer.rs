//! `Embedding`: a `(V, F)` table looked up by `i64` indices of any shape.
use super::module::module_via_layer_input;
use super::{params::join, LayerInput, Params, ToDevice, ToKind};
use crate::device::{Cpu, Device};
use crate::dims::D;
use crate::element::Float;
use crate::explain::or_panic;
use crate::ops::embedding;
use crate::shape::{AppendAxis, Shape};
use crate::tensor::Tensor;

/// `torch.nn.Embedding(V, F, padding_idx)`: weight `(V, F)` initialised `N(0, 1)` with the padding
/// row zeroed; the padding row gets no gradient, as in PyTorch. `forward` panics at the caller's
/// line on an index outside `0..V`, naming it.
///
/// ```
/// use typed_torch::nn::{Embedding, Module};
/// use typed_torch::{Tensor, D};
/// let emb = Embedding::<100, 16>::new();
/// let ids = Tensor::<(D<2>, D<5>), i64>::zeros();
/// let v: Tensor<(D<2>, D<5>, D<16>)> = emb.forward(ids);
/// ```
#[derive(Debug, Clone)]
pub struct Embedding<const V: usize, const F: usize, E: Float = f32, Dev: Device = Cpu> {
    /// `(V, F)`.
    pub weight: Tensor<(D<V>, D<F>), E, Dev>,
    /// A row that stays zero and receives no gradient (PyTorch's `padding_idx`).
    pub padding_idx: Option<usize>,
}

impl<const V: usize, const F: usize, E: Float> Embedding<V, F, E, Cpu> {
    /// PyTorch's initialisation, `N(0, 1)`.
    pub fn new() -> Self {
        Embedding {
            weight: super::init::trainable(Tensor::randn),
            padding_idx: None,
        }
    }

    /// With a padding row (zeroed, no gradient); `None` if `padding_idx >= V`.
    pub fn with_padding(padding_idx: usize) -> Option<Self> {
        if padding_idx >= V {
            return None;
        }
        let weight = Tensor::<(D<V>, D<F>), E>::randn();
        crate::no_grad(|| {
            let _ = weight.as_tch().get(padding_idx as i64).fill_(0.0);
        });
        Some(Embedding {
            weight: weight.requires_grad(),
            padding_idx: Some(padding_idx),
        })
    }
}

impl<const V: usize, const F: usize, E: Float> Default for Embedding<V, F, E, Cpu> {
    fn default() -> Self {
        Self::new()
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

impl<const V: usize, const F: usize, E: Float, Dev: Device> Params for Embedding<V, F, E, Dev> {
    fn visit(&self, prefix: &str, f: &mut dyn FnMut(&str, &tch::Tensor)) {
        f(&join(prefix, "weight"), self.weight.as_tch());
    }
    fn visit_mut(&mut self, prefix: &str, f: &mut dyn FnMut(&str, &mut tch::Tensor)) {
        f(&join(prefix, "weight"), self.weight.as_tch_mut());
    }
}

impl<const V: usize, const F: usize, E: Float, Dev: Device> super::StaticParamCount
    for Embedding<V, F, E, Dev>
{
    const PARAM_COUNT: usize = V * F;
}

impl<const V: usize, const F: usize, E: Float, Dev: Device> ToDevice for Embedding<V, F, E, Dev> {
    type On<D2: Device> = Embedding<V, F, E, D2>;
    fn to_device<D2: Device>(&self) -> crate::Result<Self::On<D2>> {
        Ok(Embedding {
            weight: ToDevice::to_device(&self.weight)?,
            padding_idx: self.padding_idx,
        })
    }
}

impl<const V: usize, const F: usize, E: Float, Dev: Device> ToKind for Embedding<V, F, E, Dev> {
    type As<E2: Float> = Embedding<V, F, E2, Dev>;
    fn to_kind<E2: Float>(&self) -> Self::As<E2> {
        Embedding {
            weight: ToKind::to_kind(&self.weight),
            padding_idx: self.padding_idx,
        }
    }
}

//! `GinConv`: the graph isomorphism network layer, `nn((1 + eps) x + sum of the neighbours' x)`.
use super::message::{check_nodes, propagate};
use crate::device::{Cpu, Device};
use crate::dims::{Dim, D};
use crate::element::Float;
use crate::error::Result;
use crate::graph::{Aggregate, Edges};
use crate::nn::module::module_via_layer_input;
use crate::nn::{
    Init, LayerInput, Module, Params, Path, StaticParamCount, ToDevice, ToKind, Visitor, VisitorMut,
};
use crate::options::{GinOptions, Presence};
use crate::tensor::Tensor;
use core::marker::PhantomData;

/// A GIN layer's `eps`, `(1,)`: a parameter when `Train` is [`Present`](crate::options::Present)
/// ([`TrainEps`](crate::options::TrainEps)), else a buffer, saved under the same name either way
/// as in PyTorch Geometric.
#[derive(Debug, Clone)]
pub struct GinEps<Train: Presence, E: Float = f32, Dev: Device = Cpu> {
    value: Tensor<(D<1>,), E, Dev>,
    marker: PhantomData<Train>,
}

impl<Train: Presence, E: Float, Dev: Device> GinEps<Train, E, Dev> {
    /// `eps` with value `eps`.
    pub fn new(eps: f64) -> Result<Self> {
        Dev::check()?;
        let value = tch::Tensor::f_full([1], eps, (E::DTYPE, Dev::tch()))?;
        Ok(GinEps {
            value: Tensor::wrap(value.set_requires_grad(Train::PRESENT)),
            marker: PhantomData,
        })
    }

    /// The tensor.
    pub fn value(&self) -> &Tensor<(D<1>,), E, Dev> {
        &self.value
    }
}

/// PyTorch Geometric's default, `eps = 0`.
impl<Train: Presence, E: Float, Dev: Device> Init for GinEps<Train, E, Dev> {
    fn init() -> Result<Self> {
        Self::new(0.0)
    }
}

impl<Train: Presence, E: Float, Dev: Device> Params for GinEps<Train, E, Dev> {
    fn visit<V: Visitor>(&self, path: &mut Path, v: &mut V) {
        if Train::PRESENT {
            v.param(path.as_str(), &self.value);
        } else {
            v.buffer(path.as_str(), &self.value);
        }
    }
    fn visit_mut<V: VisitorMut>(&mut self, path: &mut Path, v: &mut V) {
        if Train::PRESENT {
            v.param(path.as_str(), &mut self.value);
        } else {
            v.buffer(path.as_str(), &mut self.value);
        }
    }
}

impl<Train: Presence, E: Float, Dev: Device> StaticParamCount for GinEps<Train, E, Dev> {
    const PARAM_COUNT: usize = if Train::PRESENT { 1 } else { 0 };
}

impl<Train: Presence, E: Float, Dev: Device> ToDevice for GinEps<Train, E, Dev> {
    type On<D2: Device> = GinEps<Train, E, D2>;
    fn to_device<D2: Device>(&self) -> Result<Self::On<D2>> {
        Ok(GinEps {
            value: ToDevice::to_device::<D2>(&self.value)?,
            marker: PhantomData,
        })
    }
}

impl<Train: Presence, E: Float, Dev: Device> ToKind for GinEps<Train, E, Dev> {
    type As<E2: Float> = GinEps<Train, E2, Dev>;
    fn to_kind<E2: Float>(&self) -> Self::As<E2> {
        GinEps {
            value: ToKind::to_kind::<E2>(&self.value),
            marker: PhantomData,
        }
    }
}

/// The graph isomorphism network layer, `torch_geometric.nn.GINConv(nn)`: each node's features
/// become `nn((1 + eps) x_i + sum_j x_j)` over its incoming edges, where `nn` is any module on
/// node features (usually an MLP, an HList stack). Its output is `nn`'s. The edges' weights are
/// not used (as in PyTorch Geometric).
///
/// Options: [`TrainEps`](crate::options::TrainEps) (`eps` learned); set its start value with
/// [`GinConv::eps`].
///
/// Parameters: `nn.*` (the inner module's, `nn.0.weight`...) and `eps`.
///
/// ```
/// use typed_torch::graph::Edges;
/// use typed_torch::nn::{GinConv, Init, Linear, Module, Params, ReLU};
/// use typed_torch::options::TrainEps;
/// use typed_torch::{Dyn, HList, Tensor, D};
/// type Mlp = HList![Linear<3, 16>, ReLU, Linear<16, 16>];
/// let conv = GinConv::<Mlp, TrainEps>::init().unwrap();
/// assert_eq!(conv.param_names(), ["nn.0.weight", "nn.0.bias", "nn.2.weight", "nn.2.bias", "eps"]);
/// let edges = Edges::from_pairs(&[(0, 1), (1, 2)], 3).unwrap();
/// let h: Tensor<(Dyn, D<16>)> = conv.forward((Tensor::<(Dyn, D<3>)>::ones_dyn(&[3]).unwrap(), &edges));
/// ```
#[derive(Debug, Clone, crate::nn::Module)]
pub struct GinConv<NN, Opts: GinOptions = (), E: Float = f32, Dev: Device = Cpu> {
    /// The module applied after aggregation.
    pub nn: NN,
    /// How much more a node's own features count than a neighbour's.
    pub eps: GinEps<Opts::TrainEps, E, Dev>,
}

impl<NN, Opts: GinOptions, E: Float, Dev: Device> GinConv<NN, Opts, E, Dev> {
    /// Sets `eps` (PyTorch Geometric's argument of that name; 0 by default).
    pub fn eps(mut self, eps: f64) -> Result<Self> {
        self.eps = GinEps::new(eps)?;
        Ok(self)
    }
}

impl<N: Dim, const F: usize, NN, Opts: GinOptions, E: Float, Dev: Device>
    LayerInput<GinConv<NN, Opts, E, Dev>> for (Tensor<(N, D<F>), E, Dev>, &'_ Edges<E, Dev>)
where
    NN: Module<Tensor<(N, D<F>), E, Dev>>,
{
    type Output = NN::Output;
    #[track_caller]
    fn run(layer: &GinConv<NN, Opts, E, Dev>, (x, edges): Self) -> Self::Output {
        let nodes = x.size()[0];
        check_nodes("GinConv", nodes, edges);
        let mut view = edges.view();
        view.weight = None;
        let x = x.as_tch();
        let neighbours = propagate(x, &view, nodes, Aggregate::Sum);
        let own = x * (layer.eps.value().as_tch() + 1.0);
        layer.nn.forward(Tensor::wrap(neighbours + own))
    }
}

module_via_layer_input!([NN, Opts: GinOptions, E: Float, Dev: Device] GinConv<NN, Opts, E, Dev>);

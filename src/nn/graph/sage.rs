//! `SageConv`: GraphSAGE, a node's neighbours aggregated (mean or max) next to its own features.
use super::message::{check_nodes, propagate};
use crate::device::{Cpu, Device};
use crate::dims::{Dim, D};
use crate::element::Float;
use crate::error::Result;
use crate::graph::Edges;
use crate::nn::module::module_via_layer_input;
use crate::nn::{Init, LayerInput, Linear, Optional};
use crate::options::{NeighbourAggregation, NoBias, Presence, SageOptions};
use crate::tensor::Tensor;

/// GraphSAGE from `I` to `O` features, `torch_geometric.nn.SAGEConv(I, O)`:
/// `lin_l(aggregate of the neighbours' x) + lin_r(x)`. The edges' weights are not used (as in
/// PyTorch Geometric).
///
/// Options: [`MaxAggregation`](crate::options::MaxAggregation) (`aggr="max"`; the mean is the
/// default), [`NoRootWeight`](crate::options::NoRootWeight) (no `lin_r` term),
/// [`Normalize`](crate::options::Normalize) (each output row scaled to unit length), [`NoBias`]
/// (on `lin_l`). A node without neighbours aggregates zeros.
///
/// Parameters: `lin_l.weight` `(O, I)`, `lin_l.bias` `(O,)`, `lin_r.weight` `(O, I)`, initialised
/// as `torch.nn.Linear`'s.
///
/// ```
/// use typed_torch::graph::Edges;
/// use typed_torch::nn::{Init, Module, Params, SageConv};
/// use typed_torch::options::MaxAggregation;
/// use typed_torch::{Dyn, Tensor, D};
/// let conv = SageConv::<3, 8, MaxAggregation>::init().unwrap();
/// assert_eq!(conv.param_names(), ["lin_l.weight", "lin_l.bias", "lin_r.weight"]);
/// let edges = Edges::from_pairs(&[(0, 1), (1, 2)], 3).unwrap();
/// let h: Tensor<(Dyn, D<8>)> = conv.forward((Tensor::<(Dyn, D<3>)>::ones_dyn(&[3]).unwrap(), &edges));
/// ```
#[derive(Debug, Clone, crate::nn::Module)]
#[module(manual_init)]
pub struct SageConv<
    const I: usize,
    const O: usize,
    Opts: SageOptions = (),
    E: Float = f32,
    Dev: Device = Cpu,
> {
    /// The transform of the aggregated neighbours, with the bias.
    pub lin_l: Linear<I, O, <Opts::Bias as Presence>::BiasOption, E, Dev>,
    /// The transform of the node's own features, unless [`NoRootWeight`](crate::options::NoRootWeight).
    pub lin_r: Optional<Opts::RootWeight, Linear<I, O, NoBias, E, Dev>>,
}

/// `torch.nn.Linear`'s initialisation, drawn as torch_geometric draws it: every weight and bias
/// twice (when the `Linear`s are made and when the layer resets them), so a seeded layer equals
/// torch_geometric's.
impl<const I: usize, const O: usize, Opts: SageOptions, E: Float, Dev: Device> Init
    for SageConv<I, O, Opts, E, Dev>
{
    fn init() -> Result<Self> {
        let draw = || -> Result<Self> {
            Ok(SageConv {
                lin_l: Init::init()?,
                lin_r: Optional::make(Init::init)?,
            })
        };
        draw()?;
        draw()
    }
}

impl<N: Dim, const I: usize, const O: usize, Opts: SageOptions, E: Float, Dev: Device>
    LayerInput<SageConv<I, O, Opts, E, Dev>> for (Tensor<(N, D<I>), E, Dev>, &'_ Edges<E, Dev>)
{
    type Output = Tensor<(N, D<O>), E, Dev>;
    #[track_caller]
    fn run(layer: &SageConv<I, O, Opts, E, Dev>, (x, edges): Self) -> Self::Output {
        let nodes = x.size()[0];
        check_nodes("SageConv", nodes, edges);
        let mut view = edges.view();
        view.weight = None;
        let x = x.as_tch();
        let neighbours = propagate(x, &view, nodes, Opts::Aggregation::AGGREGATE);
        let lin_l = &layer.lin_l;
        let out = neighbours.linear(lin_l.weight.as_tch(), lin_l.bias.get().map(|b| b.as_tch()));
        let out = match layer.lin_r.get() {
            Some(lin_r) => out + x.linear::<&tch::Tensor>(lin_r.weight.as_tch(), None),
            None => out,
        };
        let out = if <Opts::Normalize as Presence>::PRESENT {
            // F.normalize: x / max(||x||, 1e-12).
            let norm = out
                .norm_scalaropt_dim(2.0, [-1i64].as_slice(), true)
                .clamp_min(1e-12);
            out / norm
        } else {
            out
        };
        Tensor::wrap(out)
    }
}

module_via_layer_input!([const I: usize, const O: usize, Opts: SageOptions, E: Float, Dev: Device] SageConv<I, O, Opts, E, Dev>);

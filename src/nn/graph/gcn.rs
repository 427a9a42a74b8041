//! `GcnConv`: Kipf and Welling's graph convolution, `D^-1/2 (A + I) D^-1/2 X W + b`.
use super::message::{check_nodes, propagate};
use crate::device::{Cpu, Device};
use crate::dims::{Dim, D};
use crate::element::Float;
use crate::error::Result;
use crate::graph::{Aggregate, Edges, Purpose};
use crate::nn::init::{xavier_uniform, zeros};
use crate::nn::module::module_via_layer_input;
use crate::nn::{Init, LayerInput, Linear, Optional};
use crate::options::{GcnOptions, NoBias, Presence};
use crate::tensor::Tensor;

/// A graph convolution from `I` to `O` features, `torch_geometric.nn.GCNConv(I, O)`: each node's
/// new features are its neighbours' (and its own) transformed by `lin`, weighted by
/// `1/sqrt(deg(i) deg(j))` (times the edge weights, if any) and summed, plus `bias`. Messages go
/// from source to target; the degree counts incoming edges and the self loop.
///
/// Options: [`NoBias`], [`Improved`](crate::options::Improved) (self loops weigh 2),
/// [`NoSelfLoops`](crate::options::NoSelfLoops), [`NoNormalize`](crate::options::NoNormalize)
/// (messages summed as they are). The normalised weights are kept with the [`Edges`], so a model
/// run many times on one graph computes them once (PyTorch Geometric's `cached=True`, without its
/// pitfall of reusing them for another graph).
///
/// Parameters, as PyTorch Geometric names them: `lin.weight` `(O, I)` (Glorot uniform) and `bias`
/// `(O,)` (zeros).
///
/// ```
/// use typed_torch::graph::Edges;
/// use typed_torch::nn::{GcnConv, Init, Module, Params};
/// use typed_torch::{Dyn, Tensor, D};
/// let conv = GcnConv::<3, 8>::init().unwrap();
/// assert_eq!(conv.param_names(), ["lin.weight", "bias"]);
/// let edges = Edges::from_pairs(&[(0, 1), (1, 2)], 3).unwrap().undirected();
/// let x = Tensor::<(Dyn, D<3>)>::ones_dyn(&[3]).unwrap();
/// let h: Tensor<(Dyn, D<8>)> = conv.forward((x, &edges));
/// assert_eq!(h.size(), [3, 8]);
/// ```
#[derive(Debug, Clone, crate::nn::Module)]
#[module(manual_init)]
pub struct GcnConv<
    const I: usize,
    const O: usize,
    Opts: GcnOptions = (),
    E: Float = f32,
    Dev: Device = Cpu,
> {
    /// The feature transform, without bias: `weight` is `(O, I)`.
    pub lin: Linear<I, O, NoBias, E, Dev>,
    /// `(O,)`, added after aggregation, unless [`NoBias`].
    pub bias: Optional<Opts::Bias, Tensor<(D<O>,), E, Dev>>,
}

/// PyTorch Geometric's initialisation: `lin.weight` Glorot uniform, `bias` zeros, drawn as it
/// draws them (the weight twice: when its `Linear` is made and when the layer resets it), so a
/// seeded layer equals torch_geometric's.
impl<const I: usize, const O: usize, Opts: GcnOptions, E: Float, Dev: Device> Init
    for GcnConv<I, O, Opts, E, Dev>
{
    fn init() -> Result<Self> {
        xavier_uniform::<(D<O>, D<I>), E, Dev>(I, O)?;
        Ok(GcnConv {
            lin: Linear {
                weight: xavier_uniform(I, O)?,
                bias: Optional::none(),
            },
            bias: Optional::make(zeros)?,
        })
    }
}

impl<N: Dim, const I: usize, const O: usize, Opts: GcnOptions, E: Float, Dev: Device>
    LayerInput<GcnConv<I, O, Opts, E, Dev>> for (Tensor<(N, D<I>), E, Dev>, &'_ Edges<E, Dev>)
{
    type Output = Tensor<(N, D<O>), E, Dev>;
    #[track_caller]
    fn run(layer: &GcnConv<I, O, Opts, E, Dev>, (x, edges): Self) -> Self::Output {
        let nodes = x.size()[0];
        check_nodes("GcnConv", nodes, edges);
        let h = x
            .as_tch()
            .linear::<&tch::Tensor>(layer.lin.weight.as_tch(), None);
        let view = if <Opts::Normalize as Presence>::PRESENT {
            edges.derived(Purpose::GcnNorm {
                self_loops: <Opts::SelfLoops as Presence>::PRESENT,
                improved: <Opts::Improved as Presence>::PRESENT,
            })
        } else {
            edges.view()
        };
        let out = propagate(&h, &view, nodes, Aggregate::Sum);
        Tensor::wrap(match layer.bias.get() {
            Some(b) => out + b.as_tch(),
            None => out,
        })
    }
}

module_via_layer_input!([const I: usize, const O: usize, Opts: GcnOptions, E: Float, Dev: Device] GcnConv<I, O, Opts, E, Dev>);

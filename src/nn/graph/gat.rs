//! `GatConv`: graph attention, each node attending over its incoming edges with several heads.
use super::message::check_nodes;
use crate::device::{Cpu, Device};
use crate::dims::{Dim, DimMul, Mul, D};
use crate::element::Float;
use crate::error::Result;
use crate::graph::{reduce_rows, softmax_rows, Aggregate, Edges, Purpose};
use crate::nn::init::{uniform, xavier_uniform, zeros};
use crate::nn::module::module_via_layer_input;
use crate::nn::{Init, LayerInput, Optional};
use crate::options::{Count, GatOptions, HeadCombination, Heads, Presence};
use crate::tensor::Tensor;

/// The width of all heads side by side, `heads x O`.
type Width<H, const O: usize> = Mul<<H as Count>::Dim, D<O>>;
/// What a [`GatConv`] returns per node: `heads x O` features, or `O` under
/// [`MeanHeads`](crate::options::MeanHeads).
pub type GatOut<H, const O: usize, Opts> =
    <<Opts as GatOptions>::Heads as HeadCombination>::Out<<H as Count>::Dim, O>;

/// A bias-free projection with only a `weight`, `(out, in)`: a graph attention layer's `lin`.
#[derive(Debug, Clone, crate::nn::Module)]
#[module(manual_init)]
pub struct Projection<W: Dim, const I: usize, E: Float = f32, Dev: Device = Cpu> {
    /// `(out, in)`.
    pub weight: Tensor<(W, D<I>), E, Dev>,
}

impl<W: Dim, const I: usize, E: Float, Dev: Device> Projection<W, I, E, Dev> {
    /// A Glorot-uniform weight, as PyTorch Geometric initialises attention's projections.
    fn draw() -> Result<Self> {
        // Every projection's width is a static dim (`heads x O`).
        let width = W::STATIC.unwrap_or(0);
        Ok(Projection {
            weight: xavier_uniform(I, width)?,
        })
    }
}

impl<W: Dim, const I: usize, E: Float, Dev: Device> Init for Projection<W, I, E, Dev> {
    fn init() -> Result<Self> {
        Self::draw()
    }
}

/// Graph attention from `I` to `O` features per head with `H` heads (`Heads<4>`; one by
/// default), `torch_geometric.nn.GATConv(I, O, heads=H)`: node `i`'s output is
/// `sum_j alpha_ij W x_j` over its incoming edges (and a self loop), per head, with
/// `alpha_ij = softmax_j(leaky_relu(a_src . W x_j + a_dst . W x_i))`. The heads' outputs are
/// concatenated, `heads x O` features, a size the compiler computes; under
/// [`MeanHeads`](crate::options::MeanHeads) they are averaged, `O` features.
///
/// Run-time settings, named after PyTorch Geometric's arguments: [`negative_slope`](Self::negative_slope)
/// (0.2) and [`dropout`](Self::dropout) on the attention weights (0, in training mode only).
/// Options: [`MeanHeads`](crate::options::MeanHeads), [`NoSelfLoops`](crate::options::NoSelfLoops)
/// (self loops are otherwise replaced by exactly one per node), [`NoBias`](crate::options::NoBias).
/// The edges' weights are not used (as in PyTorch Geometric).
///
/// Parameters: `lin.weight` `(heads x O, I)`, `att_src` and `att_dst` `(1, heads, O)` (all Glorot
/// uniform), `bias` (zeros).
///
/// ```
/// use typed_torch::graph::Edges;
/// use typed_torch::nn::{GatConv, Init, Module, Params};
/// use typed_torch::options::{Heads, MeanHeads};
/// use typed_torch::{Dyn, Tensor, D};
/// let edges = Edges::from_pairs(&[(0, 1), (1, 2)], 3).unwrap();
/// let x = Tensor::<(Dyn, D<3>)>::ones_dyn(&[3]).unwrap();
/// let concat = GatConv::<3, 8, Heads<4>>::init().unwrap();
/// assert_eq!(concat.param_names(), ["lin.weight", "att_src", "att_dst", "bias"]);
/// let h: Tensor<(Dyn, D<32>)> = concat.forward((x.clone(), &edges));
/// let mean = GatConv::<3, 8, Heads<4>, MeanHeads>::init().unwrap();
/// let h: Tensor<(Dyn, D<8>)> = mean.forward((x, &edges));
/// ```
#[derive(Debug, Clone, crate::nn::Module)]
#[module(manual_init)]
pub struct GatConv<
    const I: usize,
    const O: usize,
    H: Count = Heads<1>,
    Opts: GatOptions = (),
    E: Float = f32,
    Dev: Device = Cpu,
> where
    H::Dim: DimMul<D<O>>,
{
    /// The shared projection of every head: `weight` is `(heads x O, I)`.
    pub lin: Projection<Width<H, O>, I, E, Dev>,
    /// The attention vector applied to each edge's source, `(1, heads, O)`.
    pub att_src: Tensor<(D<1>, H::Dim, D<O>), E, Dev>,
    /// The attention vector applied to each edge's target, `(1, heads, O)`.
    pub att_dst: Tensor<(D<1>, H::Dim, D<O>), E, Dev>,
    /// Added to the output, unless [`NoBias`](crate::options::NoBias).
    pub bias: Optional<Opts::Bias, Tensor<(GatOut<H, O, Opts>,), E, Dev>>,
    /// The slope of the leaky ReLU on the attention scores.
    #[module(skip)]
    pub negative_slope: f64,
    /// The probability of dropping an attention weight in training.
    #[module(skip)]
    pub dropout: f64,
    /// Whether the layer is in training mode (attention dropout).
    #[module(train)]
    pub train: bool,
}

impl<const I: usize, const O: usize, H: Count, Opts: GatOptions, E: Float, Dev: Device>
    GatConv<I, O, H, Opts, E, Dev>
where
    H::Dim: DimMul<D<O>>,
{
    /// Sets `negative_slope` (PyTorch Geometric's argument of that name; 0.2 by default).
    pub fn negative_slope(mut self, slope: f64) -> Self {
        self.negative_slope = slope;
        self
    }

    /// Sets the attention dropout `dropout` (0 by default).
    pub fn dropout(mut self, p: f64) -> Self {
        self.dropout = p;
        self
    }
}

/// PyTorch Geometric's initialisation, in its order: `lin.weight`, `att_src`, `att_dst` Glorot
/// uniform (the attention vectors over their last two sizes), `bias` zeros; `lin.weight` drawn
/// twice as torch_geometric draws it (when its `Linear` is made and when the layer resets it), so a
/// seeded layer equals torch_geometric's.
impl<const I: usize, const O: usize, H: Count, Opts: GatOptions, E: Float, Dev: Device> Init
    for GatConv<I, O, H, Opts, E, Dev>
where
    H::Dim: DimMul<D<O>>,
{
    fn init() -> Result<Self> {
        let heads = H::N;
        Projection::<Width<H, O>, I, E, Dev>::draw()?;
        let lin = Projection::draw()?;
        let bound = (6.0 / (heads + O).max(1) as f64).sqrt();
        Ok(GatConv {
            lin,
            att_src: uniform(bound)?,
            att_dst: uniform(bound)?,
            bias: Optional::make(zeros)?,
            negative_slope: 0.2,
            dropout: 0.0,
            train: true,
        })
    }
}

impl<N: Dim, const I: usize, const O: usize, H: Count, Opts: GatOptions, E: Float, Dev: Device>
    LayerInput<GatConv<I, O, H, Opts, E, Dev>> for (Tensor<(N, D<I>), E, Dev>, &'_ Edges<E, Dev>)
where
    H::Dim: DimMul<D<O>>,
{
    type Output = Tensor<(N, GatOut<H, O, Opts>), E, Dev>;
    #[track_caller]
    fn run(layer: &GatConv<I, O, H, Opts, E, Dev>, (x, edges): Self) -> Self::Output {
        let nodes = x.size()[0];
        check_nodes("GatConv", nodes, edges);
        let (heads, o) = (H::N as i64, O as i64);
        let h = x
            .as_tch()
            .linear::<&tch::Tensor>(layer.lin.weight.as_tch(), None)
            .view([-1, heads, o]);
        let score_src = (&h * layer.att_src.as_tch()).sum_dim_intlist(-1, false, None);
        let score_dst = (&h * layer.att_dst.as_tch()).sum_dim_intlist(-1, false, None);
        let view = if <Opts::SelfLoops as Presence>::PRESENT {
            edges.derived(Purpose::OneLoopPerNode)
        } else {
            edges.view()
        };
        let (sources, targets) = (&view.sources, &view.targets);
        let scores = score_src.index_select(0, sources) + score_dst.index_select(0, targets);
        // PReLU with a fixed one-element weight is a leaky ReLU of any slope in one kernel (tch's
        // `leaky_relu` fixes the slope at 0.01), with the same gradient at 0.
        let slope = tch::Tensor::from_slice(&[layer.negative_slope])
            .to_kind(E::DTYPE)
            .to_device(Dev::tch());
        let scores = scores.prelu(&slope);
        let alpha = softmax_rows(&scores, targets, nodes)
            .expect("edges are checked against the nodes when they are made");
        let alpha = if layer.train && layer.dropout > 0.0 {
            alpha.dropout(layer.dropout, true)
        } else {
            alpha
        };
        let messages = h.index_select(0, sources) * alpha.unsqueeze(-1);
        let out = reduce_rows(&messages, targets, nodes, Aggregate::Sum)
            .expect("edges are checked against the nodes when they are made");
        let out = if <Opts::Heads as HeadCombination>::CONCAT {
            out.view([-1, heads * o])
        } else {
            out.mean_dim([1i64].as_slice(), false, None)
        };
        Tensor::wrap(match layer.bias.get() {
            Some(b) => out + b.as_tch(),
            None => out,
        })
    }
}

module_via_layer_input!([const I: usize, const O: usize, H: Count, Opts: GatOptions, E: Float, Dev: Device] GatConv<I, O, H, Opts, E, Dev> where H::Dim: DimMul<D<O>>);

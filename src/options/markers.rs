//! The option types (`Stride<2>`, `NoBias`, `Bidirectional`...) and the values they resolve to.
use crate::dims::{Dim, DimMul, Mul, StaticDim, D};
use crate::nn::{ReLU, Tanh};

/// `stride=N`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stride<const N: usize>;
/// `padding=N` (on every side).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Padding<const N: usize>;
/// `dilation=N`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dilation<const N: usize>;
/// `groups=N`: must divide the input and output channels (checked at compile time).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Groups<const N: usize>;
/// `output_padding=N` of a transposed convolution.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutputPadding<const N: usize>;
/// `bias=False`: the layer has no bias (and the parameter count says so).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoBias;
/// `affine=False` (`elementwise_affine=False` for `LayerNorm`): a norm without weight and bias.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoAffine;

/// `num_heads=N` of attention: `MultiheadAttention<512, Heads<8>>`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Heads<const N: usize>;

/// A count a layer requires, written with its name so that a reader can tell which number it is:
/// [`Heads<N>`] (`MultiheadAttention<512, Heads<8>>`), [`Groups<N>`] (`GroupNorm<Groups<4>, 32>`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a named count",
    label = "write the count with its name, e.g. `Heads<8>` or `Groups<4>`"
)]
pub trait Count: Send + Sync + core::fmt::Debug + 'static {
    /// The count.
    const N: usize;
    /// The count as a dim, `D<N>`, for the compile-time checks.
    type Dim: StaticDim;
}

impl<const N: usize> Count for Heads<N> {
    const N: usize = N;
    type Dim = D<N>;
}

impl<const N: usize> Count for Groups<N> {
    const N: usize = N;
    type Dim = D<N>;
}

/// The kernel size of a functional pooling op, `x.max_pool2d(Kernel::<2>, ())` (a layer names
/// its kernel positionally, `MaxPool2d<2>`, as PyTorch does).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Kernel<const N: usize>;

/// `num_layers=N` of a recurrent layer: `N` layers stacked, each fed by the one before.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NumLayers<const N: usize>;
/// `bidirectional=True` of a recurrent layer: a second pass runs backwards in time, and the
/// outputs of both are concatenated (`2 x hidden` features).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bidirectional;
/// `batch_first=True` of a recurrent layer: sequences are `(batch, time, features)`. Without it
/// they are `(time, batch, features)`, PyTorch's default ([`SequenceFirst`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchFirst;
/// `proj_size=P` of an LSTM: each step's hidden state is projected to `P` features (`P < H`),
/// which are the output and the recurrent input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProjSize<const P: usize>;
/// `nonlinearity=` of a plain RNN: `Nonlinearity<ReLU>` for `'relu'`; `Tanh` is the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Nonlinearity<A>(core::marker::PhantomData<A>);

/// The layout of a sequence tensor: [`BatchFirst`] `(batch, time, features)` or
/// [`SequenceFirst`] `(time, batch, features)`.
pub trait SeqLayout: Send + Sync + core::fmt::Debug + Default + Copy + 'static {
    /// `batch_first` as PyTorch takes it.
    const BATCH_FIRST: bool;
    /// The batch dim of a sequence tensor whose first two dims are `First` and `Second`.
    type Batch<First: Dim, Second: Dim>: Dim;
    /// The time dim of a sequence tensor whose first two dims are `First` and `Second`.
    type Time<First: Dim, Second: Dim>: Dim;
}

/// `(time, batch, features)`, PyTorch's default layout for recurrent layers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SequenceFirst;

impl SeqLayout for BatchFirst {
    const BATCH_FIRST: bool = true;
    type Batch<First: Dim, Second: Dim> = First;
    type Time<First: Dim, Second: Dim> = Second;
}
impl SeqLayout for SequenceFirst {
    const BATCH_FIRST: bool = false;
    type Batch<First: Dim, Second: Dim> = Second;
    type Time<First: Dim, Second: Dim> = First;
}

/// An LSTM's projection: [`NoProjection`] (the default) or `D<P>` from [`ProjSize<P>`].
pub trait Projection: Send + Sync + core::fmt::Debug + 'static {
    /// `proj_size`, 0 for none (PyTorch's convention).
    const SIZE: usize;
    /// The size of the hidden state that leaves each step (`P`, or `H` without a projection).
    type Out<const H: usize>: StaticDim;
}

/// No projection: the hidden state leaves each step as it is (`proj_size=0`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoProjection;

impl Projection for NoProjection {
    const SIZE: usize = 0;
    type Out<const H: usize> = D<H>;
}
impl<const P: usize> Projection for D<P> {
    const SIZE: usize = P;
    type Out<const H: usize> = D<P>;
}

/// The nonlinearity of a plain RNN: [`Tanh`] (the default) or [`ReLU`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a nonlinearity of a recurrent layer",
    label = "not a nonlinearity PyTorch's RNN takes",
    note = "an RNN takes `Nonlinearity<Tanh>` (the default) or `Nonlinearity<ReLU>`"
)]
pub trait RnnNonlinearity: Send + Sync + core::fmt::Debug + Default + Copy + 'static {
    /// PyTorch's name for it.
    const NAME: &'static str;
}
impl RnnNonlinearity for Tanh {
    const NAME: &'static str = "tanh";
}
impl RnnNonlinearity for ReLU {
    const NAME: &'static str = "relu";
}

/// `improved=True` of a GCN layer: self loops weigh 2 instead of 1 (`A + 2I`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Improved;
/// `add_self_loops=False` of a GCN or graph attention layer: a node hears only its neighbours
/// (and its own loops, if the graph has them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoSelfLoops;
/// `normalize=True` of a GraphSAGE layer: each output row scaled to unit L2 norm.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Normalize;
/// `normalize=False` of a GCN layer: messages are summed as they are (times the edge weights,
/// if any), without self loops or `deg^-1/2` scaling.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoNormalize;
/// `aggr="max"` of a GraphSAGE layer: the elementwise maximum of the neighbours' features.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MaxAggregation;
/// `aggr="mean"`, a GraphSAGE layer's default: the mean of the neighbours' features.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MeanAggregation;
/// `root_weight=False` of a GraphSAGE layer: no `lin_r` term for the node's own features.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoRootWeight;
/// `concat=False` of a graph attention layer: the heads' outputs are averaged (`O` features)
/// instead of concatenated (`heads x O`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MeanHeads;
/// `concat=True`, a graph attention layer's default: the heads' outputs side by side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConcatHeads;
/// `train_eps=True` of a GIN layer: `eps` is a parameter (else a fixed buffer).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrainEps;

/// How a GraphSAGE layer combines a node's neighbours: [`MeanAggregation`] (the default) or
/// [`MaxAggregation`].
pub trait NeighbourAggregation: Send + Sync + core::fmt::Debug + Default + Copy + 'static {
    /// The scatter reduction.
    const AGGREGATE: crate::graph::Aggregate;
}
impl NeighbourAggregation for MeanAggregation {
    const AGGREGATE: crate::graph::Aggregate = crate::graph::Aggregate::Mean;
}
impl NeighbourAggregation for MaxAggregation {
    const AGGREGATE: crate::graph::Aggregate = crate::graph::Aggregate::Max;
}

/// How a graph attention layer combines its heads: [`ConcatHeads`] (the default, `heads x O`
/// features) or [`MeanHeads`] (`O` features).
pub trait HeadCombination: Send + Sync + core::fmt::Debug + Default + Copy + 'static {
    /// `concat` as PyTorch Geometric takes it.
    const CONCAT: bool;
    /// The output features for `H` heads of `O` features each.
    type Out<H: DimMul<D<O>>, const O: usize>: Dim;
}
impl HeadCombination for ConcatHeads {
    const CONCAT: bool = true;
    type Out<H: DimMul<D<O>>, const O: usize> = Mul<H, D<O>>;
}
impl HeadCombination for MeanHeads {
    const CONCAT: bool = false;
    type Out<H: DimMul<D<O>>, const O: usize> = D<O>;
}

/// `norm_first=True` of a Transformer layer: each sub-block normalises its input (pre-norm,
/// `x + f(norm(x))`) instead of the sum (post-norm, `norm(x + f(x))`, PyTorch's default).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NormFirst;
/// `activation=` of a Transformer layer's feed-forward block: `Activation<GELU>` for `"gelu"`;
/// `ReLU` is the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Activation<A>(core::marker::PhantomData<A>);
/// `kdim=N` of attention: keys of `N` features (projected to the model's width).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KDim<const N: usize>;
/// `vdim=N` of attention: values of `N` features (projected to the model's width).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VDim<const N: usize>;
/// The feed-forward activation of a Transformer layer: [`ReLU`] (the default) or
/// [`GELU`](crate::nn::GELU).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an activation of a Transformer layer",
    label = "not an activation PyTorch's Transformer layers take",
    note = "a Transformer layer takes `Activation<ReLU>` (the default) or `Activation<GELU>`"
)]
pub trait FeedForwardActivation: Send + Sync + core::fmt::Debug + Default + Copy + 'static {
    /// Applies it.
    fn apply(x: &tch::Tensor) -> tch::Tensor;
}
impl FeedForwardActivation for ReLU {
    fn apply(x: &tch::Tensor) -> tch::Tensor {
        x.relu()
    }
}
impl FeedForwardActivation for crate::nn::GELU {
    fn apply(x: &tch::Tensor) -> tch::Tensor {
        x.gelu("none")
    }
}

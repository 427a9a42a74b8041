//! Families of options: what each kind of layer or op takes, and its defaults resolved.
use super::markers::*;
use super::set::{Absent, OptionSet, OrDefault, Packing, Presence, Present};
use crate::dims::{StaticDim, D};

/// Declares a family of options (what one kind of layer or op takes): the trait each allowed
/// option implements, whose error names the family and what it takes, and the trait a whole set
/// implements when every member is allowed.
macro_rules! family {
    (
        $(#[$member_attr:meta])* $member:ident,
        $(#[$all_attr:meta])* $all:ident,
        [$($allowed:ty => [$($c:tt)*]),*]
    ) => {
        $(#[$member_attr])*
        pub trait $member {}
        $(impl<$($c)*> $member for $allowed {})*

        $(#[$all_attr])*
        pub trait $all {}
        impl $all for () {}
        // Every option is a set when it is a member: the error then names the option.
        // (`for<'a>` keeps rustc from rejecting the bound of a non-generic option outright.)
        family!(@each $all, $member; Stride<N> => [const N: usize], Padding<N> => [const N: usize],
            Dilation<N> => [const N: usize], Groups<N> => [const N: usize],
            OutputPadding<N> => [const N: usize], NoBias => [], NoAffine => [],
            NumLayers<N> => [const N: usize], Bidirectional => [], BatchFirst => [],
            ProjSize<N> => [const N: usize], Nonlinearity<A> => [A], Improved => [],
            NoSelfLoops => [], Normalize => [], NoNormalize => [], MaxAggregation => [],
            NoRootWeight => [], MeanHeads => [], TrainEps => [], NormFirst => [],
            Activation<A> => [A], KDim<N> => [const N: usize], VDim<N> => [const N: usize]);
        impl<A: $member> $all for (A,) {}
        impl<A: $member, B: $member> $all for (A, B) {}
        impl<A: $member, B: $member, C: $member> $all for (A, B, C) {}
        impl<A: $member, B: $member, C: $member, G: $member> $all for (A, B, C, G) {}
        impl<A: $member, B: $member, C: $member, G: $member, H: $member> $all for (A, B, C, G, H) {}
        impl<A: $member, B: $member, C: $member, G: $member, H: $member, I: $member> $all for (A, B, C, G, H, I) {}
    };
    (@each $all:ident, $member:ident; $($ty:ty => [$($c:tt)*]),*) => {
        $(impl<$($c)*> $all for $ty where for<'a> $ty: $member {})*
    };
}

/// Declares the resolved values of a family with PyTorch's defaults, for every allowed set.
macro_rules! resolved {
    ($(#[$doc:meta])* $resolved:ident: $all:ident { $($key:ident ($given:ident): $bound:ident = $default:ty),* }) => {
        $(#[$doc])*
        pub trait $resolved: OptionSet + $all {
            $(
                #[doc = concat!("The `", stringify!($key), "` setting, or PyTorch's default `", stringify!($default), "`.")]
                type $key: $bound;
            )*
        }

        impl<O: OptionSet + $all> $resolved for O
        where
            $(
                <O as OptionSet>::$given: OrDefault<$default>,
                <<O as OptionSet>::$given as OrDefault<$default>>::Value: $bound,
            )*
        {
            $(type $key = <<O as OptionSet>::$given as OrDefault<$default>>::Value;)*
        }
    };
}

family!(
    /// An option of a functional convolution: `Stride`, `Padding`, `Dilation`, `Groups`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not an option of a functional convolution",
        label = "not an option of a functional convolution",
        note = "a functional convolution takes `Stride`, `Padding`, `Dilation`, `Groups`"
    )]
    ConvOption,
    /// A set of options of a functional convolution: one option, a tuple of them, or `()`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a set of options of a functional convolution",
        note = "a functional convolution takes `Stride`, `Padding`, `Dilation`, `Groups`, as one option or a tuple of them"
    )]
    ConvOptionSet,
    [Stride<N> => [const N: usize], Padding<N> => [const N: usize], Dilation<N> => [const N: usize], Groups<N> => [const N: usize]]
);
resolved!(
    /// The options of a functional convolution (`x.conv1d`, `x.conv2d`), resolved.
    ConvOptions: ConvOptionSet { Stride (GivenStride): StaticDim = D<1>, Padding (GivenPadding): StaticDim = D<0>, Dilation (GivenDilation): StaticDim = D<1>, Groups (GivenGroups): StaticDim = D<1> }
);

family!(
    /// An option of a convolution layer: `Stride`, `Padding`, `Dilation`, `Groups`, `NoBias`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not an option of a convolution layer",
        label = "not an option of a convolution layer",
        note = "a convolution layer takes `Stride`, `Padding`, `Dilation`, `Groups`, `NoBias`"
    )]
    ConvLayerOption,
    /// A set of options of a convolution layer: one option, a tuple of them, or `()`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a set of options of a convolution layer",
        note = "a convolution layer takes `Stride`, `Padding`, `Dilation`, `Groups`, `NoBias`, as one option or a tuple of them"
    )]
    ConvLayerOptionSet,
    [Stride<N> => [const N: usize], Padding<N> => [const N: usize], Dilation<N> => [const N: usize], Groups<N> => [const N: usize], NoBias => []]
);
resolved!(
    /// The options of a convolution layer (`Conv1d`, `Conv2d`), resolved.
    ConvLayerOptions: ConvLayerOptionSet { Stride (GivenStride): StaticDim = D<1>, Padding (GivenPadding): StaticDim = D<0>, Dilation (GivenDilation): StaticDim = D<1>, Groups (GivenGroups): StaticDim = D<1>, Bias (GivenBias): Presence = Present }
);

family!(
    /// An option of a functional transposed convolution: `Stride`, `Padding`, `OutputPadding`, `Dilation`, `Groups`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not an option of a functional transposed convolution",
        label = "not an option of a functional transposed convolution",
        note = "a functional transposed convolution takes `Stride`, `Padding`, `OutputPadding`, `Dilation`, `Groups`"
    )]
    ConvTransposeOption,
    /// A set of options of a functional transposed convolution: one option, a tuple of them, or `()`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a set of options of a functional transposed convolution",
        note = "a functional transposed convolution takes `Stride`, `Padding`, `OutputPadding`, `Dilation`, `Groups`, as one option or a tuple of them"
    )]
    ConvTransposeOptionSet,
    [Stride<N> => [const N: usize], Padding<N> => [const N: usize], OutputPadding<N> => [const N: usize], Dilation<N> => [const N: usize], Groups<N> => [const N: usize]]
);
resolved!(
    /// The options of a functional transposed convolution (`x.conv_transpose2d`), resolved.
    ConvTransposeOptions: ConvTransposeOptionSet { Stride (GivenStride): StaticDim = D<1>, Padding (GivenPadding): StaticDim = D<0>, OutputPadding (GivenOutputPadding): StaticDim = D<0>, Dilation (GivenDilation): StaticDim = D<1>, Groups (GivenGroups): StaticDim = D<1> }
);

family!(
    /// An option of a transposed convolution layer: `Stride`, `Padding`, `OutputPadding`, `Dilation`, `Groups`, `NoBias`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not an option of a transposed convolution layer",
        label = "not an option of a transposed convolution layer",
        note = "a transposed convolution layer takes `Stride`, `Padding`, `OutputPadding`, `Dilation`, `Groups`, `NoBias`"
    )]
    ConvTransposeLayerOption,
    /// A set of options of a transposed convolution layer: one option, a tuple of them, or `()`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a set of options of a transposed convolution layer",
        note = "a transposed convolution layer takes `Stride`, `Padding`, `OutputPadding`, `Dilation`, `Groups`, `NoBias`, as one option or a tuple of them"
    )]
    ConvTransposeLayerOptionSet,
    [Stride<N> => [const N: usize], Padding<N> => [const N: usize], OutputPadding<N> => [const N: usize], Dilation<N> => [const N: usize], Groups<N> => [const N: usize], NoBias => []]
);
resolved!(
    /// The options of a transposed convolution layer (`ConvTranspose2d`), resolved.
    ConvTransposeLayerOptions: ConvTransposeLayerOptionSet { Stride (GivenStride): StaticDim = D<1>, Padding (GivenPadding): StaticDim = D<0>, OutputPadding (GivenOutputPadding): StaticDim = D<0>, Dilation (GivenDilation): StaticDim = D<1>, Groups (GivenGroups): StaticDim = D<1>, Bias (GivenBias): Presence = Present }
);

family!(
    /// An option of a linear layer: `NoBias`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not an option of a linear layer",
        label = "not an option of a linear layer",
        note = "a linear layer takes `NoBias`"
    )]
    LinearOption,
    /// A set of options of a linear layer: one option, a tuple of them, or `()`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a set of options of a linear layer",
        note = "a linear layer takes `NoBias`, as one option or a tuple of them"
    )]
    LinearOptionSet,
    [NoBias => []]
);
resolved!(
    /// The options of a linear layer (`Linear`, `MultiheadAttention`), resolved.
    LinearOptions: LinearOptionSet { Bias (GivenBias): Presence = Present }
);

family!(
    /// An option of a normalisation layer: `NoAffine`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not an option of a normalisation layer",
        label = "not an option of a normalisation layer",
        note = "a normalisation layer takes `NoAffine`"
    )]
    NormOption,
    /// A set of options of a normalisation layer: one option, a tuple of them, or `()`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a set of options of a normalisation layer",
        note = "a normalisation layer takes `NoAffine`, as one option or a tuple of them"
    )]
    NormOptionSet,
    [NoAffine => []]
);
resolved!(
    /// The options of a normalisation layer (`BatchNorm1d`, `BatchNorm2d`, `LayerNorm`,
    /// `GroupNorm`), resolved.
    NormOptions: NormOptionSet { Affine (GivenAffine): Presence = Present }
);

family!(
    /// An option of max pooling: `Stride`, `Padding`, `Dilation`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not an option of max pooling",
        label = "not an option of max pooling",
        note = "max pooling takes `Stride`, `Padding`, `Dilation`"
    )]
    MaxPoolOption,
    /// A set of options of max pooling: one option, a tuple of them, or `()`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a set of options of max pooling",
        note = "max pooling takes `Stride`, `Padding`, `Dilation`, as one option or a tuple of them"
    )]
    MaxPoolOptionSet,
    [Stride<N> => [const N: usize], Padding<N> => [const N: usize], Dilation<N> => [const N: usize]]
);
family!(
    /// An option of average pooling: `Stride`, `Padding`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not an option of average pooling",
        label = "not an option of average pooling",
        note = "average pooling takes `Stride`, `Padding`"
    )]
    AvgPoolOption,
    /// A set of options of average pooling: one option, a tuple of them, or `()`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a set of options of average pooling",
        note = "average pooling takes `Stride`, `Padding`, as one option or a tuple of them"
    )]
    AvgPoolOptionSet,
    [Stride<N> => [const N: usize], Padding<N> => [const N: usize]]
);

/// The options of max pooling (`MaxPool2d`, `x.max_pool2d`) with kernel `K`, resolved: the stride
/// defaults to the kernel, as in PyTorch.
pub trait MaxPoolOptions<K: StaticDim>: OptionSet + MaxPoolOptionSet {
    /// `stride` as `D<N>` (default: the kernel).
    type Stride: StaticDim;
    /// `padding` as `D<N>` (default 0).
    type Padding: StaticDim;
    /// `dilation` as `D<N>` (default 1).
    type Dilation: StaticDim;
}

impl<K: StaticDim, O: OptionSet + MaxPoolOptionSet> MaxPoolOptions<K> for O
where
    O::GivenStride: OrDefault<K, Value: StaticDim>,
    O::GivenPadding: OrDefault<D<0>, Value: StaticDim>,
    O::GivenDilation: OrDefault<D<1>, Value: StaticDim>,
{
    type Stride = <O::GivenStride as OrDefault<K>>::Value;
    type Padding = <O::GivenPadding as OrDefault<D<0>>>::Value;
    type Dilation = <O::GivenDilation as OrDefault<D<1>>>::Value;
}

/// The options of average pooling (`AvgPool2d`, `x.avg_pool2d`) with kernel `K`, resolved: the
/// stride defaults to the kernel.
pub trait AvgPoolOptions<K: StaticDim>: OptionSet + AvgPoolOptionSet {
    /// `stride` as `D<N>` (default: the kernel).
    type Stride: StaticDim;
    /// `padding` as `D<N>` (default 0).
    type Padding: StaticDim;
}

impl<K: StaticDim, O: OptionSet + AvgPoolOptionSet> AvgPoolOptions<K> for O
where
    O::GivenStride: OrDefault<K, Value: StaticDim>,
    O::GivenPadding: OrDefault<D<0>, Value: StaticDim>,
{
    type Stride = <O::GivenStride as OrDefault<K>>::Value;
    type Padding = <O::GivenPadding as OrDefault<D<0>>>::Value;
}

family!(
    /// An option of a plain RNN: `NumLayers`, `Bidirectional`, `BatchFirst`, `NoBias`, `Nonlinearity`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not an option of an RNN",
        label = "not an option of an RNN",
        note = "an RNN takes `NumLayers`, `Bidirectional`, `BatchFirst`, `NoBias`, `Nonlinearity`"
    )]
    RnnOption,
    /// A set of options of a plain RNN: one option, a tuple of them, or `()`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a set of options of an RNN",
        note = "an RNN takes `NumLayers`, `Bidirectional`, `BatchFirst`, `NoBias`, `Nonlinearity`, as one option or a tuple of them"
    )]
    RnnOptionSet,
    [NumLayers<N> => [const N: usize], Bidirectional => [], BatchFirst => [], NoBias => [], Nonlinearity<A> => [A]]
);
resolved!(
    /// The options of a plain RNN (`Rnn`), resolved.
    RnnOptions: RnnOptionSet { Layers (GivenNumLayers): StaticDim = D<1>, Directions (GivenDirections): StaticDim = D<1>, Layout (GivenLayout): SeqLayout = SequenceFirst, Bias (GivenBias): Presence = Present, Nonlinearity (GivenNonlinearity): RnnNonlinearity = crate::nn::Tanh }
);

family!(
    /// An option of an LSTM: `NumLayers`, `Bidirectional`, `BatchFirst`, `NoBias`, `ProjSize`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not an option of an LSTM",
        label = "not an option of an LSTM",
        note = "an LSTM takes `NumLayers`, `Bidirectional`, `BatchFirst`, `NoBias`, `ProjSize`"
    )]
    LstmOption,
    /// A set of options of an LSTM: one option, a tuple of them, or `()`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a set of options of an LSTM",
        note = "an LSTM takes `NumLayers`, `Bidirectional`, `BatchFirst`, `NoBias`, `ProjSize`, as one option or a tuple of them"
    )]
    LstmOptionSet,
    [NumLayers<N> => [const N: usize], Bidirectional => [], BatchFirst => [], NoBias => [], ProjSize<N> => [const N: usize]]
);
resolved!(
    /// The options of an LSTM (`Lstm`), resolved.
    LstmOptions: LstmOptionSet { Layers (GivenNumLayers): StaticDim = D<1>, Directions (GivenDirections): StaticDim = D<1>, Layout (GivenLayout): SeqLayout = SequenceFirst, Bias (GivenBias): Presence = Present, Proj (GivenProjSize): Projection = NoProjection }
);

family!(
    /// An option of a GRU: `NumLayers`, `Bidirectional`, `BatchFirst`, `NoBias`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not an option of a GRU",
        label = "not an option of a GRU",
        note = "a GRU takes `NumLayers`, `Bidirectional`, `BatchFirst`, `NoBias`"
    )]
    GruOption,
    /// A set of options of a GRU: one option, a tuple of them, or `()`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a set of options of a GRU",
        note = "a GRU takes `NumLayers`, `Bidirectional`, `BatchFirst`, `NoBias`, as one option or a tuple of them"
    )]
    GruOptionSet,
    [NumLayers<N> => [const N: usize], Bidirectional => [], BatchFirst => [], NoBias => []]
);
resolved!(
    /// The options of a GRU (`Gru`), resolved.
    GruOptions: GruOptionSet { Layers (GivenNumLayers): StaticDim = D<1>, Directions (GivenDirections): StaticDim = D<1>, Layout (GivenLayout): SeqLayout = SequenceFirst, Bias (GivenBias): Presence = Present }
);

family!(
    /// An option of a plain RNN cell: `NoBias`, `Nonlinearity`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not an option of an RNN cell",
        label = "not an option of an RNN cell",
        note = "an RNN cell takes `NoBias`, `Nonlinearity`"
    )]
    RnnCellOption,
    /// A set of options of a plain RNN cell: one option, a tuple of them, or `()`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a set of options of an RNN cell",
        note = "an RNN cell takes `NoBias`, `Nonlinearity`, as one option or a tuple of them"
    )]
    RnnCellOptionSet,
    [NoBias => [], Nonlinearity<A> => [A]]
);
resolved!(
    /// The options of a plain RNN cell (`RnnCell`), resolved.
    RnnCellOptions: RnnCellOptionSet { Bias (GivenBias): Presence = Present, Nonlinearity (GivenNonlinearity): RnnNonlinearity = crate::nn::Tanh }
);

family!(
    /// An option of an LSTM or GRU cell: `NoBias`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not an option of a recurrent cell",
        label = "not an option of a recurrent cell",
        note = "an LSTM or GRU cell takes `NoBias`"
    )]
    CellOption,
    /// A set of options of an LSTM or GRU cell: one option, a tuple of them, or `()`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a set of options of a recurrent cell",
        note = "an LSTM or GRU cell takes `NoBias`, as one option or a tuple of them"
    )]
    CellOptionSet,
    [NoBias => []]
);
resolved!(
    /// The options of an LSTM or GRU cell (`LstmCell`, `GruCell`), resolved.
    CellOptions: CellOptionSet { Bias (GivenBias): Presence = Present }
);

family!(
    /// An option of a GCN layer: `NoBias`, `Improved`, `NoSelfLoops`, `NoNormalize`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not an option of a GCN layer",
        label = "not an option of a GCN layer",
        note = "a GCN layer takes `NoBias`, `Improved`, `NoSelfLoops`, `NoNormalize`"
    )]
    GcnOption,
    /// A set of options of a GCN layer: one option, a tuple of them, or `()`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a set of options of a GCN layer",
        note = "a GCN layer takes `NoBias`, `Improved`, `NoSelfLoops`, `NoNormalize`, as one option or a tuple of them"
    )]
    GcnOptionSet,
    [NoBias => [], Improved => [], NoSelfLoops => [], NoNormalize => []]
);
resolved!(
    /// The options of a GCN layer (`GcnConv`), resolved.
    GcnOptions: GcnOptionSet { Bias (GivenBias): Presence = Present, Improved (GivenImproved): Presence = Absent, SelfLoops (GivenSelfLoops): Presence = Present, Normalize (GivenNormalize): Presence = Present }
);

family!(
    /// An option of a GraphSAGE layer: `NoBias`, `MaxAggregation`, `NoRootWeight`, `Normalize`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not an option of a GraphSAGE layer",
        label = "not an option of a GraphSAGE layer",
        note = "a GraphSAGE layer takes `NoBias`, `MaxAggregation`, `NoRootWeight`, `Normalize`"
    )]
    SageOption,
    /// A set of options of a GraphSAGE layer: one option, a tuple of them, or `()`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a set of options of a GraphSAGE layer",
        note = "a GraphSAGE layer takes `NoBias`, `MaxAggregation`, `NoRootWeight`, `Normalize`, as one option or a tuple of them"
    )]
    SageOptionSet,
    [NoBias => [], MaxAggregation => [], NoRootWeight => [], Normalize => []]
);
resolved!(
    /// The options of a GraphSAGE layer (`SageConv`), resolved.
    SageOptions: SageOptionSet { Bias (GivenBias): Presence = Present, Aggregation (GivenAggregation): NeighbourAggregation = MeanAggregation, RootWeight (GivenRootWeight): Presence = Present, Normalize (GivenNormalize): Presence = Absent }
);

family!(
    /// An option of a graph attention layer: `NoBias`, `MeanHeads`, `NoSelfLoops`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not an option of a graph attention layer",
        label = "not an option of a graph attention layer",
        note = "a graph attention layer takes `NoBias`, `MeanHeads`, `NoSelfLoops`"
    )]
    GatOption,
    /// A set of options of a graph attention layer: one option, a tuple of them, or `()`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a set of options of a graph attention layer",
        note = "a graph attention layer takes `NoBias`, `MeanHeads`, `NoSelfLoops`, as one option or a tuple of them"
    )]
    GatOptionSet,
    [NoBias => [], MeanHeads => [], NoSelfLoops => []]
);
resolved!(
    /// The options of a graph attention layer (`GatConv`), resolved.
    GatOptions: GatOptionSet { Bias (GivenBias): Presence = Present, Heads (GivenHeadCombination): HeadCombination = ConcatHeads, SelfLoops (GivenSelfLoops): Presence = Present }
);

family!(
    /// An option of a GIN layer: `TrainEps`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not an option of a GIN layer",
        label = "not an option of a GIN layer",
        note = "a GIN layer takes `TrainEps`"
    )]
    GinOption,
    /// A set of options of a GIN layer: one option, a tuple of them, or `()`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a set of options of a GIN layer",
        note = "a GIN layer takes `TrainEps`, as one option or a tuple of them"
    )]
    GinOptionSet,
    [TrainEps => []]
);
resolved!(
    /// The options of a GIN layer (`GinConv`), resolved.
    GinOptions: GinOptionSet { TrainEps (GivenTrainEps): Presence = Absent }
);

family!(
    /// An option of attention (`MultiheadAttention`): `NoBias`, `KDim`, `VDim`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not an option of attention",
        label = "not an option of attention",
        note = "attention takes `NoBias`, `KDim`, `VDim`"
    )]
    AttentionOption,
    /// A set of options of attention: one option, a tuple of them, or `()`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a set of options of attention",
        note = "attention takes `NoBias`, `KDim`, `VDim`, as one option or a tuple of them"
    )]
    AttentionOptionSet,
    [NoBias => [], KDim<N> => [const N: usize], VDim<N> => [const N: usize]]
);

/// The options of attention whose model width is `Emb`, resolved: the bias, the key and value
/// widths (`Emb` unless given) and whether the projections are packed.
pub trait AttentionOptions<Emb: StaticDim>: OptionSet + AttentionOptionSet {
    /// `bias=`.
    type Bias: Presence;
    /// `kdim=`, `Emb` by default.
    type KDim: StaticDim;
    /// `vdim=`, `Emb` by default.
    type VDim: StaticDim;
    /// One packed `in_proj_weight` ([`Present`]) or three separate ones.
    type Packed: Presence;
}

impl<Emb: StaticDim, O: OptionSet + AttentionOptionSet> AttentionOptions<Emb> for O
where
    O::GivenBias: OrDefault<Present, Value: Presence>,
    O::GivenKDim: OrDefault<Emb, Value: StaticDim>,
    O::GivenVDim: OrDefault<Emb, Value: StaticDim>,
    (O::GivenKDim, O::GivenVDim): Packing,
{
    type Bias = <O::GivenBias as OrDefault<Present>>::Value;
    type KDim = <O::GivenKDim as OrDefault<Emb>>::Value;
    type VDim = <O::GivenVDim as OrDefault<Emb>>::Value;
    type Packed = <(O::GivenKDim, O::GivenVDim) as Packing>::Packed;
}

family!(
    /// An option of a Transformer encoder or decoder layer: `NormFirst`, `Activation`, `BatchFirst`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not an option of a Transformer layer",
        label = "not an option of a Transformer layer",
        note = "a Transformer layer takes `NormFirst`, `Activation`, `BatchFirst`"
    )]
    TransformerLayerOption,
    /// A set of options of a Transformer layer: one option, a tuple of them, or `()`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a set of options of a Transformer layer",
        note = "a Transformer layer takes `NormFirst`, `Activation`, `BatchFirst`, as one option or a tuple of them"
    )]
    TransformerLayerOptionSet,
    [NormFirst => [], Activation<A> => [A], BatchFirst => []]
);
resolved!(
    /// The options of a Transformer encoder or decoder layer, resolved.
    TransformerLayerOptions: TransformerLayerOptionSet { NormFirst (GivenNormFirst): Presence = Absent, Activation (GivenActivation): FeedForwardActivation = crate::nn::ReLU, Layout (GivenLayout): SeqLayout = SequenceFirst }
);

family!(
    /// An option of a layer over sequences without other options (positional encodings):
    /// `BatchFirst`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not an option of a positional encoding",
        label = "not an option of a positional encoding",
        note = "a positional encoding takes `BatchFirst`"
    )]
    SequenceOption,
    /// A set of options of a positional encoding: one option, a tuple of them, or `()`.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a set of options of a positional encoding",
        note = "a positional encoding takes `BatchFirst`, as one option or a tuple of them"
    )]
    SequenceOptionSet,
    [BatchFirst => []]
);
resolved!(
    /// The options of a positional encoding, resolved.
    SequenceOptions: SequenceOptionSet { Layout (GivenLayout): SeqLayout = SequenceFirst }
);

//! Named hyper-parameters: `Stride<2>`, `Padding<3>`, `NoBias`... given in any order, each at most
//! once, with PyTorch's defaults for the rest.
//!
//! A layer takes them as one type argument after its sizes, a single option or a tuple of them,
//! `()` for all defaults: `nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)` is
//! `Conv2d<3, 64, 7, (Stride<2>, Padding<3>, NoBias)>`, `nn.Linear(784, 300, bias=False)` is
//! `Linear<784, 300, NoBias>`. A functional op takes the same options as a value:
//! `x.conv2d(&w, None, (Stride::<2>, Padding::<3>))`, `x.max_pool2d(Kernel::<3>, Stride::<2>)`.
//! Every size that follows from them is still computed by the compiler.
//!
//! ```
//! use typed_torch::prelude::*;
//! use typed_torch::nn::{Conv2d, Init, Module, StaticParamCount};
//! use typed_torch::options::{NoBias, Padding, Stride};
//! use typed_torch::{Tensor, D, Dyn};
//!
//! let conv = Conv2d::<3, 64, 7, (Stride<2>, Padding<3>, NoBias)>::init().unwrap();
//! let x = Tensor::<(Dyn, D<3>, D<224>, D<224>)>::zeros_dyn(&[1]).unwrap();
//! let y: Tensor<(Dyn, D<64>, D<112>, D<112>)> = conv.forward(x);
//! assert_eq!(<Conv2d<3, 64, 7, (NoBias, Padding<3>, Stride<2>)>>::PARAM_COUNT, 64 * 3 * 7 * 7);
//! ```
//!
//! Giving an option twice, or one the layer does not take, does not compile, and the error says
//! which (`option given twice: Stride<2> and Stride<1>`; "`OutputPadding<1>` is not an option of
//! a convolution").
//!
//! Options that are not sizes (a dropout probability, a norm's `eps`) are run-time values, set by
//! methods named after PyTorch's arguments: `BatchNorm2d::<16>::init()?.momentum(0.01)`.
use crate::dims::{StaticDim, D};

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

/// A key that no option of a set gives: the layer uses PyTorch's default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unset;

/// A set of options: a single option, a tuple of up to six, or `()`. Each associated type is the
/// option given for that key, or [`Unset`]; a key given twice does not compile.
pub trait OptionSet {
    /// The [`Stride`] option given, or [`Unset`].
    type GivenStride;
    /// The [`Padding`] option given, or [`Unset`].
    type GivenPadding;
    /// The [`Dilation`] option given, or [`Unset`].
    type GivenDilation;
    /// The [`Groups`] option given, or [`Unset`].
    type GivenGroups;
    /// The [`OutputPadding`] option given, or [`Unset`].
    type GivenOutputPadding;
    /// [`NoBias`] if given, or [`Unset`].
    type GivenBias;
    /// [`NoAffine`] if given, or [`Unset`].
    type GivenAffine;
}

/// Combines one key of two options; implemented unless both give it.
#[diagnostic::on_unimplemented(
    message = "option given twice: `{Self}` and `{Other}`",
    label = "each option may appear once in a layer's options"
)]
pub trait Merge<Other> {
    /// The key's setting in the combined set.
    type Out;
}

impl Merge<Unset> for Unset {
    type Out = Unset;
}

/// Whether an optional tensor (a bias, a norm's affine weight) exists, as a type: [`Present`] or
/// [`Absent`].
pub trait Presence: Send + Sync + core::fmt::Debug + Default + Copy + 'static {
    /// `true` for [`Present`].
    const PRESENT: bool;
}

/// The optional tensor exists (PyTorch's default `bias=True`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Present;
/// The optional tensor does not exist (`bias=False`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Absent;

impl Presence for Present {
    const PRESENT: bool = true;
}
impl Presence for Absent {
    const PRESENT: bool = false;
}

/// A key's value: the given option's (`Stride<2>` is `D<2>`, `NoBias` is [`Absent`]), or
/// `Default` when the key is [`Unset`].
pub trait OrDefault<Default> {
    /// The value.
    type Value;
}

impl<Df> OrDefault<Df> for Unset {
    type Value = Df;
}

/// Declares an option: its `OptionSet` impl (its own key set, every other unset) and its `Merge`
/// impls with `Unset`.
macro_rules! option {
    ($ty:ty, [$($c:tt)*], $key:ident, $($other:ident),*) => {
        impl<$($c)*> OptionSet for $ty {
            type $key = Self;
            $(type $other = Unset;)*
        }
        impl<$($c)*> Merge<Unset> for $ty {
            type Out = Self;
        }
        impl<$($c)*> Merge<$ty> for Unset {
            type Out = $ty;
        }
    };
}

option!(Stride<N>, [const N: usize], GivenStride, GivenPadding, GivenDilation, GivenGroups, GivenOutputPadding, GivenBias, GivenAffine);
option!(Padding<N>, [const N: usize], GivenPadding, GivenStride, GivenDilation, GivenGroups, GivenOutputPadding, GivenBias, GivenAffine);
option!(Dilation<N>, [const N: usize], GivenDilation, GivenStride, GivenPadding, GivenGroups, GivenOutputPadding, GivenBias, GivenAffine);
option!(Groups<N>, [const N: usize], GivenGroups, GivenStride, GivenPadding, GivenDilation, GivenOutputPadding, GivenBias, GivenAffine);
option!(OutputPadding<N>, [const N: usize], GivenOutputPadding, GivenStride, GivenPadding, GivenDilation, GivenGroups, GivenBias, GivenAffine);
option!(
    NoBias,
    [],
    GivenBias,
    GivenStride,
    GivenPadding,
    GivenDilation,
    GivenGroups,
    GivenOutputPadding,
    GivenAffine
);
option!(
    NoAffine,
    [],
    GivenAffine,
    GivenStride,
    GivenPadding,
    GivenDilation,
    GivenGroups,
    GivenOutputPadding,
    GivenBias
);

macro_rules! size_value {
    ($($ty:ident),*) => {$(
        impl<const N: usize, Df> OrDefault<Df> for $ty<N> {
            type Value = D<N>;
        }
    )*};
}
size_value!(Stride, Padding, Dilation, Groups, OutputPadding);

impl<Df> OrDefault<Df> for NoBias {
    type Value = Absent;
}
impl<Df> OrDefault<Df> for NoAffine {
    type Value = Absent;
}

impl OptionSet for () {
    type GivenStride = Unset;
    type GivenPadding = Unset;
    type GivenDilation = Unset;
    type GivenGroups = Unset;
    type GivenOutputPadding = Unset;
    type GivenBias = Unset;
    type GivenAffine = Unset;
}

/// Two option sets combined key by key; a key both give has no merge, so it does not compile.
#[derive(Debug, Clone, Copy, Default)]
pub struct Merged<A, B>(core::marker::PhantomData<(A, B)>);

impl<A: OptionSet, B: OptionSet> OptionSet for Merged<A, B>
where
    A::GivenStride: Merge<B::GivenStride>,
    A::GivenPadding: Merge<B::GivenPadding>,
    A::GivenDilation: Merge<B::GivenDilation>,
    A::GivenGroups: Merge<B::GivenGroups>,
    A::GivenOutputPadding: Merge<B::GivenOutputPadding>,
    A::GivenBias: Merge<B::GivenBias>,
    A::GivenAffine: Merge<B::GivenAffine>,
{
    type GivenStride = <A::GivenStride as Merge<B::GivenStride>>::Out;
    type GivenPadding = <A::GivenPadding as Merge<B::GivenPadding>>::Out;
    type GivenDilation = <A::GivenDilation as Merge<B::GivenDilation>>::Out;
    type GivenGroups = <A::GivenGroups as Merge<B::GivenGroups>>::Out;
    type GivenOutputPadding = <A::GivenOutputPadding as Merge<B::GivenOutputPadding>>::Out;
    type GivenBias = <A::GivenBias as Merge<B::GivenBias>>::Out;
    type GivenAffine = <A::GivenAffine as Merge<B::GivenAffine>>::Out;
}

/// `OptionSet` for a tuple: its members merged left to right.
macro_rules! tuple_set {
    ($($t:ident),+) => {
        impl<$($t),+> OptionSet for ($($t,)+)
        where
            tuple_set!(@nest $($t),+): OptionSet,
        {
            type GivenStride = <tuple_set!(@nest $($t),+) as OptionSet>::GivenStride;
            type GivenPadding = <tuple_set!(@nest $($t),+) as OptionSet>::GivenPadding;
            type GivenDilation = <tuple_set!(@nest $($t),+) as OptionSet>::GivenDilation;
            type GivenGroups = <tuple_set!(@nest $($t),+) as OptionSet>::GivenGroups;
            type GivenOutputPadding = <tuple_set!(@nest $($t),+) as OptionSet>::GivenOutputPadding;
            type GivenBias = <tuple_set!(@nest $($t),+) as OptionSet>::GivenBias;
            type GivenAffine = <tuple_set!(@nest $($t),+) as OptionSet>::GivenAffine;
        }
    };
    (@nest $a:ident) => { $a };
    (@nest $a:ident, $b:ident $(, $rest:ident)*) => { tuple_set!(@acc (Merged<$a, $b>) $(, $rest)*) };
    (@acc ($acc:ty)) => { $acc };
    (@acc ($acc:ty), $c:ident $(, $rest:ident)*) => { tuple_set!(@acc (Merged<$acc, $c>) $(, $rest)*) };
}

tuple_set!(A);
tuple_set!(A, B);
tuple_set!(A, B, C);
tuple_set!(A, B, C, G);
tuple_set!(A, B, C, G, H);
tuple_set!(A, B, C, G, H, I);

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
            OutputPadding<N> => [const N: usize], NoBias => [], NoAffine => []);
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

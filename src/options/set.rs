//! Option sets: a single option, a tuple of up to six, or `()`, combined key by key so that a key
//! given twice does not compile.
use super::markers::*;
use crate::dims::D;

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
    /// The [`NumLayers`] option given, or [`Unset`].
    type GivenNumLayers;
    /// [`Bidirectional`] if given, or [`Unset`].
    type GivenDirections;
    /// [`BatchFirst`] if given, or [`Unset`].
    type GivenLayout;
    /// The [`ProjSize`] option given, or [`Unset`].
    type GivenProjSize;
    /// The [`Nonlinearity`] option given, or [`Unset`].
    type GivenNonlinearity;
    /// [`Improved`] if given, or [`Unset`].
    type GivenImproved;
    /// [`NoSelfLoops`] if given, or [`Unset`].
    type GivenSelfLoops;
    /// [`Normalize`] or [`NoNormalize`] if given, or [`Unset`].
    type GivenNormalize;
    /// [`MaxAggregation`] if given, or [`Unset`].
    type GivenAggregation;
    /// [`NoRootWeight`] if given, or [`Unset`].
    type GivenRootWeight;
    /// [`MeanHeads`] if given, or [`Unset`].
    type GivenHeadCombination;
    /// [`TrainEps`] if given, or [`Unset`].
    type GivenTrainEps;
    /// [`NormFirst`] if given, or [`Unset`].
    type GivenNormFirst;
    /// The [`Activation`] option given, or [`Unset`].
    type GivenActivation;
    /// The [`KDim`] option given, or [`Unset`].
    type GivenKDim;
    /// The [`VDim`] option given, or [`Unset`].
    type GivenVDim;
}

/// Calls `$m!(args... [keys])` with every key of [`OptionSet`]: the one list the impls below
/// expand over, so a new key is added here and in the trait only.
macro_rules! with_keys {
    ($m:ident!($($args:tt)*)) => {
        $m!($($args)* [
            GivenStride GivenPadding GivenDilation GivenGroups GivenOutputPadding GivenBias
            GivenAffine GivenNumLayers GivenDirections GivenLayout GivenProjSize GivenNonlinearity
            GivenImproved GivenSelfLoops GivenNormalize GivenAggregation GivenRootWeight
            GivenHeadCombination GivenTrainEps GivenNormFirst GivenActivation GivenKDim GivenVDim
        ]);
    };
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
    /// The other one: a GIN layer's `eps` is a parameter when trained, a buffer when not.
    type Negated: Presence;
    /// The options of a [`Linear`](crate::nn::Linear) with this bias: `()` or [`NoBias`].
    type BiasOption: super::LinearOptions
        + Send
        + Sync
        + core::fmt::Debug
        + Default
        + Copy
        + 'static;
}

/// The optional tensor exists (PyTorch's default `bias=True`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Present;
/// The optional tensor does not exist (`bias=False`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Absent;

impl Presence for Present {
    const PRESENT: bool = true;
    type Negated = Absent;
    type BiasOption = ();
}
impl Presence for Absent {
    const PRESENT: bool = false;
    type Negated = Present;
    type BiasOption = NoBias;
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

/// Declares an option: the value it stands for, its `OptionSet` impl (its own key set to itself,
/// every other unset) and its `Merge` impls with `Unset`.
macro_rules! option {
    ($ty:ty, [$($c:tt)*], $own:ident => $value:ty) => {
        impl<Df, $($c)*> OrDefault<Df> for $ty {
            type Value = $value;
        }
        impl<$($c)*> Merge<Unset> for $ty {
            type Out = Self;
        }
        impl<$($c)*> Merge<$ty> for Unset {
            type Out = $ty;
        }
        with_keys!(option!(@set $ty, [$($c)*], $own));
    };
    (@set $ty:ty, [$($c:tt)*], $own:ident [$($key:ident)*]) => {
        impl<$($c)*> OptionSet for $ty {
            $(type $key = option!(@pick $own $key);)*
        }
    };
    // `Self` for the option's own key, `Unset` for the others (macro_rules compares identifiers
    // only with literals, hence one arm per key).
    (@pick GivenStride GivenStride) => { Self };
    (@pick GivenPadding GivenPadding) => { Self };
    (@pick GivenDilation GivenDilation) => { Self };
    (@pick GivenGroups GivenGroups) => { Self };
    (@pick GivenOutputPadding GivenOutputPadding) => { Self };
    (@pick GivenBias GivenBias) => { Self };
    (@pick GivenAffine GivenAffine) => { Self };
    (@pick GivenNumLayers GivenNumLayers) => { Self };
    (@pick GivenDirections GivenDirections) => { Self };
    (@pick GivenLayout GivenLayout) => { Self };
    (@pick GivenProjSize GivenProjSize) => { Self };
    (@pick GivenNonlinearity GivenNonlinearity) => { Self };
    (@pick GivenImproved GivenImproved) => { Self };
    (@pick GivenSelfLoops GivenSelfLoops) => { Self };
    (@pick GivenNormalize GivenNormalize) => { Self };
    (@pick GivenAggregation GivenAggregation) => { Self };
    (@pick GivenRootWeight GivenRootWeight) => { Self };
    (@pick GivenHeadCombination GivenHeadCombination) => { Self };
    (@pick GivenTrainEps GivenTrainEps) => { Self };
    (@pick GivenNormFirst GivenNormFirst) => { Self };
    (@pick GivenActivation GivenActivation) => { Self };
    (@pick GivenKDim GivenKDim) => { Self };
    (@pick GivenVDim GivenVDim) => { Self };
    (@pick $own:ident $key:ident) => { Unset };
}

option!(Stride<N>, [const N: usize], GivenStride => D<N>);
option!(Padding<N>, [const N: usize], GivenPadding => D<N>);
option!(Dilation<N>, [const N: usize], GivenDilation => D<N>);
option!(Groups<N>, [const N: usize], GivenGroups => D<N>);
option!(OutputPadding<N>, [const N: usize], GivenOutputPadding => D<N>);
option!(NoBias, [], GivenBias => Absent);
option!(NoAffine, [], GivenAffine => Absent);
option!(NumLayers<N>, [const N: usize], GivenNumLayers => D<N>);
option!(Bidirectional, [], GivenDirections => D<2>);
option!(BatchFirst, [], GivenLayout => BatchFirst);
option!(ProjSize<P>, [const P: usize], GivenProjSize => D<P>);
option!(Nonlinearity<A>, [A], GivenNonlinearity => A);
option!(Improved, [], GivenImproved => Present);
option!(NoSelfLoops, [], GivenSelfLoops => Absent);
option!(Normalize, [], GivenNormalize => Present);
option!(NoNormalize, [], GivenNormalize => Absent);
option!(MaxAggregation, [], GivenAggregation => MaxAggregation);
option!(NoRootWeight, [], GivenRootWeight => Absent);
option!(MeanHeads, [], GivenHeadCombination => MeanHeads);
option!(TrainEps, [], GivenTrainEps => Present);
option!(NormFirst, [], GivenNormFirst => Present);
option!(Activation<A>, [A], GivenActivation => A);
option!(KDim<N>, [const N: usize], GivenKDim => D<N>);
option!(VDim<N>, [const N: usize], GivenVDim => D<N>);

/// Whether attention packs its query, key and value projections into one `in_proj_weight`:
/// [`Present`] unless `kdim` or `vdim` is given, as PyTorch does when they differ from the
/// model's width.
pub trait Packing {
    /// [`Present`] for one packed weight, [`Absent`] for `q_proj_weight`, `k_proj_weight` and
    /// `v_proj_weight`.
    type Packed: Presence;
}
impl Packing for (Unset, Unset) {
    type Packed = Present;
}
impl<const N: usize> Packing for (KDim<N>, Unset) {
    type Packed = Absent;
}
impl<const N: usize> Packing for (Unset, VDim<N>) {
    type Packed = Absent;
}
impl<const N: usize, const M: usize> Packing for (KDim<N>, VDim<M>) {
    type Packed = Absent;
}

macro_rules! unit_set {
    ([$($key:ident)*]) => {
        impl OptionSet for () {
            $(type $key = Unset;)*
        }
    };
}
with_keys!(unit_set!());

/// Two option sets combined key by key; a key both give has no merge, so it does not compile.
#[derive(Debug, Clone, Copy, Default)]
pub struct Merged<A, B>(core::marker::PhantomData<(A, B)>);

macro_rules! merged_set {
    ([$($key:ident)*]) => {
        impl<A: OptionSet, B: OptionSet> OptionSet for Merged<A, B>
        where
            $(A::$key: Merge<B::$key>,)*
        {
            $(type $key = <A::$key as Merge<B::$key>>::Out;)*
        }
    };
}
with_keys!(merged_set!());

/// `OptionSet` for a tuple: its members merged left to right.
macro_rules! tuple_set {
    ($($t:ident),+ [$($key:ident)*]) => {
        tuple_set!(@impl [$($t),+] tuple_set!(@nest $($t),+); [$($key)*]);
    };
    (@impl [$($t:ident),+] $nest:ty; [$($key:ident)*]) => {
        impl<$($t),+> OptionSet for ($($t,)+)
        where
            $nest: OptionSet,
        {
            $(type $key = <$nest as OptionSet>::$key;)*
        }
    };
    (@nest $a:ident) => { $a };
    (@nest $a:ident, $b:ident $(, $rest:ident)*) => { tuple_set!(@acc (Merged<$a, $b>) $(, $rest)*) };
    (@acc ($acc:ty)) => { $acc };
    (@acc ($acc:ty), $c:ident $(, $rest:ident)*) => { tuple_set!(@acc (Merged<$acc, $c>) $(, $rest)*) };
}

with_keys!(tuple_set!(A));
with_keys!(tuple_set!(A, B));
with_keys!(tuple_set!(A, B, C));
with_keys!(tuple_set!(A, B, C, G));
with_keys!(tuple_set!(A, B, C, G, H));
with_keys!(tuple_set!(A, B, C, G, H, I));

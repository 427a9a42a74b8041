//! The bias of `Linear` and the convolutions as a type-level choice: `Linear<784, 300>` has one,
//! `Linear<784, 300, f32, Cpu, false>` is PyTorch's `bias=False`, so the parameter count is in the type.
use core::fmt::Debug;

/// A layer's bias flag as a type: `Bias<true>` holds a bias tensor, `Bias<false>` holds none.
///
/// Layers name it in their bounds (`where Bias<BIAS>: BiasFlag`), which hold for both values;
/// code generic over a layer's flag repeats that bound.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bias<const B: bool>;

/// What a layer's `bias` field holds for its flag: the tensor itself for `Bias<true>`, `()` for
/// `Bias<false>`. Implemented for both, so `Bias<BIAS>: BiasFlag` always holds.
///
/// ```
/// use typed_torch::nn::{Bias, BiasFlag, Linear};
/// let with = Linear::<4, 2>::new();
/// let _b: &typed_torch::Tensor<(typed_torch::D<2>,)> = &with.bias; // the tensor itself
/// let without = Linear::<4, 2, f32, typed_torch::Cpu, false>::new();
/// let () = without.bias;
///
/// // Code generic over the flag reaches the bias through `get`.
/// fn bias_len<const BIAS: bool>(layer: &Linear<4, 2, f32, typed_torch::Cpu, BIAS>) -> usize
/// where
///     Bias<BIAS>: BiasFlag,
/// {
///     <Bias<BIAS> as BiasFlag>::get(&layer.bias).map_or(0, |b| b.to_vec().len())
/// }
/// assert_eq!((bias_len(&with), bias_len(&without)), (2, 0));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a bias flag",
    label = "a layer's bias flag is `Bias<true>` or `Bias<false>`",
    note = "code generic over a layer's `const BIAS: bool` needs the bound `Bias<BIAS>: BiasFlag`"
)]
pub trait BiasFlag {
    /// Whether the layer has a bias.
    const PRESENT: bool;
    /// The `bias` field's type: `T` for `Bias<true>`, `()` for `Bias<false>`.
    type Slot<T: Clone + Debug>: Clone + Debug;
    /// Builds the slot, calling `make` only when there is a bias.
    fn make<T: Clone + Debug>(make: impl FnOnce() -> T) -> Self::Slot<T>;
    /// The bias, if any.
    fn get<T: Clone + Debug>(slot: &Self::Slot<T>) -> Option<&T>;
    /// Mutable access to the bias, if any.
    fn get_mut<T: Clone + Debug>(slot: &mut Self::Slot<T>) -> Option<&mut T>;
    /// Converts the bias, if any (moving it to a device, changing its dtype).
    fn try_map<T: Clone + Debug, U: Clone + Debug, Err>(
        slot: &Self::Slot<T>,
        f: impl FnOnce(&T) -> Result<U, Err>,
    ) -> Result<Self::Slot<U>, Err>;
}

impl BiasFlag for Bias<true> {
    const PRESENT: bool = true;
    type Slot<T: Clone + Debug> = T;
    fn make<T: Clone + Debug>(make: impl FnOnce() -> T) -> T {
        make()
    }
    fn get<T: Clone + Debug>(slot: &T) -> Option<&T> {
        Some(slot)
    }
    fn get_mut<T: Clone + Debug>(slot: &mut T) -> Option<&mut T> {
        Some(slot)
    }
    fn try_map<T: Clone + Debug, U: Clone + Debug, Err>(
        slot: &T,
        f: impl FnOnce(&T) -> Result<U, Err>,
    ) -> Result<U, Err> {
        f(slot)
    }
}

impl BiasFlag for Bias<false> {
    const PRESENT: bool = false;
    type Slot<T: Clone + Debug> = ();
    fn make<T: Clone + Debug>(_: impl FnOnce() -> T) {}
    fn get<T: Clone + Debug>(_: &()) -> Option<&T> {
        None
    }
    fn get_mut<T: Clone + Debug>(_: &mut ()) -> Option<&mut T> {
        None
    }
    fn try_map<T: Clone + Debug, U: Clone + Debug, Err>(
        _: &(),
        _: impl FnOnce(&T) -> Result<U, Err>,
    ) -> Result<(), Err> {
        Ok(())
    }
}

/// The type of a layer's `bias` field: `Tensor<(D<O>,), E, Dev>` with `BIAS = true`, `()` without.
pub type BiasSlot<const BIAS: bool, T> = <Bias<BIAS> as BiasFlag>::Slot<T>;

//! The `Module` trait and sequential composition of modules as HLists.
use frunk::{HCons, HNil};

/// A layer or model: maps a typed input to a typed output.
///
/// Implementations name their input type exactly (e.g. `Linear<784, 300>` takes
/// `Tensor<(B, D<784>)>`), so feeding the wrong shape, dtype or device does not compile, and the
/// output type is inferred through whole stacks.
///
/// `forward` is `#[track_caller]`, in every implementation: a layer that panics on run-time sizes
/// or values (an index past an `Embedding`'s table, an image smaller than a `Dyn`-sized
/// convolution's kernel) names the line that called `forward`, through any stack, combinator or
/// model of layers in between.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot take `{Input}` as input",
    label = "the input's shape, dtype or device does not match what this layer takes"
)]
pub trait Module<Input> {
    /// What the layer returns.
    type Output;
    /// Runs the layer.
    #[track_caller]
    fn forward(&self, input: Input) -> Self::Output;
}

/// The empty stack passes its input through.
impl<X> Module<X> for HNil {
    type Output = X;
    fn forward(&self, input: X) -> X {
        input
    }
}

/// A stack runs its head, then its tail on the head's output.
impl<X, H, T> Module<X> for HCons<H, T>
where
    H: Module<X>,
    T: Module<H::Output>,
{
    type Output = T::Output;
    fn forward(&self, input: X) -> Self::Output {
        self.tail.forward(self.head.forward(input))
    }
}

//! The `Module` trait (running a layer) and sequential composition of modules as HLists.
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

/// What layer `L` does to an input of this type: the built-in layers implement it on each input
/// type they take (`impl LayerInput<Linear<I, O>> for Tensor<(B, D<I>)>`), and their [`Module`]
/// impl accepts any input that implements it.
///
/// The point is the error a mistake produces. rustc chooses the impl of a method's trait before it
/// looks at the argument, so a `Module` impl naming its input type lets it fix the input of a
/// whole stack from the first layer and reject the call outright: "the method `forward` exists but
/// its trait bounds were not satisfied", dims shown as `_`. With the impls on the input side the
/// choice waits for the argument, and a mismatch anywhere in a stack reads "`BatchNorm2d<16>`
/// cannot take `Tensor<(Dyn, D<8>, D<26>, D<26>)>` as input". Models of your own implement
/// [`Module`] directly.
pub trait LayerInput<L>: Sized {
    /// What the layer returns for this input.
    type Output;
    /// Runs `layer` on `input` (`#[track_caller]` like [`Module::forward`]).
    #[track_caller]
    fn run(layer: &L, input: Self) -> Self::Output;
}

/// `Module<X>` for a built-in layer, for every input `X` that implements [`LayerInput`] for it:
/// `module_via_layer_input!([const I: usize, const O: usize, ...] Linear<I, O, E, Dev, BIAS> where
/// ...)`. `do_not_recommend` makes rustc report a failure as the layer's, not as the input trait's.
macro_rules! module_via_layer_input {
    ([$($generics:tt)*] $layer:ty $(where $($bound:tt)*)?) => {
        #[diagnostic::do_not_recommend]
        impl<In: $crate::nn::LayerInput<$layer>, $($generics)*> $crate::nn::Module<In> for $layer
        $(where $($bound)*)?
        {
            type Output = <In as $crate::nn::LayerInput<$layer>>::Output;
            fn forward(&self, input: In) -> Self::Output {
                <In as $crate::nn::LayerInput<$layer>>::run(self, input)
            }
        }
    };
}
pub(crate) use module_via_layer_input;

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

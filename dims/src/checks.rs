//! Compile-time conditions with messages that name the dims involved.
//!
//! Each condition is computed as a typenum bit (`B1` holds, `B0` fails) and then required through a
//! trait implemented only for `B1`. The trait's parameters carry the user's dims, so a failure
//! reads "kernel `D<5>` ... input `D<3>`" rather than a typenum expression.
use typenum::B1;

/// Holds when `B` divides `A` exactly (e.g. attention heads into the model dim).
#[diagnostic::on_unimplemented(
    message = "`{B}` does not divide `{A}` exactly",
    label = "this needs `{A}` to be a multiple of `{B}`"
)]
pub trait Divides<A, B> {}
#[diagnostic::do_not_recommend]
impl<A, B> Divides<A, B> for B1 {}

/// Holds when a window of `K` (dilation `L`) fits an input of `H` padded by `P` on each side.
#[diagnostic::on_unimplemented(
    message = "kernel `{K}` (dilation `{L}`) does not fit input `{H}` with padding `{P}`",
    label = "the window is larger than the padded input",
    note = "the padded input is H + 2*P and the window spans L*(K-1)+1"
)]
pub trait KernelFits<H, K, P, L> {}
#[diagnostic::do_not_recommend]
impl<H, K, P, L> KernelFits<H, K, P, L> for B1 {}

/// Holds when a transposed convolution yields at least one output element.
#[diagnostic::on_unimplemented(
    message = "transposed convolution of `{H}` with kernel `{K}`, stride `{S}`, padding `{P}` has no output",
    label = "padding removes the whole output"
)]
pub trait TransposeFits<H, K, S, P> {}
#[diagnostic::do_not_recommend]
impl<H, K, S, P> TransposeFits<H, K, S, P> for B1 {}

/// Holds when shapes `From` and `To` have the same number of elements.
#[diagnostic::on_unimplemented(
    message = "cannot reshape `{From}` into `{To}` at compile time",
    label = "needs static shapes with equal element counts",
    note = "for shapes with `Dyn` dims use `try_reshape`, which checks the counts at run time"
)]
pub trait SameNumel<From, To> {}
#[diagnostic::do_not_recommend]
impl<From, To> SameNumel<From, To> for B1 {}

/// Holds when `Start + Len <= N`: a slice that stays inside the dim.
#[diagnostic::on_unimplemented(
    message = "slice of `{Len}` starting at `{Start}` runs past the end of dim `{N}`",
    label = "needs start + length <= size"
)]
pub trait SliceFits<N, Start, Len> {}
#[diagnostic::do_not_recommend]
impl<N, Start, Len> SliceFits<N, Start, Len> for B1 {}

/// Holds when a grouped convolution's weight fits the input's channels: `C == Cg * G`.
#[diagnostic::on_unimplemented(
    message = "convolution input has `{C}` channels, but the weight expects `{Cg}` per group x `{G}` groups",
    label = "input channels must equal the weight's in-channels times the groups"
)]
pub trait ChannelsMatch<C, Cg, G> {}
#[diagnostic::do_not_recommend]
impl<C, Cg, G> ChannelsMatch<C, Cg, G> for B1 {}

/// Holds when the product of the dims `Dims` is at most `D<65536>`, the largest static result.
#[diagnostic::on_unimplemented(
    message = "the product of `{Dims}` is larger than `D<65536>`, the largest static dim typed-torch computes",
    label = "static result too large",
    note = "use `Dyn` for one of these dims: the size is then checked at run time"
)]
pub trait ProductFits<Dims> {}
#[diagnostic::do_not_recommend]
impl<Dims> ProductFits<Dims> for B1 {}

/// Holds when `A + B` is at most `D<65536>`, the largest static result.
#[diagnostic::on_unimplemented(
    message = "`{A}` + `{B}` is larger than `D<65536>`, the largest static dim typed-torch computes",
    label = "static result too large",
    note = "use `Dyn` for one of these dims: the size is then checked at run time"
)]
pub trait SumFits<A, B> {}
#[diagnostic::do_not_recommend]
impl<A, B> SumFits<A, B> for B1 {}

/// Holds when a transposed convolution's output is at most `D<65536>`.
#[diagnostic::on_unimplemented(
    message = "transposed convolution of `{H}` with kernel `{K}` and stride `{S}` gives more than `D<65536>`",
    label = "static result too large",
    note = "use `Dyn` for the input dim: the size is then checked at run time"
)]
pub trait TransposeResultFits<H, K, S> {}
#[diagnostic::do_not_recommend]
impl<H, K, S> TransposeResultFits<H, K, S> for B1 {}

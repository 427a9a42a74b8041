//! Dims, and the arithmetic on them that runs inside the compiler.
//!
//! A static dim is written `D<784>`; a dim known only at run time is [`Dyn`]. Shape arithmetic
//! (products, sums, exact quotients, convolution output sizes) maps static dims to `typenum`
//! numbers, computes there, and maps the result back to a `D<N>`, so users only ever read
//! const-generic numbers. Inputs up to [`MAX_STATIC_INPUT`] and results up to
//! [`MAX_STATIC_RESULT`] are supported; beyond that the compiler says so and suggests [`Dyn`].
//!
//! ```
//! use typed_torch_shape::dims::{D, Dyn, Mul, Dim};
//! let _: Mul<D<16>, D<49>> = D::<784>;
//! let _: Mul<Dyn, D<49>> = Dyn;
//! assert_eq!(<D<784> as Dim>::STATIC, Some(784));
//! ```
mod arith;
mod checks;
mod dim;
mod tables;

pub use arith::*;
pub use checks::*;
pub use dim::*;
pub use tables::{MaxResult, ToDim, ToDimSat, ToUnsigned, MAX_STATIC_INPUT, MAX_STATIC_RESULT};

#[cfg(test)]
mod tests {
    use super::*;
    fn same<T>(_: T, _: T) {}

    #[test]
    fn products_sums_and_quotients() {
        same::<Mul<D<16>, D<49>>>(D::<784>, D);
        same::<Mul<D<256>, D<256>>>(D::<65536>, D);
        same::<Mul<D<4096>, D<16>>>(D::<65536>, D);
        same::<Add<D<4096>, D<4096>>>(D::<8192>, D);
        same::<Div<D<512>, D<8>>>(D::<64>, D);
        same::<Mul<Dyn, D<3>>>(Dyn, Dyn);
    }

    #[test]
    fn conv_and_transpose_sizes_match_pytorch_formula() {
        // 28x28, k5 -> 24; k3 s2 p1 -> 14; k3 dil2 -> 24
        same::<ConvOut<D<28>, D<5>, D<1>, D<0>, D<1>>>(D::<24>, D);
        same::<ConvOut<D<28>, D<3>, D<2>, D<1>, D<1>>>(D::<14>, D);
        same::<ConvOut<D<28>, D<3>, D<1>, D<0>, D<2>>>(D::<24>, D);
        same::<ConvOut<D<4096>, D<1>, D<1>, D<0>, D<1>>>(D::<4096>, D);
        // (14-1)*2 - 2 + 3 + 1 + 1 = 29
        same::<ConvTransposeOut<D<14>, D<3>, D<2>, D<1>, D<1>, D<1>>>(D::<28>, D);
    }

    #[test]
    fn broadcasting_follows_numpy() {
        same::<Broadcast<D<1>, D<7>>>(D::<7>, D);
        same::<Broadcast<D<7>, D<1>>>(D::<7>, D);
        same::<Broadcast<D<7>, D<7>>>(D::<7>, D);
        same::<Broadcast<D<1>, D<1>>>(D::<1>, D);
        same::<Broadcast<Dyn, D<7>>>(D::<7>, D);
        same::<Broadcast<Dyn, D<1>>>(Dyn, Dyn);
        same::<Broadcast<D<1>, Dyn>>(Dyn, Dyn);
        same::<Broadcast<D<5>, Dyn>>(D::<5>, D);
        same::<Broadcast<D<5000>, D<5000>>>(D::<5000>, D);
        same::<Broadcast<Dyn, Dyn>>(Dyn, Dyn);
    }

    // Equal dims broadcast to themselves for every dim, with no bound on a generic one.
    fn broadcast_with_itself<B: Dim>(b: B) -> Broadcast<B, B> {
        b
    }

    #[test]
    fn a_generic_dim_broadcasts_with_itself() {
        assert_eq!(broadcast_with_itself(D::<7>), D::<7>);
        assert_eq!(broadcast_with_itself(Dyn), Dyn);
    }

    #[test]
    fn checks_give_the_computed_dims() {
        same::<<D<512> as MultipleOf<D<8>>>::Quotient>(D::<64>, D);
        same::<<D<28> as KernelFits<D<5>, D<1>, D<0>, D<1>>>::Output>(D::<24>, D);
        same::<<D<256> as ProductFits<D<256>>>::Product>(D::<65536>, D);
        same::<<D<4096> as SumFits<D<4096>>>::Sum>(D::<8192>, D);
    }
}

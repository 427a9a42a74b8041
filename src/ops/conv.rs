//! Functional convolutions. Output sizes come from PyTorch's formulas, computed at compile time;
//! options are named values (`(Stride::<2>, Padding::<1>)`, `()` for PyTorch's defaults), the
//! same on every spatial axis.
use crate::device::Device;
use crate::dims::{ConvDim, ConvTransposeDim, Dim, DimMul, GroupedChannels, StaticDim};
use crate::element::Float;
use crate::explain::{check, or_panic, Needs};
use crate::options::{ConvOptions, ConvTransposeOptions};
use crate::shape::Shape;
use crate::tensor::Tensor;

/// The output size of a convolution over `X` with kernel `K` and options `O`.
type Out<X, K, O> = <X as ConvDim<
    K,
    <O as ConvOptions>::Stride,
    <O as ConvOptions>::Padding,
    <O as ConvOptions>::Dilation,
>>::Output;

/// The output size of a transposed convolution over `X` with kernel `K` and options `O`.
type OutT<X, K, O> = <X as ConvTransposeDim<
    K,
    <O as ConvTransposeOptions>::Stride,
    <O as ConvTransposeOptions>::Padding,
    <O as ConvTransposeOptions>::OutputPadding,
    <O as ConvTransposeOptions>::Dilation,
>>::Output;

fn size<X: StaticDim>() -> i64 {
    X::SIZE as i64
}

impl<N: Dim, C: Dim, L: Dim, E: Float, Dev: Device> Tensor<(N, C, L), E, Dev> {
    /// 1-D convolution of a `(batch, channels, length)` input with a `(out, in/groups, kernel)`
    /// weight; options [`Stride`](crate::options::Stride), [`Padding`](crate::options::Padding),
    /// [`Dilation`](crate::options::Dilation), [`Groups`](crate::options::Groups).
    ///
    /// ```
    /// use typed_torch::options::Padding;
    /// use typed_torch::{Tensor, D};
    /// let x = Tensor::<(D<2>, D<4>, D<10>)>::randn();
    /// let w = Tensor::<(D<8>, D<4>, D<3>)>::randn();
    /// let y: Tensor<(D<2>, D<8>, D<8>)> = x.conv1d(&w, None, ());
    /// let same: Tensor<(D<2>, D<8>, D<10>)> = x.conv1d(&w, None, Padding::<1>);
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line, when `Dyn` sizes do not fit: channels that are not the weight's
    /// times the groups, or a length shorter than the dilated kernel after padding.
    #[track_caller]
    pub fn conv1d<Opts: ConvOptions, O: Dim, Cg: Dim, K: Dim>(
        &self,
        weight: &Tensor<(O, Cg, K), E, Dev>,
        bias: Option<&Tensor<(O,), E, Dev>>,
        _options: Opts,
    ) -> Tensor<(N, O, Out<L, K, Opts>), E, Dev>
    where
        C: GroupedChannels<Cg, Opts::Groups>,
        L: ConvDim<K, Opts::Stride, Opts::Padding, Opts::Dilation>,
    {
        let sizes = [
            size::<Opts::Stride>(),
            size::<Opts::Padding>(),
            size::<Opts::Dilation>(),
            size::<Opts::Groups>(),
        ];
        self.conv1d_raw(weight, bias, sizes)
    }

    /// `conv1d` with options as numbers (stride, padding, dilation, groups), for layers whose
    /// types already computed the output shape `S2`.
    #[track_caller]
    pub(crate) fn conv1d_raw<S2: Shape, WS: Shape, BS: Shape>(
        &self,
        weight: &Tensor<WS, E, Dev>,
        bias: Option<&Tensor<BS, E, Dev>>,
        [stride, pad, dil, groups]: [i64; 4],
    ) -> Tensor<S2, E, Dev> {
        let (x, w, b) = (self.as_tch(), weight.as_tch(), bias.map(|b| b.as_tch()));
        let result = x.f_conv1d(w, b, [stride], [pad], [dil], groups);
        let needs = Needs::Conv {
            stride,
            pad,
            out_pad: 0,
            dil,
            groups,
            transposed: false,
        };
        Tensor::wrap(or_panic(conv("conv1d", x, w, b, needs, result)))
    }
}

impl<N: Dim, C: Dim, H: Dim, W: Dim, E: Float, Dev: Device> Tensor<(N, C, H, W), E, Dev> {
    /// 2-D convolution of a `(batch, channels, height, width)` input with a
    /// `(out, in/groups, kh, kw)` weight; options [`Stride`](crate::options::Stride),
    /// [`Padding`](crate::options::Padding), [`Dilation`](crate::options::Dilation),
    /// [`Groups`](crate::options::Groups), `()` for none.
    ///
    /// ```
    /// use typed_torch::options::{Padding, Stride};
    /// use typed_torch::{Tensor, D, Dyn};
    /// let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_dyn(&[2]).unwrap();
    /// let w = Tensor::<(D<6>, D<1>, D<5>, D<5>)>::randn();
    /// let y: Tensor<(Dyn, D<6>, D<14>, D<14>)> = x.conv2d(&w, None, (Stride::<2>, Padding::<2>));
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line, when `Dyn` sizes do not fit: channels that are not the weight's
    /// times the groups, or a height or width smaller than the dilated kernel after padding.
    #[track_caller]
    pub fn conv2d<Opts: ConvOptions, O: Dim, Cg: Dim, KH: Dim, KW: Dim>(
        &self,
        weight: &Tensor<(O, Cg, KH, KW), E, Dev>,
        bias: Option<&Tensor<(O,), E, Dev>>,
        _options: Opts,
    ) -> Tensor<(N, O, Out<H, KH, Opts>, Out<W, KW, Opts>), E, Dev>
    where
        C: GroupedChannels<Cg, Opts::Groups>,
        H: ConvDim<KH, Opts::Stride, Opts::Padding, Opts::Dilation>,
        W: ConvDim<KW, Opts::Stride, Opts::Padding, Opts::Dilation>,
    {
        let sizes = [
            size::<Opts::Stride>(),
            size::<Opts::Padding>(),
            0,
            size::<Opts::Dilation>(),
            size::<Opts::Groups>(),
        ];
        self.conv2d_raw(weight, bias, sizes)
    }

    /// `conv2d` with options as numbers (stride, padding, unused, dilation, groups), for layers
    /// whose types already computed the output shape `S2`.
    #[track_caller]
    pub(crate) fn conv2d_raw<S2: Shape, WS: Shape, BS: Shape>(
        &self,
        weight: &Tensor<WS, E, Dev>,
        bias: Option<&Tensor<BS, E, Dev>>,
        [stride, pad, _, dil, groups]: [i64; 5],
    ) -> Tensor<S2, E, Dev> {
        let (x, w, b) = (self.as_tch(), weight.as_tch(), bias.map(|b| b.as_tch()));
        let result = x.f_conv2d(w, b, [stride; 2], [pad; 2], [dil; 2], groups);
        let needs = Needs::Conv {
            stride,
            pad,
            out_pad: 0,
            dil,
            groups,
            transposed: false,
        };
        Tensor::wrap(or_panic(conv("conv2d", x, w, b, needs, result)))
    }

    /// 2-D transposed convolution with a `(in, out/groups, kh, kw)` weight; options
    /// [`Stride`](crate::options::Stride), [`Padding`](crate::options::Padding),
    /// [`OutputPadding`](crate::options::OutputPadding), [`Dilation`](crate::options::Dilation),
    /// [`Groups`](crate::options::Groups).
    ///
    /// ```
    /// use typed_torch::options::{OutputPadding, Padding, Stride};
    /// use typed_torch::{Tensor, D};
    /// let x = Tensor::<(D<1>, D<8>, D<14>, D<14>)>::randn();
    /// let w = Tensor::<(D<8>, D<4>, D<3>, D<3>)>::randn();
    /// let y: Tensor<(D<1>, D<4>, D<28>, D<28>)> =
    ///     x.conv_transpose2d(&w, None, (Stride::<2>, Padding::<1>, OutputPadding::<1>));
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line, when `Dyn` sizes do not fit (channels other than the weight's first
    /// dim, or an empty output).
    #[track_caller]
    #[allow(clippy::type_complexity)]
    pub fn conv_transpose2d<Opts: ConvTransposeOptions, Og, KH: Dim, KW: Dim>(
        &self,
        weight: &Tensor<(C, Og, KH, KW), E, Dev>,
        bias: Option<&Tensor<(<Og as DimMul<Opts::Groups>>::Output,), E, Dev>>,
        _options: Opts,
    ) -> Tensor<
        (
            N,
            <Og as DimMul<Opts::Groups>>::Output,
            OutT<H, KH, Opts>,
            OutT<W, KW, Opts>,
        ),
        E,
        Dev,
    >
    where
        Og: DimMul<Opts::Groups>,
        H: ConvTransposeDim<KH, Opts::Stride, Opts::Padding, Opts::OutputPadding, Opts::Dilation>,
        W: ConvTransposeDim<KW, Opts::Stride, Opts::Padding, Opts::OutputPadding, Opts::Dilation>,
    {
        let sizes = [
            size::<Opts::Stride>(),
            size::<Opts::Padding>(),
            size::<Opts::OutputPadding>(),
            size::<Opts::Dilation>(),
            size::<Opts::Groups>(),
        ];
        self.conv_transpose2d_raw(weight, bias, sizes)
    }

    /// `conv_transpose2d` with options as numbers (stride, padding, output padding, dilation,
    /// groups), for layers whose types already computed the output shape `S2`.
    #[track_caller]
    pub(crate) fn conv_transpose2d_raw<S2: Shape, WS: Shape, BS: Shape>(
        &self,
        weight: &Tensor<WS, E, Dev>,
        bias: Option<&Tensor<BS, E, Dev>>,
        [stride, pad, out_pad, dil, groups]: [i64; 5],
    ) -> Tensor<S2, E, Dev> {
        let (x, w, b) = (self.as_tch(), weight.as_tch(), bias.map(|b| b.as_tch()));
        let result =
            x.f_conv_transpose2d(w, b, [stride; 2], [pad; 2], [out_pad; 2], groups, [dil; 2]);
        let needs = Needs::Conv {
            stride,
            pad,
            out_pad,
            dil,
            groups,
            transposed: true,
        };
        Tensor::wrap(or_panic(conv("conv_transpose2d", x, w, b, needs, result)))
    }
}

/// A convolution's libtorch result, its failure explained from the input, weight and bias.
fn conv(
    op: &'static str,
    x: &tch::Tensor,
    w: &tch::Tensor,
    b: Option<&tch::Tensor>,
    needs: Needs,
    result: Result<tch::Tensor, tch::TchError>,
) -> crate::Result<tch::Tensor> {
    match b {
        Some(b) => check(op, &[x, w, b], needs, result),
        None => check(op, &[x, w], needs, result),
    }
}

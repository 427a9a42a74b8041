//! Functional convolutions. Output sizes come from PyTorch's formulas, computed at compile time;
//! hyper-parameters are const generics (`STRIDE`, `PAD`, `DIL`, `GROUPS`), the same on every
//! spatial axis.
use crate::device::Device;
use crate::dims::{ConvDim, ConvTransposeDim, Dim, DimMul, GroupedChannels, D};
use crate::element::Float;
use crate::explain::{check, or_panic, Needs};
use crate::tensor::Tensor;

impl<N: Dim, C: Dim, L: Dim, E: Float, Dev: Device> Tensor<(N, C, L), E, Dev> {
    /// 1-D convolution of a `(batch, channels, length)` input with a `(out, in/groups, kernel)` weight.
    ///
    /// ```
    /// use typed_torch::{Tensor, D};
    /// let x = Tensor::<(D<2>, D<4>, D<10>)>::randn();
    /// let w = Tensor::<(D<8>, D<4>, D<3>)>::randn();
    /// let y: Tensor<(D<2>, D<8>, D<8>)> = x.conv1d::<1, 0, 1, 1, _, _, _>(&w, None);
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line, when `Dyn` sizes do not fit: channels that are not the weight's
    /// times `GROUPS`, or a length shorter than the dilated kernel after padding.
    #[track_caller]
    pub fn conv1d<
        const STRIDE: usize,
        const PAD: usize,
        const DIL: usize,
        const GROUPS: usize,
        O: Dim,
        Cg: Dim,
        K: Dim,
    >(
        &self,
        weight: &Tensor<(O, Cg, K), E, Dev>,
        bias: Option<&Tensor<(O,), E, Dev>>,
    ) -> Tensor<(N, O, <L as ConvDim<K, D<STRIDE>, D<PAD>, D<DIL>>>::Output), E, Dev>
    where
        C: GroupedChannels<Cg, D<GROUPS>>,
        L: ConvDim<K, D<STRIDE>, D<PAD>, D<DIL>>,
    {
        let (x, w, b) = (self.as_tch(), weight.as_tch(), bias.map(|b| b.as_tch()));
        let (stride, pad, dil, groups) = (STRIDE as i64, PAD as i64, DIL as i64, GROUPS as i64);
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
    /// `(out, in/groups, kh, kw)` weight.
    ///
    /// ```
    /// use typed_torch::{Tensor, D, Dyn};
    /// let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::zeros_sized(&[2, 1, 28, 28]).unwrap();
    /// let w = Tensor::<(D<6>, D<1>, D<5>, D<5>)>::randn();
    /// let y: Tensor<(Dyn, D<6>, D<14>, D<14>)> = x.conv2d::<2, 2, 1, 1, _, _, _, _>(&w, None);
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line, when `Dyn` sizes do not fit: channels that are not the weight's
    /// times `GROUPS`, or a height or width smaller than the dilated kernel after padding.
    #[track_caller]
    pub fn conv2d<
        const STRIDE: usize,
        const PAD: usize,
        const DIL: usize,
        const GROUPS: usize,
        O: Dim,
        Cg: Dim,
        KH: Dim,
        KW: Dim,
    >(
        &self,
        weight: &Tensor<(O, Cg, KH, KW), E, Dev>,
        bias: Option<&Tensor<(O,), E, Dev>>,
    ) -> Tensor<
        (
            N,
            O,
            <H as ConvDim<KH, D<STRIDE>, D<PAD>, D<DIL>>>::Output,
            <W as ConvDim<KW, D<STRIDE>, D<PAD>, D<DIL>>>::Output,
        ),
        E,
        Dev,
    >
    where
        C: GroupedChannels<Cg, D<GROUPS>>,
        H: ConvDim<KH, D<STRIDE>, D<PAD>, D<DIL>>,
        W: ConvDim<KW, D<STRIDE>, D<PAD>, D<DIL>>,
    {
        let (x, w, b) = (self.as_tch(), weight.as_tch(), bias.map(|b| b.as_tch()));
        let (stride, pad, dil, groups) = (STRIDE as i64, PAD as i64, DIL as i64, GROUPS as i64);
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

    /// 2-D transposed convolution with a `(in, out/groups, kh, kw)` weight and output padding
    /// `OUT_PAD`.
    ///
    /// ```
    /// use typed_torch::{Tensor, D};
    /// let x = Tensor::<(D<1>, D<8>, D<14>, D<14>)>::randn();
    /// let w = Tensor::<(D<8>, D<4>, D<3>, D<3>)>::randn();
    /// let y: Tensor<(D<1>, D<4>, D<28>, D<28>)> = x.conv_transpose2d::<2, 1, 1, 1, 1, _, _, _>(&w, None);
    /// ```
    ///
    /// # Panics
    ///
    /// At the caller's line, when `Dyn` sizes do not fit (channels other than the weight's first
    /// dim, or an empty output).
    #[track_caller]
    pub fn conv_transpose2d<
        const STRIDE: usize,
        const PAD: usize,
        const OUT_PAD: usize,
        const DIL: usize,
        const GROUPS: usize,
        Og,
        KH: Dim,
        KW: Dim,
    >(
        &self,
        weight: &Tensor<(C, Og, KH, KW), E, Dev>,
        bias: Option<&Tensor<(<Og as DimMul<D<GROUPS>>>::Output,), E, Dev>>,
    ) -> Tensor<
        (
            N,
            <Og as DimMul<D<GROUPS>>>::Output,
            <H as ConvTransposeDim<KH, D<STRIDE>, D<PAD>, D<OUT_PAD>, D<DIL>>>::Output,
            <W as ConvTransposeDim<KW, D<STRIDE>, D<PAD>, D<OUT_PAD>, D<DIL>>>::Output,
        ),
        E,
        Dev,
    >
    where
        Og: DimMul<D<GROUPS>>,
        H: ConvTransposeDim<KH, D<STRIDE>, D<PAD>, D<OUT_PAD>, D<DIL>>,
        W: ConvTransposeDim<KW, D<STRIDE>, D<PAD>, D<OUT_PAD>, D<DIL>>,
    {
        let (x, w, b) = (self.as_tch(), weight.as_tch(), bias.map(|b| b.as_tch()));
        let (stride, pad, out_pad) = (STRIDE as i64, PAD as i64, OUT_PAD as i64);
        let (dil, groups) = (DIL as i64, GROUPS as i64);
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

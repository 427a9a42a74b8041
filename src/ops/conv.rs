//! Functional convolutions. Output sizes come from PyTorch's formulas, computed at compile time;
//! hyper-parameters are const generics (`STRIDE`, `PAD`, `DIL`, `GROUPS`), the same on every
//! spatial axis.
use crate::device::Device;
use crate::dims::{ConvDim, ConvTransposeDim, Dim, DimMul, GroupedChannels, D};
use crate::element::Float;
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
        Tensor::wrap(self.as_tch().conv1d(
            weight.as_tch(),
            bias.map(|b| b.as_tch()),
            [STRIDE as i64],
            [PAD as i64],
            [DIL as i64],
            GROUPS as i64,
        ))
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
        Tensor::wrap(self.as_tch().conv2d(
            weight.as_tch(),
            bias.map(|b| b.as_tch()),
            [STRIDE as i64; 2],
            [PAD as i64; 2],
            [DIL as i64; 2],
            GROUPS as i64,
        ))
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
        Tensor::wrap(self.as_tch().conv_transpose2d(
            weight.as_tch(),
            bias.map(|b| b.as_tch()),
            [STRIDE as i64; 2],
            [PAD as i64; 2],
            [OUT_PAD as i64; 2],
            GROUPS as i64,
            [DIL as i64; 2],
        ))
    }
}

//! `StaticParamCount::PARAM_COUNT` for every layer, stack and derived struct: a compile-time
//! constant equal to `param_count()` at run time and to PyTorch's
//! `sum(p.numel() for p in m.parameters())` (numbers from `tests/reference/param_counts.py`).
use crate::common::share_generator;
use typed_torch::nn::{
    AdaptiveAvgPool2d, AvgPool2d, BatchNorm1d, BatchNorm2d, ConcatOutputs, Conv1d, Conv2d,
    ConvTranspose2d, Dropout, Embedding, Flatten, GroupNorm, LayerNorm, LeakyReLU, Linear,
    LogSoftmax, MaxPool2d, MultiheadAttention, Parallel, Params, ReLU, Repeat, Reshape, Residual,
    Softmax, StaticParamCount, SumOutputs, Tanh, ELU, GELU,
};
use typed_torch::prelude::*;
use typed_torch::{hlist, Cpu, HList, Tensor, D};
use typed_torch_models::cnn::{Cnn, CnnStack};

/// `PARAM_COUNT` as a `const` (so it is evaluated at compile time), `param_count()` and PyTorch's.
fn check<M: StaticParamCount>(model: &M, torch: usize) {
    let name = core::any::type_name::<M>();
    assert_eq!(
        M::PARAM_COUNT,
        model.param_count(),
        "{name}: const vs run time"
    );
    assert_eq!(M::PARAM_COUNT, torch, "{name}: const vs PyTorch");
}

#[test]
fn linear_with_and_without_bias() {
    let _generator = share_generator();
    const N: usize = <Linear<784, 300> as StaticParamCount>::PARAM_COUNT;
    assert_eq!(N, 235_500);
    check(&Linear::<784, 300>::init().unwrap(), 235_500);
    check(
        &Linear::<784, 300, NoBias, f32, Cpu>::init().unwrap(),
        235_200,
    );
    check(&Linear::<3, 2, (), f64>::init().unwrap(), 8);
    assert_eq!(
        Linear::<784, 300, NoBias, f32, Cpu>::init()
            .unwrap()
            .param_names(),
        ["weight"]
    );
}

#[test]
fn convolutions_with_and_without_bias() {
    let _generator = share_generator();
    check(&Conv2d::<1, 6, 5>::init().unwrap(), 156);
    check(
        &Conv2d::<4, 6, 3, (Stride<2>, Padding<1>, Dilation<2>, Groups<2>)>::init().unwrap(),
        114,
    );
    check(&Conv2d::<4, 6, 3, NoBias, f32, Cpu>::init().unwrap(), 216);
    check(
        &Conv1d::<4, 3, 5, (Stride<2>, Padding<2>)>::init().unwrap(),
        63,
    );
    check(
        &Conv1d::<4, 6, 3, (Groups<2>, NoBias), f32, Cpu>::init().unwrap(),
        36,
    );
    check(
        &ConvTranspose2d::<4, 6, 3, (Stride<2>, Padding<1>, OutputPadding<1>, Groups<2>)>::init()
            .unwrap(),
        114,
    );
    check(
        &ConvTranspose2d::<4, 6, 3, NoBias, f32, Cpu>::init().unwrap(),
        216,
    );
}

#[test]
fn normalisation_embedding_attention() {
    let _generator = share_generator();
    // Running statistics are buffers, not parameters.
    check(&BatchNorm1d::<3>::init().unwrap(), 6);
    check(&BatchNorm2d::<16>::init().unwrap(), 32);
    check(&LayerNorm::<8>::init().unwrap(), 16);
    check(&GroupNorm::<Groups<3>, 6>::init().unwrap(), 12);
    check(&Embedding::<100, 16>::init().unwrap(), 1600);
    check(&MultiheadAttention::<16, Heads<4>>::init().unwrap(), 1088);
    check(
        &MultiheadAttention::<16, Heads<4>, NoBias, f32, Cpu>::init().unwrap(),
        1024,
    );
    assert_eq!(
        MultiheadAttention::<16, Heads<4>, NoBias, f32, Cpu>::init()
            .unwrap()
            .param_names(),
        ["in_proj_weight", "out_proj.weight"]
    );
}

#[test]
fn parameter_free_layers() {
    check(&ReLU, 0);
    check(&GELU, 0);
    check(&Tanh, 0);
    check(&LeakyReLU::default(), 0);
    check(&ELU::default(), 0);
    check(&Softmax::<1>, 0);
    check(&LogSoftmax::<1>, 0);
    check(&Dropout::default().p(0.5), 0);
    check(&MaxPool2d::<2>::default(), 0);
    check(&AvgPool2d::<2>::default(), 0);
    check(&AdaptiveAvgPool2d::<3, 3>, 0);
    check(&Flatten, 0);
    check(&Reshape::<(D<4>, D<3>)>::default(), 0);
}

#[test]
fn combinators_and_stacks() {
    let _generator = share_generator();
    check(&Residual(Linear::<8, 8>::init().unwrap()), 72);
    check(
        &Parallel::<Linear<4, 3>, Linear<4, 5>, ConcatOutputs<1>>::init().unwrap(),
        40,
    );
    check(
        &Parallel::new(
            Linear::<4, 3>::init().unwrap(),
            Linear::<4, 3, NoBias>::init().unwrap(),
            SumOutputs,
        ),
        27,
    );
    check(&Repeat::<Linear<8, 8>, 3>::init().unwrap(), 216);
    type Mlp = HList![Linear<784, 300>, ReLU, Linear<300, 10, NoBias>];
    const MLP: usize = <Mlp as StaticParamCount>::PARAM_COUNT;
    assert_eq!(MLP, 784 * 300 + 300 + 300 * 10);
    let mlp: Mlp = hlist![Linear::init().unwrap(), ReLU, Linear::init().unwrap()];
    assert_eq!(mlp.param_count(), MLP);
    check(&hlist![], 0);
}

#[test]
fn reference_cnn_both_forms() {
    let _generator = share_generator();
    const STACK: usize = <CnnStack<f32, Cpu> as StaticParamCount>::PARAM_COUNT;
    const STRUCT: usize = <Cnn<f64, Cpu> as StaticParamCount>::PARAM_COUNT;
    assert_eq!((STACK, STRUCT), (29_410, 29_410));
    check(&CnnStack::<f32, Cpu>::init().unwrap(), 29_410);
    check(&Cnn::<f64, Cpu>::init().unwrap(), 29_410);
}

/// A derived struct with a tensor field, a nested stack, a skipped field and a generic dtype.
#[derive(Module)]
struct Encoder<E: typed_torch::Float> {
    pos: Tensor<(D<5>, D<16>), E>,
    embed: Embedding<100, 16, E>,
    blocks: HList![LayerNorm<16, (), E>, Linear<16, 16, NoBias, E, Cpu>],
    #[module(skip)]
    steps: usize,
}

#[test]
fn derived_struct_sums_its_fields() {
    let _generator = share_generator();
    const N: usize = <Encoder<f32> as StaticParamCount>::PARAM_COUNT;
    assert_eq!(N, 5 * 16 + 100 * 16 + 2 * 16 + 16 * 16);
    let enc = Encoder::<f32> {
        pos: Tensor::zeros(),
        embed: Embedding::init().unwrap(),
        blocks: hlist![LayerNorm::init().unwrap(), Linear::init().unwrap()],
        steps: 0,
    };
    assert_eq!(enc.steps, 0);
    check(&enc, N);
}

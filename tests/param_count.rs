//! `StaticParamCount::PARAM_COUNT` for every layer, stack and derived struct: a compile-time
//! constant equal to `param_count()` at run time and to PyTorch's
//! `sum(p.numel() for p in m.parameters())` (numbers from `tests/reference/param_counts.py`).
use typed_torch::nn::{
    AdaptiveAvgPool2d, AvgPool2d, BatchNorm1d, BatchNorm2d, Concat, Conv1d, Conv2d,
    ConvTranspose2d, Dropout, Embedding, Flatten, GroupNorm, LayerNorm, LeakyReLU, Linear,
    LogSoftmax, MaxPool2d, MultiheadAttention, Parallel, Params, ReLU, Repeat, Reshape, Residual,
    Softmax, StaticParamCount, Sum, Tanh, ELU, GELU,
};
use typed_torch::{hlist, Cpu, HList, Tensor, D};
use typed_torch_models::cnn::{cnn_stack, Cnn, CnnStack};

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
    const N: usize = <Linear<784, 300> as StaticParamCount>::PARAM_COUNT;
    assert_eq!(N, 235_500);
    check(&Linear::<784, 300>::new(), 235_500);
    check(&Linear::<784, 300, f32, Cpu, false>::new(), 235_200);
    check(&Linear::<3, 2, f64>::new(), 8);
    assert_eq!(
        Linear::<784, 300, f32, Cpu, false>::new().param_names(),
        ["weight"]
    );
}

#[test]
fn convolutions_with_and_without_bias() {
    check(&Conv2d::<1, 6, 5>::new(), 156);
    check(&Conv2d::<4, 6, 3, 2, 1, 2, 2>::new(), 114);
    check(&Conv2d::<4, 6, 3, 1, 0, 1, 1, f32, Cpu, false>::new(), 216);
    check(&Conv1d::<4, 3, 5, 2, 2>::new(), 63);
    check(&Conv1d::<4, 6, 3, 1, 0, 1, 2, f32, Cpu, false>::new(), 36);
    check(&ConvTranspose2d::<4, 6, 3, 2, 1, 1, 1, 2>::new(), 114);
    check(
        &ConvTranspose2d::<4, 6, 3, 1, 0, 0, 1, 1, f32, Cpu, false>::new(),
        216,
    );
}

#[test]
fn normalisation_embedding_attention() {
    // Running statistics are buffers, not parameters.
    check(&BatchNorm1d::<3>::new(), 6);
    check(&BatchNorm2d::<16>::new(), 32);
    check(&LayerNorm::<8>::new(), 16);
    check(&GroupNorm::<3, 6>::new(), 12);
    check(&Embedding::<100, 16>::new(), 1600);
    check(&MultiheadAttention::<16, 4>::new(), 1088);
    check(&MultiheadAttention::<16, 4, f32, Cpu, false>::new(), 1024);
    assert_eq!(
        MultiheadAttention::<16, 4, f32, Cpu, false>::new().param_names(),
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
    check(&Dropout::new(0.5), 0);
    check(&MaxPool2d::<2>, 0);
    check(&AvgPool2d::<2>, 0);
    check(&AdaptiveAvgPool2d::<3, 3>, 0);
    check(&Flatten, 0);
    check(&Reshape::<(D<4>, D<3>)>::default(), 0);
}

#[test]
fn combinators_and_stacks() {
    check(&Residual(Linear::<8, 8>::new()), 72);
    check(
        &Parallel::<_, _, Concat<1>>::new(Linear::<4, 3>::new(), Linear::<4, 5>::new()),
        40,
    );
    check(
        &Parallel::<_, _, Sum>::new(
            Linear::<4, 3>::new(),
            Linear::<4, 3, f32, Cpu, false>::new(),
        ),
        27,
    );
    check(&Repeat::<_, 3>::new(Linear::<8, 8>::new), 216);
    type Mlp = HList![Linear<784, 300>, ReLU, Linear<300, 10, f32, Cpu, false>];
    const MLP: usize = <Mlp as StaticParamCount>::PARAM_COUNT;
    assert_eq!(MLP, 784 * 300 + 300 + 300 * 10);
    let mlp: Mlp = hlist![Linear::new(), ReLU, Linear::new()];
    assert_eq!(mlp.param_count(), MLP);
    check(&hlist![], 0);
}

#[test]
fn reference_cnn_both_forms() {
    const STACK: usize = <CnnStack<f32, Cpu> as StaticParamCount>::PARAM_COUNT;
    const STRUCT: usize = <Cnn<f64, Cpu> as StaticParamCount>::PARAM_COUNT;
    assert_eq!((STACK, STRUCT), (29_410, 29_410));
    check(&cnn_stack::<f32>(), 29_410);
    check(&Cnn::<f64, Cpu>::new(), 29_410);
}

/// A derived struct with a tensor field, a nested stack, a skipped field and a generic dtype.
#[derive(Params, StaticParamCount)]
struct Encoder<E: typed_torch::Float> {
    pos: Tensor<(D<5>, D<16>), E>,
    embed: Embedding<100, 16, E>,
    blocks: HList![LayerNorm<16, E>, Linear<16, 16, E, Cpu, false>],
    #[params(skip)]
    steps: usize,
}

#[test]
fn derived_struct_sums_its_fields() {
    const N: usize = <Encoder<f32> as StaticParamCount>::PARAM_COUNT;
    assert_eq!(N, 5 * 16 + 100 * 16 + 2 * 16 + 16 * 16);
    let enc = Encoder::<f32> {
        pos: Tensor::zeros(),
        embed: Embedding::new(),
        blocks: hlist![LayerNorm::new(), Linear::new()],
        steps: 0,
    };
    assert_eq!(enc.steps, 0);
    check(&enc, N);
}

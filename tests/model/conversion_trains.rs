//! A converted model must train exactly like the same weights built natively.
//!
//! `to_kind` and `to_device` return new models; every parameter of the result must be an autograd
//! leaf that receives its gradient (a recorded conversion would leave the optimizer stepping on
//! nothing while values and dtypes still look right). For every layer with parameters, the
//! combinators, the graph layers and every `models/` network, this checks the leaves and gradients after each
//! conversion, that the converted model's gradients are its own (the original's stay empty), and
//! that N Adam steps from the converted weights equal, bit for bit, N steps from a fresh copy of
//! the same weights.
use crate::common::lock_generator;
use typed_torch::graph::Edges;
use typed_torch::nn::{
    BatchNorm1d, BatchNorm2d, ConcatOutputs, Conv1d, Conv2d, ConvTranspose2d, Embedding, GroupNorm,
    Gru, GruCell, LayerNorm, Linear, Lstm, LstmCell, Module, MultiheadAttention, Parallel, Params,
    ReLU, Repeat, Residual, Rnn, RnnCell, SumOutputs, Tanh, ToDevice, ToKind,
};
use typed_torch::optim::{Adam, AdamConfig, Optimizer};
use typed_torch::options::{BatchFirst, Bidirectional, Nonlinearity, NumLayers, ProjSize};
use typed_torch::prelude::*;
use typed_torch::{hlist, Cpu, Float, Shape, Tensor, D};
use typed_torch_models::{cnn, lenet, mlp};

const STEPS: usize = 3;

/// Each tensor of the `state_dict` by name, with whether it is a trainable parameter.
fn tensors(model: &impl Params) -> Vec<(String, tch::Tensor, bool)> {
    let mut out = Vec::new();
    model.for_each_param(|name, t| out.push((name.to_string(), t.shallow_clone(), true)));
    model.for_each_buffer(|name, t| out.push((name.to_string(), t.shallow_clone(), false)));
    out
}

/// The model with every tensor replaced by a new copy: parameters become fresh leaves that
/// require gradients, as a natively built model's are; buffers are no longer shared.
fn as_native<M: Params>(mut model: M) -> M {
    model.for_each_param_mut(|_, t| *t = t.detach().copy().set_requires_grad(true));
    model.for_each_buffer_mut(|_, t| *t = t.detach().copy());
    model
}

fn assert_trainable_leaves(what: &str, model: &impl Params) {
    for (name, t, _) in tensors(model).into_iter().filter(|(_, _, p)| *p) {
        assert!(t.requires_grad(), "{what}: `{name}` does not require grad");
        assert!(
            t.is_leaf(),
            "{what}: `{name}` is not an autograd leaf, so backward never fills its gradient"
        );
    }
}

fn assert_every_param_has_a_gradient(what: &str, model: &impl Params) {
    for (name, t, _) in tensors(model).into_iter().filter(|(_, _, p)| *p) {
        assert!(
            t.grad().defined(),
            "{what}: `{name}` received no gradient from backward"
        );
    }
}

fn assert_no_gradients(what: &str, model: &impl Params) {
    for (name, t, _) in tensors(model).into_iter().filter(|(_, _, p)| *p) {
        assert!(
            !t.grad().defined(),
            "{what}: backward through the converted model filled the original's `{name}`"
        );
    }
}

/// Largest absolute difference between the two models' tensors, parameters and buffers.
fn max_diff(a: &impl Params, b: &impl Params) -> f64 {
    let (a, b) = (tensors(a), tensors(b));
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(&b)
        .map(|((na, ta, _), (nb, tb, _))| {
            assert_eq!(na, nb);
            let (ta, tb) = (ta.to_kind(tch::Kind::Double), tb.to_kind(tch::Kind::Double));
            (ta - tb).abs().max().double_value(&[])
        })
        .fold(0.0, f64::max)
}

/// `STEPS` Adam steps on the mean square of the model's output.
fn train<M, X, S, E>(model: &mut M, input: &X)
where
    M: Module<X, Output = Tensor<S, E, Cpu>> + Params,
    X: Clone,
    S: Shape,
    E: Float,
{
    // Dropout draws from libtorch's global generator: both runs draw the same masks.
    tch::manual_seed(11);
    let mut opt = Adam::new(
        model,
        AdamConfig {
            lr: 0.05,
            ..Default::default()
        },
    )
    .unwrap();
    for _ in 0..STEPS {
        opt.zero_grad();
        model.forward(input.clone()).square().mean_all().backward();
        opt.step(model).unwrap();
    }
}

/// The converted model is made of trainable leaves, gets its own gradients, and trains exactly
/// like a natively built copy of the same weights.
fn trains_like_native<O, M, X, S, E>(what: &str, original: &O, convert: impl Fn(&O) -> M, input: X)
where
    O: Params,
    M: Module<X, Output = Tensor<S, E, Cpu>> + Params,
    X: Clone,
    S: Shape,
    E: Float,
{
    let probe = convert(original);
    assert_trainable_leaves(what, &probe);
    probe.forward(input.clone()).square().mean_all().backward();
    assert_every_param_has_a_gradient(what, &probe);
    assert_no_gradients(what, original);

    // Built after the probe's forward, which may have moved batch-norm statistics they share.
    let mut converted = convert(original);
    let mut native = as_native(convert(original));
    let initial = as_native(convert(original));
    train(&mut converted, &input);
    train(&mut native, &input);
    let moved = max_diff(&native, &initial);
    assert!(
        moved > 1e-4,
        "{what}: {STEPS} Adam steps moved the native copy by only {moved:e}"
    );
    let diff = max_diff(&converted, &native);
    assert!(
        diff == 0.0,
        "{what}: after {STEPS} Adam steps the converted model is {diff:e} away from the native \
         one (moved {moved:e})"
    );
}

/// Checks one f32 model after `to_kind::<f64>()` (with a f64 input) and after
/// `to_device::<Cpu>()` (with the f32 input).
macro_rules! check_conversions {
    ($what:expr, $make:expr, $input32:expr) => {{
        // The generator is global and the tests run on threads: one check at a time.
        let _serial = lock_generator();
        tch::manual_seed(7);
        let model = $make;
        let input32 = $input32;
        let input64 = ConvertInput::convert_input(&input32);
        trains_like_native(
            concat!($what, " after to_kind::<f64>()"),
            &model,
            |m| ToKind::to_kind::<f64>(m),
            input64,
        );
        trains_like_native(
            concat!($what, " after to_device::<Cpu>()"),
            &model,
            |m| ToDevice::to_device::<Cpu>(m).unwrap(),
            input32,
        );
    }};
}

/// Inputs of a converted model: float tensors follow the model's new kind, index tensors stay.
trait ConvertInput {
    type As64;
    fn convert_input(&self) -> Self::As64;
}

impl<S: Shape> ConvertInput for Tensor<S, f32> {
    type As64 = Tensor<S, f64>;
    fn convert_input(&self) -> Tensor<S, f64> {
        self.to_kind()
    }
}

impl<S: Shape> ConvertInput for Tensor<S, i64> {
    type As64 = Tensor<S, i64>;
    fn convert_input(&self) -> Tensor<S, i64> {
        self.clone()
    }
}

/// A graph layer's input: node features with the edges. The f64 model takes f64 edges, made
/// from the same edge list (leaked: a test's few bytes, borrowed for the rest of it).
impl<S: Shape> ConvertInput for (Tensor<S, f32>, &Edges<f32>) {
    type As64 = (Tensor<S, f64>, &'static Edges<f64>);
    fn convert_input(&self) -> Self::As64 {
        let edges = Edges::new(self.1.index().clone(), self.1.num_nodes()).unwrap();
        (self.0.to_kind(), Box::leak(Box::new(edges)))
    }
}

fn randn<S: typed_torch::StaticShape>() -> Tensor<S> {
    Tensor::randn()
}

#[test]
fn linear_and_convolutions() {
    check_conversions!(
        "Linear",
        Linear::<4, 3>::init().unwrap(),
        randn::<(D<5>, D<4>)>()
    );
    check_conversions!(
        "Linear without bias",
        Linear::<4, 3, NoBias, f32, Cpu>::init().unwrap(),
        randn::<(D<5>, D<4>)>()
    );
    check_conversions!(
        "Conv1d",
        Conv1d::<2, 3, 3>::init().unwrap(),
        randn::<(D<2>, D<2>, D<8>)>()
    );
    check_conversions!(
        "Conv2d",
        Conv2d::<2, 4, 3, (Padding<1>, Groups<2>)>::init().unwrap(),
        randn::<(D<2>, D<2>, D<6>, D<6>)>()
    );
    check_conversions!(
        "ConvTranspose2d",
        ConvTranspose2d::<2, 3, 3, (Stride<2>, Padding<1>)>::init().unwrap(),
        randn::<(D<2>, D<2>, D<4>, D<4>)>()
    );
}

#[test]
fn normalization_embedding_and_attention() {
    check_conversions!(
        "BatchNorm1d",
        BatchNorm1d::<3>::init().unwrap(),
        randn::<(D<6>, D<3>)>()
    );
    check_conversions!(
        "BatchNorm2d",
        BatchNorm2d::<3>::init().unwrap(),
        randn::<(D<2>, D<3>, D<4>, D<4>)>()
    );
    check_conversions!(
        "LayerNorm",
        LayerNorm::<6>::init().unwrap(),
        randn::<(D<4>, D<6>)>()
    );
    check_conversions!(
        "GroupNorm",
        GroupNorm::<Groups<2>, 4>::init().unwrap(),
        randn::<(D<3>, D<4>, D<5>)>()
    );
    check_conversions!(
        "Embedding",
        Embedding::<10, 4>::init().unwrap(),
        Tensor::<(D<6>,), i64>::from_slice(&[0, 3, 9, 3, 1, 7]).unwrap()
    );
    check_conversions!(
        "MultiheadAttention",
        MultiheadAttention::<8, Heads<2>>::init().unwrap(),
        randn::<(D<2>, D<5>, D<8>)>()
    );
    check_conversions!(
        "MultiheadAttention without bias",
        MultiheadAttention::<8, Heads<2>, NoBias, f32, Cpu>::init().unwrap(),
        randn::<(D<2>, D<5>, D<8>)>()
    );
}

#[test]
fn recurrent_stacks_and_cells() {
    check_conversions!(
        "Lstm",
        Lstm::<4, 3, (NumLayers<2>, Bidirectional, ProjSize<2>)>::init().unwrap(),
        randn::<(D<5>, D<2>, D<4>)>()
    );
    check_conversions!(
        "Gru",
        Gru::<4, 3, BatchFirst>::init().unwrap(),
        randn::<(D<2>, D<5>, D<4>)>()
    );
    check_conversions!(
        "Rnn",
        Rnn::<4, 3, (Nonlinearity<ReLU>, NoBias)>::init().unwrap(),
        randn::<(D<5>, D<2>, D<4>)>()
    );
    check_conversions!(
        "LstmCell",
        LstmCell::<4, 3>::init().unwrap(),
        randn::<(D<2>, D<4>)>()
    );
    check_conversions!(
        "GruCell",
        GruCell::<4, 3>::init().unwrap(),
        randn::<(D<2>, D<4>)>()
    );
    check_conversions!(
        "RnnCell",
        RnnCell::<4, 3>::init().unwrap(),
        randn::<(D<2>, D<4>)>()
    );
}

#[test]
fn graph_layers() {
    let edges = Edges::<f32>::from_pairs(&[(0, 1), (1, 2), (2, 3), (3, 4), (4, 0), (2, 2)], 5)
        .unwrap()
        .undirected();
    let x = || (randn::<(D<5>, D<4>)>(), &edges);
    check_conversions!("GcnConv", GcnConv::<4, 3>::init().unwrap(), x());
    check_conversions!(
        "SageConv",
        SageConv::<4, 3, MaxAggregation>::init().unwrap(),
        x()
    );
    check_conversions!("GatConv", GatConv::<4, 3, Heads<2>>::init().unwrap(), x());
    check_conversions!(
        "GinConv",
        GinConv::<HList![Linear<4, 6>, Tanh, Linear<6, 3>], TrainEps>::init()
            .unwrap()
            .eps(0.1)
            .unwrap(),
        x()
    );
}

#[test]
fn combinators_and_stacks() {
    check_conversions!(
        "Residual",
        Residual(hlist![Linear::<4, 4>::init().unwrap(), Tanh]),
        randn::<(D<5>, D<4>)>()
    );
    check_conversions!(
        "Parallel (concat)",
        Parallel::<Linear<4, 3>, Linear<4, 2>, ConcatOutputs<1>>::init().unwrap(),
        randn::<(D<5>, D<4>)>()
    );
    check_conversions!(
        "Parallel (sum)",
        Parallel::<Linear<4, 3>, Linear<4, 3>, SumOutputs>::init().unwrap(),
        randn::<(D<5>, D<4>)>()
    );
    check_conversions!(
        "Repeat",
        Repeat::<_, 2>::new(|| hlist![Linear::<4, 4>::init().unwrap(), ReLU]),
        randn::<(D<5>, D<4>)>()
    );
    check_conversions!(
        "HList stack",
        hlist![
            Conv2d::<1, 2, 3>::init().unwrap(),
            BatchNorm2d::<2>::init().unwrap(),
            ReLU
        ],
        randn::<(D<2>, D<1>, D<5>, D<5>)>()
    );
}

#[test]
fn model_zoo() {
    check_conversions!(
        "models::mlp",
        mlp::Mlp::<typed_torch::nn::Sigmoid>::init().unwrap(),
        randn::<(D<4>, D<1>, D<28>, D<28>)>()
    );
    check_conversions!(
        "models::lenet",
        lenet::LeNet::init().unwrap(),
        randn::<(D<4>, D<1>, D<28>, D<28>)>()
    );
    let digits = || Tensor::<(typed_torch::Dyn, D<1>, D<28>, D<28>)>::randn_dyn(&[4]).unwrap();
    check_conversions!(
        "models::cnn::Cnn (derived struct)",
        cnn::Cnn::<f32, Cpu>::init().unwrap(),
        digits()
    );
    check_conversions!(
        "models::cnn::cnn_stack",
        cnn::CnnStack::<f32, Cpu>::init().unwrap(),
        digits()
    );
}

/// A block generic over its inner module with a tensor-free layer of fixed type beside it: the
/// derive keeps `ReLU` as it is and converts through `M`.
#[derive(Debug, typed_torch::nn::Module)]
#[module(sequential)]
struct Block<M> {
    inner: M,
    act: ReLU,
}

/// A layer of fixed dtype and device (`Linear<4, 4>`, f32 on the CPU) beside a generic one: the
/// struct is a model like any other, it only lacks the conversions
/// (ui-tests/tests/fail/derive/fixed_field_to_device.rs).
#[derive(Debug, typed_torch::nn::Module)]
#[module(sequential)]
struct Fixed<M> {
    first: Linear<4, 4>,
    rest: M,
}

/// A model whose step counter is an integer tensor of fixed type: changing the dtype keeps it.
#[derive(Debug, typed_torch::nn::Module)]
#[module(manual_init)]
struct Counted<E: Float = f32> {
    fc: Linear<4, 2, (), E>,
    #[module(buffer)]
    steps: Tensor<(), i64>,
}

impl<E: Float> Module<Tensor<(D<5>, D<4>), E>> for Counted<E> {
    type Output = Tensor<(D<5>, D<2>), E>;
    fn forward(&self, x: Tensor<(D<5>, D<4>), E>) -> Self::Output {
        self.fc.forward(x)
    }
}

#[test]
fn derived_structs_with_fields_of_fixed_type() {
    check_conversions!(
        "Block<Linear> (a fixed ReLU beside a module parameter)",
        Block::<Linear<4, 3>>::init().unwrap(),
        randn::<(D<5>, D<4>)>()
    );

    let _serial = lock_generator();
    let counted = Counted::<f32> {
        fc: Linear::init().unwrap(),
        steps: Tensor::scalar(41),
    };
    trains_like_native(
        "Counted after to_kind::<f64>() (an i64 buffer kept)",
        &counted,
        ToKind::to_kind::<f64>,
        randn::<(D<5>, D<4>)>().to_kind::<f64>(),
    );
    let converted: Counted<f64> = counted.to_kind();
    assert_eq!(converted.steps.item(), 41);
    assert_ne!(
        converted.steps.as_tch().data_ptr(),
        counted.steps.as_tch().data_ptr(),
        "the converted model's counter must be its own"
    );

    // The struct with a fixed layer runs and trains; no conversion is asked of it.
    let mut fixed = Fixed::<Linear<4, 2>>::init().unwrap();
    let x = randn::<(D<5>, D<4>)>();
    let before = fixed.forward(x.clone()).square().mean_all().item();
    train(&mut fixed, &x);
    let after = fixed.forward(x).square().mean_all().item();
    assert!(after < before, "{STEPS} Adam steps: {before} -> {after}");
}

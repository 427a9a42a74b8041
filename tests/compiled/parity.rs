//! Each layer the compiled step covers, and whole stacks, against autograd in f64.
use typed_torch::compiled::{check_against_autograd, Autograd, StepLayer, StepTensor};
use typed_torch::nn::{
    BatchNorm1d, Conv2d, Flatten, Init, Linear, MaxPool2d, Params, ReLU, Residual, Sigmoid, Tanh,
};
use typed_torch::options::{NoBias, Padding, Stride};
use typed_torch::{Dyn, HList, Tensor, D};

/// Rounding only: the compiled passes run the same kernels, or the same products summed in
/// another order.
const TOL: f64 = 1e-12;

fn assert_matches<In: StepTensor, L: StepLayer<In> + Params>(what: &str, layer: &mut L, x: &In) {
    let gap = check_against_autograd(layer, x).unwrap();
    assert!(gap < TOL, "{what}: {gap:e} from autograd");
}

fn randn<S: typed_torch::StaticShape>() -> Tensor<S, f64> {
    Tensor::randn()
}

#[test]
fn linear_layers_match_autograd() {
    // Draws from the generator while no other test is seeding it (see `twins`).
    let _shared = crate::common::share_generator();
    assert_matches(
        "Linear, batch 4",
        &mut Linear::<5, 3, (), f64>::init().unwrap(),
        &randn::<(D<4>, D<5>)>(),
    );
    assert_matches(
        "Linear without bias",
        &mut Linear::<5, 3, NoBias, f64>::init().unwrap(),
        &randn::<(D<4>, D<5>)>(),
    );
    let one = Tensor::<(Dyn, D<7>), f64>::randn_dyn(&[1]).unwrap();
    assert_matches(
        "Linear, batch 1",
        &mut Linear::<7, 2, (), f64>::init().unwrap(),
        &one,
    );
}

#[test]
fn activations_and_flatten_match_autograd() {
    // Draws from the generator while no other test is seeding it (see `twins`).
    let _shared = crate::common::share_generator();
    // Exact zeros too: ReLU's gradient there is 0 on both sides.
    let x = randn::<(D<3>, D<8>)>().as_tch().relu() - 0.5;
    let x = Tensor::<(D<3>, D<8>), f64>::from_tch(x).unwrap();
    assert_matches("Sigmoid", &mut Sigmoid, &x);
    assert_matches("Tanh", &mut Tanh, &x);
    assert_matches("ReLU", &mut ReLU, &x);
    assert_matches(
        "Flatten",
        &mut Flatten,
        &randn::<(D<2>, D<3>, D<4>, D<5>)>(),
    );
}

/// Small integers: most windows hold ties, where the gradient must go to the element libtorch's
/// kernel picks (the first maximum). Odd sizes leave a row and a column outside every window.
#[test]
fn max_pooling_matches_autograd_with_ties_and_odd_sizes() {
    // Draws from the generator while no other test is seeding it (see `twins`).
    let _shared = crate::common::share_generator();
    let ties = tch::Tensor::randint(3, [2, 3, 7, 9], (tch::Kind::Double, tch::Device::Cpu));
    let x = Tensor::<(D<2>, D<3>, D<7>, D<9>), f64>::from_tch(ties).unwrap();
    assert_matches("MaxPool2d<2>", &mut MaxPool2d::<2>::default(), &x);
    assert_matches("MaxPool2d<3>", &mut MaxPool2d::<3>::default(), &x);
    assert_matches(
        "MaxPool2d<3, (Stride<2>, Padding<1>)>",
        &mut MaxPool2d::<3, (Stride<2>, Padding<1>)>::default(),
        &x,
    );
    let x = randn::<(D<2>, D<4>, D<8>, D<8>)>();
    assert_matches("MaxPool2d<2>, no ties", &mut MaxPool2d::<2>::default(), &x);
}

#[test]
fn convolutions_and_the_autograd_fallback_match_autograd() {
    // Draws from the generator while no other test is seeding it (see `twins`).
    let _shared = crate::common::share_generator();
    assert_matches(
        "Conv2d",
        &mut Conv2d::<2, 4, 3, Padding<1>, f64>::init().unwrap(),
        &randn::<(D<3>, D<2>, D<6>, D<6>)>(),
    );
    assert_matches(
        "Autograd<Residual<Linear>>",
        &mut Autograd(Residual::<Linear<6, 6, (), f64>>::init().unwrap()),
        &randn::<(D<5>, D<6>)>(),
    );
    assert_matches(
        "Autograd<BatchNorm1d> (training mode)",
        &mut Autograd(BatchNorm1d::<6, (), f64>::init().unwrap()),
        &randn::<(D<5>, D<6>)>(),
    );
}

type LeNet64 = HList![
    Conv2d<1, 6, 5, Padding<2>, f64>, ReLU, MaxPool2d<2>,
    Conv2d<6, 16, 5, (), f64>, ReLU, MaxPool2d<2>,
    Flatten,
    Linear<400, 120, (), f64>, ReLU,
    Linear<120, 84, (), f64>, ReLU,
    Linear<84, 10, (), f64>
];

#[test]
fn whole_stacks_match_autograd() {
    // Draws from the generator while no other test is seeding it (see `twins`).
    let _shared = crate::common::share_generator();
    assert_matches(
        "the README's MLP",
        &mut super::Mlp64::init().unwrap(),
        &Tensor::<(Dyn, D<1>, D<28>, D<28>), f64>::randn_dyn(&[3]).unwrap(),
    );
    assert_matches(
        "LeNet",
        &mut LeNet64::init().unwrap(),
        &Tensor::<(Dyn, D<1>, D<28>, D<28>), f64>::randn_dyn(&[3]).unwrap(),
    );
    type Mixed = HList![
        Linear<8, 16, (), f64>, Tanh,
        Autograd<BatchNorm1d<16, (), f64>>, ReLU,
        Linear<16, 4, NoBias, f64>
    ];
    assert_matches(
        "a stack with a fallback layer",
        &mut Mixed::init().unwrap(),
        &randn::<(D<6>, D<8>)>(),
    );
}

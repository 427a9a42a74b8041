//! Convolution, pooling and reshaping layers, and the 20-layer reference CNN of `models/` as an
//! HList and as a derived struct, against `torch.nn` with the same weights (loaded by `state_dict` name).

use crate::common::{assert_close, input, load_state, share_generator};
use typed_torch::check_gradients;
use typed_torch::nn::{
    AdaptiveAvgPool2d, AvgPool2d, Conv1d, Conv2d, ConvTranspose2d, Flatten, MaxPool2d, Module,
    Params, Summary,
};
use typed_torch::prelude::*;
use typed_torch::{hlist, Dyn, Tensor, D};

type X = (D<2>, D<4>, D<9>, D<9>);

#[test]
fn conv_layers_match_torch() {
    let _generator = share_generator();
    let x = input::<X, f64>("cnn.conv2d", 0);

    let mut conv = Conv2d::<4, 6, 3, (), f64>::init().unwrap();
    assert_eq!(conv.param_names(), ["weight", "bias"]);
    load_state(&mut conv, "cnn.conv2d.param");
    let y: Tensor<(D<2>, D<6>, D<7>, D<7>), f64> = conv.forward(x.clone());
    assert_close("cnn.conv2d", &y, 1e-12);

    let mut conv =
        Conv2d::<4, 6, 3, (Stride<2>, Padding<1>, Dilation<2>, Groups<2>), f64>::init().unwrap();
    load_state(&mut conv, "cnn.conv2d_s2p1d2g2.param");
    assert_eq!(conv.weight.size(), vec![6, 2, 3, 3]);
    let y: Tensor<(D<2>, D<6>, D<4>, D<4>), f64> = conv.forward(x.clone());
    assert_close("cnn.conv2d_s2p1d2g2", &y, 1e-12);

    let mut conv = Conv2d::<4, 2, 1, NoBias, f64, typed_torch::Cpu>::init().unwrap();
    assert_eq!(conv.param_names(), ["weight"]);
    load_state(&mut conv, "cnn.conv2d_nobias.param");
    assert_close("cnn.conv2d_nobias", &conv.forward(x.clone()), 1e-12);

    let mut conv = Conv1d::<4, 3, 5, (Stride<2>, Padding<2>), f64>::init().unwrap();
    load_state(&mut conv, "cnn.conv1d.param");
    let y: Tensor<(D<2>, D<3>, D<6>), f64> =
        conv.forward(input::<(D<2>, D<4>, D<11>), f64>("cnn.conv1d", 0));
    assert_close("cnn.conv1d", &y, 1e-12);

    let mut convt = ConvTranspose2d::<
        4,
        6,
        3,
        (Stride<2>, Padding<1>, OutputPadding<1>, Groups<2>),
        f64,
    >::init()
    .unwrap();
    load_state(&mut convt, "cnn.convt2d.param");
    assert_eq!(convt.weight.size(), vec![4, 3, 3, 3]);
    let y: Tensor<(D<2>, D<6>, D<18>, D<18>), f64> = convt.forward(x);
    assert_close("cnn.convt2d", &y, 1e-12);
}

#[test]
fn pooling_and_flatten_layers_match_torch() {
    let x = input::<X, f64>("cnn.maxpool", 0);
    let y: Tensor<(D<2>, D<4>, D<5>, D<5>), f64> =
        MaxPool2d::<3, (Stride<2>, Padding<1>)>::default().forward(x.clone());
    assert_close("cnn.maxpool", &y, 0.0);
    let y: Tensor<(D<2>, D<4>, D<4>, D<4>), f64> = AvgPool2d::<2>::default().forward(x.clone());
    assert_close("cnn.avgpool", &y, 1e-12);
    let y: Tensor<(D<2>, D<4>, D<2>, D<3>), f64> = AdaptiveAvgPool2d::<2, 3>.forward(x.clone());
    assert_close("cnn.adaptive", &y, 1e-12);
    let y: Tensor<(D<2>, D<324>), f64> = Flatten.forward(x);
    assert_close("cnn.flatten", &y, 0.0);
}

#[test]
fn conv_layer_gradients_match_finite_differences() {
    let _generator = share_generator();
    tch::manual_seed(2);
    let x = Tensor::<(D<1>, D<4>, D<5>, D<5>), f64>::randn();
    let mut conv = Conv2d::<4, 2, 3, (Stride<2>, Padding<1>, Groups<2>), f64>::init().unwrap();
    let r = check_gradients(&mut conv, &x, 1e-6, |m, x| {
        m.forward(x.clone()).tanh().sum_all()
    });
    assert!(r.max_error < 1e-6, "conv2d {r:?}");
    let mut convt =
        ConvTranspose2d::<4, 2, 3, (Stride<2>, Padding<1>, OutputPadding<1>), f64>::init().unwrap();
    let r = check_gradients(&mut convt, &x, 1e-6, |m, x| {
        m.forward(x.clone()).tanh().sum_all()
    });
    assert!(r.max_error < 1e-6, "conv_transpose2d {r:?}");
    let x1 = Tensor::<(D<2>, D<4>, D<7>), f64>::randn();
    let mut conv1 = Conv1d::<4, 3, 3, (Padding<1>, Dilation<2>), f64>::init().unwrap();
    let r = check_gradients(&mut conv1, &x1, 1e-6, |m, x| {
        m.forward(x.clone()).square().sum_all()
    });
    assert!(r.max_error < 1e-6, "conv1d {r:?}");
    // Values spaced apart so no pooling window has a tie.
    let xp = (Tensor::<(D<36>,), f64>::arange() * 0.37)
        .sin()
        .reshape::<(D<1>, D<1>, D<6>, D<6>)>();
    let r = check_gradients(&mut hlist![MaxPool2d::<2>::default()], &xp, 1e-6, |m, x| {
        m.forward(x.clone()).square().sum_all()
    });
    assert!(r.max_error < 1e-6, "max_pool2d {r:?}");
    let r = check_gradients(
        &mut hlist![
            AvgPool2d::<3, (Stride<1>, Padding<1>)>::default(),
            AdaptiveAvgPool2d::<2, 2>
        ],
        &xp,
        1e-6,
        |m, x| m.forward(x.clone()).square().sum_all(),
    );
    assert!(r.max_error < 1e-6, "avg/adaptive pool {r:?}");
}

#[test]
fn twenty_layer_cnn_as_hlist_matches_torch_sequential() {
    let _generator = share_generator();
    let mut seq = typed_torch_models::cnn::CnnStack::<f64, Cpu>::init().unwrap();
    assert_eq!(seq.len(), 20);
    seq.set_train(false);
    load_state(&mut seq, "cnn.seq.param");
    let summary = Summary::<Tensor<(Dyn, D<1>, D<28>, D<28>), f64>>::summary(&seq);
    println!("{summary}");
    assert_eq!(summary.rows.len(), 20);
    assert_eq!(summary.rows[4].output, "(Dyn, D<8>, D<14>, D<14>) f64");
    assert_eq!(summary.rows[13].output, "(Dyn, D<288>) f64");
    assert_eq!(summary.total_params(), seq.param_count());
    let y: Tensor<(Dyn, D<10>), f64> =
        seq.forward(input::<(Dyn, D<1>, D<28>, D<28>), f64>("cnn.seq", 0));
    assert_close("cnn.seq", &y, 1e-10);

    // The same weights in f32 (converted as a whole model) stay within 1e-5 of PyTorch's f64 result.
    use typed_torch::nn::ToKind;
    let narrow = seq.to_kind::<f32>();
    let x32 = input::<(Dyn, D<1>, D<28>, D<28>), f64>("cnn.seq", 0).to_kind::<f32>();
    let y32: Tensor<(Dyn, D<10>)> = narrow.forward(x32);
    assert_close("cnn.seq", &y32.to_kind::<f64>(), 1e-5);
}

#[test]
fn twenty_layer_cnn_as_derived_struct_matches_torch_module() {
    let _generator = share_generator();
    let mut net = typed_torch_models::cnn::Cnn::<f64, typed_torch::Cpu>::init().unwrap();
    let table = typed_torch::nn::param_table(&net);
    println!("{table}");
    assert!(
        table.contains("features.2.weight") && table.contains("[8, 4, 3, 3]"),
        "{table}"
    );
    assert!(
        table.ends_with(&format!("total {}", net.param_count())),
        "{table}"
    );
    assert_eq!(net.param_names()[0], "features.0.weight");
    assert_eq!(net.param_names().last().unwrap(), "classifier.6.bias");
    // The struct's summary: the same 20 layers and shapes as the stack's, named by field.
    let summary = Summary::<Tensor<(Dyn, D<1>, D<28>, D<28>), f64>>::summary(&net);
    println!("{summary}");
    let stack = typed_torch_models::cnn::CnnStack::<f64, Cpu>::init().unwrap();
    let stack_summary = Summary::<Tensor<(Dyn, D<1>, D<28>, D<28>), f64>>::summary(&stack);
    assert_eq!(summary.rows.len(), 20);
    assert_eq!(summary.rows[0].name, "features.0");
    assert_eq!(summary.rows[13].name, "classifier.0");
    assert_eq!(summary.rows[19].name, "classifier.6");
    for (a, b) in summary.rows.iter().zip(&stack_summary.rows) {
        assert_eq!(
            (&a.layer, &a.output, a.params),
            (&b.layer, &b.output, b.params)
        );
    }
    assert_eq!(summary.total_params(), net.param_count());
    net.set_train(false);
    load_state(&mut net, "cnn.net.param");
    let y = net.forward(input::<(Dyn, D<1>, D<28>, D<28>), f64>("cnn.net", 0));
    assert_close("cnn.net", &y, 1e-10);
    // In training mode dropout changes the output; back in eval it is deterministic again.
    net.set_train(true);
    let x = input::<(Dyn, D<1>, D<28>, D<28>), f64>("cnn.net", 0);
    let train_out = net.forward(x.clone()).to_vec();
    net.set_train(false);
    let eval_out = net.forward(x).to_vec();
    assert_ne!(train_out, eval_out, "dropout is active in training mode");
}

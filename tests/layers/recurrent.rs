//! `Rnn`, `Lstm` and `Gru` stacks against `torch.nn.RNN/LSTM/GRU` on the same weights: outputs,
//! final states, and the gradients of every input, initial state and parameter.

use crate::common::{assert_close, assert_close_to, input, load_state, reference, share_generator};
use typed_torch::check_gradients;
use typed_torch::nn::{
    Gru, GruCell, HiddenState, Lstm, LstmCell, LstmCellState, LstmState, Params, Rnn, RnnCell,
};
use typed_torch::options::{BatchFirst, Bidirectional, NoBias, Nonlinearity, NumLayers, ProjSize};
use typed_torch::prelude::*;
use typed_torch::{Dyn, Shape, Tensor, D};

/// Checks every parameter's gradient against PyTorch's `<prefix>.pgrad.<name>`.
fn assert_param_grads<M: Params>(model: &M, prefix: &str, tol: f64) {
    let mut checked = 0;
    model.for_each_param(|name, t| {
        let expected = reference(&format!("{prefix}.pgrad.{name}"));
        let grad = t.grad();
        let diff = (grad.to_kind(tch::Kind::Double) - expected.to_kind(tch::Kind::Double))
            .abs()
            .max()
            .double_value(&[]);
        assert!(
            diff <= tol,
            "{prefix}: gradient of {name} differs by {diff:e}"
        );
        checked += 1;
    });
    assert!(checked >= 2, "{prefix}: no parameters checked");
}

/// `sum(t^2)` as a scalar to differentiate.
fn square_sum<S: Shape, E: Float<Sum = E>>(t: &Tensor<S, E>) -> Tensor<(), E> {
    t.square().sum_all()
}

macro_rules! lstm_parity {
    ($test:ident, $config:literal, $layer:ty, $e:ty, tol $tol:expr,
     x $xs:ty, h $hs:ty, c $cs:ty, out $os:ty) => {
        #[test]
        fn $test() {
            let _generator = share_generator();
            let mut lstm = <$layer>::init().unwrap();
            load_state(&mut lstm, concat!("rnn.", $config, ".param"));
            let case = concat!("rnn.", $config, ".state");
            let x = input::<$xs, $e>(case, 0).requires_grad();
            let h0 = input::<$hs, $e>(case, 1).requires_grad();
            let c0 = input::<$cs, $e>(case, 2).requires_grad();
            let state = LstmState { h: h0.clone(), c: c0.clone() };
            let (out, LstmState { h, c }) = lstm.forward_with_state(x.clone(), Some(&state));
            let _: &Tensor<$os, $e> = &out;
            assert_close(case, &out, $tol);
            assert_close_to(case, "grad3", &h, $tol);
            assert_close_to(case, "grad4", &c, $tol);
            (square_sum(&out) + square_sum(&h) + square_sum(&c)).backward();
            assert_close_to(case, "grad0", &x.grad().unwrap(), $tol);
            assert_close_to(case, "grad1", &h0.grad().unwrap(), $tol);
            assert_close_to(case, "grad2", &c0.grad().unwrap(), $tol);
            assert_param_grads(&lstm, concat!("rnn.", $config), $tol);

            // Variable lengths: 5, 2 and 4 steps.
            let packed = concat!("rnn.", $config, ".packed");
            let x = input::<$xs, $e>(packed, 0).requires_grad();
            let h0 = input::<$hs, $e>(packed, 1).requires_grad();
            let c0 = input::<$cs, $e>(packed, 2).requires_grad();
            let lengths = input::<(D<3>,), i64>(packed, 3);
            let state = LstmState { h: h0.clone(), c: c0.clone() };
            let (out, LstmState { h, c }) =
                lstm.forward_packed(x.clone(), &lengths, Some(&state)).unwrap();
            assert_close(packed, &out, $tol);
            assert_close_to(packed, "grad3", &h, $tol);
            assert_close_to(packed, "grad4", &c, $tol);
            (square_sum(&out) + square_sum(&h) + square_sum(&c)).backward();
            assert_close_to(packed, "grad0", &x.grad().unwrap(), $tol);
            assert_close_to(packed, "grad1", &h0.grad().unwrap(), $tol);
            assert_close_to(packed, "grad2", &c0.grad().unwrap(), $tol);

            // From zeros, through `Module` as in a stack.
            let zero = concat!("rnn.", $config, ".zero");
            let x = input::<$xs, $e>(zero, 0);
            assert_close(zero, &lstm.forward(x.clone()), $tol);
            let (_, LstmState { h, c }) = lstm.forward_with_state(x, None);
            assert_close_to(zero, "grad0", &h, $tol);
            assert_close_to(zero, "grad1", &c, $tol);
        }
    };
}

macro_rules! hidden_parity {
    ($test:ident, $config:literal, $layer:ty, $e:ty, tol $tol:expr, x $xs:ty, h $hs:ty, out $os:ty) => {
        #[test]
        fn $test() {
            let _generator = share_generator();
            let mut layer = <$layer>::init().unwrap();
            load_state(&mut layer, concat!("rnn.", $config, ".param"));
            let case = concat!("rnn.", $config, ".state");
            let x = input::<$xs, $e>(case, 0).requires_grad();
            let h0 = input::<$hs, $e>(case, 1).requires_grad();
            let (out, HiddenState { h }) =
                layer.forward_with_state(x.clone(), Some(&HiddenState { h: h0.clone() }));
            let _: &Tensor<$os, $e> = &out;
            assert_close(case, &out, $tol);
            assert_close_to(case, "grad2", &h, $tol);
            (square_sum(&out) + square_sum(&h)).backward();
            assert_close_to(case, "grad0", &x.grad().unwrap(), $tol);
            assert_close_to(case, "grad1", &h0.grad().unwrap(), $tol);
            assert_param_grads(&layer, concat!("rnn.", $config), $tol);

            let packed = concat!("rnn.", $config, ".packed");
            let x = input::<$xs, $e>(packed, 0).requires_grad();
            let h0 = input::<$hs, $e>(packed, 1).requires_grad();
            let lengths = input::<(D<3>,), i64>(packed, 2);
            let (out, HiddenState { h }) = layer
                .forward_packed(x.clone(), &lengths, Some(&HiddenState { h: h0.clone() }))
                .unwrap();
            assert_close(packed, &out, $tol);
            assert_close_to(packed, "grad2", &h, $tol);
            (square_sum(&out) + square_sum(&h)).backward();
            assert_close_to(packed, "grad0", &x.grad().unwrap(), $tol);
            assert_close_to(packed, "grad1", &h0.grad().unwrap(), $tol);

            let zero = concat!("rnn.", $config, ".zero");
            let x = input::<$xs, $e>(zero, 0);
            assert_close(zero, &layer.forward(x.clone()), $tol);
            let (_, HiddenState { h }) = layer.forward_with_state(x, None);
            assert_close_to(zero, "grad0", &h, $tol);
        }
    };
}

// T = 5 steps, B = 3, I = 4, H = 6; batch-first inputs are (B, T, I).
lstm_parity!(lstm_one_layer, "lstm", Lstm<4, 6, (), f64>, f64, tol 1e-10,
    x (D<5>, D<3>, D<4>), h (D<1>, D<3>, D<6>), c (D<1>, D<3>, D<6>), out (D<5>, D<3>, D<6>));
lstm_parity!(lstm_two_layers_bidirectional_batch_first, "lstm_2_bi_bf",
    Lstm<4, 6, (NumLayers<2>, Bidirectional, BatchFirst), f64>, f64, tol 1e-10,
    x (D<3>, D<5>, D<4>), h (D<4>, D<3>, D<6>), c (D<4>, D<3>, D<6>), out (D<3>, D<5>, D<12>));
lstm_parity!(lstm_two_layers_projected, "lstm_2_proj",
    Lstm<4, 6, (NumLayers<2>, ProjSize<3>), f64>, f64, tol 1e-10,
    x (D<5>, D<3>, D<4>), h (D<2>, D<3>, D<3>), c (D<2>, D<3>, D<6>), out (D<5>, D<3>, D<3>));
lstm_parity!(lstm_three_layers_bidirectional_projected, "lstm_3_bi_proj_bf",
    Lstm<4, 6, (NumLayers<3>, Bidirectional, ProjSize<3>, BatchFirst), f64>, f64, tol 1e-10,
    x (D<3>, D<5>, D<4>), h (D<6>, D<3>, D<3>), c (D<6>, D<3>, D<6>), out (D<3>, D<5>, D<6>));
lstm_parity!(lstm_bidirectional_without_bias, "lstm_bi_nobias",
    Lstm<4, 6, (Bidirectional, NoBias), f64>, f64, tol 1e-10,
    x (D<5>, D<3>, D<4>), h (D<2>, D<3>, D<6>), c (D<2>, D<3>, D<6>), out (D<5>, D<3>, D<12>));
lstm_parity!(lstm_f32, "lstm_2_bi_bf_f32",
    Lstm<4, 6, (NumLayers<2>, Bidirectional, BatchFirst)>, f32, tol 1e-5,
    x (D<3>, D<5>, D<4>), h (D<4>, D<3>, D<6>), c (D<4>, D<3>, D<6>), out (D<3>, D<5>, D<12>));

hidden_parity!(gru_one_layer, "gru", Gru<4, 6, (), f64>, f64, tol 1e-10,
    x (D<5>, D<3>, D<4>), h (D<1>, D<3>, D<6>), out (D<5>, D<3>, D<6>));
hidden_parity!(gru_three_layers_bidirectional_batch_first, "gru_3_bi_bf",
    Gru<4, 6, (NumLayers<3>, Bidirectional, BatchFirst), f64>, f64, tol 1e-10,
    x (D<3>, D<5>, D<4>), h (D<6>, D<3>, D<6>), out (D<3>, D<5>, D<12>));
hidden_parity!(rnn_two_layers_tanh, "rnn_2", Rnn<4, 6, NumLayers<2>, f64>, f64, tol 1e-10,
    x (D<5>, D<3>, D<4>), h (D<2>, D<3>, D<6>), out (D<5>, D<3>, D<6>));
hidden_parity!(rnn_relu_bidirectional_without_bias, "rnn_relu_bi_bf_nobias",
    Rnn<4, 6, (Nonlinearity<ReLU>, Bidirectional, BatchFirst, NoBias), f64>, f64, tol 1e-10,
    x (D<3>, D<5>, D<4>), h (D<2>, D<3>, D<6>), out (D<3>, D<5>, D<12>));

#[test]
fn parameter_names_and_counts_follow_pytorch() {
    let _generator = share_generator();
    let lstm = Lstm::<4, 6, (NumLayers<2>, Bidirectional, ProjSize<3>)>::init().unwrap();
    assert_eq!(
        lstm.param_names()[..10],
        [
            "weight_ih_l0",
            "weight_hh_l0",
            "bias_ih_l0",
            "bias_hh_l0",
            "weight_hr_l0",
            "weight_ih_l0_reverse",
            "weight_hh_l0_reverse",
            "bias_ih_l0_reverse",
            "bias_hh_l0_reverse",
            "weight_hr_l0_reverse",
        ]
    );
    // Layer 0: 4*6 x 4 + 4*6 x 3 + 2 x 24 + 3 x 6 per direction; layer 1 takes 2 x 3 inputs.
    let per_dir = |input: usize| 24 * input + 24 * 3 + 48 + 18;
    let expected = 2 * per_dir(4) + 2 * per_dir(6);
    assert_eq!(lstm.param_count(), expected);
    const N: usize =
        <Lstm<4, 6, (NumLayers<2>, Bidirectional, ProjSize<3>)> as StaticParamCount>::PARAM_COUNT;
    assert_eq!(N, expected);
    let gru = Gru::<4, 6, NoBias>::init().unwrap();
    assert_eq!(gru.param_names(), ["weight_ih_l0", "weight_hh_l0"]);
    assert_eq!(
        <Gru<4, 6, NoBias> as StaticParamCount>::PARAM_COUNT,
        18 * 4 + 18 * 6
    );
}

#[test]
fn lengths_that_do_not_fit_the_batch_are_errors() {
    let _generator = share_generator();
    let gru = Gru::<4, 6, BatchFirst>::init().unwrap();
    let x = Tensor::<(Dyn, D<5>, D<4>)>::zeros_dyn(&[3]).unwrap();
    for bad in [vec![5, 0, 4], vec![6, 2, 4], vec![5, 2]] {
        let lengths = Tensor::<(Dyn,), i64>::from_slice_dyn(&bad, &[bad.len()]).unwrap();
        let err = gru.forward_packed(x.clone(), &lengths, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("sequence lengths must be 3 values (one per sequence) from 1 to 5 (the steps), found {bad:?}")
        );
    }
}

type X = (D<3>, D<4>);
type Hid = (D<3>, D<6>);

macro_rules! hidden_cell_parity {
    ($test:ident, $config:literal, $cell:ty) => {
        #[test]
        fn $test() {
            let _generator = share_generator();
            let mut cell = <$cell>::init().unwrap();
            let case = concat!("rnn_cell.", $config);
            load_state(&mut cell, concat!("rnn_cell.", $config, ".param"));
            let x1 = input::<X, f64>(case, 0).requires_grad();
            let x2 = input::<X, f64>(case, 1);
            let h0 = input::<Hid, f64>(case, 2).requires_grad();
            let h1 = cell.step(&x1, Some(&h0));
            let h2 = cell.step(&x2, Some(&h1));
            assert_close(case, &h2, 1e-10);
            square_sum(&h2).backward();
            assert_close_to(case, "grad0", &x1.grad().unwrap(), 1e-10);
            assert_close_to(case, "grad1", &h0.grad().unwrap(), 1e-10);
            assert_param_grads(&cell, case, 1e-10);
            let zero = concat!("rnn_cell.", $config, ".zero");
            assert_close(zero, &cell.forward(input::<X, f64>(zero, 0)), 1e-10);
        }
    };
}

hidden_cell_parity!(rnn_cell, "rnn", RnnCell<4, 6, (), f64>);
hidden_cell_parity!(rnn_cell_relu_without_bias, "rnn_relu_nobias", RnnCell<4, 6, (Nonlinearity<ReLU>, NoBias), f64>);
hidden_cell_parity!(gru_cell, "gru", GruCell<4, 6, (), f64>);
hidden_cell_parity!(gru_cell_without_bias, "gru_nobias", GruCell<4, 6, NoBias, f64>);

#[test]
fn lstm_cell() {
    let _generator = share_generator();
    let mut cell = LstmCell::<4, 6, (), f64>::init().unwrap();
    load_state(&mut cell, "rnn_cell.lstm.param");
    let case = "rnn_cell.lstm";
    let x1 = input::<X, f64>(case, 0).requires_grad();
    let x2 = input::<X, f64>(case, 1);
    let h0 = input::<Hid, f64>(case, 2).requires_grad();
    let c0 = input::<Hid, f64>(case, 3).requires_grad();
    let s1 = cell.step(
        &x1,
        Some(&LstmCellState {
            h: h0.clone(),
            c: c0.clone(),
        }),
    );
    let LstmCellState { h, c } = cell.step(&x2, Some(&s1));
    assert_close(case, &h, 1e-10);
    assert_close_to(case, "grad0", &c, 1e-10);
    (square_sum(&h) + square_sum(&c)).backward();
    assert_close_to(case, "grad1", &x1.grad().unwrap(), 1e-10);
    assert_close_to(case, "grad2", &h0.grad().unwrap(), 1e-10);
    assert_close_to(case, "grad3", &c0.grad().unwrap(), 1e-10);
    assert_param_grads(&cell, case, 1e-10);
    let zero = "rnn_cell.lstm.zero";
    let s = cell.step(&input::<X, f64>(zero, 0), None);
    assert_close(zero, &s.h, 1e-10);
    assert_close_to(zero, "grad0", &s.c, 1e-10);
}

/// Finite differences in f64 for every stack and cell, with respect to the input and every weight.
#[test]
fn gradients_match_finite_differences() {
    let _generator = share_generator();
    let x = Tensor::<(D<4>, D<2>, D<3>), f64>::randn();
    fn loss<S: Shape>(y: Tensor<S, f64>) -> Tensor<(), f64> {
        y.tanh().square().sum_all()
    }
    let mut lstm = Lstm::<3, 4, (NumLayers<2>, Bidirectional, ProjSize<2>), f64>::init().unwrap();
    let r = check_gradients(&mut lstm, &x, 1e-6, |m, x| loss(m.forward(x.clone())));
    assert!(r.max_error < 1e-6, "Lstm: {r:?}");
    let mut gru = Gru::<3, 4, (NumLayers<2>, Bidirectional), f64>::init().unwrap();
    let r = check_gradients(&mut gru, &x, 1e-6, |m, x| loss(m.forward(x.clone())));
    assert!(r.max_error < 1e-6, "Gru: {r:?}");
    let mut rnn = Rnn::<3, 4, (NumLayers<2>, Nonlinearity<ReLU>), f64>::init().unwrap();
    let r = check_gradients(&mut rnn, &x, 1e-6, |m, x| loss(m.forward(x.clone())));
    assert!(r.max_error < 1e-6, "Rnn: {r:?}");
    // Variable lengths through the packed path.
    let lengths = Tensor::<(D<2>,), i64>::from_slice(&[4, 2]).unwrap();
    let r = check_gradients(&mut lstm, &x, 1e-6, |m, x| {
        loss(m.forward_packed(x.clone(), &lengths, None).unwrap().0)
    });
    assert!(r.max_error < 1e-6, "Lstm, packed: {r:?}");

    let xc = Tensor::<(D<2>, D<3>), f64>::randn();
    let mut cell = LstmCell::<3, 4, (), f64>::init().unwrap();
    let r = check_gradients(&mut cell, &xc, 1e-6, |m, x| {
        let s = m.step(x, None);
        loss(m.step(x, Some(&s)).c)
    });
    assert!(r.max_error < 1e-6, "LstmCell: {r:?}");
    let mut cell = GruCell::<3, 4, (), f64>::init().unwrap();
    let r = check_gradients(&mut cell, &xc, 1e-6, |m, x| {
        let h = m.step(x, None);
        loss(m.step(x, Some(&h)))
    });
    assert!(r.max_error < 1e-6, "GruCell: {r:?}");
    let mut cell = RnnCell::<3, 4, (), f64>::init().unwrap();
    let r = check_gradients(&mut cell, &xc, 1e-6, |m, x| {
        let h = m.step(x, None);
        loss(m.step(x, Some(&h)))
    });
    assert!(r.max_error < 1e-6, "RnnCell: {r:?}");
}

/// Every parameter by its PyTorch name, detached.
fn named_params(model: &impl Params) -> std::collections::HashMap<String, tch::Tensor> {
    let mut params = std::collections::HashMap::new();
    model.for_each_param(|name, t| {
        params.insert(name.to_string(), t.detach());
    });
    params
}

fn max_abs_diff(a: &tch::Tensor, b: &tch::Tensor) -> f64 {
    (a - b).abs().max().double_value(&[])
}

/// `x W^T + b` for one gate block of PyTorch's stacked weights.
fn affine(x: &tch::Tensor, w: &tch::Tensor, b: &tch::Tensor) -> tch::Tensor {
    x.matmul(&w.tr()) + b
}

/// The facts that bite anyone calling libtorch's recurrent kernels by hand, each checked against
/// the equations written out over two steps: the LSTM's gate blocks are (i, f, g, o) and its
/// state goes in as `[h0, c0]`; GRU's blocks are (r, z, n) with `b_hn` inside the reset gate's
/// product; without `BatchFirst` a stack reads `(T, B, I)` (PyTorch's default; tch's own
/// `RNNConfig` defaults to batch-first).
#[test]
fn stacks_follow_the_written_equations() {
    let _generator = share_generator();
    assert!(
        tch::nn::RNNConfig::default().batch_first,
        "tch's RNNConfig default changed: revisit the layout note above"
    );
    let x = Tensor::<(D<2>, D<3>, D<4>), f64>::randn();
    let h0 = Tensor::<(D<1>, D<3>, D<5>), f64>::randn();
    let c0 = Tensor::<(D<1>, D<3>, D<5>), f64>::randn();

    let lstm = Lstm::<4, 5, (), f64>::init().unwrap();
    let p = named_params(&lstm);
    let state = LstmState {
        h: h0.clone(),
        c: c0.clone(),
    };
    let (out, LstmState { h, c }) = lstm.forward_with_state(x.clone(), Some(&state));
    let (mut hh, mut cc) = (h0.as_tch().get(0), c0.as_tch().get(0));
    for t in 0..2 {
        // Step t is row t of dim 0: the sequence-first layout.
        let gates = affine(&x.as_tch().get(t), &p["weight_ih_l0"], &p["bias_ih_l0"])
            + affine(&hh, &p["weight_hh_l0"], &p["bias_hh_l0"]);
        let g = gates.chunk(4, 1);
        cc = g[1].sigmoid() * &cc + g[0].sigmoid() * g[2].tanh();
        hh = g[3].sigmoid() * cc.tanh();
        let diff = max_abs_diff(&out.as_tch().get(t), &hh);
        assert!(diff < 1e-12, "LSTM output at step {t} differs by {diff:e}");
    }
    assert!(max_abs_diff(&h.as_tch().get(0), &hh) < 1e-12, "LSTM h_n");
    assert!(max_abs_diff(&c.as_tch().get(0), &cc) < 1e-12, "LSTM c_n");

    let gru = Gru::<4, 5, (), f64>::init().unwrap();
    let p = named_params(&gru);
    let (out, HiddenState { h }) =
        gru.forward_with_state(x.clone(), Some(&HiddenState { h: h0.clone() }));
    let mut hh = h0.as_tch().get(0);
    let mut b_hn_outside = hh.shallow_clone();
    for t in 0..2 {
        let step = |h: &tch::Tensor, inside: bool| {
            let gi = affine(&x.as_tch().get(t), &p["weight_ih_l0"], &p["bias_ih_l0"]).chunk(3, 1);
            let w_hh = p["weight_hh_l0"].chunk(3, 0);
            let b_hh = p["bias_hh_l0"].chunk(3, 0);
            let r = (&gi[0] + affine(h, &w_hh[0], &b_hh[0])).sigmoid();
            let z = (&gi[1] + affine(h, &w_hh[1], &b_hh[1])).sigmoid();
            let n = if inside {
                (&gi[2] + &r * affine(h, &w_hh[2], &b_hh[2])).tanh()
            } else {
                (&gi[2] + &r * h.matmul(&w_hh[2].tr()) + &b_hh[2]).tanh()
            };
            (1.0 - &z) * n + z * h
        };
        hh = step(&hh, true);
        b_hn_outside = step(&b_hn_outside, false);
        let diff = max_abs_diff(&out.as_tch().get(t), &hh);
        assert!(diff < 1e-12, "GRU output at step {t} differs by {diff:e}");
    }
    assert!(max_abs_diff(&h.as_tch().get(0), &hh) < 1e-12, "GRU h_n");
    // The other placement is a different network: the check above can tell them apart.
    assert!(max_abs_diff(&hh, &b_hn_outside) > 1e-6);
}

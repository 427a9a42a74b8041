//! Every loss and reduction against `torch.nn.functional` on the same inputs (f64).

use crate::common::{assert_close, assert_close_to, input};
use typed_torch::loss::{self, ClassOptions, Elementwise, Mean, Sum};
use typed_torch::{Tensor, D};

type P = (D<4>, D<3>);

macro_rules! regression_cases {
    ($name:literal, |$p:ident, $t:ident, $r:ident| $call:expr) => {{
        let case = |red: &str| format!("loss.{}.{red}", $name);
        let ($p, $t) = (
            input::<P, f64>(&case("mean"), 0),
            input::<P, f64>(&case("mean"), 1),
        );
        {
            let $r = Mean;
            let l: Tensor<(), f64> = $call;
            assert_close(&case("mean"), &l, 1e-12);
        }
        {
            let $r = Sum;
            let l: Tensor<(), f64> = $call;
            assert_close(&case("sum"), &l, 1e-12);
        }
        {
            let $r = Elementwise;
            let l: Tensor<P, f64> = $call;
            assert_close(&case("none"), &l, 1e-12);
        }
    }};
}

#[test]
fn regression_losses_match_pytorch_for_every_reduction() {
    regression_cases!("mse", |p, t, r| loss::mse(&p, &t, r));
    regression_cases!("l1", |p, t, r| loss::l1(&p, &t, r));
    regression_cases!("smooth_l1", |p, t, r| loss::smooth_l1(&p, &t, 0.5, r));
    regression_cases!("huber", |p, t, r| loss::huber(&p, &t, 0.7, r));
}

#[test]
fn classification_losses_match_pytorch() {
    type L = (D<5>, D<4>);
    for (red, kind) in [("mean", 0), ("sum", 1), ("none", 2)] {
        for name in ["ce", "nll"] {
            let case = format!("loss.{name}.{red}");
            let x = input::<L, f64>(&case, 0);
            let y = input::<(D<5>,), i64>(&case, 1);
            let f = |x: &Tensor<L, f64>| match name {
                "ce" => (
                    loss::cross_entropy(x, &y, Mean),
                    loss::cross_entropy(x, &y, Sum),
                    loss::cross_entropy(x, &y, Elementwise),
                ),
                _ => (
                    loss::nll(x, &y, Mean),
                    loss::nll(x, &y, Sum),
                    loss::nll(x, &y, Elementwise),
                ),
            };
            let (mean, sum, none) = f(&x);
            match kind {
                0 => assert_close(&case, &mean, 1e-12),
                1 => assert_close(&case, &sum, 1e-12),
                _ => assert_close(&case, &none, 1e-12),
            };
        }
    }
}

#[test]
fn cross_entropy_with_weights_and_smoothing_matches_value_and_gradient() {
    let case = "loss.ce.weighted_smoothed";
    let x = input::<(D<5>, D<4>), f64>(case, 0).requires_grad();
    let y = input::<(D<5>,), i64>(case, 1);
    let w = input::<(D<4>,), f64>(case, 2);
    let l = loss::cross_entropy_with(
        &x,
        &y,
        Mean,
        ClassOptions {
            class_weights: Some(&w),
            label_smoothing: 0.1,
        },
    );
    assert_close(case, &l, 1e-12);
    l.backward();
    assert_close_to(case, "grad0", &x.grad().unwrap(), 1e-12);

    let case = "loss.nll.weighted";
    let lp = input::<(D<5>, D<4>), f64>(case, 0);
    let l = loss::nll_with(
        &lp,
        &y,
        Mean,
        ClassOptions {
            class_weights: Some(&w),
            label_smoothing: 0.0,
        },
    );
    assert_close(case, &l, 1e-12);
}

#[test]
fn binary_and_divergence_losses_match_pytorch() {
    type B = (D<3>, D<2>);
    for red in ["mean", "sum", "none"] {
        let case = format!("loss.bce.{red}");
        let (p, t) = (input::<B, f64>(&case, 0), input::<B, f64>(&case, 1));
        match red {
            "mean" => assert_close(&case, &loss::bce(&p, &t, Mean), 1e-12),
            "sum" => assert_close(&case, &loss::bce(&p, &t, Sum), 1e-12),
            _ => assert_close(&case, &loss::bce(&p, &t, Elementwise), 1e-12),
        };
        let case = format!("loss.bce_logits.{red}");
        let (z, t) = (input::<B, f64>(&case, 0), input::<B, f64>(&case, 1));
        match red {
            "mean" => assert_close(&case, &loss::bce_with_logits(&z, &t, None, Mean), 1e-12),
            "sum" => assert_close(&case, &loss::bce_with_logits(&z, &t, None, Sum), 1e-12),
            _ => assert_close(
                &case,
                &loss::bce_with_logits(&z, &t, None, Elementwise),
                1e-12,
            ),
        };
        let case = format!("loss.kl.{red}");
        let (lp, q) = (
            input::<(D<4>, D<5>), f64>(&case, 0),
            input::<(D<4>, D<5>), f64>(&case, 1),
        );
        match red {
            "mean" => assert_close(&case, &loss::kl_div(&lp, &q, false, Mean), 1e-12),
            "sum" => assert_close(&case, &loss::kl_div(&lp, &q, false, Sum), 1e-12),
            _ => assert_close(&case, &loss::kl_div(&lp, &q, false, Elementwise), 1e-12),
        };
    }
    let case = "loss.bce_logits.pos_weight";
    let (z, t, pw) = (
        input::<B, f64>(case, 0),
        input::<B, f64>(case, 1),
        input::<B, f64>(case, 2),
    );
    assert_close(case, &loss::bce_with_logits(&z, &t, Some(&pw), Mean), 1e-12);
    let case = "loss.kl.log_target";
    let (lp, lq) = (
        input::<(D<4>, D<5>), f64>(case, 0),
        input::<(D<4>, D<5>), f64>(case, 1),
    );
    assert_close(case, &loss::kl_div(&lp, &lq, true, Sum), 1e-12);
}

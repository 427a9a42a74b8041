//! Finite-difference checks of typed autograd, in f64: the gradient of a scalar function computed
//! by `backward` equals its central difference `(f(x + eps) - f(x - eps)) / (2 eps)` per element.
use typed_torch::prelude::*;
use typed_torch::{no_grad, Dyn, Shape, Tensor, D};

const EPS: f64 = 1e-6;
const TOL: f64 = 1e-6;

/// The largest error of autograd's gradient of `f` at `x` against central differences, relative to
/// `max(1, |numeric|)`, with the element where it occurs.
fn grad_error<S: Shape>(
    x: &Tensor<S, f64>,
    f: impl Fn(&Tensor<S, f64>) -> Tensor<(), f64>,
) -> (f64, String) {
    let leaf = x.deep_clone().detach().requires_grad();
    f(&leaf).backward();
    let analytic = leaf.grad().expect("backward gave the input no gradient");
    assert_eq!(
        analytic.size(),
        x.size(),
        "the gradient has another shape than its tensor"
    );
    let analytic = analytic.to_vec();
    let sizes = x.size();
    let values = x.to_vec();
    let at = |v: &[f64]| no_grad(|| f(&Tensor::from_slice_with_sizes(v, &sizes).unwrap()).item());
    let mut worst = (0.0, String::new());
    for i in 0..values.len() {
        let (mut plus, mut minus) = (values.clone(), values.clone());
        plus[i] += EPS;
        minus[i] -= EPS;
        let numeric = (at(&plus) - at(&minus)) / (2.0 * EPS);
        let err = (analytic[i] - numeric).abs() / numeric.abs().max(1.0);
        if err > worst.0 || (err.is_nan() && !worst.0.is_nan()) {
            worst = (
                err,
                format!(
                    "element {i}: autograd {} vs finite difference {numeric}",
                    analytic[i]
                ),
            );
        }
    }
    worst
}

/// Asserts that autograd's gradient of `f` at `x` matches central differences.
#[track_caller]
fn check<S: Shape>(name: &str, x: &Tensor<S, f64>, f: impl Fn(&Tensor<S, f64>) -> Tensor<(), f64>) {
    let (err, at) = grad_error(x, f);
    println!("{name}: max relative error {err:.3e}");
    assert!(
        err <= TOL,
        "{name}: gradient off by {err:e} (relative) at {at}"
    );
}

fn randn<S: typed_torch::StaticShape>() -> Tensor<S, f64> {
    Tensor::randn()
}

/// The checker is not a tautology: a function whose graph is cut by `detach` has a wrong gradient.
#[test]
fn checker_detects_a_wrong_gradient() {
    tch::manual_seed(0);
    let x = randn::<(D<4>,)>() + 2.0;
    let (err, _) = grad_error(&x, |x| (x * &x.detach()).sum_all()); // autograd: x, true: 2x
    assert!(err > 0.1, "a wrong gradient passed, error {err}");
}

#[test]
fn matmul_tanh_sum() {
    tch::manual_seed(1);
    let (x, w, c) = (
        randn::<(D<3>, D<4>)>(),
        randn::<(D<4>, D<2>)>(),
        randn::<(D<3>, D<2>)>(),
    );
    check("matmul_tanh_sum d/dx", &x, |x| {
        x.matmul(&w).tanh().sum_all()
    });
    check("matmul_tanh_sum d/dw", &w, |w| x.matmul(w).tanh().sum_all());
    check("matmul_tanh_weighted d/dx", &x, |x| {
        (x.matmul(&w).tanh() * &c).sum_all()
    });
    let xd: Tensor<(Dyn, D<4>), f64> = x.to_shape().unwrap();
    check("batched matmul d/dx", &xd, |x| {
        (x.matmul(&w) + &c.sum::<0>()).square().mean_all()
    });
}

#[test]
fn conv2d() {
    tch::manual_seed(2);
    let x = randn::<(D<1>, D<2>, D<5>, D<5>)>();
    let w = randn::<(D<3>, D<2>, D<3>, D<3>)>();
    let b = randn::<(D<3>,)>();
    let c = randn::<(D<1>, D<3>, D<3>, D<3>)>();
    let conv = |x: &Tensor<_, f64>, w: &Tensor<_, f64>, b: &Tensor<_, f64>| {
        (x.conv2d(w, Some(b), (Stride::<2>, Padding::<1>)) * &c).sum_all()
    };
    check("conv2d d/dx", &x, |x| conv(x, &w, &b));
    check("conv2d d/dw", &w, |w| conv(&x, w, &b));
    check("conv2d d/db", &b, |b| conv(&x, &w, b));
    let wt = randn::<(D<2>, D<2>, D<3>, D<3>)>();
    let ct = randn::<(D<1>, D<2>, D<10>, D<10>)>();
    let tconv = |x: &Tensor<_, f64>, w: &Tensor<_, f64>| {
        (x.conv_transpose2d(w, None, (Stride::<2>, Padding::<1>, OutputPadding::<1>)) * &ct)
            .sum_all()
    };
    check("conv_transpose2d d/dx", &x, |x| tconv(x, &wt));
    check("conv_transpose2d d/dw", &wt, |w| tconv(&x, w));
}

#[test]
fn log_softmax() {
    tch::manual_seed(3);
    let (x, c) = (randn::<(D<3>, D<5>)>(), randn::<(D<3>, D<5>)>());
    check("log_softmax<1>", &x, |x| {
        (x.log_softmax::<1>() * &c).sum_all()
    });
    check("log_softmax<0>", &x, |x| {
        (x.log_softmax::<0>() * &c).sum_all()
    });
    check("softmax<1>", &x, |x| (x.softmax::<1>() * &c).sum_all());
    check("logsumexp<1>", &x, |x| {
        x.logsumexp::<1>().square().sum_all()
    });
}

#[test]
fn max_pool2d() {
    tch::manual_seed(4);
    // Distinct values 0.1 apart, so no window has a tie within EPS.
    let perm = tch::Tensor::randperm(2 * 6 * 6, (tch::Kind::Double, tch::Device::Cpu)) * 0.1;
    let x = Tensor::<(D<1>, D<2>, D<6>, D<6>), f64>::from_tch(perm.reshape([1, 2, 6, 6])).unwrap();
    let c = randn::<(D<1>, D<2>, D<3>, D<3>)>();
    check("max_pool2d<2,2,0,1>", &x, |x| {
        (x.max_pool2d(Kernel::<2>, ()) * &c).sum_all()
    });
    check("max_pool2d<3,2,1,1>", &x, |x| {
        (x.max_pool2d(Kernel::<3>, (Stride::<2>, Padding::<1>)) * &c).sum_all()
    });
    check("avg_pool2d<3,2,1>", &x, |x| {
        (x.avg_pool2d(Kernel::<3>, (Stride::<2>, Padding::<1>)) * &c).sum_all()
    });
}

#[test]
fn embedding_weight() {
    tch::manual_seed(5);
    let w = randn::<(D<6>, D<3>)>();
    let idx = Tensor::<(D<5>,), i64>::from_array([1, 4, 1, 0, 5]); // row 1 twice, rows 2 and 3 unused
    let c = randn::<(D<5>, D<3>)>();
    check("embedding d/dweight", &w, |w| {
        (w.embedding(&idx).tanh() * &c).sum_all()
    });
}

#[test]
fn mean_var_std() {
    tch::manual_seed(6);
    let x = randn::<(D<4>, D<3>)>();
    check("mean<0>", &x, |x| x.mean::<0>().square().sum_all());
    check("var<1>", &x, |x| x.var::<1>().sum_all());
    check("var<0> keepdim", &x, |x| {
        x.var_keepdim::<0>().sqrt().sum_all()
    });
    check("std<0>", &x, |x| x.std::<0>().sum_all());
    check("mean_all", &x, |x| x.exp().mean_all());
}

#[test]
fn activations() {
    tch::manual_seed(7);
    // Away from 0, where relu-like functions have no derivative.
    let x = randn::<(D<3>, D<4>)>();
    let x = &x + &(x.sign() * 0.1);
    let c = randn::<(D<3>, D<4>)>();
    check("gelu", &x, |x| (x.gelu() * &c).sum_all());
    check("gelu_tanh", &x, |x| (x.gelu_tanh() * &c).sum_all());
    check("leaky_relu(0.2)", &x, |x| {
        (x.leaky_relu(0.2) * &c).sum_all()
    });
    check("elu(0.5)", &x, |x| (x.elu(0.5) * &c).sum_all());
    check("silu + softplus + log_sigmoid", &x, |x| {
        ((x.silu() + x.softplus() + x.log_sigmoid()) * &c).sum_all()
    });
    check("relu / sigmoid", &x, |x| {
        ((x.relu() / 2.0 - x.sigmoid()) * &c).sum_all()
    });
}

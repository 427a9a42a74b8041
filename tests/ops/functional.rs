//! The functional API: gradients of ordinary functions over heterogeneous values, checked by
//! finite differences in f64, against analytic higher derivatives, and against module autograd.
use typed_torch::functional::{
    eval, grad, hessian, hvp, jacobian, jacobian_forward, jvp, value_and_grad, vjp,
};
use typed_torch::nn::{Init, Linear, Module, Params};
use typed_torch::{hlist, Dyn, HList, Shape, Tensor, D};

/// Central differences of `f` at `x`, every entry (f64).
fn numeric<S: Shape>(f: impl Fn(&Tensor<S, f64>) -> f64, x: &Tensor<S, f64>) -> Vec<f64> {
    let base = x.to_vec();
    let h = 1e-6;
    (0..base.len())
        .map(|i| {
            let at = |d: f64| {
                let mut v = base.clone();
                v[i] += d;
                let t = Tensor::<S, f64>::from_tch(
                    tch::Tensor::from_slice(&v).view(x.as_tch().size().as_slice()),
                )
                .unwrap();
                f(&t)
            };
            (at(h) - at(-h)) / (2.0 * h)
        })
        .collect()
}

fn assert_all_close(what: &str, a: &[f64], b: &[f64], tol: f64) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    let worst = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max);
    assert!(worst <= tol, "{what}: differs by {worst:e}\n{a:?}\n{b:?}");
}

fn smooth(x: Tensor<(D<3>, D<4>), f64>) -> Tensor<(), f64> {
    (x.tanh() * x.log_softmax::<1>()).sum_all()
}

#[test]
fn grad_matches_finite_differences() {
    let x = Tensor::<(D<3>, D<4>), f64>::randn();
    let g = grad(smooth, &x);
    let n = numeric(|x| smooth(x.clone()).item(), &x);
    assert_all_close("grad", &g.to_vec(), &n, 1e-8);
    let (value, g2) = value_and_grad(smooth, &x);
    assert_eq!(value.item(), smooth(x.clone()).item());
    assert!(
        !value.is_requires_grad(),
        "a top-level value carries no graph"
    );
    assert_eq!(g.to_vec(), g2.to_vec());
    // The caller's tensor is untouched: not a leaf of ours, no gradient.
    assert!(!x.is_requires_grad() && x.grad().is_none());
}

#[test]
fn heterogeneous_inputs_give_gradients_of_the_same_types() {
    let a = Tensor::<(D<2>,), f64>::from_array([1.0, -2.0]);
    let xs = vec![Tensor::<(D<2>,), f64>::from_array([0.5, 0.25]); 2];
    let unused = Some(Tensor::<(D<3>,), f64>::ones());
    let list = hlist![
        Tensor::<(), f64>::from_tch(tch::Tensor::from(3.0f64)).unwrap(),
        4.0f64
    ];
    type List = HList![Tensor<(), f64>, f64];
    type Input = (
        Tensor<(D<2>,), f64>,
        f64,
        Vec<Tensor<(D<2>,), f64>>,
        Option<Tensor<(D<3>,), f64>>,
        List,
    );
    let input: Input = (a.clone(), 2.0f64, xs, unused, list);
    // f = k * sum(a * x0) + sum(x1^2) + h0 * h1 (the Option is not used).
    let (ga, gk, gxs, gunused, glist): Input = grad(
        |(a, k, xs, _unused, list)| {
            let (h0, tail) = (list.head, list.tail);
            (a * &xs[0] * k).sum_all() + xs[1].square().sum_all() + h0 * tail.head
        },
        &input,
    );
    assert_eq!(ga.to_vec(), [1.0, 0.5]); // k * x0
    assert_eq!(gk, 1.0 * 0.5 - 2.0 * 0.25); // sum(a * x0)
    assert_eq!(gxs[0].to_vec(), [2.0, -4.0]); // k * a
    assert_eq!(gxs[1].to_vec(), [1.0, 0.5]); // 2 x1
    assert_eq!(gunused.unwrap().to_vec(), [0.0; 3]);
    assert_eq!(glist.head.item(), 4.0);
    assert_eq!(glist.tail.head, 3.0);

    // A function of none of its inputs: every gradient is zero, no panic.
    let g: (Tensor<(D<2>,), f64>, f64) = grad(|_| Tensor::<(), f64>::ones(), &(a, 1.0f64));
    assert_eq!((g.0.to_vec(), g.1), (vec![0.0, 0.0], 0.0));
}

#[test]
fn a_models_gradient_is_a_model_equal_to_module_autograd() {
    tch::manual_seed(3);
    let layer = Linear::<4, 3, (), f64>::init().unwrap();
    let x = Tensor::<(Dyn, D<4>), f64>::randn_dyn(&[5]).unwrap();
    let loss = |m: Linear<4, 3, (), f64>| m.forward(x.clone()).tanh().square().sum_all();
    let g: Linear<4, 3, (), f64> = grad(loss, &layer);
    // Module autograd on the same weights.
    loss(layer.clone()).backward();
    assert_eq!(g.weight.to_vec(), layer.weight.grad().unwrap().to_vec());
    assert_eq!(g.bias.to_vec(), layer.bias.grad().unwrap().to_vec());
    assert_eq!(g.param_names(), layer.param_names());
    // `eval` records nothing.
    let out = eval(|m: Linear<4, 3, (), f64>| m.forward(x.clone()), &layer);
    assert!(!out.is_requires_grad());
}

#[test]
fn derivatives_nest_to_any_order() {
    // d3/dx3 sum(x^4) = 24 x; d3/dx3 tanh = -2 (1 - t^2)(1 - 3 t^2).
    let x = Tensor::<(D<4>,), f64>::from_array([-1.5, -0.2, 0.3, 1.1]);
    let quartic = |x: Tensor<(D<4>,), f64>| x.pow_scalar(4.0).sum_all();
    let d1 = |x: Tensor<(D<4>,), f64>| grad(quartic, &x);
    let d2 = |x: Tensor<(D<4>,), f64>| grad(|x| d1(x).sum_all(), &x);
    let d3 = grad(|x| d2(x).sum_all(), &x);
    let expected: Vec<f64> = x.to_vec().iter().map(|v| 24.0 * v).collect();
    assert_all_close("third derivative of x^4", &d3.to_vec(), &expected, 1e-10);

    let tanh = |x: Tensor<(D<4>,), f64>| x.tanh().sum_all();
    let t1 = |x: Tensor<(D<4>,), f64>| grad(tanh, &x);
    let t2 = |x: Tensor<(D<4>,), f64>| grad(|x| t1(x).sum_all(), &x);
    let t3 = grad(|x| t2(x).sum_all(), &x);
    let expected: Vec<f64> = x
        .to_vec()
        .iter()
        .map(|v| {
            let t = v.tanh();
            -2.0 * (1.0 - t * t) * (1.0 - 3.0 * t * t)
        })
        .collect();
    assert_all_close("third derivative of tanh", &t3.to_vec(), &expected, 1e-10);
    // A fourth, by differences of the third.
    let t4 = grad(|x| grad(|x| t2(x).sum_all(), &x).sum_all(), &x);
    let n = numeric(|x| grad(|x| t2(x).sum_all(), x).sum_all().item(), &x);
    assert_all_close("fourth derivative of tanh", &t4.to_vec(), &n, 1e-6);
}

#[test]
fn hessians_jacobians_and_products() {
    // logsumexp: H = diag(p) - p p^T.
    let x = Tensor::<(D<3>,), f64>::from_array([0.2, -1.0, 0.7]);
    let lse = |x: Tensor<(D<3>,), f64>| {
        -(x.log_softmax::<0>().narrow::<0, 0, 1>().sum_all()) + x.narrow::<0, 0, 1>().sum_all()
    };
    let h = hessian(lse, &x);
    let p: Vec<f64> = {
        let e: Vec<f64> = x.to_vec().iter().map(|v| v.exp()).collect();
        let s: f64 = e.iter().sum();
        e.iter().map(|v| v / s).collect()
    };
    let expected: Vec<f64> = (0..3)
        .flat_map(|i| (0..3).map(move |j| (i, j)))
        .map(|(i, j)| {
            if i == j {
                p[i] - p[i] * p[j]
            } else {
                -p[i] * p[j]
            }
        })
        .collect();
    assert_all_close("hessian of logsumexp", &h.to_vec(), &expected, 1e-12);
    let v = Tensor::<(D<3>,), f64>::from_array([1.0, 2.0, -1.0]);
    let hv = hvp(lse, &x, &v);
    let expected: Vec<f64> = (0..3)
        .map(|i| (0..3).map(|j| expected[3 * i + j] * v.to_vec()[j]).sum())
        .collect();
    assert_all_close("hvp", &hv.to_vec(), &expected, 1e-12);

    // f(x) = tanh(A x): J = diag(1 - tanh^2(Ax)) A, by reverse mode, forward mode and jvp.
    let a = Tensor::<(D<2>, D<3>), f64>::randn();
    let f = |x: Tensor<(D<3>,), f64>| a.matmul(&x).tanh();
    let rev = jacobian(f, &x);
    let fwd = jacobian_forward(f, &x);
    let ax = a.matmul(&x).to_vec();
    let av = a.to_vec();
    let expected: Vec<f64> = (0..2)
        .flat_map(|i| (0..3).map(move |j| (i, j)))
        .map(|(i, j)| (1.0 - ax[i].tanh().powi(2)) * av[3 * i + j])
        .collect();
    assert_all_close("reverse jacobian", &rev.to_vec(), &expected, 1e-12);
    assert_all_close("forward jacobian", &fwd.to_vec(), &expected, 1e-12);
    let (_, jt) = jvp(f, &x, &v);
    for i in 0..2 {
        let n = numeric(|x| f(x.clone()).to_vec()[i], &x);
        let along: f64 = n.iter().zip(v.to_vec()).map(|(d, t)| d * t).sum();
        assert!((jt.to_vec()[i] - along).abs() < 1e-8, "jvp row {i}");
    }
    let u = Tensor::<(D<2>,), f64>::from_array([0.5, -2.0]);
    let (_, ju) = vjp(f, &x, &u);
    let n = numeric(|x| (f(x.clone()) * &u).sum_all().item(), &x);
    assert_all_close("vjp", &ju.to_vec(), &n, 1e-8);
}

/// The `backprop` README's program (examples/backprop_readme.rs): its gradient is a `Network`
/// equal to module autograd's and to finite differences, and descent lowers the error.
#[test]
fn the_backprop_readme_program() {
    use crate::backprop_example::{net_error, random_network, Network};
    use typed_torch::functional::Combine;
    let input = Tensor::<(D<100>,), f64>::randn();
    let target = Tensor::<(D<5>,), f64>::from_array([0.9, 0.1, 0.1, 0.9, 0.5]);
    let net0 = random_network();
    let gradient: Network = grad(|n| net_error(&target, &input, n), &net0);

    // Module autograd on a copy whose tensors are leaves.
    let leaves = Network {
        weight1: net0.weight1.detach().requires_grad(),
        bias1: net0.bias1.detach().requires_grad(),
        weight2: net0.weight2.detach().requires_grad(),
        bias2: net0.bias2.detach().requires_grad(),
    };
    net_error(&target, &input, leaves.clone()).backward();
    assert_all_close(
        "weight1",
        &gradient.weight1.to_vec(),
        &leaves.weight1.grad().unwrap().to_vec(),
        1e-14,
    );
    assert_all_close(
        "bias2",
        &gradient.bias2.to_vec(),
        &leaves.bias2.grad().unwrap().to_vec(),
        1e-14,
    );
    // Finite differences in the second layer's bias.
    let n = numeric(
        |b| {
            let net = Network {
                bias2: b.clone(),
                ..net0.clone()
            };
            net_error(&target, &input, net).item()
        },
        &net0.bias2,
    );
    assert_all_close("bias2 by differences", &gradient.bias2.to_vec(), &n, 1e-8);

    // net1 = net0 - 0.1 * gradient, ten times: the error falls every step.
    let mut net = net0;
    let mut last = f64::INFINITY;
    for _ in 0..10 {
        let error = net_error(&target, &input, net.clone()).item();
        assert!(error < last, "error rose to {error} from {last}");
        last = error;
        let gradient = grad(|n| net_error(&target, &input, n), &net);
        net = net.minus(&gradient.scaled(0.1));
    }
}

/// Custom operations: a hand-written backward gives the built-in op's gradient; a backward in
/// tensor ops is differentiable again; a backward that is itself a custom op defines the second
/// derivative; a panicking backward is an error naming it; the state is freed with the graph.
#[test]
fn custom_ops_differentiate_with_their_own_backward() {
    use std::sync::Arc;
    use typed_torch::functional::custom_op;
    type V = Tensor<(D<5>,), f64>;
    let x = V::from_array([-2.0, -0.5, 0.0, 0.7, 3.0]);

    // softplus, with the derivative sigmoid(x) by hand.
    let softplus = |x: &V| custom_op(x, |x| (x.exp() + 1.0).log(), |x, g| g * x.sigmoid());
    let mine = grad(|x: V| softplus(&x).square().sum_all(), &x);
    let builtin = grad(|x: V| (x.exp() + 1.0).log().square().sum_all(), &x);
    assert_all_close("custom softplus", &mine.to_vec(), &builtin.to_vec(), 1e-14);
    let n = numeric(|x| softplus(x).square().sum_all().item(), &x);
    assert_all_close("custom softplus by differences", &mine.to_vec(), &n, 1e-8);

    // A backward written with tensor ops has derivatives: d2/dx2 softplus = s (1 - s).
    let second = grad(|x: V| grad(|x: V| softplus(&x).sum_all(), &x).sum_all(), &x);
    let expected: Vec<f64> = x
        .to_vec()
        .iter()
        .map(|v| {
            let s = 1.0 / (1.0 + (-v).exp());
            s * (1.0 - s)
        })
        .collect();
    assert_all_close(
        "second derivative through the backward",
        &second.to_vec(),
        &expected,
        1e-12,
    );

    // A custom double backward: sin's backward is a custom cos, whose own backward is -sin.
    fn cos(x: &V) -> V {
        custom_op(x, |x| x.cos(), |x, g| -(g * x.sin()))
    }
    fn sin(x: &V) -> V {
        custom_op(x, |x| x.sin(), |x, g| g * cos(x))
    }
    let d2 = grad(|x: V| grad(|x: V| sin(&x).sum_all(), &x).sum_all(), &x);
    let expected: Vec<f64> = x.to_vec().iter().map(|v| -v.sin()).collect();
    assert_all_close("custom double backward", &d2.to_vec(), &expected, 1e-14);

    // An output the function does not use: zero gradient, no panic.
    let g = grad(
        |x: V| {
            let _ = softplus(&x);
            x.sum_all() * 0.0
        },
        &x,
    );
    assert_eq!(g.to_vec(), [0.0; 5]);

    // A backward that panics: the gradient call panics with its message.
    let broken = |x: &V| {
        custom_op(
            x,
            |x| x.clone(),
            |_, _| -> V { panic!("no derivative here") },
        )
    };
    let err = std::panic::catch_unwind(|| grad(|x: V| broken(&x).sum_all(), &x)).unwrap_err();
    let message = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    assert!(message.contains("no derivative here"), "{message}");

    // The backward's captures live as long as the graph, and no longer.
    let token = Arc::new(());
    let held = Arc::clone(&token);
    let y = custom_op(
        &x.clone().requires_grad(),
        |x| x.clone(),
        move |_, g| {
            let _ = &held;
            g.clone()
        },
    );
    assert_eq!(Arc::strong_count(&token), 2);
    drop(y);
    assert_eq!(
        Arc::strong_count(&token),
        1,
        "the node's state was not freed"
    );
}

/// Two-input custom operations: the product rule by hand equals autograd's, and a gradient
/// reaches an input only when it requires one.
#[test]
fn two_input_custom_ops() {
    use typed_torch::functional::custom_op2;
    type M = Tensor<(D<2>, D<3>), f64>;
    type W = Tensor<(D<3>, D<4>), f64>;
    let (a, b) = (M::randn(), W::randn());
    let matmul = |a: &M, b: &W| {
        custom_op2(
            a,
            b,
            |a, b| a.matmul(b),
            |a, b, g| {
                (
                    g.matmul(&b.transpose::<0, 1>()),
                    a.transpose::<0, 1>().matmul(g),
                )
            },
        )
    };
    let (ga, gb) = grad(
        |(a, b): (M, W)| matmul(&a, &b).tanh().sum_all(),
        &(a.clone(), b.clone()),
    );
    let (ea, eb) = grad(
        |(a, b): (M, W)| a.matmul(&b).tanh().sum_all(),
        &(a.clone(), b.clone()),
    );
    assert_all_close("custom matmul, left", &ga.to_vec(), &ea.to_vec(), 1e-14);
    assert_all_close("custom matmul, right", &gb.to_vec(), &eb.to_vec(), 1e-14);
    // Only the left input traced: the right one is a constant.
    let g = grad(|a: M| matmul(&a, &b).sum_all(), &a);
    let e = grad(|a: M| a.matmul(&b).sum_all(), &a);
    assert_all_close("custom matmul, one input", &g.to_vec(), &e.to_vec(), 1e-14);
}

//! The 784-300-100-10 MLP of the `backprop` README (logistic hidden units, softmax cross-entropy)
//! at batch 1, 32 and 256: forward only, gradient (zero, forward, loss, backward) and a full SGD
//! training step, for typed-torch, raw `tch` (`nn::seq` + `nn::Sgd`) and hand-written gradients
//! (plain tch ops, no autograd: `backprop`'s "manual" row). The gradient group also times
//! `functional::grad` over the model ("functional") and a hybrid whose layers are custom ops with
//! hand-written backward passes chained by autodiff ("hybrid"), `backprop`'s benchmark rows.
//! `benches/pytorch.py` times the same for PyTorch eager.
// `criterion_group!` defines an undocumented `pub fn`.
#![allow(missing_docs)]

mod common;

use common::workloads::{
    batch, tch_loss, tch_mlp, tch_mlp_sgd, typed_batch, typed_mlp_sgd, Images, Labels, Manual,
    BATCHES,
};

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use tch::nn::{self, Module as _};
use tch::Device;
use typed_torch::functional::{custom_op3, grad};
use typed_torch::loss::{cross_entropy, Mean};
use typed_torch::nn::{Module, Sigmoid};
use typed_torch::optim::Optimizer;
use typed_torch::prelude::*;
use typed_torch_models::mlp::Mlp;

/// Before timing anything: the hand-written gradients equal autograd's on the same weights, so
/// the "manual" row computes the same thing as the others.
fn manual_matches_autograd(_: &mut Criterion) {
    let manual = Manual::new();
    let params: Vec<tch::Tensor> = manual
        .w
        .iter()
        .chain(&manual.b)
        .map(|p| p.detach().set_requires_grad(true))
        .collect();
    let (x, y) = batch(32);
    let h1 = x
        .flatten(1, -1)
        .linear(&params[0], Some(&params[3]))
        .sigmoid();
    let h2 = h1.linear(&params[1], Some(&params[4])).sigmoid();
    tch_loss(&h2.linear(&params[2], Some(&params[5])), &y).backward();
    let (_, grads) = manual.gradient(&x, &y);
    for (p, g) in params.iter().zip(&grads) {
        let diff = (p.grad() - g).abs().max().double_value(&[]);
        assert!(
            diff < 1e-5,
            "manual gradient differs from autograd by {diff}"
        );
    }
    // The hybrid (custom-op layers) computes the same gradients.
    let (tx, ty) = (Tensor::from_tch(x).unwrap(), Tensor::from_tch(y).unwrap());
    let h = grad(
        |p: HybridParams| hybrid_loss(&p, &tx, &ty),
        &hybrid_params(&manual),
    );
    let hybrid = [
        h.0.into_tch(),
        h.2.into_tch(),
        h.4.into_tch(),
        h.1.into_tch(),
        h.3.into_tch(),
        h.5.into_tch(),
    ];
    for (h, g) in hybrid.iter().zip(&grads) {
        let diff = (h - g).abs().max().double_value(&[]);
        assert!(
            diff < 1e-5,
            "hybrid gradient differs from the manual one by {diff}"
        );
    }
}

/// The manual network's weights as the hybrid's parameters (the same tensors).
fn hybrid_params(manual: &Manual) -> HybridParams {
    let t = |t: &tch::Tensor| t.shallow_clone();
    (
        Tensor::from_tch(t(&manual.w[0])).unwrap(),
        Tensor::from_tch(t(&manual.b[0])).unwrap(),
        Tensor::from_tch(t(&manual.w[1])).unwrap(),
        Tensor::from_tch(t(&manual.b[1])).unwrap(),
        Tensor::from_tch(t(&manual.w[2])).unwrap(),
        Tensor::from_tch(t(&manual.b[2])).unwrap(),
    )
}

fn forward(c: &mut Criterion) {
    let mut group = c.benchmark_group("mlp_forward");
    common::flat(&mut group);
    let typed = typed_torch_models::mlp::Mlp::<Sigmoid>::init().unwrap();
    let vs = nn::VarStore::new(Device::Cpu);
    let raw = tch_mlp(&vs);
    let manual = Manual::new();
    for n in BATCHES {
        let (x, _) = typed_batch(n);
        group.bench_function(BenchmarkId::new("typed", n), |b| {
            b.iter(|| typed_torch::no_grad(|| black_box(typed.forward(x.clone()))))
        });
        let (x, _) = batch(n);
        group.bench_function(BenchmarkId::new("tch", n), |b| {
            b.iter(|| tch::no_grad(|| black_box(raw.forward(&x))))
        });
        group.bench_function(BenchmarkId::new("manual", n), |b| {
            b.iter(|| black_box(manual.forward(&x).logits))
        });
    }
    group.finish();
}

fn gradient(c: &mut Criterion) {
    let mut group = c.benchmark_group("mlp_gradient");
    common::flat(&mut group);
    // The optimizers only reset the gradients here (to none, like `zero_grad` in PyTorch).
    let (typed, mut typed_opt) = typed_mlp_sgd();
    let (_vs, raw, mut raw_opt) = tch_mlp_sgd();
    let manual = Manual::new();
    let hybrid = hybrid_params(&manual);
    for n in BATCHES {
        let (x, y) = typed_batch(n);
        group.bench_function(BenchmarkId::new("typed", n), |b| {
            b.iter(|| {
                typed_opt.zero_grad();
                let loss = cross_entropy(&typed.forward(x.clone()), &y, Mean);
                loss.backward();
                black_box(loss)
            })
        });
        let (x, y) = batch(n);
        group.bench_function(BenchmarkId::new("tch", n), |b| {
            b.iter(|| {
                raw_opt.zero_grad();
                let loss = tch_loss(&raw.forward(&x), &y);
                loss.backward();
                black_box(loss)
            })
        });
        group.bench_function(BenchmarkId::new("manual", n), |b| {
            b.iter(|| black_box(manual.gradient(&x, &y)))
        });
        let (tx, ty) = typed_batch(n);
        group.bench_function(BenchmarkId::new("functional", n), |b| {
            b.iter(|| {
                black_box(grad(
                    |m: Mlp| cross_entropy(&m.forward(tx.clone()), &ty, Mean),
                    &typed,
                ))
            })
        });
        group.bench_function(BenchmarkId::new("hybrid", n), |b| {
            b.iter(|| black_box(grad(|p: HybridParams| hybrid_loss(&p, &tx, &ty), &hybrid)))
        });
    }
    group.finish();
}

/// The MLP's weights as a plain tuple, for the hybrid: each layer a custom op with its backward
/// written by hand, chained by autodiff.
type HybridParams = (
    Tensor<(D<300>, D<784>)>,
    Tensor<(D<300>,)>,
    Tensor<(D<100>, D<300>)>,
    Tensor<(D<100>,)>,
    Tensor<(D<10>, D<100>)>,
    Tensor<(D<10>,)>,
);

/// `sigmoid(x W^T + b)` with `dx = d W`, `dW = d^T x`, `db = sum d` for `d = g h (1 - h)`.
fn logistic_layer<const I: usize, const O: usize>(
    x: &Tensor<(Dyn, D<I>)>,
    w: &Tensor<(D<O>, D<I>)>,
    b: &Tensor<(D<O>,)>,
) -> Tensor<(Dyn, D<O>)> {
    custom_op3(
        x,
        w,
        b,
        |x, w, b| (x.matmul(&w.transpose::<0, 1>()) + b).sigmoid(),
        |x, w, b, g| {
            let h = (x.matmul(&w.transpose::<0, 1>()) + b).sigmoid();
            let d = g * &h * (-&h + 1.0);
            (d.matmul(w), d.transpose::<0, 1>().matmul(x), d.sum::<0>())
        },
    )
}

fn hybrid_loss(p: &HybridParams, x: &Images, y: &Labels) -> Tensor<()> {
    let x: Tensor<(Dyn, D<784>)> = x.flatten::<1, 3>();
    let h1 = logistic_layer(&x, &p.0, &p.1);
    let h2 = logistic_layer(&h1, &p.2, &p.3);
    cross_entropy(&(h2.matmul(&p.4.transpose::<0, 1>()) + &p.5), y, Mean)
}

fn train_step(c: &mut Criterion) {
    let mut group = c.benchmark_group("mlp_train");
    common::flat(&mut group);
    let (mut typed, mut typed_opt) = typed_mlp_sgd();
    let (_vs, raw, mut raw_opt) = tch_mlp_sgd();
    let mut manual = Manual::new();
    for n in BATCHES {
        let (x, y) = typed_batch(n);
        group.bench_function(BenchmarkId::new("typed", n), |b| {
            b.iter(|| {
                typed_opt.zero_grad();
                let loss = cross_entropy(&typed.forward(x.clone()), &y, Mean);
                loss.backward();
                typed_opt.step(&mut typed).unwrap();
                black_box(loss)
            })
        });
        let (x, y) = batch(n);
        group.bench_function(BenchmarkId::new("tch", n), |b| {
            b.iter(|| {
                raw_opt.zero_grad();
                let loss = tch_loss(&raw.forward(&x), &y);
                loss.backward();
                raw_opt.step();
                black_box(loss)
            })
        });
        group.bench_function(BenchmarkId::new("manual", n), |b| {
            b.iter(|| black_box(manual.train_step(&x, &y)))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = manual_matches_autograd, forward, gradient, train_step
}
criterion_main!(benches);

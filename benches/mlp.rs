//! The 784-300-100-10 MLP of the `backprop` README (logistic hidden units, softmax cross-entropy)
//! at batch 1, 32 and 256: forward only, gradient (zero, forward, loss, backward) and a full SGD
//! training step, for typed-torch, raw `tch` (`nn::seq` + `nn::Sgd`) and hand-written gradients
//! (plain tch ops, no autograd: `backprop`'s "manual" row). `benches/pytorch.py` times the same
//! for PyTorch eager.
// `criterion_group!` defines an undocumented `pub fn`.
#![allow(missing_docs)]

mod common;

use common::workloads::{
    batch, tch_loss, tch_mlp, tch_mlp_sgd, typed_batch, typed_mlp_sgd, Manual, BATCHES,
};

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use tch::nn::{self, Module as _};
use tch::Device;
use typed_torch::loss::{cross_entropy, Mean};
use typed_torch::nn::{Module, Sigmoid};
use typed_torch::optim::Optimizer;
use typed_torch::prelude::*;

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
    }
    group.finish();
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

//! The 784-300-100-10 MLP of the `backprop` README (logistic hidden units, softmax cross-entropy)
//! at batch 1, 32 and 256: forward only, gradient (zero, forward, loss, backward) and a full SGD
//! training step, for typed-torch, raw `tch` (`nn::seq` + `nn::Sgd`) and hand-written gradients
//! (plain tch ops, no autograd: `backprop`'s "manual" row). `benches/pytorch.py` times the same
//! for PyTorch eager.
// `criterion_group!` defines an undocumented `pub fn`.
#![allow(missing_docs)]

mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use tch::nn::{self, Module as _, OptimizerConfig as _};
use tch::{Device, Kind, Reduction};
use typed_torch::loss::{cross_entropy, Mean};
use typed_torch::nn::{Module, Sigmoid};
use typed_torch::optim::{Optimizer, Sgd, SgdConfig};
use typed_torch::{Dyn, Tensor, D};

const BATCHES: [i64; 3] = [1, 32, 256];
const LR: f64 = 0.01;

type Images = Tensor<(Dyn, D<1>, D<28>, D<28>)>;
type Labels = Tensor<(Dyn,), i64>;

/// A random batch of digits and labels, as raw tensors.
fn batch(n: i64) -> (tch::Tensor, tch::Tensor) {
    (
        tch::Tensor::randn([n, 1, 28, 28], (Kind::Float, Device::Cpu)),
        tch::Tensor::randint(10, [n], (Kind::Int64, Device::Cpu)),
    )
}

/// The same batch with its types (checked once here, as a data loader would).
fn typed_batch(n: i64) -> (Images, Labels) {
    let (x, y) = batch(n);
    (Tensor::from_tch(x).unwrap(), Tensor::from_tch(y).unwrap())
}

/// `nn.Sequential(Flatten, Linear, Sigmoid, Linear, Sigmoid, Linear)` in raw tch.
fn tch_mlp(vs: &nn::VarStore) -> nn::Sequential {
    let p = vs.root();
    nn::seq()
        .add_fn(|x| x.flatten(1, -1))
        .add(nn::linear(&p / "1", 784, 300, Default::default()))
        .add_fn(|x| x.sigmoid())
        .add(nn::linear(&p / "3", 300, 100, Default::default()))
        .add_fn(|x| x.sigmoid())
        .add(nn::linear(&p / "5", 100, 10, Default::default()))
}

/// `F.cross_entropy` (mean), the op typed-torch's `cross_entropy` calls.
fn tch_loss(logits: &tch::Tensor, labels: &tch::Tensor) -> tch::Tensor {
    logits.cross_entropy_loss::<tch::Tensor>(labels, None, Reduction::Mean, -100, 0.0)
}

/// The MLP with hand-written gradients: weights `(out, in)` and biases as plain tensors that
/// never require gradients, so no autograd graph is built.
struct Manual {
    w: [tch::Tensor; 3],
    b: [tch::Tensor; 3],
}

/// What the manual backward pass needs from the forward pass.
struct Activations {
    x: tch::Tensor,
    h1: tch::Tensor,
    h2: tch::Tensor,
    logits: tch::Tensor,
}

impl Manual {
    fn new() -> Self {
        let opts = (Kind::Float, Device::Cpu);
        let layer = |i: i64, o: i64| {
            let bound = 1.0 / (i as f64).sqrt();
            (
                tch::Tensor::rand([o, i], opts) * (2.0 * bound) - bound,
                tch::Tensor::rand([o], opts) * (2.0 * bound) - bound,
            )
        };
        let (w1, b1) = layer(784, 300);
        let (w2, b2) = layer(300, 100);
        let (w3, b3) = layer(100, 10);
        Manual {
            w: [w1, w2, w3],
            b: [b1, b2, b3],
        }
    }

    fn forward(&self, x: &tch::Tensor) -> Activations {
        let x = x.flatten(1, -1);
        let h1 = x.linear(&self.w[0], Some(&self.b[0])).sigmoid();
        let h2 = h1.linear(&self.w[1], Some(&self.b[1])).sigmoid();
        let logits = h2.linear(&self.w[2], Some(&self.b[2]));
        Activations { x, h1, h2, logits }
    }

    /// The loss and the gradients `[dW1, dW2, dW3]`, `[db1, db2, db3]`, by the chain rule.
    fn gradient(&self, x: &tch::Tensor, labels: &tch::Tensor) -> (tch::Tensor, [tch::Tensor; 6]) {
        let a = self.forward(x);
        let n = a.logits.size()[0] as f64;
        let log_probs = a.logits.log_softmax(1, Kind::Float);
        let loss = -log_probs
            .gather(1, &labels.unsqueeze(1), false)
            .mean(Kind::Float);
        // d loss / d logits = (softmax - one_hot) / n
        let d3 = (log_probs.exp() - labels.one_hot(10).to_kind(Kind::Float)) / n;
        let layer = |d: &tch::Tensor, input: &tch::Tensor| {
            (d.tr().mm(input), d.sum_dim_intlist(0, false, Kind::Float))
        };
        let (gw3, gb3) = layer(&d3, &a.h2);
        // sigmoid' = h (1 - h)
        let d2 = d3.mm(&self.w[2]) * &a.h2 * (1.0 - &a.h2);
        let (gw2, gb2) = layer(&d2, &a.h1);
        let d1 = d2.mm(&self.w[1]) * &a.h1 * (1.0 - &a.h1);
        let (gw1, gb1) = layer(&d1, &a.x);
        (loss, [gw1, gw2, gw3, gb1, gb2, gb3])
    }

    fn train_step(&mut self, x: &tch::Tensor, labels: &tch::Tensor) -> tch::Tensor {
        let (loss, g) = self.gradient(x, labels);
        for (p, g) in self.w.iter_mut().chain(self.b.iter_mut()).zip(&g) {
            let _ = p.g_sub_(&(g * LR));
        }
        loss
    }
}

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
    let typed = typed_torch_models::mlp::mlp::<Sigmoid>();
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
    let mut typed = typed_torch_models::mlp::mlp::<Sigmoid>();
    // The optimizer only zeroes the gradients here (one op over its flat gradient buffer).
    let mut typed_opt = Sgd::new(
        &mut typed,
        SgdConfig {
            lr: LR,
            ..Default::default()
        },
    )
    .unwrap();
    let vs = nn::VarStore::new(Device::Cpu);
    let raw = tch_mlp(&vs);
    let mut raw_opt = nn::Sgd::default().build(&vs, LR).unwrap();
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
    let mut typed = typed_torch_models::mlp::mlp::<Sigmoid>();
    let mut typed_opt = Sgd::new(
        &mut typed,
        SgdConfig {
            lr: LR,
            ..Default::default()
        },
    )
    .unwrap();
    let vs = nn::VarStore::new(Device::Cpu);
    let raw = tch_mlp(&vs);
    let mut raw_opt = nn::Sgd::default().build(&vs, LR).unwrap();
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

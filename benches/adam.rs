//! One Adam step (PyTorch's defaults) over a ~10M-parameter model, 10 x Linear(1024, 1024), with
//! gradients already computed: typed-torch's fused step over its flat parameter and state buffers
//! against raw `tch`'s
//! `nn::Adam` (libtorch's C++ `torch::optim::Adam`). `benches/pytorch.py` times
//! `torch.optim.Adam` with its default (for-loop) implementation, `foreach=True` and `fused=True`.
// `criterion_group!` defines an undocumented `pub fn`.
#![allow(missing_docs)]

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use tch::nn::{self, OptimizerConfig as _};
use tch::{Device, Kind};
use typed_torch::nn::{Linear, Module, Params};
use typed_torch::optim::{Adam, AdamConfig, Optimizer};
use typed_torch::prelude::*;
use typed_torch::{hlist, HList, Tensor, D};

type Deep = HList![
    Linear<1024, 1024>, Linear<1024, 1024>, Linear<1024, 1024>, Linear<1024, 1024>,
    Linear<1024, 1024>, Linear<1024, 1024>, Linear<1024, 1024>, Linear<1024, 1024>,
    Linear<1024, 1024>, Linear<1024, 1024>
];

fn step(c: &mut Criterion) {
    let mut group = c.benchmark_group("adam_step");
    common::flat(&mut group);

    let mut typed: Deep = hlist![
        Linear::init().unwrap(),
        Linear::init().unwrap(),
        Linear::init().unwrap(),
        Linear::init().unwrap(),
        Linear::init().unwrap(),
        Linear::init().unwrap(),
        Linear::init().unwrap(),
        Linear::init().unwrap(),
        Linear::init().unwrap(),
        Linear::init().unwrap()
    ];
    let mut opt = Adam::new(&mut typed, AdamConfig::default()).unwrap();
    // One backward pass creates the gradients, as for raw tch below; then fill them with noise.
    typed
        .forward(Tensor::<(D<2>, D<1024>)>::randn())
        .sum_all()
        .backward();
    typed.for_each_param(|_, t| {
        t.grad().copy_(&t.grad().randn_like());
    });
    group.bench_function("typed", |b| b.iter(|| opt.step(&mut typed).unwrap()));

    let vs = nn::VarStore::new(Device::Cpu);
    let root = vs.root();
    let layers: Vec<nn::Linear> = (0..10)
        .map(|i| nn::linear(&root / i, 1024, 1024, Default::default()))
        .collect();
    let mut raw_opt = nn::Adam::default().build(&vs, 1e-3).unwrap();
    // One backward pass through every layer creates the gradients; then fill them with noise.
    let x = tch::Tensor::randn([2, 1024], (Kind::Float, Device::Cpu));
    layers
        .iter()
        .fold(x, |x, l| x.apply(l))
        .sum(Kind::Float)
        .backward();
    for t in vs.trainable_variables() {
        t.grad().copy_(&t.grad().randn_like());
    }
    group.bench_function("tch", |b| b.iter(|| raw_opt.step()));
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = step
}
criterion_main!(benches);

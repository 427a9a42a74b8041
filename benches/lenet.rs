//! One LeNet training step (Adam, PyTorch's defaults) at batch 64: typed-torch against raw `tch`
//! (`nn::seq` + `nn::Adam`); `benches/pytorch.py` times `nn.Sequential` + `torch.optim.Adam`.
// `criterion_group!` defines an undocumented `pub fn`.
#![allow(missing_docs)]

mod common;

use common::workloads::{tch_lenet, LENET_BATCH as BATCH};

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use tch::nn::{self, Module as _, OptimizerConfig as _};
use tch::{Device, Kind, Reduction};
use typed_torch::loss::{cross_entropy, Mean};
use typed_torch::nn::Module;
use typed_torch::optim::{Adam, AdamConfig, Optimizer};
use typed_torch::prelude::*;
use typed_torch::{Dyn, Tensor, D};

fn train_step(c: &mut Criterion) {
    let mut group = c.benchmark_group("lenet_train");
    common::flat(&mut group);
    let x = tch::Tensor::randn([BATCH, 1, 28, 28], (Kind::Float, Device::Cpu));
    let y = tch::Tensor::randint(10, [BATCH], (Kind::Int64, Device::Cpu));

    let mut typed = typed_torch_models::lenet::LeNet::init().unwrap();
    let mut opt = Adam::new(&mut typed, AdamConfig::default()).unwrap();
    let images: Tensor<(Dyn, D<1>, D<28>, D<28>)> = Tensor::from_tch(x.shallow_clone()).unwrap();
    let labels: Tensor<(Dyn,), i64> = Tensor::from_tch(y.shallow_clone()).unwrap();
    group.bench_function("typed", |b| {
        b.iter(|| {
            opt.zero_grad();
            let loss = cross_entropy(&typed.forward(images.clone()), &labels, Mean);
            loss.backward();
            opt.step(&mut typed).unwrap();
            black_box(loss)
        })
    });

    let vs = nn::VarStore::new(Device::Cpu);
    let raw = tch_lenet(&vs);
    let mut raw_opt = nn::Adam::default().build(&vs, 1e-3).unwrap();
    group.bench_function("tch", |b| {
        b.iter(|| {
            raw_opt.zero_grad();
            let logits = raw.forward(&x);
            let loss =
                logits.cross_entropy_loss::<tch::Tensor>(&y, None, Reduction::Mean, -100, 0.0);
            loss.backward();
            raw_opt.step();
            black_box(loss)
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = train_step
}
criterion_main!(benches);

//! The workloads the benchmarks share: the `backprop` MLP in raw tch and with hand-written
//! gradients, LeNet in raw tch, and random batches.
use tch::nn::{self, OptimizerConfig as _};
use tch::{Device, Kind, Reduction};
use typed_torch::nn::Sigmoid;
use typed_torch::optim::{Sgd, SgdConfig};
use typed_torch::prelude::*;
use typed_torch::{Dyn, Tensor, D};
use typed_torch_models::mlp::Mlp;

/// Batch sizes of the MLP benchmarks.
pub const BATCHES: [i64; 3] = [1, 32, 256];
/// SGD learning rate of the MLP training step.
pub const LR: f64 = 0.01;
/// Batch size of the LeNet benchmark.
pub const LENET_BATCH: i64 = 64;

pub type Images = Tensor<(Dyn, D<1>, D<28>, D<28>)>;
pub type Labels = Tensor<(Dyn,), i64>;

/// The typed MLP with its SGD optimizer (learning rate [`LR`]).
pub fn typed_mlp_sgd() -> (Mlp, Sgd<Mlp>) {
    let mut model = typed_torch_models::mlp::Mlp::<Sigmoid>::init().unwrap();
    let config = SgdConfig {
        lr: LR,
        ..Default::default()
    };
    let opt = Sgd::new(&mut model, config).unwrap();
    (model, opt)
}

/// The raw tch MLP with its `nn::Sgd` optimizer (learning rate [`LR`]); the variable store owns
/// the weights.
pub fn tch_mlp_sgd() -> (nn::VarStore, nn::Sequential, nn::Optimizer) {
    let vs = nn::VarStore::new(Device::Cpu);
    let model = tch_mlp(&vs);
    let opt = nn::Sgd::default().build(&vs, LR).unwrap();
    (vs, model, opt)
}

/// A random batch of digits and labels, as raw tensors.
pub fn batch(n: i64) -> (tch::Tensor, tch::Tensor) {
    (
        tch::Tensor::randn([n, 1, 28, 28], (Kind::Float, Device::Cpu)),
        tch::Tensor::randint(10, [n], (Kind::Int64, Device::Cpu)),
    )
}

/// The same batch with its types (checked once here, as a data loader would).
pub fn typed_batch(n: i64) -> (Images, Labels) {
    let (x, y) = batch(n);
    (Tensor::from_tch(x).unwrap(), Tensor::from_tch(y).unwrap())
}

/// `nn.Sequential(Flatten, Linear, Sigmoid, Linear, Sigmoid, Linear)` in raw tch.
pub fn tch_mlp(vs: &nn::VarStore) -> nn::Sequential {
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
pub fn tch_loss(logits: &tch::Tensor, labels: &tch::Tensor) -> tch::Tensor {
    logits.cross_entropy_loss::<tch::Tensor>(labels, None, Reduction::Mean, -100, 0.0)
}

/// The MLP with hand-written gradients: weights `(out, in)` and biases as plain tensors that
/// never require gradients, so no autograd graph is built.
pub struct Manual {
    pub w: [tch::Tensor; 3],
    pub b: [tch::Tensor; 3],
}

/// What the manual backward pass needs from the forward pass.
pub struct Activations {
    pub x: tch::Tensor,
    pub h1: tch::Tensor,
    pub h2: tch::Tensor,
    pub logits: tch::Tensor,
}

impl Manual {
    pub fn new() -> Self {
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

    pub fn forward(&self, x: &tch::Tensor) -> Activations {
        let x = x.flatten(1, -1);
        let h1 = x.linear(&self.w[0], Some(&self.b[0])).sigmoid();
        let h2 = h1.linear(&self.w[1], Some(&self.b[1])).sigmoid();
        let logits = h2.linear(&self.w[2], Some(&self.b[2]));
        Activations { x, h1, h2, logits }
    }

    /// The loss and the gradients `[dW1, dW2, dW3]`, `[db1, db2, db3]`, by the chain rule.
    pub fn gradient(
        &self,
        x: &tch::Tensor,
        labels: &tch::Tensor,
    ) -> (tch::Tensor, [tch::Tensor; 6]) {
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

    pub fn train_step(&mut self, x: &tch::Tensor, labels: &tch::Tensor) -> tch::Tensor {
        let (loss, g) = self.gradient(x, labels);
        for (p, g) in self.w.iter_mut().chain(self.b.iter_mut()).zip(&g) {
            let _ = p.g_sub_(&(g * LR));
        }
        loss
    }
}

/// LeNet in raw tch, layer for layer as `typed_torch_models::lenet`.
pub fn tch_lenet(vs: &nn::VarStore) -> nn::Sequential {
    let p = vs.root();
    let padded = nn::ConvConfig {
        padding: 2,
        ..Default::default()
    };
    nn::seq()
        .add(nn::conv2d(&p / "0", 1, 6, 5, padded))
        .add_fn(|x| x.relu().max_pool2d_default(2))
        .add(nn::conv2d(&p / "3", 6, 16, 5, Default::default()))
        .add_fn(|x| x.relu().max_pool2d_default(2).flatten(1, -1))
        .add(nn::linear(&p / "7", 400, 120, Default::default()))
        .add_fn(|x| x.relu())
        .add(nn::linear(&p / "9", 120, 84, Default::default()))
        .add_fn(|x| x.relu())
        .add(nn::linear(&p / "11", 84, 10, Default::default()))
}

//! Code generic over the batch dim `B` uses the ordinary ops with no bound on `B`; only two
//! independent dims need one, and it is exactly the bound rustc suggests
//! (`fail/generic_batch_two_dims.rs`).
use typed_torch::loss::{self, Mean};
use typed_torch::nn::{Init, Linear, Module, ReLU};
use typed_torch::{Cat, D, Dim, Dyn, HList, Tensor, hlist};

type Mlp = HList![Linear<64, 32>, ReLU, Linear<32, 10>];

fn features<B: Dim>(
    x: &Tensor<(B, D<4>, D<16>)>,
    w: &Tensor<(D<64>, D<64>)>,
    bias: &Tensor<(D<64>,)>,
    extra: &Tensor<(B, D<8>)>,
) -> Tensor<(B, D<72>)> {
    let h = x.flatten::<1, 2>(); // (B, 64)
    let h = (h.matmul(w) + bias).relu(); // broadcast with (64,): nothing needed about B
    let h = &h + &h.softmax::<1>(); // (B, 64) + (B, 64): equal dims broadcast to themselves
    h.cat::<1>(extra)
}

fn head<B: Dim>(net: &Mlp, h: Tensor<(B, D<64>)>, labels: &Tensor<(B,), i64>) -> Tensor<()> {
    let logits = net.forward(h);
    let _per_row: Tensor<(B,)> = logits.sum::<1>();
    loss::cross_entropy(&logits, labels, Mean)
}

// rustc's suggestion for `fail/generic_batch_two_dims.rs`, applied as printed.
fn add<B: Dim + typed_torch::BroadcastDim<C>, C: Dim>(
    x: &Tensor<(B, D<4>)>,
    y: &Tensor<(C, D<4>)>,
) -> Tensor<()> {
    (x + y).sum_all()
}

fn run<B: Dim>(batch: usize) {
    let x = Tensor::<(B, D<4>, D<16>)>::zeros_with_sizes(&[batch, 4, 16]).unwrap();
    let extra = Tensor::<(B, D<8>)>::zeros_with_sizes(&[batch, 8]).unwrap();
    let w = Tensor::<(D<64>, D<64>)>::randn();
    let bias = Tensor::<(D<64>,)>::ones();
    let h = features(&x, &w, &bias, &extra);
    assert_eq!(h.size(), vec![batch, 72]);
    let net: Mlp = hlist![Linear::init().unwrap(), ReLU, Linear::init().unwrap()];
    let labels = Tensor::<(B,), i64>::zeros_with_sizes(&[batch]).unwrap();
    let l = head(&net, h.narrow::<1, 0, 64>(), &labels);
    assert!(l.to_vec()[0].is_finite());
}

fn main() {
    run::<Dyn>(3);
    run::<D<2>>(2);
    let one = Tensor::<(D<1>, D<4>)>::ones();
    let many = Tensor::<(Dyn, D<4>)>::ones_dyn(&[5]).unwrap();
    assert_eq!(add(&many, &one).to_vec(), vec![40.0]);
}

use typed_torch::graph::Edges;
use typed_torch::nn::{GatConv, Init, Module};
use typed_torch::options::{Heads, MeanHeads};
use typed_torch::{D, Dyn, Tensor};

fn main() {
    let gat = GatConv::<16, 8, Heads<4>, MeanHeads>::init().unwrap();
    let edges = Edges::from_pairs(&[(0, 1), (1, 2)], 3).unwrap();
    let x = Tensor::<(Dyn, D<16>)>::zeros_dyn(&[3]).unwrap();
    // Averaged heads keep 8 features, not 4 x 8.
    let _h: Tensor<(Dyn, D<32>)> = gat.forward((x, &edges));
}

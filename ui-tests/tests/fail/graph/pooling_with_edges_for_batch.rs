use typed_torch::graph::Edges;
use typed_torch::nn::{GlobalAddPool, Module};
use typed_torch::{D, Dyn, Tensor};

fn main() {
    let h = Tensor::<(Dyn, D<16>)>::zeros_dyn(&[3]).unwrap();
    let edges = Edges::<f32>::from_pairs(&[(0, 1), (1, 2)], 3).unwrap();
    // The edges say nothing about which graph each node belongs to.
    let _pooled = GlobalAddPool.forward((h, &edges));
}

use typed_torch::graph::Edges;
use typed_torch::nn::{GcnConv, Init, Module};
use typed_torch::{Cuda, D, Dyn, Tensor};

fn main() {
    let gcn = GcnConv::<4, 8>::init().unwrap();
    // The edges live on the GPU, the features and the layer on the CPU.
    let edges = Edges::<f32, Cuda<0>>::from_pairs(&[(0, 1), (1, 2)], 3).unwrap();
    let x = Tensor::<(Dyn, D<4>)>::zeros_dyn(&[3]).unwrap();
    let _h = gcn.forward((x, &edges));
}

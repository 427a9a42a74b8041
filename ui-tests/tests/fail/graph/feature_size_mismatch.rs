use typed_torch::graph::Edges;
use typed_torch::nn::{GcnConv, Init, Module};
use typed_torch::{D, Dyn, Tensor};

fn main() {
    let conv1 = GcnConv::<16, 8>::init().unwrap();
    let conv2 = GcnConv::<16, 4>::init().unwrap();
    let edges = Edges::from_pairs(&[(0, 1), (1, 2)], 3).unwrap();
    let x = Tensor::<(Dyn, D<16>)>::zeros_dyn(&[3]).unwrap();
    let h = conv1.forward((x, &edges)).relu();
    // conv1 gives 8 features per node; conv2 takes 16.
    let _out = conv2.forward((h, &edges));
}

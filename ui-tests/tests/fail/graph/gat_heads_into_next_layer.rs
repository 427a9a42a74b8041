use typed_torch::graph::Edges;
use typed_torch::nn::{GatConv, GcnConv, Init, Module};
use typed_torch::options::Heads;
use typed_torch::{D, Dyn, Tensor};

fn main() {
    let gat = GatConv::<16, 8, Heads<4>>::init().unwrap();
    let gcn = GcnConv::<8, 2>::init().unwrap();
    let edges = Edges::from_pairs(&[(0, 1), (1, 2)], 3).unwrap();
    let x = Tensor::<(Dyn, D<16>)>::zeros_dyn(&[3]).unwrap();
    // Four heads of 8 features, concatenated: 32 features per node.
    let h = gat.forward((x, &edges)).relu();
    let _out = gcn.forward((h, &edges));
}

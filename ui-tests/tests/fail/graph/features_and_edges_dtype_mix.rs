use typed_torch::graph::Edges;
use typed_torch::nn::{Init, Module, SageConv};
use typed_torch::{D, Dyn, Tensor};

fn main() {
    let sage = SageConv::<4, 8, (), f64>::init().unwrap();
    // f32 edge weights with f64 features and layer.
    let edges = Edges::<f32>::from_pairs(&[(0, 1), (1, 2)], 3).unwrap();
    let x = Tensor::<(Dyn, D<4>), f64>::zeros_dyn(&[3]).unwrap();
    let _h = sage.forward((x, &edges));
}

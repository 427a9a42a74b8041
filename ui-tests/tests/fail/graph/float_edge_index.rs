use typed_torch::graph::Edges;
use typed_torch::{D, Dyn, Tensor};

fn main() {
    // Node ids are integers: an edge index of floats is not one.
    let index = Tensor::<(D<2>, Dyn), f32>::zeros_dyn(&[4]).unwrap();
    let _edges = Edges::<f32>::new(index, 3);
}

use typed_torch::graph::Edges;
use typed_torch::{D, Dyn, Tensor};

fn main() {
    // An edge index has two rows (sources, targets), not three.
    let index = Tensor::<(D<3>, Dyn), i64>::zeros_dyn(&[4]).unwrap();
    let _edges = Edges::<f32>::new(index, 3);
}

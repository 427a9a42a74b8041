use typed_torch::{D, Tensor};

fn main() {
    let _x: Tensor<(D<2>, D<3>)> = Tensor::from_array([[1.0, 2.0], [3.0, 4.0]]);
}

use typed_torch::*;

fn main() {
    let x = Tensor::<(Dyn, D<28>, D<28>)>::zeros_sized(&[4, 28, 28]).unwrap();
    let _y = x.reshape::<(D<4>, D<784>)>();
}

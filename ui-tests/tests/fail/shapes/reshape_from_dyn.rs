use typed_torch::{D, Dyn, Tensor};

fn main() {
    let x = Tensor::<(Dyn, D<28>, D<28>)>::zeros_dyn(&[4]).unwrap();
    let _y = x.reshape::<(D<4>, D<784>)>();
}

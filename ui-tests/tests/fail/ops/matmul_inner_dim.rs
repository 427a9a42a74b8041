use typed_torch::{D, Dyn, Tensor};

fn main() {
    let x = Tensor::<(Dyn, D<784>)>::zeros_dyn(&[8]).unwrap();
    let w = Tensor::<(D<785>, D<10>)>::zeros();
    let _y = x.matmul(&w);
}

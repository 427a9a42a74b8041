use typed_torch::{D, Dyn, Tensor};

fn main() {
    let x = Tensor::<(Dyn, D<784>)>::zeros_dyn(&[8]).unwrap();
    let w = Tensor::<(D<784>, D<392>)>::zeros();
    let _y: Tensor<(Dyn, D<1500>)> = x.matmul(&w);
}

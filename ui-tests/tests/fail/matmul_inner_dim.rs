use typed_torch::*;

fn main() {
    let x = Tensor::<(Dyn, D<784>)>::zeros_sized(&[8, 784]).unwrap();
    let w = Tensor::<(D<785>, D<10>)>::zeros();
    let _y = x.matmul(&w);
}

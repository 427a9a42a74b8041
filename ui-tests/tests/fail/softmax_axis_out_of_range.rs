use typed_torch::*;

fn main() {
    let x = Tensor::<(Dyn, D<10>)>::zeros_sized(&[4, 10]).unwrap();
    let _p = x.log_softmax::<2>();
}

use typed_torch::{D, Dyn, Tensor};

fn main() {
    let x = Tensor::<(Dyn, D<10>)>::zeros_dyn(&[4]).unwrap();
    let _p = x.log_softmax::<2>();
}

use typed_torch::{D, Dyn, Tensor};

fn main() {
    let x = Tensor::<(Dyn, D<3>)>::zeros_dyn(&[5]).unwrap();
    let _y = x.narrow::<0, 0, 2>();
}

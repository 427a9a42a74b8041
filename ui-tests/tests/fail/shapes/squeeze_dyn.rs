use typed_torch::{D, Dyn, Tensor};

fn main() {
    let x = Tensor::<(Dyn, D<3>)>::zeros_dyn(&[1]).unwrap();
    let _y = x.squeeze::<0>();
}

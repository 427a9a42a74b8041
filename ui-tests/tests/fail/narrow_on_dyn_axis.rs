use typed_torch::*;

fn main() {
    let x = Tensor::<(Dyn, D<3>)>::zeros_sized(&[5, 3]).unwrap();
    let _y = x.narrow::<0, 0, 2>();
}

use typed_torch::*;

fn main() {
    let x = Tensor::<(Dyn, D<3>)>::zeros_sized(&[1, 3]).unwrap();
    let _y = x.squeeze::<0>();
}

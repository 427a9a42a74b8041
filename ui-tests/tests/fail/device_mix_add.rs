use typed_torch::*;

fn main() {
    let a = Tensor::<(D<3>,), f32, Cpu>::zeros();
    let b = Tensor::<(D<3>,), f32, Cuda<0>>::zeros_sized(&[3]).unwrap();
    let _c = &a + &b;
}

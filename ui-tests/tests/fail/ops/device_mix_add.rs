use typed_torch::{Cpu, Cuda, D, Tensor};

fn main() {
    let a = Tensor::<(D<3>,), f32, Cpu>::zeros();
    let b = Tensor::<(D<3>,), f32, Cuda<0>>::zeros_dyn(&[]).unwrap();
    let _c = &a + &b;
}

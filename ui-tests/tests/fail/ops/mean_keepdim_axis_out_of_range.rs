use typed_torch::{D, Dyn, Tensor};

fn main() {
    let x = Tensor::<(Dyn, D<10>)>::zeros_dyn(&[4]).unwrap();
    let _m = x.mean_keepdim::<3>();
}

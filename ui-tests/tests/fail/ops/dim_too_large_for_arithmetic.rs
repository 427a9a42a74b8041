use typed_torch::{D, Dyn, Tensor};

fn main() {
    // D<5000> is beyond D<4096>, the largest static input to shape arithmetic.
    let x = Tensor::<(Dyn, D<5000>, D<2>)>::zeros_dyn(&[1]).unwrap();
    let _y = x.flatten::<1, 2>();
}

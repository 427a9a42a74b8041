use typed_torch::*;

fn main() {
    // D<5000> is beyond D<4096>, the largest static input to shape arithmetic.
    let x = Tensor::<(Dyn, D<5000>, D<2>)>::zeros_sized(&[1, 5000, 2]).unwrap();
    let _y = x.flatten::<1, 2>();
}

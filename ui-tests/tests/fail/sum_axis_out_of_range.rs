use typed_torch::*;

fn main() {
    let x = Tensor::<(D<2>, D<3>)>::zeros();
    let _s = x.sum::<2>();
}

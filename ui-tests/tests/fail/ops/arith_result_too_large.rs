use typed_torch::{D, Tensor};

fn main() {
    // 512 * 512 = 262144 is beyond the largest static result, D<65536>.
    let x = Tensor::<(D<1>, D<512>, D<512>)>::zeros();
    let _y = x.flatten::<1, 2>();
}

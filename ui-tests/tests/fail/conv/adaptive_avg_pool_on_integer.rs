use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<1>, D<3>, D<8>, D<8>), u8>::zeros();
    let _y = x.adaptive_avg_pool2d::<1, 1>();
}

use typed_torch::{Axes2, D, Tensor};

fn main() {
    let x = Tensor::<(D<2>, D<3>, D<4>)>::zeros();
    let _y = x.permute::<Axes2<1, 0>>();
}

use typed_torch::{Axes3, D, Tensor};

fn main() {
    let x = Tensor::<(D<2>, D<3>, D<4>)>::zeros();
    let _y = x.permute::<Axes3<0, 1, 1>>();
}

use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<1>, D<1>, D<8000>)>::zeros();
    let w = Tensor::<(D<4>, D<1>, D<3>)>::zeros();
    let _y = x.conv1d(&w, None, ());
}

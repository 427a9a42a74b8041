use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<1>, D<1>, D<1>, D<1>, D<1>, D<2>)>::zeros();
    let _y = x.unsqueeze::<0>();
}

use typed_torch::{Cat, D, Tensor};

fn main() {
    let a = Tensor::<(D<2>, D<3>)>::zeros();
    let b = Tensor::<(D<4>, D<5>)>::zeros();
    let _c = a.cat::<1>(&b);
}

use typed_torch::{D, SelectBy, Tensor};

fn main() {
    let x = Tensor::<(D<4>, D<3>)>::zeros();
    let i = Tensor::<(D<4>,), i64>::zeros();
    let _y = x.gather::<1>(&i);
}

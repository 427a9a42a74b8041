use typed_torch::{D, SelectBy, Tensor};

fn main() {
    let x = Tensor::<(D<4>, D<3>)>::zeros();
    let i = Tensor::<(D<2>,), i64>::zeros();
    let _y = x.index_select::<2>(&i);
}

use typed_torch::{D, Tensor};

fn main() {
    let x = Tensor::<(D<3>,), i64>::arange().requires_grad();
    x.sum_all().backward();
}

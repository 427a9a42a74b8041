use typed_torch::*;

fn main() {
    // zeros() needs every dim static; a Dyn batch needs zeros_sized(&[..]).
    let _x = Tensor::<(Dyn, D<784>)>::zeros();
}

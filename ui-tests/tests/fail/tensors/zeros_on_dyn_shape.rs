use typed_torch::{D, Dyn, Tensor};

fn main() {
    // zeros() needs every dim static; a Dyn batch needs zeros_dyn(&[batch]).
    let _x = Tensor::<(Dyn, D<784>)>::zeros();
}

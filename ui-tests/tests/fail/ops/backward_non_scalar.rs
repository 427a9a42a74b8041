use typed_torch::{D, Tensor};

fn main() {
    let w = Tensor::<(D<3>, D<2>)>::randn().requires_grad();
    let y = w.square().sum::<1>();
    y.backward();
}

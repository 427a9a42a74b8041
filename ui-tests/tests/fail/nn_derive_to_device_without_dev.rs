use typed_torch::nn::{Linear, ToDevice};

#[derive(ToDevice)]
struct Model {
    fc: Linear<4, 2>,
}

fn main() {}

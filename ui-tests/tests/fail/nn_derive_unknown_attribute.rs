use typed_torch::nn::{Linear, Params};

#[derive(Params)]
struct Model {
    fc: Linear<4, 2>,
    #[params(ignore)]
    steps: usize,
}

fn main() {}

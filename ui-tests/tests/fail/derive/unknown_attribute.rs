use typed_torch::nn::{Linear, Module};

#[derive(Module)]
struct Model {
    fc: Linear<4, 2>,
    #[module(ignore)]
    steps: usize,
}

fn main() {}

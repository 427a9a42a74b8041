use typed_torch::nn::{Linear, Module};

#[derive(Module)]
struct Model {
    fc: Linear<4, 2>,
    steps: usize, // a counter, not a layer: needs #[module(skip)]
}

fn main() {}

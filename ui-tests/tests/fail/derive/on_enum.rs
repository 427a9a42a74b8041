use typed_torch::nn::{Linear, Module};

#[derive(Module)]
enum Model {
    Small(Linear<4, 2>),
    Large(Linear<4, 8>),
}

fn main() {}

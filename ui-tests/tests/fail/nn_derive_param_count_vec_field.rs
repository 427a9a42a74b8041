use typed_torch::nn::{Linear, Params, StaticParamCount};

#[derive(Params, StaticParamCount)]
struct Tower {
    blocks: Vec<Linear<64, 64>>, // its length is known only at run time
    head: Linear<64, 10>,
}

fn main() {}

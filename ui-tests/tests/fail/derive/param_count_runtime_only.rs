use typed_torch::nn::{Linear, Module, StaticParamCount};

// The number of blocks is a run-time choice, so is the parameter count.
#[derive(Module)]
struct Tower {
    blocks: Vec<Linear<64, 64>>,
    head: Linear<64, 10>,
}

const N: usize = <Tower as StaticParamCount>::PARAM_COUNT;

fn main() {
    let _ = N;
}

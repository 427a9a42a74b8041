use typed_torch::nn::{Embedding, Gru, Init, Module, ToDevice};
use typed_torch::Cuda;

// The model is generic over its recurrent stack, but its embedding is written at a fixed type
// (f32 on the CPU): the struct works, and moving it names the field that cannot follow.
#[derive(Module)]
struct CharModel<R> {
    embed: Embedding<128, 16>,
    rnn: R,
}

fn main() {
    let model = CharModel::<Gru<16, 32>>::init().unwrap();
    let _on_gpu = model.to_device::<Cuda<0>>();
}

use typed_torch::Cuda;
use typed_torch::nn::{Init, Linear, Module, ToDevice};

// Without type parameters named `E` and `Dev`, a model is fixed to f32 on the CPU: the derive gives
// it no `to_device` (write `struct Model<Dev: Device> { fc: Linear<4, 2, (), f32, Dev> }`).
#[derive(Module)]
struct Model {
    fc: Linear<4, 2>,
}

fn main() {
    let model = Model::init().unwrap();
    let _on_gpu = model.to_device::<Cuda<0>>();
}

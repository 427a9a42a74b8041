use typed_torch::functional::grad;
use typed_torch::nn::{Init, Linear, Module};

#[derive(typed_torch::nn::Module)]
struct Net {
    layer: Linear<2, 1, (), f64>,
}

fn main() {
    // A model's gradient is a copy of the model: it must be `Clone`.
    let net = Net::init().unwrap();
    let x = typed_torch::Tensor::<(typed_torch::D<1>, typed_torch::D<2>), f64>::ones();
    let _g = grad(|n: Net| n.layer.forward(x.clone()).sum_all(), &net);
}

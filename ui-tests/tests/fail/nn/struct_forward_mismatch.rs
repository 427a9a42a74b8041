use typed_torch::nn::{Linear, Module};
use typed_torch::{D, Dyn, Tensor};

#[derive(Module)]
struct Mlp {
    fc1: Linear<784, 300>,
    fc2: Linear<100, 10>,
}

impl Module<Tensor<(Dyn, D<784>)>> for Mlp {
    type Output = Tensor<(Dyn, D<10>)>;
    fn forward(&self, x: Tensor<(Dyn, D<784>)>) -> Self::Output {
        self.fc2.forward(self.fc1.forward(x).relu())
    }
}

fn main() {}

use typed_torch::nn::{Init, Linear, Module, ReLU, Tanh};
use typed_torch::{D, Dyn, Tensor, hlist};

fn main() {
    // A 20-layer stack whose 15th layer expects 32 features where the 14th gives 64.
    let stack = hlist![
        Linear::<784, 512>::init().unwrap(), ReLU, Linear::<512, 256>::init().unwrap(), ReLU,
        Linear::<256, 256>::init().unwrap(), Tanh, Linear::<256, 128>::init().unwrap(), ReLU,
        Linear::<128, 128>::init().unwrap(), ReLU, Linear::<128, 64>::init().unwrap(), ReLU,
        Linear::<64, 64>::init().unwrap(), ReLU, Linear::<32, 32>::init().unwrap(), ReLU,
        Linear::<32, 16>::init().unwrap(), ReLU, Linear::<16, 10>::init().unwrap(), Tanh,
    ];
    let x = Tensor::<(Dyn, D<784>)>::zeros_dyn(&[8]).unwrap();
    let _y = stack.forward(x);
}

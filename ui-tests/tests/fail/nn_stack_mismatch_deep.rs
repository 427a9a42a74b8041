use typed_torch::nn::{Linear, Module, ReLU, Tanh};
use typed_torch::{hlist, Dyn, Tensor, D};

fn main() {
    // A 20-layer stack whose 15th layer expects 32 features where the 14th gives 64.
    let stack = hlist![
        Linear::<784, 512>::new(), ReLU, Linear::<512, 256>::new(), ReLU,
        Linear::<256, 256>::new(), Tanh, Linear::<256, 128>::new(), ReLU,
        Linear::<128, 128>::new(), ReLU, Linear::<128, 64>::new(), ReLU,
        Linear::<64, 64>::new(), ReLU, Linear::<32, 32>::new(), ReLU,
        Linear::<32, 16>::new(), ReLU, Linear::<16, 10>::new(), Tanh,
    ];
    let x = Tensor::<(Dyn, D<784>)>::zeros_sized(&[8, 784]).unwrap();
    let _y = stack.forward(x);
}

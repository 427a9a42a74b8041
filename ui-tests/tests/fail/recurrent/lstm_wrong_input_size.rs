use typed_torch::nn::{Init, Lstm, Module};
use typed_torch::{D, Dyn, Tensor};

fn main() {
    // Rows of 28 pixels into an LSTM built for 32 features.
    let lstm = Lstm::<32, 64>::init().unwrap();
    let x = Tensor::<(Dyn, Dyn, D<28>)>::zeros_dyn(&[28, 8]).unwrap();
    let _y = lstm.forward(x);
}

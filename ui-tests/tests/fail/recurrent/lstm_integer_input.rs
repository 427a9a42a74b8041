use typed_torch::nn::{Init, Lstm, Module};
use typed_torch::{D, Dyn, Tensor};

fn main() {
    // Token ids go through an Embedding first; an LSTM takes float features.
    let lstm = Lstm::<4, 8>::init().unwrap();
    let ids = Tensor::<(Dyn, Dyn, D<4>), i64>::zeros_dyn(&[5, 2]).unwrap();
    let _y = lstm.forward(ids);
}

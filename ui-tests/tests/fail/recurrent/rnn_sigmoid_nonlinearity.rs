use typed_torch::nn::{Init, Rnn, Sigmoid};
use typed_torch::options::Nonlinearity;

fn main() {
    // PyTorch's RNN takes nonlinearity='tanh' or 'relu'.
    let _rnn = Rnn::<4, 8, Nonlinearity<Sigmoid>>::init();
}

use typed_torch::nn::{Init, Lstm};
use typed_torch::options::BatchFirst;
use typed_torch::{D, Tensor};

fn main() {
    // Batch-first input of 3 sequences, but 4 lengths.
    let lstm = Lstm::<4, 8, BatchFirst>::init().unwrap();
    let x = Tensor::<(D<3>, D<5>, D<4>)>::zeros();
    let lengths = Tensor::<(D<4>,), i64>::from_slice(&[5, 2, 4, 1]).unwrap();
    let _ = lstm.forward_packed(x, &lengths, None);
}

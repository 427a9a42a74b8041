use typed_torch::nn::{Gru, Init};
use typed_torch::{D, Dyn, Tensor};

fn main() {
    // Sequence lengths are i64, as PyTorch's pack_padded_sequence takes them.
    let gru = Gru::<4, 8>::init().unwrap();
    let x = Tensor::<(D<5>, Dyn, D<4>)>::zeros_dyn(&[3]).unwrap();
    let lengths = Tensor::<(Dyn,), f32>::from_slice_dyn(&[5.0, 2.0, 4.0], &[3]).unwrap();
    let _ = gru.forward_packed(x, &lengths, None);
}

use typed_torch::{D, Tensor};

fn main() {
    // flatten can produce D<65536>, but reshape computes element counts from dims up to D<4096>.
    let x = Tensor::<(D<256>, D<256>), u8>::zeros();
    let flat: Tensor<(D<65536>,), u8> = x.flatten::<0, 1>();
    let _y: Tensor<(D<256>, D<256>), u8> = flat.reshape();
}

//! The edges of compile-time shape arithmetic: inputs up to D<4096>, results up to D<65536>.
use typed_torch::options::Stride;
use typed_torch::{Cat, D, Dyn, Tensor};

fn main() {
    let sq = Tensor::<(D<1>, D<256>, D<256>), u8>::zeros();
    let flat: Tensor<(D<1>, D<65536>), u8> = sq.flatten::<1, 2>();
    assert_eq!(flat.size(), vec![1, 65536]);

    let wide = Tensor::<(D<4096>, D<16>), u8>::ones();
    let all: Tensor<(D<65536>,), u8> = wide.flatten::<0, 1>();
    assert_eq!(all.to_kind::<i64>().sum_all().item(), 65536);

    let a = Tensor::<(D<1>, D<4096>), i64>::zeros();
    let b = Tensor::<(D<1>, D<4096>), i64>::ones();
    let c: Tensor<(D<1>, D<8192>), i64> = a.cat::<1>(&b);
    assert_eq!(c.sum_all().item(), 4096);

    let s = Tensor::<(D<1>, D<1>, D<4096>)>::ones();
    let k = Tensor::<(D<1>, D<1>, D<1>)>::full(2.0);
    let y: Tensor<(D<1>, D<1>, D<4096>)> = s.conv1d(&k, None, ());
    assert_eq!(y.sum_all().item(), 8192.0);
    let half: Tensor<(D<1>, D<1>, D<2048>)> = s.conv1d(&k, None, Stride::<2>);
    assert_eq!(half.size(), vec![1, 1, 2048]);

    // beyond the limits, Dyn keeps working
    let big = Tensor::<(D<1>, Dyn, D<2>), u8>::zeros_dyn(&[5000]).unwrap();
    let f: Tensor<(D<1>, Dyn), u8> = big.flatten::<1, 2>();
    assert_eq!(f.size(), vec![1, 10000]);
    let r: Tensor<(D<8>, D<8>, D<1024>), u8> = flat.try_reshape().unwrap();
    assert_eq!(r.numel(), 65536);
}

//! Rank-6 tensors: the highest rank with full shape support.
use typed_torch::{Axes6, D, Dyn, Tensor};

fn main() {
    let x = Tensor::<(D<1>, D<2>, D<1>, D<3>, D<1>, D<2>)>::ones();
    let p: Tensor<(D<2>, D<1>, D<3>, D<2>, D<1>, D<1>)> = x.permute::<Axes6<5, 4, 3, 1, 2, 0>>();
    assert_eq!(p.size(), vec![2, 1, 3, 2, 1, 1]);
    let t: Tensor<(D<1>, D<2>, D<1>, D<3>, D<2>, D<1>)> = x.transpose::<4, 5>();
    assert_eq!(t.numel(), 12);
    let s: Tensor<(D<1>, D<2>, D<1>, D<3>, D<1>)> = x.sum::<5>();
    assert_eq!(s.to_vec(), vec![2.0; 6]);
    let k: Tensor<(D<1>, D<2>, D<1>, D<3>, D<1>, D<1>)> = x.sum_keepdim::<5>();
    assert_eq!(k.numel(), 6);
    let q: Tensor<(D<1>, D<2>, D<3>, D<1>, D<2>)> = x.squeeze::<2>();
    let back: Tensor<(D<1>, D<2>, D<3>, D<1>, D<2>, D<1>)> = q.unsqueeze::<5>();
    assert_eq!(back.size(), vec![1, 2, 3, 1, 2, 1]);
    let f: Tensor<(D<1>, D<12>)> = x.flatten::<1, 5>();
    assert_eq!(f.sum_all().item(), 12.0);
    let y = &x + &Tensor::<(D<2>,)>::ones();
    let _: &Tensor<(D<1>, D<2>, D<1>, D<3>, D<1>, D<2>)> = &y;
    assert_eq!(y.sum_all().item(), 24.0);
    let d = Tensor::<(Dyn, D<2>, D<1>, D<3>, D<1>, D<2>)>::zeros_dyn(&[2]).unwrap();
    let m: Tensor<(Dyn, D<2>, D<1>, D<3>, D<1>, D<2>)> = &d * &x;
    assert_eq!(m.numel(), 24);
}

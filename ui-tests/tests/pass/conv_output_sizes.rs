//! Convolution and pooling output sizes follow PyTorch's formulas, computed at compile time.
use typed_torch::options::{Dilation, Groups, Kernel, OutputPadding, Padding, Stride};
use typed_torch::{D, Dyn, Tensor};

fn main() {
    let x = Tensor::<(Dyn, D<1>, D<28>, D<28>)>::ones_dyn(&[1]).unwrap();
    let w = Tensor::<(D<2>, D<1>, D<5>, D<5>)>::ones();
    let b = Tensor::<(D<2>,)>::zeros();
    let y: Tensor<(Dyn, D<2>, D<14>, D<14>)> = x.conv2d(&w, Some(&b), (Stride::<2>, Padding::<2>));
    assert_eq!(y.size(), vec![1, 2, 14, 14]);
    let v: Tensor<(Dyn, D<2>, D<24>, D<24>)> = x.conv2d(&w, None, ());
    assert_eq!(v.to_vec()[0], 25.0);
    let dil: Tensor<(Dyn, D<2>, D<20>, D<20>)> = x.conv2d(&w, None, Dilation::<2>);
    assert_eq!(dil.size(), vec![1, 2, 20, 20]);

    // grouped: 4 channels in 2 groups of 2
    let g = Tensor::<(D<1>, D<4>, D<6>, D<6>)>::ones();
    let gw = Tensor::<(D<6>, D<2>, D<3>, D<3>)>::ones();
    let gy: Tensor<(D<1>, D<6>, D<4>, D<4>)> = g.conv2d(&gw, None, Groups::<2>);
    assert_eq!(gy.to_vec()[0], 18.0);

    let up = Tensor::<(D<1>, D<2>, D<14>, D<14>)>::ones();
    let uw = Tensor::<(D<2>, D<3>, D<3>, D<3>)>::ones();
    let u: Tensor<(D<1>, D<3>, D<28>, D<28>)> = up.conv_transpose2d(&uw, None, (Stride::<2>, Padding::<1>, OutputPadding::<1>));
    assert_eq!(u.size(), vec![1, 3, 28, 28]);

    let s = Tensor::<(D<2>, D<3>, D<10>)>::ones();
    let sw = Tensor::<(D<4>, D<3>, D<3>)>::ones();
    let sy: Tensor<(D<2>, D<4>, D<4>)> = s.conv1d(&sw, None, Stride::<2>);
    assert_eq!(sy.to_vec()[0], 9.0);

    let p: Tensor<(Dyn, D<2>, D<7>, D<7>)> = y.max_pool2d(Kernel::<2>, ());
    let a: Tensor<(Dyn, D<2>, D<5>, D<5>)> = y.avg_pool2d(Kernel::<3>, Padding::<1>);
    let ad: Tensor<(Dyn, D<2>, D<1>, D<1>)> = p.adaptive_avg_pool2d::<1, 1>();
    assert_eq!(a.size(), vec![1, 2, 5, 5]);
    assert_eq!(ad.size(), vec![1, 2, 1, 1]);
    let flat: Tensor<(Dyn, D<98>)> = p.flatten::<1, 3>();
    assert_eq!(flat.size(), vec![1, 98]);

    // a Dyn spatial size gives a Dyn output size
    let d = Tensor::<(D<1>, D<1>, Dyn, D<8>)>::ones_dyn(&[9]).unwrap();
    let dw = Tensor::<(D<1>, D<1>, D<3>, D<3>)>::ones();
    let dy: Tensor<(D<1>, D<1>, Dyn, D<6>)> = d.conv2d(&dw, None, ());
    assert_eq!(dy.size(), vec![1, 1, 7, 6]);
}

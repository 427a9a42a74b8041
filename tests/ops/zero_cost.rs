//! The typed wrapper adds no data: a typed tensor is exactly a `tch::Tensor`.
use typed_torch::{Cuda, Dyn, Tensor, D};

#[test]
fn typed_tensor_is_the_size_of_a_tch_tensor() {
    let raw = std::mem::size_of::<tch::Tensor>();
    assert_eq!(std::mem::size_of::<Tensor<(Dyn, D<784>)>>(), raw);
    assert_eq!(std::mem::size_of::<Tensor<(), f64>>(), raw);
    assert_eq!(
        std::mem::size_of::<Tensor<(D<1>, D<2>, D<3>, D<4>, D<5>, D<6>), u8, Cuda<3>>>(),
        raw
    );
    assert_eq!(
        std::mem::size_of::<Option<Tensor<(D<3>,)>>>(),
        std::mem::size_of::<Option<tch::Tensor>>()
    );
}

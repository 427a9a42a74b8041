//! Every op against PyTorch: the run-time shape of each result equals its static type (and
//! PyTorch's shape), and its values equal PyTorch's on the same inputs
//! (`tests/reference/ops.py` computes them).

use crate::common::{assert_close, assert_close_to, input, reference};
use typed_torch::prelude::*;
use typed_torch::{no_grad, Axes3, Cpu, Cuda, Dyn, Error, Tensor, D};

/// Tolerance for f64 cases.
const F64: f64 = 1e-10;
/// Tolerance for f32 cases.
const F32: f64 = 1e-5;

#[test]
fn creation() {
    let z = Tensor::<(D<2>, D<3>), f64>::zeros();
    assert_eq!(z.size(), vec![2, 3]);
    assert_eq!(z.to_vec(), vec![0.0; 6]);
    let o = Tensor::<(D<4>,), i64>::ones();
    assert_eq!((o.size(), o.to_vec()), (vec![4], vec![1; 4]));
    let f = Tensor::<(D<2>, D<1>, D<2>), f32>::full(2.5);
    assert_eq!((f.size(), f.to_vec()), (vec![2, 1, 2], vec![2.5; 4]));
    assert_eq!(
        Tensor::<(D<5>,), i64>::arange().to_vec(),
        vec![0, 1, 2, 3, 4]
    );
    assert_eq!(
        Tensor::<(D<3>,), f64>::arange().to_vec(),
        vec![0.0, 1.0, 2.0]
    );
    let s = Tensor::<(), f64>::scalar(3.5);
    assert_eq!((s.size(), s.item()), (vec![], 3.5));

    let a: Tensor<(D<2>, D<3>), i64> = Tensor::from_array([[1, 2, 3], [4, 5, 6]]);
    assert_eq!((a.size(), a.to_vec()), (vec![2, 3], vec![1, 2, 3, 4, 5, 6]));
    let a3: Tensor<(D<2>, D<1>, D<2>), f64> = Tensor::from_array([[[1.0, 2.0]], [[3.0, 4.0]]]);
    assert_eq!(
        (a3.size(), a3.to_vec()),
        (vec![2, 1, 2], vec![1.0, 2.0, 3.0, 4.0])
    );
    let a4: Tensor<(D<1>, D<2>, D<1>, D<2>), i64> = Tensor::from_array([[[[1, 2]], [[3, 4]]]]);
    assert_eq!(
        (a4.size(), a4.to_vec()),
        (vec![1, 2, 1, 2], vec![1, 2, 3, 4])
    );
    // Row-major order, checked against indexing.
    assert_eq!(a.as_tch().int64_value(&[1, 0]), 4);

    let sl = Tensor::<(D<2>, D<2>), f64>::from_slice(&[1.0, 2.0, 3.0, 4.0]).unwrap();
    assert_eq!(sl.as_tch().double_value(&[0, 1]), 2.0);
    match Tensor::<(D<2>, D<2>), f64>::from_slice(&[1.0, 2.0, 3.0]) {
        Err(Error::Length {
            expected: 4,
            found: 3,
            ..
        }) => {}
        other => panic!("from_slice with 3 of 4 elements: {other:?}"),
    }
    assert!(Tensor::<(D<2>, D<2>), f64>::from_slice(&[0.0; 5]).is_err());
    let d = Tensor::<(Dyn, D<2>), i64>::from_slice_dyn(&[1, 2, 3, 4, 5, 6], &[3]).unwrap();
    assert_eq!((d.size(), d.to_vec()), (vec![3, 2], vec![1, 2, 3, 4, 5, 6]));
    assert!(matches!(
        Tensor::<(Dyn, D<2>), i64>::from_slice_dyn(&[1, 2, 3, 4, 5, 6], &[3, 2]),
        Err(Error::DynSizes { expected: 1, .. })
    ));
    assert!(matches!(
        Tensor::<(Dyn, D<2>), i64>::from_slice_dyn(&[1, 2, 3, 4, 5, 6], &[2]),
        Err(Error::Length {
            expected: 4,
            found: 6,
            ..
        })
    ));
    assert!(matches!(
        Tensor::<(Dyn, D<2>), i64>::from_slice_dyn(&[1, 2, 3], &[2]),
        Err(Error::Length { .. })
    ));
    let zs = Tensor::<(Dyn, D<3>), f64>::zeros_dyn(&[5]).unwrap();
    assert_eq!((zs.size(), zs.to_vec()), (vec![5, 3], vec![0.0; 15]));
    // One size per `Dyn` dim: the static ones are in the type.
    assert!(matches!(
        Tensor::<(Dyn, D<3>), f64>::zeros_dyn(&[5, 3]),
        Err(Error::DynSizes { expected: 1, .. })
    ));
    assert!(Tensor::<(Dyn, D<3>), f64>::zeros_dyn(&[]).is_err());
    let os = Tensor::<(D<2>, Dyn), f32>::ones_dyn(&[7]).unwrap();
    assert_eq!((os.size(), os.to_vec()), (vec![2, 7], vec![1.0; 14]));
    assert!(Tensor::<(D<2>, Dyn), f32>::ones_dyn(&[2, 7]).is_err());
    assert_eq!(os.zeros_like().to_vec(), vec![0.0; 14]);
    assert_eq!(zs.ones_like().size(), vec![5, 3]);
    assert_eq!(zs.ones_like().to_vec(), vec![1.0; 15]);

    // Random values: shapes, ranges and rough statistics of 20000 draws.
    tch::manual_seed(0);
    let u = Tensor::<(D<200>, D<100>), f64>::rand();
    let v = u.to_vec();
    assert_eq!(u.size(), vec![200, 100]);
    assert!(
        v.iter().all(|&x| (0.0..1.0).contains(&x)),
        "rand outside [0, 1)"
    );
    let (mean, var) = stats(&v);
    assert!((mean - 0.5).abs() < 0.02, "rand mean {mean}");
    assert!((var - 1.0 / 12.0).abs() < 0.005, "rand variance {var}");
    let n = Tensor::<(D<100>, D<200>), f32>::randn();
    assert_eq!(n.size(), vec![100, 200]);
    let (mean, var) = stats(&n.to_vec().iter().map(|&x| x as f64).collect::<Vec<_>>());
    assert!(mean.abs() < 0.03, "randn mean {mean}");
    assert!((var.sqrt() - 1.0).abs() < 0.03, "randn std {}", var.sqrt());
    assert_ne!(
        Tensor::<(D<8>,), f64>::randn().to_vec(),
        Tensor::<(D<8>,), f64>::randn().to_vec()
    );
    let rs = Tensor::<(Dyn, D<4>), f64>::randn_dyn(&[3000]).unwrap();
    assert_eq!(rs.size(), vec![3000, 4]);
    assert!(stats(&rs.to_vec()).0.abs() < 0.05);
    let us = Tensor::<(D<4>, Dyn), f64>::rand_dyn(&[3000]).unwrap();
    assert_eq!(us.size(), vec![4, 3000]);
    assert!((stats(&us.to_vec()).0 - 0.5).abs() < 0.03);
    assert!(Tensor::<(Dyn, D<4>), f64>::randn_dyn(&[3, 4]).is_err()); // one size per Dyn dim
    assert!(Tensor::<(D<4>, Dyn), f64>::rand_dyn(&[]).is_err());
}

fn stats(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    (
        mean,
        v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0),
    )
}

/// Runs a unary op on `<prefix>.<name>.in0` (shape `$S`, dtype `$E`) and compares with PyTorch.
macro_rules! unary_cases {
    ($S:ty, $E:ty, $prefix:literal, $tol:expr; $($name:literal => |$x:ident| $body:expr,)*) => {$({
        let case = concat!($prefix, ".", $name);
        let $x = input::<$S, $E>(case, 0);
        let r: Tensor<$S, $E> = $body;
        assert_close(case, &r, $tol);
    })*};
}

#[test]
fn unary_math() {
    unary_cases! {(Dyn, D<4>), f64, "unary", F64;
        "exp" => |x| x.exp(),
        "log" => |x| x.log(),
        "sqrt" => |x| x.sqrt(),
        "rsqrt" => |x| x.rsqrt(),
        "sin" => |x| x.sin(),
        "cos" => |x| x.cos(),
        "tanh" => |x| x.tanh(),
        "sigmoid" => |x| x.sigmoid(),
        "reciprocal" => |x| x.reciprocal(),
        "silu" => |x| x.silu(),
        "log_sigmoid" => |x| x.log_sigmoid(),
        "softplus" => |x| x.softplus(),
        "hardtanh" => |x| x.hardtanh(),
        "relu6" => |x| x.relu6(),
        "relu" => |x| x.relu(),
        "abs" => |x| x.abs(),
        "neg" => |x| x.neg(),
        "square" => |x| x.square(),
        "sign" => |x| x.sign(),
        "gelu" => |x| x.gelu(),
        "gelu_tanh" => |x| x.gelu_tanh(),
        "leaky_relu" => |x| x.leaky_relu(0.2),
        "elu" => |x| x.elu(0.5),
        "pow_scalar" => |x| x.pow_scalar(2.5),
        "pow_scalar3" => |x| x.pow_scalar(3.0),
        "clamp" => |x| x.clamp(-0.5, 0.7),
    }
    unary_cases! {(D<2>, D<5>), f32, "unary_f32", F32;
        "exp" => |x| x.exp(),
        "tanh" => |x| x.tanh(),
        "gelu" => |x| x.gelu(),
        "sigmoid" => |x| x.sigmoid(),
        "leaky_relu" => |x| x.leaky_relu(0.2),
        "elu" => |x| x.elu(0.5),
    }
    unary_cases! {(D<2>, Dyn), i64, "unary_i64", 0.0;
        "relu" => |x| x.relu(),
        "abs" => |x| x.abs(),
        "neg" => |x| -&x,
        "square" => |x| x.square(),
        "sign" => |x| x.sign(),
        "clamp" => |x| x.clamp(-2, 3),
    }
}

#[test]
fn binary_broadcasting() {
    let c = "bin.add_bcast";
    let r: Tensor<(Dyn, D<3>), f64> = input::<(Dyn, D<3>), f64>(c, 0) + input::<(D<3>,), f64>(c, 1);
    assert_close(c, &r, F64);
    let c = "bin.mul_bcast";
    let (a, b) = (
        input::<(D<2>, D<1>, D<4>), f64>(c, 0),
        input::<(D<3>, D<1>), f64>(c, 1),
    );
    let r: Tensor<(D<2>, D<3>, D<4>), f64> = &a * &b;
    assert_close(c, &r, F64);
    let c = "bin.sub";
    let r: Tensor<(D<3>, D<4>), f64> =
        input::<(D<3>, D<4>), f64>(c, 0) - &input::<(D<3>, D<4>), f64>(c, 1);
    assert_close(c, &r, F64);
    let c = "bin.div_bcast";
    let r: Tensor<(Dyn, D<4>), f64> =
        &input::<(Dyn, D<4>), f64>(c, 0) / &input::<(D<1>, D<4>), f64>(c, 1);
    assert_close(c, &r, F64);
    let x = |c| input::<(D<3>, D<4>), f64>(c, 0);
    assert_close("bin.add_scalar", &(x("bin.add_scalar") + 2.5), F64);
    assert_close("bin.sub_scalar", &(&x("bin.sub_scalar") - 1.5), F64);
    assert_close("bin.mul_scalar", &(x("bin.mul_scalar") * 3.0), F64);
    assert_close("bin.div_scalar", &(&x("bin.div_scalar") / 4.0), F64);
    assert_close("bin.neg_op", &-x("bin.neg_op"), F64);
    let c = "bin.maximum";
    let r: Tensor<(D<3>, D<4>), f64> =
        input::<(D<3>, D<4>), f64>(c, 0).maximum(&input::<(D<4>,), f64>(c, 1));
    assert_close(c, &r, F64);
    let c = "bin.minimum";
    let r: Tensor<(Dyn, D<4>), f64> =
        input::<(Dyn, D<4>), f64>(c, 0).minimum(&input::<(D<4>,), f64>(c, 1));
    assert_close(c, &r, F64);

    let f32s = |c| {
        (
            input::<(D<2>, D<3>), f32>(c, 0),
            input::<(D<2>, D<1>), f32>(c, 1),
        )
    };
    let (a, b) = f32s("bin_f32.add");
    assert_close("bin_f32.add", &(a + b), F32);
    let (a, b) = f32s("bin_f32.div");
    assert_close("bin_f32.div", &(a / b), F32);

    // Integer arithmetic stays integer; `/` truncates like Rust's integer division.
    let ints = |c| {
        (
            input::<(D<2>, D<4>), i64>(c, 0),
            input::<(D<4>,), i64>(c, 1),
        )
    };
    let (a, b) = ints("bin_i64.add");
    assert_close("bin_i64.add", &(&a + &b), 0.0);
    let (a, b) = ints("bin_i64.mul");
    assert_close("bin_i64.mul", &(&a * &b), 0.0);
    assert_close(
        "bin_i64.mul_scalar",
        &(input::<(D<2>, D<4>), i64>("bin_i64.mul_scalar", 0) * 3),
        0.0,
    );
    let (a, b) = ints("bin_i64.div");
    assert_close("bin_i64.div", &(&a / &b), 0.0);
    assert_close(
        "bin_i64.div_scalar",
        &(input::<(D<2>, D<4>), i64>("bin_i64.div_scalar", 0) / 2),
        0.0,
    );
}

#[test]
fn comparisons_and_where() {
    macro_rules! cmp {
        ($($name:ident $scalar:ident),*) => {$(
            let c = concat!("cmp.", stringify!($name));
            let (a, b) = (input::<(D<3>, Dyn), f64>(c, 0), input::<(Dyn,), f64>(c, 1));
            let r: Tensor<(D<3>, Dyn), bool> = a.$name(&b);
            assert_close(c, &r, 0.0);
        )*};
    }
    cmp!(eq eq_scalar, ne ne_scalar, lt lt_scalar, le le_scalar, gt gt_scalar, ge ge_scalar);
    let x = |c| input::<(D<3>, D<4>), f64>(c, 0);
    assert_close("cmp.gt_scalar", &x("cmp.gt_scalar").gt_scalar(1.0), 0.0);
    assert_close("cmp.eq_scalar", &x("cmp.eq_scalar").eq_scalar(1.0), 0.0);
    assert_close("cmp.lt_scalar", &x("cmp.lt_scalar").lt_scalar(1.0), 0.0);

    let c = "cmp.where";
    let cond = input::<(D<3>, D<4>), bool>(c, 0);
    let r: Tensor<(D<3>, D<4>), f64> = cond.where_(
        &input::<(D<3>, D<4>), f64>(c, 1),
        &input::<(D<4>,), f64>(c, 2),
    );
    assert_close(c, &r, 0.0);
    let c = "cmp.where_bcast";
    let cond = input::<(D<3>, D<1>), bool>(c, 0);
    let r: Tensor<(D<3>, D<4>), f64> = cond.where_(
        &input::<(D<1>, D<4>), f64>(c, 1),
        &input::<(D<3>, D<4>), f64>(c, 2),
    );
    assert_close(c, &r, 0.0);
    let c = "cmp.logical_not";
    assert_close(c, &input::<(D<3>, D<1>), bool>(c, 0).logical_not(), 0.0);
}

#[test]
fn matmul() {
    macro_rules! mm {
        ($case:literal, $A:ty, $B:ty => $O:ty) => {{
            let (a, b) = (input::<$A, f64>($case, 0), input::<$B, f64>($case, 1));
            let r: Tensor<$O, f64> = a.matmul(&b);
            assert_close($case, &r, F64);
        }};
    }
    mm!("mm.vv", (D<4>,), (D<4>,) => ());
    mm!("mm.mv", (Dyn, D<4>), (D<4>,) => (Dyn,));
    mm!("mm.vm", (D<4>,), (D<4>, D<5>) => (D<5>,));
    mm!("mm.mm", (Dyn, D<4>), (D<4>, D<5>) => (Dyn, D<5>));
    mm!("mm.b_m", (Dyn, D<3>, D<4>), (D<4>, D<5>) => (Dyn, D<3>, D<5>));
    mm!("mm.b_b", (D<2>, D<3>, D<4>), (D<2>, D<4>, D<5>) => (D<2>, D<3>, D<5>));
    mm!("mm.bcast", (D<1>, D<3>, D<4>), (D<3>, D<4>, D<5>) => (D<3>, D<3>, D<5>));
    mm!("mm.r4", (D<2>, D<3>, D<4>, D<5>), (D<2>, D<3>, D<5>, D<6>) => (D<2>, D<3>, D<4>, D<6>));
    mm!("mm.r4_bcast", (D<2>, D<1>, D<4>, D<5>), (D<1>, D<3>, D<5>, D<6>) => (D<2>, D<3>, D<4>, D<6>));
    mm!("mm.r4_m", (D<2>, D<3>, D<4>, D<5>), (D<5>, D<6>) => (D<2>, D<3>, D<4>, D<6>));
    let c = "mm_f32.mm";
    let r: Tensor<(D<3>, D<2>)> =
        input::<(D<3>, D<8>), f32>(c, 0).matmul(&input::<(D<8>, D<2>), f32>(c, 1));
    assert_close(c, &r, F32);
    let r: Tensor<(D<4>, Dyn), f64> = input::<(Dyn, D<4>), f64>("mm.t", 0).t();
    assert_close("mm.t", &r, 0.0);
}

#[test]
fn reductions_and_softmax() {
    macro_rules! red {
        ($x:ident, $($name:ident $keep:ident),*) => {$(
            let n = stringify!($name);
            let r: Tensor<(Dyn, D<5>), f64> = $x.$name::<0>();
            assert_close(&format!("red.{n}.0"), &r, F64);
            let r: Tensor<(D<3>, D<5>), f64> = $x.$name::<1>();
            assert_close(&format!("red.{n}.1"), &r, F64);
            let r: Tensor<(D<3>, Dyn), f64> = $x.$name::<2>();
            assert_close(&format!("red.{n}.2"), &r, F64);
            let r: Tensor<(D<1>, Dyn, D<5>), f64> = $x.$keep::<0>();
            assert_close(&format!("red.{n}_keepdim.0"), &r, F64);
            let r: Tensor<(D<3>, D<1>, D<5>), f64> = $x.$keep::<1>();
            assert_close(&format!("red.{n}_keepdim.1"), &r, F64);
            let r: Tensor<(D<3>, Dyn, D<1>), f64> = $x.$keep::<2>();
            assert_close(&format!("red.{n}_keepdim.2"), &r, F64);
        )*};
    }
    // Every `red.*` case has the same input.
    let x = input::<(D<3>, Dyn, D<5>), f64>("red.sum.0", 0);
    red!(x, sum sum_keepdim, max max_keepdim, min min_keepdim, mean mean_keepdim,
         logsumexp logsumexp_keepdim, var var_keepdim, std std_keepdim);
    let r: Tensor<(Dyn, D<5>), i64> = x.argmax::<0>();
    assert_close("red.argmax.0", &r, 0.0);
    assert_close("red.argmax.1", &x.argmax::<1>(), 0.0);
    assert_close("red.argmax.2", &x.argmax::<2>(), 0.0);
    let r: Tensor<(D<3>, D<5>), i64> = x.argmin::<1>();
    assert_close("red.argmin.1", &r, 0.0);
    assert_close("red.argmin.0", &x.argmin::<0>(), 0.0);
    assert_close("red.argmin.2", &x.argmin::<2>(), 0.0);
    let r: Tensor<(D<3>, Dyn, D<5>), f64> = x.softmax::<0>();
    assert_close("red.softmax.0", &r, F64);
    assert_close("red.softmax.1", &x.softmax::<1>(), F64);
    assert_close("red.softmax.2", &x.softmax::<2>(), F64);
    assert_close("red.log_softmax.0", &x.log_softmax::<0>(), F64);
    assert_close("red.log_softmax.1", &x.log_softmax::<1>(), F64);
    assert_close("red.log_softmax.2", &x.log_softmax::<2>(), F64);
    let r: Tensor<(), f64> = x.sum_all();
    assert_close("red.sum_all", &r, F64);
    assert_close("red.mean_all", &x.mean_all(), F64);

    let x = input::<(D<4>, D<6>), f32>("red_f32.softmax.1", 0);
    assert_close("red_f32.softmax.1", &x.softmax::<1>(), F32);
    assert_close("red_f32.log_softmax.1", &x.log_softmax::<1>(), F32);
    let r: Tensor<(D<6>,)> = x.var::<0>();
    assert_close("red_f32.var.0", &r, F32);
    assert_close("red_f32.mean_all", &x.mean_all(), F32);

    let x = input::<(D<3>, D<4>), i64>("red_i64.sum.1", 0);
    let r: Tensor<(D<3>,), i64> = x.sum::<1>();
    assert_close("red_i64.sum.1", &r, 0.0);
    let r: Tensor<(D<4>,), i64> = x.max::<0>();
    assert_close("red_i64.max.0", &r, 0.0);
    assert_close("red_i64.sum_all", &x.sum_all(), 0.0);
}

#[test]
fn reshape_family() {
    let x = input::<(D<2>, D<3>, D<4>), f64>("shape.reshape", 0);
    let r: Tensor<(D<6>, D<4>), f64> = x.reshape();
    assert_close("shape.reshape", &r, 0.0);
    let r: Tensor<(Dyn, D<4>), f64> = x.try_reshape().unwrap();
    assert_close("shape.try_reshape_dyn0", &r, 0.0);
    let r: Tensor<(D<4>, Dyn), f64> = x.try_reshape().unwrap();
    assert_close("shape.try_reshape_dyn1", &r, 0.0);
    let r: Tensor<(D<3>, D<8>), f64> = x.try_reshape().unwrap();
    assert_close("shape.try_reshape_static", &r, 0.0);
    assert!(matches!(
        x.try_reshape::<(Dyn, D<5>)>(),
        Err(Error::Shape { .. })
    ));
    assert!(matches!(
        x.try_reshape::<(D<5>, D<5>)>(),
        Err(Error::Shape { .. })
    ));
    assert!(matches!(
        x.try_reshape::<(D<3>, D<7>)>(),
        Err(Error::Shape { .. })
    ));
    assert!(matches!(
        x.try_reshape::<(Dyn, Dyn)>(),
        Err(Error::Invalid(_))
    ));
    assert_eq!(x.try_reshape::<(D<24>,)>().unwrap().size(), vec![24]);

    let r: Tensor<(D<2>, D<12>), f64> = x.flatten::<1, 2>();
    assert_close("shape.flatten_1_2", &r, 0.0);
    let xd = input::<(Dyn, D<3>, D<4>), f64>("shape.flatten_0_1", 0);
    let r: Tensor<(Dyn, D<4>), f64> = xd.flatten::<0, 1>();
    assert_close("shape.flatten_0_1", &r, 0.0);
    let r: Tensor<(D<24>,), f64> = x.flatten::<0, 2>();
    assert_close("shape.flatten_all", &r, 0.0);
    let r: Tensor<(D<4>, D<3>, Dyn), f64> = xd.transpose::<0, 2>();
    assert_close("shape.transpose_0_2", &r, 0.0);
    let r: Tensor<(D<4>, D<2>, D<3>), f64> = x.permute::<Axes3<2, 0, 1>>();
    assert_close("shape.permute_201", &r, 0.0);

    let r: Tensor<(Dyn, D<4>), f64> =
        input::<(Dyn, D<1>, D<4>), f64>("shape.squeeze_1", 0).squeeze::<1>();
    assert_close("shape.squeeze_1", &r, 0.0);
    let x = input::<(Dyn, D<4>), f64>("shape.unsqueeze_0", 0);
    let r: Tensor<(D<1>, Dyn, D<4>), f64> = x.unsqueeze::<0>();
    assert_close("shape.unsqueeze_0", &r, 0.0);
    let r: Tensor<(Dyn, D<1>, D<4>), f64> = x.unsqueeze::<1>();
    assert_close("shape.unsqueeze_1", &r, 0.0);
    let r: Tensor<(Dyn, D<4>, D<1>), f64> = x.unsqueeze::<2>();
    assert_close("shape.unsqueeze_2", &r, 0.0);
}

#[test]
fn join_and_index() {
    let c = "join.cat0";
    let r: Tensor<(D<6>, D<3>), f64> =
        input::<(D<2>, D<3>), f64>(c, 0).cat::<0>(&input::<(D<4>, D<3>), f64>(c, 1));
    assert_close(c, &r, 0.0);
    let r: Tensor<(Dyn, D<3>), f64> =
        input::<(Dyn, D<3>), f64>(c, 0).cat::<0>(&input::<(D<4>, D<3>), f64>(c, 1));
    assert_close(c, &r, 0.0);
    let c = "join.cat1";
    let r: Tensor<(D<2>, D<8>), f64> =
        input::<(D<2>, D<3>), f64>(c, 0).cat::<1>(&input::<(D<2>, D<5>), f64>(c, 1));
    assert_close(c, &r, 0.0);
    let abc = |c| {
        let t = |i| input::<(D<2>, D<3>), f64>(c, i);
        (t(0), t(1), t(2))
    };
    let (a, b, cc) = abc("join.stack0");
    let r: Tensor<(D<3>, D<2>, D<3>), f64> = Tensor::stack::<0, 3>([&a, &b, &cc]);
    assert_close("join.stack0", &r, 0.0);
    let r: Tensor<(D<2>, D<3>, D<3>), f64> = Tensor::stack::<1, 3>([&a, &b, &cc]);
    assert_close("join.stack1", &r, 0.0);
    let r: Tensor<(D<2>, D<3>, D<3>), f64> = Tensor::stack::<2, 3>([&a, &b, &cc]);
    assert_close("join.stack2", &r, 0.0);

    let r: Tensor<(D<3>, D<3>), f64> =
        input::<(D<3>, D<5>), f64>("index.narrow", 0).narrow::<1, 1, 3>();
    assert_close("index.narrow", &r, 0.0);
    let x = input::<(Dyn, D<5>), f64>("index.narrow_dyn", 0);
    let r: Tensor<(Dyn, D<5>), f64> = x.narrow_dyn::<0>(1, 2).unwrap();
    assert_close("index.narrow_dyn", &r, 0.0);
    let r: Tensor<(Dyn, Dyn), f64> = x.narrow_dyn::<1>(2, 3).unwrap();
    assert_close("index.narrow_dyn1", &r, 0.0);
    assert_eq!(x.narrow_dyn::<0>(4, 0).unwrap().size(), vec![0, 5]);
    assert!(matches!(x.narrow_dyn::<0>(3, 2), Err(Error::Invalid(_))));
    assert!(matches!(x.narrow_dyn::<0>(5, 0), Err(Error::Invalid(_))));
    assert!(matches!(x.narrow_dyn::<1>(0, 6), Err(Error::Invalid(_))));
    assert!(matches!(
        x.narrow_dyn::<1>(usize::MAX, 2),
        Err(Error::Invalid(_))
    ));

    let c = "index.index_select0";
    let r: Tensor<(D<3>, D<5>), f64> =
        input::<(D<4>, D<5>), f64>(c, 0).index_select::<0>(&input::<(D<3>,), i64>(c, 1));
    assert_close(c, &r, 0.0);
    let c = "index.index_select1";
    let r: Tensor<(D<4>, Dyn), f64> =
        input::<(D<4>, D<5>), f64>(c, 0).index_select::<1>(&input::<(Dyn,), i64>(c, 1));
    assert_close(c, &r, 0.0);
    let c = "index.gather1";
    let r: Tensor<(D<3>, D<2>), f64> =
        input::<(D<3>, D<4>), f64>(c, 0).gather::<1>(&input::<(D<3>, D<2>), i64>(c, 1));
    assert_close(c, &r, 0.0);
    let c = "index.gather0";
    let r: Tensor<(Dyn, D<4>), f64> =
        input::<(D<3>, D<4>), f64>(c, 0).gather::<0>(&input::<(Dyn, D<4>), i64>(c, 1));
    assert_close(c, &r, 0.0);
    let c = "index.one_hot1";
    let r: Tensor<(D<4>, D<5>), i64> = input::<(D<4>,), i64>(c, 0).one_hot::<5>();
    assert_close(c, &r, 0.0);
    let c = "index.one_hot2";
    let r: Tensor<(Dyn, D<3>, D<3>), i64> = input::<(Dyn, D<3>), i64>(c, 0).one_hot::<3>();
    assert_close(c, &r, 0.0);
}

#[test]
fn convolutions() {
    let c = "conv.conv1d";
    let (x, w, b) = (
        input::<(D<2>, D<4>, D<10>), f64>(c, 0),
        input::<(D<6>, D<2>, D<3>), f64>(c, 1),
        input(c, 2),
    );
    let r: Tensor<(D<2>, D<6>, D<5>), f64> =
        x.conv1d(&w, Some(&b), (Stride::<2>, Padding::<1>, Groups::<2>));
    assert_close(c, &r, F64);
    let c = "conv.conv1d_dil";
    let (x, w) = (
        input::<(Dyn, D<3>, D<9>), f64>(c, 0),
        input::<(D<5>, D<3>, D<2>), f64>(c, 1),
    );
    let r: Tensor<(Dyn, D<5>, D<6>), f64> = x.conv1d(&w, None, Dilation::<3>);
    assert_close(c, &r, F64);

    let c = "conv.conv2d";
    let x = input::<(D<2>, D<3>, D<8>, D<8>), f64>(c, 0);
    let w = input::<(D<4>, D<3>, D<3>, D<3>), f64>(c, 1);
    let b = input::<(D<4>,), f64>(c, 2);
    let r: Tensor<(D<2>, D<4>, D<6>, D<6>), f64> = x.conv2d(&w, Some(&b), ());
    assert_close(c, &r, F64);
    let r: Tensor<(D<2>, D<4>, D<4>, D<4>), f64> =
        x.conv2d(&w, Some(&b), (Stride::<2>, Padding::<1>));
    assert_close("conv.conv2d_stride_pad", &r, F64);
    let xd = input::<(Dyn, D<3>, Dyn, D<8>), f64>("conv.conv2d_dil", 0);
    let r: Tensor<(Dyn, D<4>, Dyn, D<6>), f64> = xd.conv2d(&w, None, (Padding::<1>, Dilation::<2>));
    assert_close("conv.conv2d_dil", &r, F64);
    let c = "conv.conv2d_groups";
    let x = input::<(D<2>, D<6>, D<7>, D<7>), f64>(c, 0);
    let (w, b) = (input::<(D<9>, D<2>, D<3>, D<3>), f64>(c, 1), input(c, 2));
    let r: Tensor<(D<2>, D<9>, D<3>, D<3>), f64> =
        x.conv2d(&w, Some(&b), (Stride::<2>, Groups::<3>));
    assert_close(c, &r, F64);
    let c = "conv_f32.conv2d";
    let (x, w) = (
        input::<(D<1>, D<3>, D<6>, D<6>), f32>(c, 0),
        input::<(D<2>, D<3>, D<3>, D<3>), f32>(c, 1),
    );
    let r: Tensor<(D<1>, D<2>, D<6>, D<6>)> = x.conv2d(&w, None, Padding::<1>);
    assert_close(c, &r, F32);

    let c = "conv.tconv2d";
    let x = input::<(D<2>, D<4>, D<5>, D<5>), f64>(c, 0);
    let (w, b) = (
        input::<(D<4>, D<3>, D<3>, D<3>), f64>(c, 1),
        input::<(D<3>,), f64>(c, 2),
    );
    let r: Tensor<(D<2>, D<3>, D<7>, D<7>), f64> = x.conv_transpose2d(&w, Some(&b), ());
    assert_close(c, &r, F64);
    let r: Tensor<(D<2>, D<3>, D<10>, D<10>), f64> = x.conv_transpose2d(
        &w,
        Some(&b),
        (Stride::<2>, Padding::<1>, OutputPadding::<1>),
    );
    assert_close("conv.tconv2d_stride", &r, F64);
    let c = "conv.tconv2d_groups";
    let (x, w) = (
        input::<(Dyn, D<4>, D<5>, D<5>), f64>(c, 0),
        input::<(D<4>, D<3>, D<3>, D<3>), f64>(c, 1),
    );
    let b = input::<(D<6>,), f64>(c, 2);
    let r: Tensor<(Dyn, D<6>, D<11>, D<11>), f64> =
        x.conv_transpose2d(&w, Some(&b), (Stride::<2>, Groups::<2>));
    assert_close(c, &r, F64);
    let c = "conv.tconv2d_dil";
    let (x, w) = (
        input::<(D<1>, D<2>, D<4>, D<4>), f64>(c, 0),
        input::<(D<2>, D<3>, D<2>, D<2>), f64>(c, 1),
    );
    let r: Tensor<(D<1>, D<3>, D<9>, D<9>), f64> = x.conv_transpose2d(
        &w,
        None,
        (Stride::<3>, Padding::<2>, OutputPadding::<1>, Dilation::<2>),
    );
    assert_close(c, &r, F64);
}

#[test]
fn pooling() {
    let x = input::<(D<2>, D<3>, D<8>, D<8>), f64>("pool.max_k2s2", 0);
    let r: Tensor<(D<2>, D<3>, D<4>, D<4>), f64> = x.max_pool2d(Kernel::<2>, ());
    assert_close("pool.max_k2s2", &r, 0.0);
    let r: Tensor<(D<2>, D<3>, D<4>, D<4>), f64> =
        x.max_pool2d(Kernel::<3>, (Stride::<2>, Padding::<1>));
    assert_close("pool.max_k3s2p1", &r, 0.0);
    let r: Tensor<(D<2>, D<3>, D<6>, D<6>), f64> =
        x.max_pool2d(Kernel::<2>, (Stride::<1>, Dilation::<2>));
    assert_close("pool.max_k2s1d2", &r, 0.0);
    let xd = input::<(Dyn, D<3>, D<8>, Dyn), f64>("pool.avg_k2s2", 0);
    let r: Tensor<(Dyn, D<3>, D<4>, Dyn), f64> = xd.avg_pool2d(Kernel::<2>, ());
    assert_close("pool.avg_k2s2", &r, F64);
    let r: Tensor<(D<2>, D<3>, D<4>, D<4>), f64> =
        x.avg_pool2d(Kernel::<3>, (Stride::<2>, Padding::<1>));
    assert_close("pool.avg_k3s2p1", &r, F64);
    let x = input::<(Dyn, D<3>, Dyn, D<7>), f64>("pool.adaptive_3x3", 0);
    let r: Tensor<(Dyn, D<3>, D<3>, D<3>), f64> = x.adaptive_avg_pool2d::<3, 3>();
    assert_close("pool.adaptive_3x3", &r, F64);
    assert_close("pool.adaptive_1x1", &x.adaptive_avg_pool2d::<1, 1>(), F64);
    let r: Tensor<(Dyn, D<3>, D<2>, D<4>), f64> = x.adaptive_avg_pool2d::<2, 4>();
    assert_close("pool.adaptive_2x4", &r, F64);
}

#[test]
fn dropout() {
    tch::manual_seed(1);
    let x = Tensor::<(D<200>, D<100>), f64>::rand() + 0.5; // no zeros of its own
    let xs = x.to_vec();
    assert_eq!(
        x.dropout(0.3, false).to_vec(),
        xs,
        "dropout with train=false is the identity"
    );
    for p in [0.3, 0.5, 0.8] {
        let y = x.dropout(p, true);
        assert_eq!(y.size(), vec![200, 100]);
        let ys = y.to_vec();
        let zeros = ys.iter().filter(|&&v| v == 0.0).count() as f64 / ys.len() as f64;
        assert!(
            (zeros - p).abs() < 0.03,
            "dropout({p}): {zeros} of the elements zeroed"
        );
        for (a, b) in xs.iter().zip(&ys) {
            assert!(
                *b == 0.0 || (b - a / (1.0 - p)).abs() < 1e-12,
                "dropout({p}): {a} became {b}, not 0 or x/(1-p)"
            );
        }
    }
    assert_eq!(x.dropout(0.0, true).to_vec(), xs);
}

#[test]
fn embedding_and_kinds() {
    let c = "nn.embedding";
    let w = input::<(D<10>, D<4>), f64>(c, 0);
    let r: Tensor<(D<2>, D<3>, D<4>), f64> = w.embedding(&input::<(D<2>, D<3>), i64>(c, 1));
    assert_close(c, &r, 0.0);
    let c = "nn.embedding1";
    let r: Tensor<(Dyn, D<4>), f64> =
        input::<(D<10>, D<4>), f64>(c, 0).embedding(&input::<(Dyn,), i64>(c, 1));
    assert_close(c, &r, 0.0);

    let x = input::<(D<3>, D<4>), f64>("kind.f64_f32", 0);
    let r: Tensor<(D<3>, D<4>), f32> = x.to_kind();
    assert_close("kind.f64_f32", &r, 0.0);
    let r: Tensor<(D<3>, D<4>), i64> = x.to_kind();
    assert_close("kind.f64_i64", &r, 0.0);
    let x = input::<(D<3>, Dyn), i64>("kind.i64_f64", 0);
    assert_close("kind.i64_f64", &x.to_kind::<f64>(), 0.0);
    assert_close("kind.i64_bool", &x.to_kind::<bool>(), 0.0);
}

#[test]
fn devices_and_from_tch() {
    let x = Tensor::<(D<2>, D<3>), f64>::ones();
    let same = x.to_device::<Cpu>().unwrap();
    assert_eq!(same.to_vec(), vec![1.0; 6]);
    if tch::Cuda::is_available() {
        println!(
            "SKIP: a CUDA device exists, so to_device::<Cuda<0>>() is expected to succeed here"
        );
    } else {
        match x.to_device::<Cuda<0>>() {
            Err(Error::DeviceUnavailable {
                cuda_devices: 0, ..
            }) => {}
            other => panic!("to_device::<Cuda<0>>() without a GPU: {other:?}"),
        }
    }

    let raw = |sizes: &[i64], kind| tch::Tensor::zeros(sizes, (kind, tch::Device::Cpu));
    let ok = Tensor::<(Dyn, D<3>), f64>::from_tch(raw(&[5, 3], tch::Kind::Double)).unwrap();
    assert_eq!(ok.size(), vec![5, 3]);
    match Tensor::<(Dyn, D<3>), f64>::from_tch(raw(&[5, 4], tch::Kind::Double)) {
        Err(Error::Shape { found, .. }) => assert_eq!(found, vec![5, 4]),
        other => panic!("from_tch with the wrong static dim: {other:?}"),
    }
    assert!(matches!(
        Tensor::<(Dyn, D<3>), f64>::from_tch(raw(&[5, 3, 1], tch::Kind::Double)),
        Err(Error::Shape { .. })
    ));
    assert!(matches!(
        Tensor::<(), f64>::from_tch(raw(&[1], tch::Kind::Double)),
        Err(Error::Shape { .. })
    ));
    match Tensor::<(Dyn, D<3>), f64>::from_tch(raw(&[5, 3], tch::Kind::Float)) {
        Err(Error::Dtype {
            expected: "f64",
            found: tch::Kind::Float,
        }) => {}
        other => panic!("from_tch with the wrong dtype: {other:?}"),
    }
    assert!(matches!(
        Tensor::<(D<5>, D<3>), i64>::from_tch(raw(&[5, 3], tch::Kind::Double)),
        Err(Error::Dtype { .. })
    ));
    assert!(ok.to_shape::<(D<5>, D<3>)>().is_ok());
    assert!(matches!(
        ok.to_shape::<(D<4>, D<3>)>(),
        Err(Error::Shape { .. })
    ));
}

#[test]
fn autograd_matches_torch() {
    let c = "grad.composite";
    let x = input::<(D<5>, D<4>), f64>(c, 0).requires_grad();
    let w = input::<(D<4>, D<3>), f64>(c, 1).requires_grad();
    let b = input::<(D<3>,), f64>(c, 2).requires_grad();
    let loss: Tensor<(), f64> = (x.matmul(&w) + &b).tanh().log_softmax::<1>().mean_all()
        + (&w * &w).sum_all() * 0.1
        + b.sigmoid().sum_all().exp()
        + (x.relu() / 3.0).sum_all();
    assert!(loss.is_requires_grad());
    loss.backward();
    assert_close(c, &loss, F64);
    assert_close_to(c, "grad0", &x.grad().expect("x.grad"), F64);
    assert_close_to(c, "grad1", &w.grad().expect("w.grad"), F64);
    assert_close_to(c, "grad2", &b.grad().expect("b.grad"), F64);
}

#[test]
fn no_grad_detach_zero_grad() {
    let mut x = Tensor::<(D<3>,), f64>::from_array([1.0, -2.0, 3.0]).requires_grad();
    assert!(x.grad().is_none());
    let y = no_grad(|| &x * 2.0);
    assert!(!y.is_requires_grad(), "no_grad still recorded");
    assert_eq!(y.to_vec(), vec![2.0, -4.0, 6.0]);
    assert!((&x * 2.0).is_requires_grad());

    let d = x.detach();
    assert!(!d.is_requires_grad());
    assert_eq!(d.to_vec(), x.to_vec());
    // d/dx sum(x * detach(x)) = detach(x): the detached factor contributes no gradient.
    (&x * &d).sum_all().backward();
    assert_eq!(x.grad().unwrap().to_vec(), vec![1.0, -2.0, 3.0]);
    // Gradients accumulate until cleared.
    (&x * &x).sum_all().backward();
    assert_eq!(x.grad().unwrap().to_vec(), vec![3.0, -6.0, 9.0]);
    x.zero_grad_in_place();
    assert_eq!(x.grad().unwrap().to_vec(), vec![0.0; 3]);
    x.square().sum_all().backward();
    assert_eq!(x.grad().unwrap().to_vec(), vec![2.0, -4.0, 6.0]);
}

/// The reference file stores what the cases need, with the dtypes the tests assume.
#[test]
fn reference_file_is_complete() {
    assert_eq!(reference("unary.exp.in0").kind(), tch::Kind::Double);
    assert_eq!(reference("unary_f32.exp.in0").kind(), tch::Kind::Float);
    assert_eq!(reference("index.gather1.in1").kind(), tch::Kind::Int64);
    assert_eq!(reference("grad.composite.grad2").size(), vec![3]);
}

//! Run-time size and index errors (operands whose types fit but whose `Dyn` sizes or values do
//! not): the panic names the op and the sizes in one sentence, at the user's line; the `try_`
//! forms return [`Error::Operands`] instead.
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use typed_torch::loss::{self, ClassOptions, Mean};
use typed_torch::nn::{
    ConcatOutputs, Conv2d, Embedding, Linear, MaxPool2d, Module, MultiheadAttention, Parallel,
    ReLU, Repeat, Residual,
};
use typed_torch::prelude::*;
use typed_torch::{hlist, Dyn, Error, Tensor, D};

/// What a caught panic said, and where.
#[derive(Debug)]
struct Caught {
    message: String,
    file: String,
    line: u32,
}

thread_local! {
    /// `Some` while this thread is inside [`caught`]: the hook records its panics here.
    static CATCHING: RefCell<Option<Option<Caught>>> = const { RefCell::new(None) };
}

/// Runs `f`, which must panic, and returns the panic's message and location.
///
/// The panic hook is global and the tests run on threads, beside the other modules of this test
/// binary: one hook, installed once, records the panics of threads inside `caught` and passes every
/// other panic on to the hook it replaced, so a failing test elsewhere keeps its message.
fn caught(f: impl FnOnce()) -> Caught {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CATCHING.with(|c| c.borrow().is_none()) {
                return previous(info);
            }
            let payload = info.payload();
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            let location = info.location().expect("panics have a location");
            let seen = Caught {
                message,
                file: location.file().to_string(),
                line: location.line(),
            };
            CATCHING.with(|c| *c.borrow_mut() = Some(Some(seen)));
        }));
    });
    CATCHING.with(|c| *c.borrow_mut() = Some(None));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    let seen = CATCHING.with(|c| c.borrow_mut().take()).flatten();
    assert!(result.is_err(), "expected a panic, but the call returned");
    seen.expect("the hook saw the panic")
}

/// The message of the panic of `$call`, after asserting that it is one sentence and that the
/// panic points at this very line (keep each use on one line).
macro_rules! panics_here {
    ($call:expr) => {{
        let line = line!();
        let c = caught(|| drop($call));
        assert_one_sentence(&c.message);
        assert_eq!(
            (c.file.as_str(), c.line),
            (file!(), line),
            "location of: {}",
            c.message
        );
        c.message
    }};
}

/// One sentence: no libtorch frames, no line breaks, short.
fn assert_one_sentence(message: &str) {
    for bad in ["frame #", "Exception raised from", "libtorch", "\n"] {
        assert!(!message.contains(bad), "{bad:?} in {message:?}");
    }
    assert!(message.len() < 250, "{} chars: {message}", message.len());
    assert!(
        !message.trim_end_matches('.').contains(". "),
        "more than one sentence: {message}"
    );
}

/// Asserts that `message` names every one of `parts`.
fn assert_names(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "{part:?} missing from {message:?}");
    }
}

fn logits(batch: usize) -> Tensor<(Dyn, D<10>)> {
    Tensor::randn_dyn(&[batch]).unwrap()
}

fn labels(values: &[i64]) -> Tensor<(Dyn,), i64> {
    Tensor::from_slice_dyn(values, &[values.len()]).unwrap()
}

fn rows(batch: usize) -> Tensor<(Dyn, D<3>)> {
    Tensor::randn_dyn(&[batch]).unwrap()
}

fn vector(len: usize) -> Tensor<(Dyn,)> {
    Tensor::randn_dyn(&[len]).unwrap()
}

// The cases.

#[test]
fn cross_entropy_of_8_rows_against_4_labels_panics_at_the_call() {
    let (x, y) = (logits(8), labels(&[0, 1, 2, 3]));
    let m = panics_here!(loss::cross_entropy(&x, &y, Mean));
    assert_names(&m, &["cross_entropy", "[8, 10]", "[4]"]);
    assert!(m.contains('8') && m.contains('4'), "{m}");
    let m = panics_here!(loss::nll(&x, &y, Mean));
    assert_names(&m, &["nll", "[8, 10]", "[4]"]);
}

#[test]
fn adding_batches_of_2_and_5_panics_at_the_call() {
    let (a, b) = (rows(2), rows(5));
    let m = panics_here!(&a + &b);
    assert_names(&m, &["add", "[2, 3]", "[5, 3]", "dim 0"]);
    let m = panics_here!(a.clone() - b.clone());
    assert_names(&m, &["sub", "[2, 3]", "[5, 3]"]);
    let m = panics_here!(&a * &b);
    assert_names(&m, &["mul", "[2, 3]", "[5, 3]"]);
    let m = panics_here!(&a / b.clone());
    assert_names(&m, &["div", "[2, 3]", "[5, 3]"]);
}

#[test]
fn a_loss_of_1_prediction_against_4_targets_panics_instead_of_broadcasting() {
    let (p, t) = (vector(1), vector(4));
    let m = panics_here!(loss::mse(&p, &t, Mean));
    assert_names(&m, &["mse", "[1]", "[4]"]);
    let m = panics_here!(loss::l1(&p, &t, Mean));
    assert_names(&m, &["l1", "[1]", "[4]"]);
    let m = panics_here!(loss::smooth_l1(&p, &t, 1.0, Mean));
    assert_names(&m, &["smooth_l1", "[1]", "[4]"]);
    let m = panics_here!(loss::huber(&p, &t, 1.0, Mean));
    assert_names(&m, &["huber", "[1]", "[4]"]);
    let m = panics_here!(loss::kl_div(&p, &t, false, Mean));
    assert_names(&m, &["kl_div", "[1]", "[4]"]);
    let (pp, tt) = (p.sigmoid(), t.sigmoid());
    let m = panics_here!(loss::bce(&pp, &tt, Mean));
    assert_names(&m, &["bce", "[1]", "[4]"]);
    let m = panics_here!(loss::bce_with_logits(&p, &tt, None, Mean));
    assert_names(&m, &["bce_with_logits", "[1]", "[4]"]);
    let (w1, w4) = (vector(1), vector(4));
    let m = panics_here!(loss::bce_with_logits(&w4, &tt, Some(&w1), Mean));
    assert_names(&m, &["bce_with_logits", "[1]"]);
}

#[test]
fn class_indices_out_of_range_name_the_index_and_the_class_count() {
    let x = logits(2);
    let y = labels(&[3, 12]);
    let m = panics_here!(loss::cross_entropy(&x, &y, Mean));
    assert_names(&m, &["cross_entropy", "12", "0..10"]);
    let m = panics_here!(loss::nll(&x, &labels(&[-3, 1]), Mean));
    assert_names(&m, &["nll", "-3", "0..10"]);
    let weights = Tensor::<(D<10>,)>::ones();
    let with = ClassOptions {
        class_weights: Some(&weights),
        label_smoothing: 0.0,
    };
    let m = panics_here!(loss::cross_entropy_with(&x, &y, Mean, with));
    assert_names(&m, &["cross_entropy", "12"]);
    // -100 is the ignored index, as in PyTorch.
    assert!(loss::cross_entropy(&x, &labels(&[-100, 9]), Mean)
        .item()
        .is_finite());
}

#[test]
fn wrong_class_weight_count_is_named() {
    let x = Tensor::<(Dyn, Dyn)>::randn_dyn(&[2, 10]).unwrap();
    let y = labels(&[1, 2]);
    let weights = Tensor::<(Dyn,)>::ones_dyn(&[3]).unwrap();
    let with = ClassOptions {
        class_weights: Some(&weights),
        label_smoothing: 0.0,
    };
    let m = panics_here!(loss::cross_entropy_with(&x, &y, Mean, with));
    assert_names(&m, &["cross_entropy", "[3]", "10"]);
}

// Every other op whose libtorch call can fail on run-time sizes or values.

#[test]
fn matmul_with_a_dyn_contracted_dim_names_both_sizes() {
    let a = Tensor::<(Dyn, Dyn)>::randn_dyn(&[8, 5]).unwrap();
    let b = Tensor::<(Dyn, D<10>)>::randn_dyn(&[4]).unwrap();
    let m = panics_here!(a.matmul(&b));
    assert_names(&m, &["matmul", "[8, 5]", "[4, 10]", "5", "4"]);
    let v = vector(4);
    let m = panics_here!(a.matmul(&v));
    assert_names(&m, &["matmul", "[8, 5]", "[4]"]);
    let x = Tensor::<(Dyn, D<2>, D<3>)>::randn_dyn(&[2]).unwrap();
    let y = Tensor::<(Dyn, D<3>, D<4>)>::randn_dyn(&[3]).unwrap();
    let m = panics_here!(x.matmul(&y));
    assert_names(&m, &["matmul", "[2, 2, 3]", "[3, 3, 4]", "batch"]);
}

#[test]
fn cat_and_stack_name_the_dim_that_differs() {
    let (a, b) = (rows(2), Tensor::<(Dyn, D<5>)>::randn_dyn(&[4]).unwrap());
    let m = panics_here!(a.cat::<1>(&b));
    assert_names(&m, &["cat", "[2, 3]", "[4, 5]", "dim 0"]);
    let (u, v) = (vector(2), vector(3));
    let m = panics_here!(Tensor::stack::<0, 2>([&u, &v]));
    assert_names(&m, &["stack", "[2]", "[3]"]);
}

#[test]
fn comparisons_where_and_elementwise_extremes_name_the_sizes() {
    let (a, b) = (vector(2), vector(3));
    let m = panics_here!(a.lt(&b));
    assert_names(&m, &["lt", "[2]", "[3]"]);
    let m = panics_here!(a.eq(&b));
    assert_names(&m, &["eq", "[2]", "[3]"]);
    let m = panics_here!(a.maximum(&b));
    assert_names(&m, &["maximum", "[2]", "[3]"]);
    let m = panics_here!(a.minimum(&b));
    assert_names(&m, &["minimum", "[2]", "[3]"]);
    let mask = a.gt_scalar(0.0);
    let m = panics_here!(mask.where_(&b, &a));
    assert_names(&m, &["where_", "[2]", "[3]"]);
}

#[test]
fn integer_division_by_zero_is_named() {
    let a = Tensor::<(D<2>,), i64>::from_array([4, 6]);
    let zero = Tensor::<(D<2>,), i64>::from_array([1, 0]);
    let m = panics_here!(&a / &zero);
    assert_names(&m, &["div", "zero"]);
    let m = panics_here!(&a / 0);
    assert_names(&m, &["div", "zero"]);
}

#[test]
fn indices_out_of_range_name_the_index() {
    let x = Tensor::<(D<4>, D<3>)>::randn();
    let i = labels(&[1, 7]);
    let m = panics_here!(x.index_select::<0>(&i));
    assert_names(&m, &["index_select", "7", "0..4"]);
    let g = Tensor::<(D<4>, D<1>), i64>::from_array([[0], [5], [1], [2]]);
    let m = panics_here!(x.gather::<1>(&g));
    assert_names(&m, &["gather", "5", "0..3"]);
    let too_big = Tensor::<(Dyn, D<1>), i64>::zeros_dyn(&[6]).unwrap();
    let m = panics_here!(x.gather::<1>(&too_big));
    assert_names(&m, &["gather", "[4, 3]", "[6, 1]"]);
    let m = panics_here!(labels(&[0, 5]).one_hot::<3>());
    assert_names(&m, &["one_hot", "5", "0..3"]);
    let table = Tensor::<(D<10>, D<4>)>::randn();
    let m = panics_here!(table.embedding(&labels(&[2, 12])));
    assert_names(&m, &["embedding", "12", "0..10"]);
}

#[test]
fn convolutions_and_pools_on_too_small_inputs_name_the_sizes() {
    let x = Tensor::<(Dyn, D<1>, Dyn, Dyn)>::randn_dyn(&[1, 3, 3]).unwrap();
    let w = Tensor::<(D<6>, D<1>, D<5>, D<5>)>::randn();
    let m = panics_here!(x.conv2d(&w, None, ()));
    assert_names(&m, &["conv2d", "[1, 1, 3, 3]", "5"]);
    let x1 = Tensor::<(Dyn, D<2>, Dyn)>::randn_dyn(&[1, 2]).unwrap();
    let w1 = Tensor::<(D<4>, D<2>, D<3>)>::randn();
    let m = panics_here!(x1.conv1d(&w1, None, ()));
    assert_names(&m, &["conv1d", "[1, 2, 2]", "3"]);
    let c = Tensor::<(Dyn, Dyn, D<8>, D<8>)>::randn_dyn(&[1, 3]).unwrap();
    let wc = Tensor::<(D<6>, D<1>, D<3>, D<3>)>::randn();
    let m = panics_here!(c.conv2d(&wc, None, ()));
    assert_names(&m, &["conv2d", "channels", "3"]);
    let small = Tensor::<(Dyn, D<2>, Dyn, Dyn)>::randn_dyn(&[1, 1, 1]).unwrap();
    let m = panics_here!(small.max_pool2d(Kernel::<2>, ()));
    assert_names(&m, &["max_pool2d", "[1, 2, 1, 1]", "2"]);
    let m = panics_here!(small.avg_pool2d(Kernel::<2>, ()));
    assert_names(&m, &["avg_pool2d", "[1, 2, 1, 1]", "2"]);
    let empty = Tensor::<(Dyn, D<2>, Dyn, Dyn)>::randn_dyn(&[1, 0, 3]).unwrap();
    let m = panics_here!(empty.adaptive_avg_pool2d::<2, 2>());
    assert_names(&m, &["adaptive_avg_pool2d", "[1, 2, 0, 3]"]);
}

#[test]
fn reductions_over_an_empty_dim_and_bad_dropout_are_named() {
    let empty = Tensor::<(Dyn, D<3>)>::randn_dyn(&[0]).unwrap();
    let m = panics_here!(empty.max::<0>());
    assert_names(&m, &["max", "[0, 3]", "dim 0"]);
    let m = panics_here!(empty.argmin::<0>());
    assert_names(&m, &["argmin", "[0, 3]", "dim 0"]);
    let m = panics_here!(vector(3).dropout(1.5, true));
    assert_names(&m, &["dropout", "1.5"]);
}

#[test]
fn layers_reached_through_a_stack_panic_at_the_forward_call() {
    let emb = Embedding::<10, 4>::init().unwrap();
    let m = panics_here!(emb.forward(labels(&[3, 10])));
    assert_names(&m, &["embedding", "10", "0..10"]);
    let stack = hlist![
        Embedding::<10, 4>::init().unwrap(),
        Linear::<4, 2>::init().unwrap(),
        ReLU
    ];
    let m = panics_here!(stack.forward(labels(&[1, 11])));
    assert_names(&m, &["embedding", "11"]);
    let cnn = hlist![
        Conv2d::<1, 2, 3>::init().unwrap(),
        MaxPool2d::<2>::default(),
        ReLU
    ];
    let x = Tensor::<(Dyn, D<1>, Dyn, Dyn)>::randn_dyn(&[1, 3, 3]).unwrap();
    let m = panics_here!(cnn.forward(x));
    assert_names(&m, &["max_pool2d", "[1, 2, 1, 1]"]);
}

#[test]
fn combinators_and_attention_panic_at_the_forward_call() {
    let image = || Tensor::<(Dyn, D<1>, Dyn, Dyn)>::randn_dyn(&[1, 4, 4]).unwrap();
    // The third halving of 4 x 4 has nothing left to pool.
    let halvings = Repeat::<MaxPool2d<2>, 3>::new(MaxPool2d::<2>::default);
    let m = panics_here!(halvings.forward(image()));
    assert_names(&m, &["max_pool2d", "[1, 1, 1, 1]"]);
    // A block that changes a `Dyn` size cannot be added to its input.
    let skip = Residual(MaxPool2d::<2>::default());
    let m = panics_here!(skip.forward(image()));
    assert_names(&m, &["add", "[1, 1, 4, 4]", "[1, 1, 2, 2]"]);
    let both = Parallel::new(
        MaxPool2d::<2>::default(),
        MaxPool2d::<1>::default(),
        ConcatOutputs::<1>,
    );
    let m = panics_here!(both.forward(image()));
    assert_names(&m, &["cat", "[1, 1, 2, 2]", "[1, 1, 4, 4]"]);

    let mha = MultiheadAttention::<8, Heads<2>>::init().unwrap();
    let seq = |batch, len| Tensor::<(Dyn, Dyn, D<8>)>::randn_dyn(&[batch, len]).unwrap();
    let (q, k) = (seq(2, 3), seq(1, 4));
    let m = panics_here!(mha.forward((q.clone(), k.clone(), k.clone())));
    assert_names(
        &m,
        &["MultiheadAttention", "[2, 3, 8]", "[1, 4, 8]", "batch"],
    );
    let (k, v) = (seq(2, 4), seq(2, 5));
    let m = panics_here!(mha.attend(&q, &k, &v, None, None));
    assert_names(&m, &["MultiheadAttention", "[2, 4, 8]", "[2, 5, 8]"]);
    let mask = Tensor::<(Dyn, Dyn), bool>::zeros_dyn(&[1, 4]).unwrap();
    let m = panics_here!(mha.attend(&q, &k, &k, Some(&mask), None));
    assert_names(&m, &["MultiheadAttention", "[1, 4]", "[3, 4]"]);
    let padding = Tensor::<(Dyn, Dyn), bool>::zeros_dyn(&[2, 3]).unwrap();
    let m = panics_here!(mha.attend(&q, &k, &k, None, Some(&padding)));
    assert_names(&m, &["MultiheadAttention", "[2, 3]", "[2, 4]"]);
    let (mask, padding) = (
        Tensor::<(Dyn, Dyn), bool>::zeros_dyn(&[3, 4]).unwrap(),
        Tensor::<(Dyn, Dyn), bool>::zeros_dyn(&[2, 4]).unwrap(),
    );
    let (out, weights) = mha.attend(&q, &k, &k, Some(&mask), Some(&padding));
    assert_eq!((out.size(), weights.size()), (vec![2, 3, 8], vec![2, 3, 4]));
}

#[test]
fn the_success_path_is_unchanged() {
    let (a, b) = (rows(2), rows(2));
    let raw = Vec::<f32>::try_from((a.as_tch() + b.as_tch()).flatten(0, -1)).unwrap();
    assert_eq!((&a + &b).to_vec(), raw);
    let l = loss::cross_entropy(&logits(4), &labels(&[0, 1, 2, 9]), Mean);
    assert!(l.item().is_finite());
    // Size-1 dims still broadcast in arithmetic (numpy rules), just not in losses.
    assert_eq!((vector(1) + vector(4)).size(), vec![4]);
}

// The `try_` forms.

/// The op and operand sizes of an `Error::Operands`, after checking that its message is the
/// panic's sentence: the op, the sizes, what was expected and what was found.
fn operands<T>(result: typed_torch::Result<T>) -> (&'static str, Vec<Vec<i64>>) {
    match result {
        Err(err @ Error::Operands { .. }) => {
            let message = err.to_string();
            assert_one_sentence(&message);
            let Error::Operands {
                op,
                sizes,
                expected,
                found,
            } = err
            else {
                unreachable!()
            };
            assert!(message.starts_with(op), "{message}");
            assert!(message.contains(&format!("expected {expected}, found {found}")));
            (op, sizes)
        }
        Err(other) => panic!("expected Error::Operands, got {other:?}"),
        Ok(_) => panic!("expected Error::Operands, got a value"),
    }
}

#[test]
fn try_binary_ops_return_the_error_instead_of_panicking() {
    let (a, b) = (rows(2), rows(5));
    let sizes = vec![vec![2, 3], vec![5, 3]];
    assert_eq!(operands(a.try_add(&b)), ("add", sizes.clone()));
    assert_eq!(operands(a.try_sub(&b)), ("sub", sizes.clone()));
    assert_eq!(operands(a.try_mul(&b)), ("mul", sizes.clone()));
    assert_eq!(operands(a.try_div(&b)), ("div", sizes));
    // On success they are the operators.
    assert_eq!(a.try_add(&a).unwrap().to_vec(), (&a + &a).to_vec());
    assert_eq!(a.try_div(&a).unwrap().to_vec(), (&a / &a).to_vec());
    let (i, zero) = (
        Tensor::<(D<1>,), i64>::from_array([3]),
        Tensor::<(D<1>,), i64>::from_array([0]),
    );
    assert_eq!(operands(i.try_div(&zero)).0, "div");
}

#[test]
fn try_matmul_cat_and_stack_return_the_error() {
    let a = Tensor::<(Dyn, Dyn)>::randn_dyn(&[8, 5]).unwrap();
    let b = Tensor::<(Dyn, D<10>)>::randn_dyn(&[4]).unwrap();
    let err = a.try_matmul(&b).unwrap_err();
    assert!(
        matches!(&err, Error::Operands { found, .. } if found == "5 against 4"),
        "{err}"
    );
    assert_eq!(
        operands(a.try_matmul(&b)),
        ("matmul", vec![vec![8, 5], vec![4, 10]])
    );
    let good = Tensor::<(Dyn, D<10>)>::randn_dyn(&[5]).unwrap();
    assert_eq!(a.try_matmul(&good).unwrap().size(), vec![8, 10]);

    let c = Tensor::<(Dyn, D<5>)>::randn_dyn(&[4]).unwrap();
    assert_eq!(
        operands(rows(2).try_cat::<1>(&c)),
        ("cat", vec![vec![2, 3], vec![4, 5]])
    );
    assert_eq!(rows(2).try_cat::<0>(&rows(3)).unwrap().size(), vec![5, 3]);

    let (u, v) = (vector(2), vector(3));
    let stacked = Tensor::try_stack::<0, 2>([&u, &v]);
    assert_eq!(operands(stacked), ("stack", vec![vec![2], vec![3]]));
    assert_eq!(
        Tensor::try_stack::<1, 2>([&u, &u]).unwrap().size(),
        vec![2, 2]
    );
}

#[test]
fn every_try_loss_returns_the_error_where_the_loss_would_broadcast() {
    let (p, t) = (vector(1), vector(4));
    let (pp, tt) = (p.sigmoid(), t.sigmoid());
    let sizes = vec![vec![1], vec![4]];
    let cases = [
        operands(loss::try_mse(&p, &t, Mean)),
        operands(loss::try_l1(&p, &t, Mean)),
        operands(loss::try_smooth_l1(&p, &t, 1.0, Mean)),
        operands(loss::try_huber(&p, &t, 1.0, Mean)),
        operands(loss::try_bce(&pp, &tt, Mean)),
        operands(loss::try_bce_with_logits(&p, &tt, None, Mean)),
        operands(loss::try_kl_div(&p, &t, false, Mean)),
    ];
    let names = [
        "mse",
        "l1",
        "smooth_l1",
        "huber",
        "bce",
        "bce_with_logits",
        "kl_div",
    ];
    for ((op, found), name) in cases.into_iter().zip(names) {
        assert_eq!((op, found), (name, sizes.clone()));
    }
    // Equal sizes give the same number as the panicking form.
    let (q, r) = (vector(4), vector(4));
    let same = loss::try_mse(&q, &r, Mean).unwrap().item();
    assert_eq!(same, loss::mse(&q, &r, Mean).item());
}

#[test]
fn every_try_class_loss_returns_the_error() {
    let (x, y) = (logits(8), labels(&[0, 1, 2, 3]));
    let sizes = vec![vec![8, 10], vec![4]];
    assert_eq!(
        operands(loss::try_cross_entropy(&x, &y, Mean)),
        ("cross_entropy", sizes.clone())
    );
    assert_eq!(operands(loss::try_nll(&x, &y, Mean)), ("nll", sizes));
    let none = ClassOptions {
        class_weights: None,
        label_smoothing: 0.1,
    };
    let bad = labels(&[0, 1, 2, 3, 4, 5, 6, 10]);
    let err = loss::try_cross_entropy_with(&x, &bad, Mean, none).unwrap_err();
    assert!(
        err.to_string().ends_with("found 10 at position [7]"),
        "{err}"
    );
    assert_eq!(operands(loss::try_nll_with(&x, &bad, Mean, none)).0, "nll");
    let good = labels(&[0, 1, 2, 3, 4, 5, 6, 9]);
    let value = loss::try_cross_entropy(&x, &good, Mean).unwrap().item();
    assert_eq!(value, loss::cross_entropy(&x, &good, Mean).item());
}

// ---- linear algebra: inputs without an answer are `Error::Linalg`, `Dyn` sizes as elsewhere ----

type Square = Tensor<(Dyn, Dyn), f64>;

fn square(values: &[f64], n: usize) -> Square {
    Tensor::from_slice_dyn(values, &[n, n]).unwrap()
}

fn linalg_problem(err: Error) -> (&'static str, String) {
    match err {
        Error::Linalg { op, problem } => (op, problem),
        other => panic!("expected Error::Linalg, found {other:?}"),
    }
}

#[test]
fn singular_matrices_are_errors_naming_the_pivot() {
    use typed_torch::linalg::{Sq, R};
    // A zero row: elimination leaves an exactly zero pivot whatever the LAPACK's blocking (with
    // a row that is twice another, some CPUs' kernels leave 3e-16 instead).
    let singular = Sq::<3, f64>::from_array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [0.0, 1.0, 1.0]]);
    let (op, problem) = linalg_problem(singular.inv().unwrap_err());
    assert_eq!(op, "inv");
    assert!(
        problem.starts_with("the matrix is singular: pivot "),
        "{problem}"
    );
    let b = R::<3, f64>::ones();
    let err = singular.solve(&b).unwrap_err();
    assert!(
        err.to_string().starts_with("solve: the matrix is singular"),
        "{err}"
    );
    let err = singular.invlndet().unwrap_err();
    assert!(
        err.to_string()
            .starts_with("invlndet: the matrix is singular"),
        "{err}"
    );
    // Its determinant is simply 0, and lndet's log is -inf: values, not errors.
    assert_eq!(singular.det().to_vec(), vec![0.0]);
    assert_eq!(singular.lndet().0.to_vec(), vec![f64::NEG_INFINITY]);
    // In a batch, the error says which matrix.
    let batch = Tensor::<(D<2>, D<2>, D<2>), f64>::from_array([
        [[1.0, 0.0], [0.0, 1.0]],
        [[1.0, 1.0], [1.0, 1.0]],
    ]);
    assert_eq!(
        batch.inv().unwrap_err().to_string(),
        "inv: matrix [1] of the batch: the matrix is singular: pivot 2 of its LU factorization is zero"
    );
}

#[test]
fn triangular_solves_refuse_a_zero_on_the_diagonal() {
    let t = square(&[1.0, 0.0, 0.0, 2.0, 0.0, 0.0, 1.0, 1.0, 3.0], 3);
    let b = Tensor::<(Dyn,), f64>::ones_dyn(&[3]).unwrap();
    assert_eq!(
        t.solve_lower_triangular(&b).unwrap_err().to_string(),
        "solve_lower_triangular: the triangular matrix is singular: diagonal entry 1 is zero"
    );
    let short = Tensor::<(Dyn,), f64>::ones_dyn(&[2]).unwrap();
    let err = t.chol_solve(&short).unwrap_err().to_string();
    assert!(
        err.starts_with("chol_solve of sizes [3, 3] and [2]"),
        "{err}"
    );
}

#[test]
fn matrices_that_are_not_positive_definite_are_errors_naming_the_minor() {
    use typed_torch::linalg::sym;
    let indefinite = square(&[4.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, -1.0], 3);
    let (op, problem) = linalg_problem(sym(&indefinite).chol().unwrap_err());
    assert_eq!(op, "chol");
    assert_eq!(
        problem,
        "the matrix is not positive-definite: its leading minor of order 3 is not positive"
    );
}

#[test]
fn non_finite_inputs_are_errors_not_nan() {
    use typed_torch::linalg::sym;
    let mut values = vec![2.0, 0.0, 0.0, 2.0];
    values[3] = f64::NAN;
    let m = square(&values, 2);
    for err in [
        m.inv().unwrap_err(),
        sym(&m).chol().unwrap_err(),
        sym(&m).eigensystem().map(|_| ()).unwrap_err(),
        m.svd().map(|_| ()).unwrap_err(),
        m.qr().map(|_| ()).unwrap_err(),
        m.pinv().map(|_| ()).unwrap_err(),
    ] {
        let text = err.to_string();
        assert!(
            text.contains("the input has a non-finite entry (NaN) at [1, 1]"),
            "{text}"
        );
    }
}

#[test]
fn dyn_linalg_sizes_are_checked_at_run_time() {
    use typed_torch::linalg::{sym, Symmetric};
    let wide = Tensor::<(Dyn, Dyn), f64>::zeros_dyn(&[2, 3]).unwrap();
    let message = panics_here!(wide.det());
    assert_eq!(message, "det of sizes [2, 3]: expected a square matrix (as many rows as columns), found 2 rows and 3 columns");
    assert!(wide.try_det().is_err() && wide.try_trace().is_err() && wide.inv().is_err());
    let message = panics_here!(sym(&wide));
    assert_names(&message, &["sym of sizes [2, 3]", "square"]);
    assert!(Symmetric::try_new(wide.share(), 1e-9).is_err());

    let a = square(&[2.0, 0.0, 0.0, 2.0], 2);
    let b = Tensor::<(Dyn,), f64>::ones_dyn(&[3]).unwrap();
    assert_eq!(
        a.solve(&b).unwrap_err().to_string(),
        "solve of sizes [2, 2] and [3]: expected a right-hand side with 2 rows and batch [] (as the 2 x 2 matrix), found 3 rows and batch []"
    );
    let u = Tensor::<(Dyn,), f64>::ones_dyn(&[4]).unwrap();
    let message = panics_here!(u.cross(&u));
    assert_eq!(
        message,
        "cross of sizes [4] and [4]: expected 3-vectors (a last dim of 3), found vectors of 4"
    );
    let message = panics_here!(u.dot(&b));
    assert_names(&message, &["dot of sizes [4] and [3]", "4 against 3"]);
    let one_row = Tensor::<(Dyn, D<3>), f64>::ones_dyn(&[1]).unwrap();
    let message = panics_here!(one_row.mean_cov());
    assert_eq!(message, "mean_cov of sizes [1, 3]: expected at least 2 rows (observations) for a covariance, found 1");
}

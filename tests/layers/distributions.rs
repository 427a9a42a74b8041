//! `typed_torch::distributions` against `torch.distributions` (tests/reference/distributions.py):
//! values and gradients in f64, draws under the same seed, and parameter validation.
use crate::common::{assert_close, assert_close_to, input, lock_generator, reference};
use typed_torch::distributions::{
    kl_divergence, Bernoulli, Categorical, Distribution, Independent, Normal, Rsample,
};
use typed_torch::{Error, Shape, Tensor, D};

type M34 = Tensor<(D<3>, D<4>), f64>;
type M25 = Tensor<(D<2>, D<5>), f64>;
type C235 = Tensor<(D<2>, D<3>, D<5>), f64>;

const TOL: f64 = 1e-12;

/// A float input of the case as a fresh leaf.
fn leaf<S: Shape>(case: &str, i: usize) -> Tensor<S, f64> {
    input::<S, f64>(case, i).deep_clone().requires_grad()
}

/// Backpropagates `sum(out * w)` with the reference script's weights `linspace(0.5, 1.5)`.
fn backward_weighted<S: Shape>(out: &Tensor<S, f64>) {
    let n = out.as_tch().numel() as i64;
    let w = tch::Tensor::linspace(0.5, 1.5, n, (tch::Kind::Double, tch::Device::Cpu))
        .reshape(out.as_tch().size());
    (out.as_tch() * w).sum(tch::Kind::Double).backward();
}

/// Checks the result and the gradients of the listed leaves against the case.
fn check<S: Shape, L: Shape>(case: &str, out: &Tensor<S, f64>, leaves: &[&Tensor<L, f64>]) {
    assert_close(case, out, TOL);
    backward_weighted(out);
    for (i, l) in leaves.iter().enumerate() {
        assert_close_to(case, &format!("grad{i}"), &l.grad().unwrap(), TOL);
    }
}

#[test]
fn normal_matches_pytorch() {
    let c = "dist.normal.log_prob";
    let (m, s, v) = (leaf::<(D<3>, D<4>)>(c, 0), leaf(c, 1), leaf(c, 2));
    check(
        c,
        &Normal::new(m.clone(), s.clone()).unwrap().log_prob(&v),
        &[&m, &s, &v],
    );

    let c = "dist.normal.entropy";
    let (m, s) = (leaf::<(D<3>, D<4>)>(c, 0), leaf(c, 1));
    let entropy = Normal::new(m.clone(), s.clone()).unwrap().entropy();
    assert_close(c, &entropy, TOL);
    backward_weighted(&entropy);
    assert!(m
        .grad()
        .is_none_or(|g| g.to_vec().iter().all(|x| *x == 0.0)));
    assert_close_to(c, "grad1", &s.grad().unwrap(), TOL);

    let c = "dist.normal.cdf";
    let (m, s, v) = (leaf::<(D<3>, D<4>)>(c, 0), leaf(c, 1), leaf(c, 2));
    check(
        c,
        &Normal::new(m.clone(), s.clone()).unwrap().cdf(&v),
        &[&m, &s, &v],
    );
    let c = "dist.normal.icdf";
    let (m, s, p) = (leaf::<(D<3>, D<4>)>(c, 0), leaf(c, 1), leaf(c, 2));
    check(
        c,
        &Normal::new(m.clone(), s.clone()).unwrap().icdf(&p),
        &[&m, &s, &p],
    );

    let c = "dist.normal.kl";
    let (a, b, x, y) = (
        leaf::<(D<3>, D<4>)>(c, 0),
        leaf(c, 1),
        leaf(c, 2),
        leaf(c, 3),
    );
    let p = Normal::new(a.clone(), b.clone()).unwrap();
    let q = Normal::new(x.clone(), y.clone()).unwrap();
    check(c, &kl_divergence(&p, &q), &[&a, &b, &x, &y]);
    let n: M34 = p.mean();
    assert_eq!(n.to_vec(), a.to_vec());
    assert_eq!(p.variance().to_vec(), b.square().to_vec());
}

#[test]
fn draws_match_pytorch_under_the_same_seed() {
    let _generator = lock_generator();
    let c = "dist.normal.rsample";
    let (m, s) = (leaf::<(D<3>, D<4>)>(c, 0), leaf(c, 1));
    let normal = Normal::new(m.clone(), s.clone()).unwrap();
    tch::manual_seed(1601);
    let z = normal.rsample();
    assert!(z.is_requires_grad(), "rsample is differentiable");
    check(c, &z, &[&m, &s]);
    tch::manual_seed(1602);
    let drawn = normal.sample();
    assert!(!drawn.is_requires_grad(), "sample is outside autograd");
    assert_close("dist.normal.sample", &drawn, TOL);

    let c = "dist.bernoulli.sample";
    let coin = Bernoulli::from_probs(input::<(D<2>, D<5>), f64>(c, 0)).unwrap();
    tch::manual_seed(1603);
    assert_close(c, &coin.sample(), 0.0);

    let c = "dist.categorical.sample";
    let cat = Categorical::from_probs_unvalidated(input::<(D<2>, D<3>, D<5>), f64>(c, 0));
    tch::manual_seed(1604);
    let drawn: Tensor<(D<2>, D<3>), i64> = cat.sample();
    assert_close(c, &drawn, 0.0);
}

#[test]
fn bernoulli_matches_pytorch() {
    let c = "dist.bernoulli.logits_log_prob";
    let (l, v) = (leaf::<(D<2>, D<5>)>(c, 0), leaf(c, 1));
    check(
        c,
        &Bernoulli::from_logits(l.clone()).unwrap().log_prob(&v),
        &[&l, &v],
    );
    let c = "dist.bernoulli.logits_entropy";
    let l = leaf::<(D<2>, D<5>)>(c, 0);
    check(
        c,
        &Bernoulli::from_logits(l.clone()).unwrap().entropy(),
        &[&l],
    );
    let c = "dist.bernoulli.probs_log_prob";
    let (p, v) = (leaf::<(D<2>, D<5>)>(c, 0), leaf(c, 1));
    check(
        c,
        &Bernoulli::from_probs(p.clone()).unwrap().log_prob(&v),
        &[&p, &v],
    );
    let c = "dist.bernoulli.probs_entropy";
    let p = leaf::<(D<2>, D<5>)>(c, 0);
    check(
        c,
        &Bernoulli::from_probs(p.clone()).unwrap().entropy(),
        &[&p],
    );
    let c = "dist.bernoulli.kl";
    let (p, q) = (leaf::<(D<2>, D<5>)>(c, 0), leaf(c, 1));
    let kl = kl_divergence(
        &Bernoulli::from_probs(p.clone()).unwrap(),
        &Bernoulli::from_probs(q.clone()).unwrap(),
    );
    check(c, &kl, &[&p, &q]);
    let mean: M25 = Bernoulli::from_probs(p.detach()).unwrap().mean();
    assert_eq!(mean.to_vec(), p.to_vec());

    // Probabilities 0 and 1: finite log-densities (PyTorch's clamp), infinite divergences.
    let c = "dist.bernoulli.edge_log_prob";
    let edge = Bernoulli::from_probs(input::<(D<5>,), f64>(c, 0)).unwrap();
    assert_close(c, &edge.log_prob(&input(c, 1)), TOL);
    let c = "dist.bernoulli.edge_kl";
    let p = Bernoulli::from_probs(input::<(D<5>,), f64>(c, 0)).unwrap();
    let q = Bernoulli::from_probs(input::<(D<5>,), f64>(c, 1)).unwrap();
    same_with_infinities(c, &kl_divergence(&p, &q).to_vec());
}

#[test]
fn categorical_matches_pytorch() {
    let c = "dist.categorical.log_prob";
    let l = leaf::<(D<2>, D<3>, D<5>)>(c, 0);
    let index = input::<(D<2>, D<3>), i64>(c, 1);
    let cat = Categorical::from_logits(l.clone()).unwrap();
    let lp: Tensor<(D<2>, D<3>), f64> = cat.log_prob(&index);
    check(c, &lp, &[&l]);
    assert_eq!(cat.categories(), 5);
    let c = "dist.categorical.entropy";
    let l = leaf::<(D<2>, D<3>, D<5>)>(c, 0);
    check(
        c,
        &Categorical::from_logits(l.clone()).unwrap().entropy(),
        &[&l],
    );
    // Weights with an impossible category: normalised, entropy skips it.
    let c = "dist.categorical.probs_entropy";
    let w = leaf::<(D<2>, D<3>, D<5>)>(c, 0);
    check(
        c,
        &Categorical::from_probs_unvalidated(w.clone()).entropy(),
        &[&w],
    );
    let c = "dist.categorical.probs_log_prob";
    let w = leaf::<(D<2>, D<3>, D<5>)>(c, 0);
    let cat = Categorical::from_probs_unvalidated(w.clone());
    check(c, &cat.log_prob(&input(c, 1)), &[&w]);
    let c = "dist.categorical.kl";
    let (a, b) = (leaf::<(D<2>, D<3>, D<5>)>(c, 0), leaf(c, 1));
    let kl = kl_divergence(
        &Categorical::from_logits(a.clone()).unwrap(),
        &Categorical::from_logits(b.clone()).unwrap(),
    );
    check(c, &kl, &[&a, &b]);
    let c = "dist.categorical.edge_kl";
    let p = Categorical::from_logits(input::<(D<2>, D<3>, D<5>), f64>(c, 0)).unwrap();
    let q = Categorical::from_probs_unvalidated(input::<(D<2>, D<3>, D<5>), f64>(c, 1));
    same_with_infinities(c, &kl_divergence(&p, &q).to_vec());
    let _: C235 = p.probs().clone();
}

#[test]
fn independent_sums_over_event_axes() {
    let c = "dist.independent.normal_log_prob";
    let (m, s, v) = (leaf::<(D<3>, D<4>)>(c, 0), leaf(c, 1), leaf(c, 2));
    let q = Independent::<_, 1>::new(Normal::new(m.clone(), s.clone()).unwrap());
    let lp: Tensor<(D<3>,), f64> = q.log_prob(&v);
    check(c, &lp, &[&m, &s, &v]);
    let c = "dist.independent.normal_entropy";
    let (m, s) = (leaf::<(D<3>, D<4>)>(c, 0), leaf(c, 1));
    let q = Independent::<_, 1>::new(Normal::new(m, s.clone()).unwrap());
    let entropy: Tensor<(D<3>,), f64> = q.entropy();
    assert_close(c, &entropy, TOL);
    backward_weighted(&entropy);
    assert_close_to(c, "grad1", &s.grad().unwrap(), TOL);
    let c = "dist.independent.normal_kl";
    let (a, b, x, y) = (
        leaf::<(D<3>, D<4>)>(c, 0),
        leaf(c, 1),
        leaf(c, 2),
        leaf(c, 3),
    );
    let p = Independent::<_, 1>::new(Normal::new(a.clone(), b.clone()).unwrap());
    let q = Independent::<_, 1>::new(Normal::new(x.clone(), y.clone()).unwrap());
    check(c, &kl_divergence(&p, &q), &[&a, &b, &x, &y]);
    // Two event axes: one density for a whole (3, 5) grid.
    let c = "dist.independent.bernoulli_log_prob_2";
    let (l, v) = (leaf::<(D<3>, D<5>)>(c, 0), leaf(c, 1));
    let grid = Independent::<_, 2>::new(Bernoulli::from_logits(l.clone()).unwrap());
    let lp: Tensor<(), f64> = grid.log_prob(&v);
    check(c, &lp, &[&l, &v]);
}

/// Entries equal to PyTorch's, infinities included (a plain difference of two infinities is NaN).
fn same_with_infinities(case: &str, actual: &[f64]) {
    let expected: Vec<f64> = reference(&format!("{case}.out"))
        .view(-1)
        .try_into()
        .unwrap();
    assert_eq!(actual.len(), expected.len());
    for (a, e) in actual.iter().zip(&expected) {
        let same = if e.is_infinite() {
            a == e
        } else {
            (a - e).abs() <= TOL
        };
        assert!(same, "{case}: {actual:?} against PyTorch's {expected:?}");
    }
    assert!(
        expected.iter().any(|e| e.is_infinite()),
        "{case} has an infinity"
    );
}

#[test]
fn invalid_parameters_are_errors_naming_the_entry() {
    let loc = Tensor::<(D<3>,), f64>::zeros();
    let err = Normal::new(loc.clone(), Tensor::from_array([1.0, 0.0, 2.0])).unwrap_err();
    assert!(matches!(
        err,
        Error::Parameter {
            distribution: "Normal",
            parameter: "scale",
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        "Normal: `scale` must be positive (> 0); entry 1 is 0"
    );
    let err = Normal::new(Tensor::from_array([0.0, f64::NAN, 0.0]), loc.ones_like()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Normal: `loc` must be a real number (not NaN); entry 1 is NaN"
    );
    let err = Bernoulli::from_probs(Tensor::<(D<2>, D<2>), f64>::from_array([
        [0.5, 0.2],
        [1.5, 0.0],
    ]))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Bernoulli: `probs` must be in [0, 1]; entry 2 is 1.5"
    );
    let err = Categorical::from_probs(Tensor::<(D<2>, D<2>), f64>::from_array([
        [0.5, 0.5],
        [0.7, 0.2],
    ]))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Categorical: `probs` must be non-negative with rows (last axis) summing to 1; row 1 sums to 0.8999999999999999"
    );
    let err = Categorical::from_probs(Tensor::<(D<1>, D<2>), f64>::from_array([[1.5, -0.5]]))
        .unwrap_err();
    assert!(err.to_string().ends_with("entry 1 is -0.5"), "{err}");
    assert!(Bernoulli::from_logits(Tensor::<(D<1>,), f64>::from_array([f64::NAN])).is_err());
    // Valid parameters pass: the bounds themselves are allowed where PyTorch allows them.
    assert!(Bernoulli::from_probs(Tensor::<(D<2>,), f64>::from_array([0.0, 1.0])).is_ok());
    assert!(Categorical::from_probs(Tensor::<(D<1>, D<2>), f64>::from_array([[1.0, 0.0]])).is_ok());
}

#[test]
fn dyn_sizes_that_differ_are_reported_at_the_call() {
    use typed_torch::Dyn;
    let loc = Tensor::<(Dyn,), f64>::zeros_dyn(&[3]).unwrap();
    let scale = Tensor::<(Dyn,), f64>::ones_dyn(&[2]).unwrap();
    let err = Normal::new(loc.clone(), scale).unwrap_err();
    assert!(err.to_string().contains("[3] and [2]"), "{err}");
    let normal = Normal::new(loc.clone(), loc.ones_like()).unwrap();
    let short = Tensor::<(Dyn,), f64>::zeros_dyn(&[2]).unwrap();
    let panic = std::panic::catch_unwind(|| normal.log_prob(&short)).unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(
        message.starts_with("Normal::log_prob of sizes [3] and [2]"),
        "{message}"
    );
    // A category index out of range names the entry.
    let cat =
        Categorical::from_logits(Tensor::<(Dyn, D<3>), f64>::zeros_dyn(&[2]).unwrap()).unwrap();
    let bad = Tensor::<(Dyn,), i64>::from_slice_dyn(&[1, 3], &[2]).unwrap();
    let panic = std::panic::catch_unwind(|| cat.log_prob(&bad)).unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(
        message.contains("expected indices in 0..3 (the size of dim 1), found 3"),
        "{message}"
    );
}

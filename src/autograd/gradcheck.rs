//! A reusable finite-difference gradient checker for layers and models, in f64.
//!
//! It "nudges" every element of the input and of every parameter by `±eps`, recomputes the loss,
//! and compares the central difference `(f(x+eps) - f(x-eps)) / 2eps` with autograd's gradient.
use crate::autograd::no_grad;
use crate::nn::Params;
use crate::shape::Shape;
use crate::tensor::Tensor;

/// The worst disagreement found by [`check_gradients`].
#[derive(Debug, Clone)]
pub struct GradReport {
    /// Largest `|autograd - numeric| / max(1, |numeric|)` over all checked elements.
    pub max_error: f64,
    /// Where it occurred, e.g. `"0.weight[3]: autograd 0.12 vs numeric 0.15"`.
    pub worst: String,
    /// How many elements were checked.
    pub checked: usize,
}

/// Compares autograd with central differences for `loss(model, input)` with respect to the input
/// and every parameter of `model`. The model's parameters are restored afterwards.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Init, Linear, Module};
/// use typed_torch::{check_gradients, Tensor, D};
/// tch::manual_seed(0);
/// let mut layer = Linear::<3, 2, (), f64>::init().unwrap();
/// let x = Tensor::<(D<4>, D<3>), f64>::randn();
/// let report = check_gradients(&mut layer, &x, 1e-6, |m, x| m.forward(x.clone()).tanh().sum_all());
/// assert!(report.max_error < 1e-6, "{report:?}");
/// ```
pub fn check_gradients<M: Params, S: Shape>(
    model: &mut M,
    input: &Tensor<S, f64>,
    eps: f64,
    loss: impl Fn(&M, &Tensor<S, f64>) -> Tensor<(), f64>,
) -> GradReport {
    // Autograd: make the input and every parameter a leaf, run backward once.
    let x = input.deep_clone().detach().requires_grad();
    model.for_each_param_mut(|_, t| {
        *t = t.detach().set_requires_grad(true);
    });
    loss(model, &x).backward();
    let mut analytic: Vec<(String, Vec<f64>)> = vec![("input".into(), grad_values(x.as_tch()))];
    model.for_each_param(|name, t| analytic.push((name.to_string(), grad_values(t))));

    // Numeric: nudge one element at a time, in place, with recording off.
    let mut report = GradReport {
        max_error: 0.0,
        worst: String::new(),
        checked: 0,
    };
    let mut record = |name: &str, i: usize, auto: f64, numeric: f64| {
        let err = (auto - numeric).abs() / numeric.abs().max(1.0);
        report.checked += 1;
        if err > report.max_error || err.is_nan() {
            report.max_error = err;
            report.worst = format!("{name}[{i}]: autograd {auto} vs numeric {numeric}");
        }
    };
    no_grad(|| {
        let x_flat = x.as_tch().view([-1]);
        for (i, &auto) in analytic[0].1.iter().enumerate() {
            let numeric = central_difference(&x_flat, i, eps, || loss(model, &x).item());
            record("input", i, auto, numeric);
        }
        let mut params: Vec<(String, tch::Tensor)> = Vec::new();
        model.for_each_param(|name, t| params.push((name.to_string(), t.shallow_clone())));
        for ((name, t), (_, grads)) in params.iter().zip(&analytic[1..]) {
            let flat = t.view([-1]);
            for (i, &auto) in grads.iter().enumerate() {
                let numeric = central_difference(&flat, i, eps, || loss(model, &x).item());
                record(name, i, auto, numeric);
            }
        }
    });
    model.for_each_param_mut(|_, t| {
        *t = t.detach();
    });
    report
}

/// `(f(x_i + eps) - f(x_i - eps)) / 2eps`, nudging element `i` of `flat` in place and restoring it.
fn central_difference(flat: &tch::Tensor, i: usize, eps: f64, f: impl Fn() -> f64) -> f64 {
    let mut element = flat.get(i as i64);
    let original = element.double_value(&[]);
    let _ = element.fill_(original + eps);
    let plus = f();
    let _ = element.fill_(original - eps);
    let minus = f();
    let _ = element.fill_(original);
    (plus - minus) / (2.0 * eps)
}

fn grad_values(t: &tch::Tensor) -> Vec<f64> {
    let g = t.grad();
    let g = if g.defined() { g } else { t.zeros_like() };
    let flat = g.to_kind(tch::Kind::Double).view([-1]);
    let mut out = vec![0.0; flat.numel()];
    let len = out.len();
    flat.copy_data(&mut out, len);
    out
}

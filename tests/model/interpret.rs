//! Attributions against Captum 0.9 (tests/reference/interpret.py), in f64 on the same weights and
//! inputs: saliency, integrated gradients (Gauss-Legendre and trapezoid) and Grad-CAM for the
//! LeNet, and Grad-CAM at `layer4` of the zoo's ResNet-18.
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::common::python;
use typed_torch::interpret::{grad_cam, saliency, IntegratedGradients, Quadrature};
use typed_torch::nn::{Init, Module, Params, ToKind};
use typed_torch::{checkpoint, Dyn, Tensor, D};
use typed_torch_models::lenet::LeNet;
use typed_torch_models::vision::resnet::ResNet18;

type Digits = Tensor<(D<3>, D<1>, D<28>, D<28>), f64>;

/// Runs the reference script into a fresh directory and reads its tensors.
fn captum() -> (PathBuf, HashMap<String, tch::Tensor>) {
    let dir = std::env::temp_dir().join(format!("typed-torch-captum-{}", std::process::id()));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/interpret.py");
    let out = std::process::Command::new(python())
        .arg(&script)
        .arg(&dir)
        .output()
        .unwrap_or_else(|e| panic!("could not run {}: {e}", python().display()));
    assert!(
        out.status.success(),
        "{} failed:\n{}",
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let io = tch::Tensor::read_safetensors(dir.join("captum.safetensors"))
        .unwrap()
        .into_iter()
        .collect();
    (dir, io)
}

fn load<M: Params>(model: &mut M, file: &Path) {
    let report = checkpoint::load(model, file)
        .unwrap_or_else(|e| panic!("{}: does not load strictly: {e}", file.display()));
    assert!(report.missing.is_empty() && report.unexpected.is_empty());
}

/// The largest difference relative to the reference's largest magnitude.
fn relative_diff(ours: &tch::Tensor, theirs: &tch::Tensor, what: &str) -> f64 {
    assert_eq!(ours.size(), theirs.size(), "{what}: sizes differ");
    let scale = theirs.abs().max().double_value(&[]);
    assert!(scale > 0.0, "{what}: the reference is all zeros");
    (ours - theirs).abs().max().double_value(&[]) / scale
}

#[test]
fn attributions_match_captum() {
    let (dir, io) = captum();
    let mut net = LeNet::init().unwrap().to_kind::<f64>();
    load(&mut net, &dir.join("lenet.safetensors"));
    net.set_train(false);
    let classify = |x: Digits| net.forward(x);
    let x = Digits::from_tch(io["lenet.input"].shallow_clone()).unwrap();
    let targets = [3, 7, 1];

    let map = saliency(classify, &x, &targets).unwrap();
    let d = relative_diff(map.as_tch(), &io["lenet.saliency"], "saliency");
    println!("relative difference from Captum: {d:e}");
    assert!(
        d < 1e-12,
        "saliency differs from Captum's by {d:e} (relative)"
    );

    // Captum rounds its quadrature weights to f32 (`torch.tensor(step_sizes).float()`), which
    // moves its integrated gradients by up to 6e-8 relative (1.4e-9 measured for Gauss-Legendre,
    // 1.5e-8 for the trapezoid); ours keep the weights in f64.
    let ig = IntegratedGradients::default()
        .attribute(classify, &x, &Tensor::zeros(), &targets)
        .unwrap();
    let d = relative_diff(
        ig.attributions.as_tch(),
        &io["lenet.ig"],
        "integrated gradients",
    );
    println!("relative difference from Captum: {d:e}");
    assert!(
        d < 1e-7,
        "integrated gradients differ from Captum's by {d:e} (relative)"
    );
    let captum_delta = Vec::<f64>::try_from(&io["lenet.ig_delta"]).unwrap();
    for (ours, theirs) in ig.delta.iter().zip(&captum_delta) {
        // Both are the quadrature's error (small next to the scores' change, about 0.1 here).
        assert!(
            ours.abs() < 1e-3 && (ours - theirs).abs() < 1e-6,
            "delta {ours} vs {theirs}"
        );
    }

    let trapezoid = IntegratedGradients {
        steps: 20,
        method: Quadrature::RiemannTrapezoid,
    }
    .attribute(classify, &x, &Tensor::full(0.5), &targets)
    .unwrap();
    let d = relative_diff(
        trapezoid.attributions.as_tch(),
        &io["lenet.ig_trapezoid"],
        "trapezoid",
    );
    println!("relative difference from Captum: {d:e}");
    assert!(
        d < 1e-7,
        "trapezoid integrated gradients differ by {d:e} (relative)"
    );

    // Grad-CAM at the ReLU after the second convolution: layers 0..5 of the stack, then the rest.
    let features = |x: Digits| {
        let h = net.head.forward(x);
        let h = net.tail.head.forward(h);
        let h = net.tail.tail.head.forward(h);
        let h = net.tail.tail.tail.head.forward(h);
        net.tail.tail.tail.tail.head.forward(h)
    };
    let head = |a| net.tail.tail.tail.tail.tail.forward(a);
    let cam = grad_cam(features, head, &x, &targets).unwrap();
    assert_eq!(cam.size(), vec![3, 1, 10, 10]);
    let d = relative_diff(cam.as_tch(), &io["lenet.grad_cam"], "Grad-CAM");
    println!("relative difference from Captum: {d:e}");
    assert!(
        d < 1e-12,
        "Grad-CAM differs from Captum's by {d:e} (relative)"
    );
    let d = relative_diff(
        cam.relu().as_tch(),
        &io["lenet.grad_cam_relu"],
        "Grad-CAM, ReLU",
    );
    println!("relative difference from Captum: {d:e}");
    assert!(
        d < 1e-12,
        "Grad-CAM with ReLU differs from Captum's by {d:e} (relative)"
    );
}

#[test]
fn resnet_grad_cam_matches_captum() {
    let (dir, io) = captum();
    let mut net = ResNet18::<10, f64>::init().unwrap();
    load(&mut net, &dir.join("resnet18.safetensors"));
    net.set_train(false);
    type Images = Tensor<(D<2>, D<3>, Dyn, Dyn), f64>;
    let x = Images::from_tch(io["resnet18.input"].shallow_clone()).unwrap();
    let cam = grad_cam(|x| net.features(x), |h| net.head(h), &x, &[2, 5]).unwrap();
    assert_eq!(cam.size(), vec![2, 1, 2, 2]);
    let d = relative_diff(cam.as_tch(), &io["resnet18.grad_cam"], "ResNet-18 Grad-CAM");
    println!("relative difference from Captum: {d:e}");
    assert!(
        d < 1e-10,
        "ResNet-18's Grad-CAM differs from Captum's by {d:e} (relative)"
    );
}

/// Targets must be one class per sample, each a class of the model; the model's parameters keep
/// no gradient from an attribution.
#[test]
fn bad_targets_are_errors_and_parameters_keep_no_gradient() {
    let net = LeNet::init().unwrap();
    let x = Tensor::<(D<2>, D<1>, D<28>, D<28>)>::rand();
    let classify = |x| net.forward(x);
    let err = saliency(classify, &x, &[1]).unwrap_err().to_string();
    assert!(err.contains("1 target(s) for a batch of 2"), "{err}");
    let err = saliency(classify, &x, &[1, 10]).unwrap_err().to_string();
    assert!(
        err.contains("target 10 of sample 1 is not a class of the model's 10"),
        "{err}"
    );
    let err = IntegratedGradients {
        steps: 1,
        method: Quadrature::RiemannLeft,
    }
    .attribute(classify, &x, &Tensor::zeros(), &[0, 1])
    .unwrap_err()
    .to_string();
    assert!(err.contains("at least 2 steps"), "{err}");
    saliency(classify, &x, &[0, 1]).unwrap();
    assert!(
        net.head.weight.grad().is_none(),
        "the model's weights got a gradient"
    );
}

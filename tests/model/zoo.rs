//! The model zoo against torchvision (tests/reference/zoo.py): each torchvision model, with random
//! weights and batch-norm statistics, is exported to safetensors; the typed model loads the file
//! strictly (so every name and shape is torchvision's), and gives the same logits and the same
//! gradient with respect to its input, in f64 within 1e-9, in evaluation and in training mode
//! (where the first batch norm's running statistics must also move as torchvision's).
use std::path::{Path, PathBuf};

use crate::common::{lock_generator, python, share_generator};
use typed_torch::checkpoint;
use typed_torch::nn::{Init, Module, Params};
use typed_torch::{Dyn, Tensor, D};
use typed_torch_models::vision::mobilenet::MobileNetV2;
use typed_torch_models::vision::resnet::{ResNet18, ResNet34, ResNet50};
use typed_torch_models::vision::vgg::Vgg11Bn;

const TOL: f64 = 1e-9;

type Images = Tensor<(Dyn, D<3>, Dyn, Dyn), f64>;

/// Runs the reference script for `name` into a fresh directory.
fn export(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("typed-torch-zoo-{name}-{}", std::process::id()));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/zoo.py");
    let status = std::process::Command::new(python())
        .arg(&script)
        .arg(&dir)
        .arg(name)
        .status()
        .unwrap_or_else(|e| panic!("could not run {}: {e}", python().display()));
    assert!(status.success(), "{} failed for {name}", script.display());
    dir
}

fn max_diff(a: &tch::Tensor, b: &tch::Tensor) -> f64 {
    assert_eq!(a.size(), b.size());
    (a - b).abs().max().double_value(&[])
}

/// Loads torchvision's `name` into `model` and compares both modes.
fn matches_torchvision<M>(name: &str, mut model: M)
where
    M: Params + Module<Images, Output = Tensor<(Dyn, D<10>), f64>>,
{
    let dir = export(name);
    let report = checkpoint::load(&mut model, &dir.join(format!("{name}.state.safetensors")))
        .unwrap_or_else(|e| panic!("{name}: torchvision's state_dict does not load strictly: {e}"));
    assert!(report.missing.is_empty() && report.unexpected.is_empty());
    let io: std::collections::HashMap<String, tch::Tensor> =
        tch::Tensor::read_safetensors(dir.join(format!("{name}.io.safetensors")))
            .unwrap()
            .into_iter()
            .collect();
    for mode in ["eval", "train"] {
        model.set_train(mode == "train");
        let x = Images::from_tch(io["input"].copy())
            .unwrap()
            .requires_grad();
        // Dropout's masks: the reference's seed, and no other test drawing meanwhile.
        let logits = {
            let _alone = lock_generator();
            tch::manual_seed(1);
            model.forward(x.clone())
        };
        let expected = &io[&format!("{mode}.logits")];
        let logits_diff = max_diff(logits.as_tch(), expected);
        assert!(
            logits_diff <= TOL,
            "{name} ({mode}): logits differ by {logits_diff:e}"
        );
        let n = expected.numel() as i64;
        let w = tch::Tensor::linspace(0.5, 1.5, n, (tch::Kind::Double, tch::Device::Cpu))
            .reshape(expected.size());
        (logits.as_tch() * w).sum(tch::Kind::Double).backward();
        let grad = x.grad().expect("the input's gradient");
        let grad_diff = max_diff(grad.as_tch(), &io[&format!("{mode}.input_grad")]);
        assert!(
            grad_diff <= TOL,
            "{name} ({mode}): input gradients differ by {grad_diff:e}"
        );
        println!("{name} ({mode}): logits within {logits_diff:.1e}, input gradient within {grad_diff:.1e}");
    }
    // The first batch norm, after the training pass: its running statistics moved as
    // torchvision's did.
    let mut stats = 0;
    model.for_each_tensor(|tensor_name, t| {
        if let Some(expected) = io.get(&format!("train.{tensor_name}")) {
            let diff = max_diff(t, expected);
            assert!(
                diff <= TOL,
                "{name}: {tensor_name} after training differs by {diff:e}"
            );
            stats += 1;
        }
    });
    assert_eq!(
        stats, 2,
        "{name}: the first batch norm's running mean and variance"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn resnet18_matches_torchvision() {
    let model = {
        let _shared = share_generator();
        ResNet18::<10, f64>::init().unwrap()
    };
    matches_torchvision("resnet18", model);
}

#[test]
fn resnet34_matches_torchvision() {
    let model = {
        let _shared = share_generator();
        ResNet34::<10, f64>::init().unwrap()
    };
    matches_torchvision("resnet34", model);
}

#[test]
fn resnet50_matches_torchvision() {
    let model = {
        let _shared = share_generator();
        ResNet50::<10, f64>::init().unwrap()
    };
    matches_torchvision("resnet50", model);
}

#[test]
fn vgg11_bn_matches_torchvision() {
    let model = {
        let _shared = share_generator();
        Vgg11Bn::<10, f64>::init().unwrap()
    };
    matches_torchvision("vgg11_bn", model);
}

#[test]
fn mobilenet_v2_matches_torchvision() {
    let model = {
        let _shared = share_generator();
        MobileNetV2::<10, f64>::init().unwrap()
    };
    matches_torchvision("mobilenet_v2", model);
}

/// torchvision's initialisation: convolutions Kaiming-normal (`fan_out`, ReLU gain), batch norms
/// at weight 1 and bias 0, the classifier as `nn.Linear`'s default (uniform in `1/sqrt(512)`).
#[test]
fn resnet18_starts_as_torchvision_does() {
    let model = {
        let _shared = share_generator();
        ResNet18::<1000, f32>::init().unwrap()
    };
    let mut seen = 0;
    model.for_each_param(|name, p| {
        let size = p.size();
        if let [out, _, kh, kw] = size[..] {
            let expected = (2.0 / (out * kh * kw) as f64).sqrt();
            let std = p.std(true).double_value(&[]);
            let mean = p.mean(None).double_value(&[]);
            // Thousands of draws: the sample's spread is within a few percent of the target.
            assert!(
                (std / expected - 1.0).abs() < 0.1,
                "{name}: std {std}, expected {expected}"
            );
            assert!(mean.abs() < 0.2 * expected, "{name}: mean {mean}");
            seen += 1;
        } else if name.contains("bn") || name.contains("downsample.1") {
            let target = if name.ends_with("weight") { 1.0 } else { 0.0 };
            let off = (p - target).abs().max().double_value(&[]);
            assert_eq!(off, 0.0, "{name}");
        } else if name == "fc.weight" {
            let bound = 1.0 / 512f64.sqrt();
            assert!(p.abs().max().double_value(&[]) <= bound);
            assert!(p.abs().max().double_value(&[]) > 0.9 * bound);
        }
    });
    assert_eq!(seen, 20, "resnet18 has 20 convolutions");
}

/// A visitor of named parameters.
type Visit<'a> = dyn FnMut(&str, &tch::Tensor) + 'a;

/// torchvision's initialisation of VGG and MobileNet: convolutions as ResNet's, linear weights
/// normal with standard deviation 0.01, the biases of both zero, batch norms at 1 and 0.
#[test]
fn vgg_and_mobilenet_start_as_torchvision_does() {
    let (vgg, mobilenet) = {
        let _shared = share_generator();
        (
            Vgg11Bn::<10, f32>::init().unwrap(),
            MobileNetV2::<10, f32>::init().unwrap(),
        )
    };
    let check = |model: &dyn Fn(&mut Visit)| {
        let mut ranks = std::collections::HashMap::new();
        let mut linears = 0;
        model(&mut |name, p| {
            let layer = name.rsplit_once('.').unwrap().0.to_string();
            let size = p.size();
            if name.ends_with(".weight") {
                ranks.insert(layer.clone(), size.len());
            }
            let std = || p.std(true).double_value(&[]);
            match (&size[..], name.ends_with(".bias")) {
                ([out, _, kh, kw], _) => {
                    let expected = (2.0 / (out * kh * kw) as f64).sqrt();
                    assert!(
                        (std() / expected - 1.0).abs() < 0.15,
                        "{name}: std {}",
                        std()
                    );
                }
                ([rows, _], _) if *rows > 1 => {
                    assert!((std() / 0.01 - 1.0).abs() < 0.15, "{name}: std {}", std());
                    linears += 1;
                }
                ([_], true) => {
                    let bias_of = ranks[&layer];
                    let max = p.abs().max().double_value(&[]);
                    assert_eq!(max, 0.0, "{name} (bias of a rank-{bias_of} weight)");
                }
                ([_], false) => {
                    let off = (p - 1.0).abs().max().double_value(&[]);
                    assert_eq!(off, 0.0, "{name}: a batch norm's weight starts at 1");
                }
                _ => {}
            }
        });
        linears
    };
    let vgg_linears = check(&|f| vgg.for_each_param(|n, p| f(n, p)));
    let mobilenet_linears = check(&|f| mobilenet.for_each_param(|n, p| f(n, p)));
    assert_eq!((vgg_linears, mobilenet_linears), (3, 1));
}

//! The `classify_image` example against torchvision (tests/reference/classify.py): torchvision's
//! `resnet18` with random weights, saved as a user saves pretrained ones, loads strictly into the
//! zoo's ResNet-18; on PIL's pixels of both photographs the typed preset and model give
//! torchvision's logits, and the whole example (its own JPEG decoding) ranks the same classes.
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::classify_image_example::{load_model, logits, preprocess, rank, run, Args};
use crate::common::python;
use typed_torch::vision::{self, Image};

fn images_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".typed-torch/images")
}

fn reference() -> (PathBuf, HashMap<String, tch::Tensor>) {
    let dir = std::env::temp_dir().join(format!("typed-torch-classify-{}", std::process::id()));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/classify.py");
    let status = std::process::Command::new(python())
        .arg(&script)
        .arg(images_dir())
        .arg(&dir)
        .status()
        .unwrap_or_else(|e| panic!("could not run {}: {e}", python().display()));
    assert!(status.success(), "{} failed", script.display());
    let io = tch::Tensor::read_safetensors(dir.join("io.safetensors"))
        .unwrap()
        .into_iter()
        .collect();
    (dir, io)
}

#[test]
fn classifies_as_torchvision() {
    let (dir, io) = reference();
    let weights = dir.join("resnet18.safetensors");
    let model = load_model(&weights).unwrap();
    let labels: Vec<String> = (0..1000).map(|i| format!("class {i}")).collect();
    for photo in ["china", "flower"] {
        let theirs = &io[&format!("{photo}.logits")];
        // The same pixels on both sides: the preset and the model. torchvision's weight preset
        // (transforms v1) resizes in f32 and rounds back to u8, where transforms v2 and ours
        // resample u8 directly, so a few pixels differ by one level: 5e-4 relative measured.
        let pil = Image::<3>::from_tch(io[&format!("{photo}.pil")].shallow_clone()).unwrap();
        let ours = logits(&model, &preprocess(pil).unwrap());
        let scale = theirs.abs().max().double_value(&[]);
        let d = (ours.as_tch().get(0) - theirs)
            .abs()
            .max()
            .double_value(&[])
            / scale;
        println!("{photo}: logits differ from torchvision's by {d:.1e} (relative) on PIL's pixels");
        assert!(
            d < 1e-3,
            "{photo}: logits differ by {d} relative to their largest"
        );

        // The whole example: its own decoding (within 3 levels of PIL's), the same top classes.
        let cam = dir.join(format!("{photo}_cam.png"));
        let ranking = run(&Args {
            weights: weights.clone(),
            image: Some(images_dir().join(format!("{photo}.jpg"))),
            labels: None,
            top: 5,
            cam: cam.clone(),
        })
        .unwrap();
        let expected = rank(
            &typed_torch::Tensor::from_tch(theirs.unsqueeze(0)).unwrap(),
            &labels,
            5,
        );
        let classes = |r: &[crate::classify_image_example::Prediction]| {
            r.iter().map(|p| p.class).collect::<Vec<_>>()
        };
        assert_eq!(
            classes(&ranking),
            classes(&expected),
            "{photo}: top-5 differ"
        );
        let total: f64 = ranking.iter().map(|p| p.probability).sum();
        assert!(total > 0.0 && total <= 1.0);
        assert!(!ranking[0].label.is_empty() && !ranking[0].label.starts_with("class "));
        assert_eq!(vision::read_rgb(&cam).unwrap().size(), vec![3, 224, 224]);
    }
}

/// Weights of another model are refused, naming what does not fit.
#[test]
fn wrong_weights_are_errors() {
    let dir = std::env::temp_dir().join(format!("typed-torch-classify-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let other = dir.join("linear.safetensors");
    let t = tch::Tensor::zeros([10, 512], (tch::Kind::Float, tch::Device::Cpu));
    tch::Tensor::write_safetensors(&[("fc.weight", &t)], &other).unwrap();
    let err = load_model(&other).unwrap_err().to_string();
    assert!(
        err.contains("fc.weight") && err.contains("linear.safetensors"),
        "{err}"
    );
    let missing = load_model(&dir.join("none.safetensors"))
        .unwrap_err()
        .to_string();
    assert!(missing.contains("none.safetensors"), "{missing}");
    std::fs::remove_dir_all(&dir).unwrap();
}

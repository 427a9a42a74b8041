//! The `explain_mnist` example with a short run (2 epochs, 20 integration points): the LeNet
//! learns, the picture is written, and the attributions are faithful: blacking out the pixels
//! integrated gradients ranks highest lowers the explained score far more than blacking out as
//! many random pixels of the digit.
use crate::common::lock_generator;
use crate::explain_mnist_example::{run, Args, Digit};
use typed_torch::prelude::*;
use typed_torch::vision;

/// Pixels blacked out per digit.
const DELETED: usize = 20;

#[test]
fn explanations_are_faithful() {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("explain-mnist-{}", std::process::id()));
    let args = Args {
        data: None,
        checkpoint: None,
        epochs: 2,
        batch_size: 32,
        lr: 2e-3,
        steps: 20,
        seed: 0,
        out: out.clone(),
        verbose: false,
    };
    // Initial weights from the seed, with no other test drawing in between.
    let report = {
        let _alone = lock_generator();
        run(&args).unwrap()
    };
    let accuracy = report.confusion.accuracy();
    assert!(accuracy >= 0.93, "test accuracy {accuracy} after 2 epochs");
    let picture = vision::read_rgb(&report.picture).unwrap();
    assert_eq!(picture.size(), vec![3, 26 + 10 * 118, 4 * 118 + 6]);
    assert!(out.join("explain_mnist_confusion.png").exists());
    let svg = std::fs::read_to_string(out.join("explain_mnist_model.svg")).unwrap();
    for layer in [
        "Conv2d&lt;1, 6, 5, Padding&lt;2&gt;&gt;",
        "(D&lt;1&gt;, D&lt;10&gt;) f32",
        "total: 61706 parameters",
    ] {
        assert!(
            svg.contains(layer),
            "the model's picture lacks {layer}:\n{svg}"
        );
    }

    let black = (-0.1307f64 / 0.3081) as f32;
    let score = |x: &Digit, class: usize| {
        no_grad(|| report.model.forward(x.share())).to_vec()[class] as f64
    };
    let mut drop_ig = 0.0;
    let mut drop_random = 0.0;
    let mut rng = 12345u64;
    for e in &report.explanations {
        let pixels = e.input.to_vec();
        let ig = e.integrated_gradients.to_vec();
        let mut by_ig: Vec<usize> = (0..784).collect();
        by_ig.sort_by(|&a, &b| ig[b].total_cmp(&ig[a]));
        let ink: Vec<usize> = (0..784).filter(|&i| pixels[i] > 0.0).collect();
        let mut random = Vec::new();
        while random.len() < DELETED {
            // A small LCG: the choice only needs to be arbitrary and repeatable.
            rng = rng
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let i = ink[(rng >> 33) as usize % ink.len()];
            if !random.contains(&i) {
                random.push(i);
            }
        }
        let without = |drop: &[usize]| {
            let mut p = pixels.clone();
            for &i in drop {
                p[i] = black;
            }
            Digit::from_slice(&p).unwrap()
        };
        let before = score(&e.input, e.predicted);
        drop_ig += before - score(&without(&by_ig[..DELETED]), e.predicted);
        drop_random += before - score(&without(&random), e.predicted);
        // Completeness: the attributions add up to the change of score from black, up to the
        // quadrature's error on a piecewise-linear network.
        let change = before - score(&Digit::full(black), e.predicted);
        assert!(
            e.delta.abs() < 0.05 * change.abs(),
            "digit {}: gap {} for a change of {change}",
            e.label,
            e.delta
        );
        assert!(
            e.grad_cam.relu().sum_all().item() > 0.0,
            "digit {}: empty Grad-CAM",
            e.label
        );
    }

    // The checkpoint the run wrote explains the same way without training.
    let loaded = run(&Args {
        checkpoint: Some(out.join("explain_mnist.safetensors")),
        out: out.join("loaded"),
        ..args
    })
    .unwrap();
    assert_eq!(loaded.confusion.accuracy(), accuracy);
    for (a, b) in loaded.explanations.iter().zip(&report.explanations) {
        assert_eq!(
            a.saliency.to_vec(),
            b.saliency.to_vec(),
            "digit {}",
            a.label
        );
    }

    println!("score drop: {drop_ig:.2} blacking out the top integrated-gradient pixels, {drop_random:.2} random ink pixels");
    assert!(
        drop_ig > 2.0 * drop_random && drop_ig > 0.0,
        "top pixels {drop_ig}, random ink {drop_random}"
    );
}

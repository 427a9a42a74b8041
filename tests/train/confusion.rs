//! The confusion matrix and per-class scores against scikit-learn's `confusion_matrix` and
//! `precision_recall_fscore_support` (zero_division=0), on predictions that include a class never
//! predicted and a class absent from the labels.
use crate::common::python;
use typed_torch::train::ConfusionMatrix;
use typed_torch::{Dyn, Error, Tensor};

const CLASSES: usize = 5;

/// 40 fixed (prediction, label) pairs: class 3 is never predicted, class 4 never occurs.
fn pairs() -> (Vec<i64>, Vec<i64>) {
    let labels: Vec<i64> = (0..40).map(|i| (i * 7 % 11 % 4) as i64).collect();
    let predicted: Vec<i64> = labels
        .iter()
        .enumerate()
        .map(|(i, &t)| match i % 5 {
            0 => (t + 1) % 3,
            1 if t == 3 => 4,
            _ if t == 3 => 0,
            _ => t,
        })
        .collect();
    (predicted, labels)
}

fn sklearn(predicted: &[i64], labels: &[i64]) -> serde_json::Value {
    let script = r#"
import json, sys
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
p, t = json.loads(sys.argv[1]), json.loads(sys.argv[2])
k = list(range(int(sys.argv[3])))
m = confusion_matrix(t, p, labels=k)
pr, rc, f1, sup = precision_recall_fscore_support(t, p, labels=k, zero_division=0)
print(json.dumps({"matrix": m.tolist(), "precision": pr.tolist(), "recall": rc.tolist(),
                  "f1": f1.tolist(), "support": sup.tolist()}))
"#;
    let output = std::process::Command::new(python())
        .args(["-c", script])
        .arg(serde_json::to_string(predicted).unwrap())
        .arg(serde_json::to_string(labels).unwrap())
        .arg(CLASSES.to_string())
        .output()
        .unwrap_or_else(|e| panic!("could not run {}: {e}", python().display()));
    assert!(
        output.status.success(),
        "scikit-learn failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn counts_and_scores_match_scikit_learn() {
    let (predicted, labels) = pairs();
    // Fed as logits in two batches, as a test loop would.
    let mut confusion = ConfusionMatrix::new(CLASSES);
    for range in [0..25, 25..40] {
        let n = range.len();
        let mut logits = vec![0.0_f32; n * CLASSES];
        for (row, &p) in predicted[range.clone()].iter().enumerate() {
            logits[row * CLASSES + p as usize] = 1.0;
        }
        let logits = Tensor::<(Dyn, Dyn)>::from_slice_dyn(&logits, &[n, CLASSES]).unwrap();
        let batch = Tensor::<(Dyn,), i64>::from_slice_dyn(&labels[range], &[n]).unwrap();
        confusion.update(&logits, &batch).unwrap();
    }
    let reference = sklearn(&predicted, &labels);
    let rows: Vec<Vec<u64>> = confusion.rows().map(<[u64]>::to_vec).collect();
    let expected: Vec<Vec<u64>> = serde_json::from_value(reference["matrix"].clone()).unwrap();
    assert_eq!(rows, expected);
    for s in confusion.scores() {
        let at = |key: &str| reference[key][s.class].as_f64().unwrap();
        assert!((s.precision - at("precision")).abs() < 1e-12, "{s:?}");
        assert!((s.recall - at("recall")).abs() < 1e-12, "{s:?}");
        assert!((s.f1 - at("f1")).abs() < 1e-12, "{s:?}");
        assert_eq!(s.support, reference["support"][s.class].as_u64().unwrap());
    }
    // The cases that divide by zero are there: class 3 never predicted, class 4 absent.
    assert_eq!(confusion.precision(3), 0.0);
    assert_eq!(confusion.scores()[4].support, 0);
    let report = confusion.report(&["zero", "one", "two", "three"]);
    assert!(
        report.contains("three") && report.contains("macro avg"),
        "{report}"
    );
}

#[test]
fn bad_batches_are_errors_that_count_nothing() {
    let mut confusion = ConfusionMatrix::new(3);
    let err = confusion.update_indices(&[0, 1], &[0, 3]).unwrap_err();
    assert!(
        matches!(
            &err,
            Error::IndexOutOfRange {
                position: 1,
                value: 3,
                size: 3,
                ..
            }
        ),
        "{err:?}"
    );
    let logits = Tensor::<(Dyn, Dyn)>::zeros_dyn(&[2, 4]).unwrap();
    let labels = Tensor::<(Dyn,), i64>::zeros_dyn(&[2]).unwrap();
    assert!(confusion.update(&logits, &labels).is_err());
    assert_eq!(confusion.total(), 0);
}

#[test]
fn the_picture_is_a_png() {
    let (predicted, labels) = pairs();
    let mut confusion = ConfusionMatrix::new(CLASSES);
    confusion.update_indices(&predicted, &labels).unwrap();
    let path = std::env::temp_dir().join(format!("confusion-test-{}.png", std::process::id()));
    confusion.save_png(&path, &[], "test").unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        bytes.starts_with(b"\x89PNG") && bytes.len() > 2000,
        "{} bytes",
        bytes.len()
    );
    std::fs::remove_file(&path).unwrap();
}

//! The confusion matrix of a classifier's predictions, and per-class precision, recall and F1
//! (scikit-learn's `confusion_matrix` and `precision_recall_fscore_support`).
use crate::device::Device;
use crate::dims::Dim;
use crate::element::Float;
use crate::error::{Error, Result};
use crate::tensor::Tensor;

/// Counts of (true class, predicted class) pairs: row `t`, column `p` is how many samples of
/// class `t` were predicted as `p`. Fed batch by batch with [`update`](Self::update).
///
/// ```
/// use typed_torch::train::ConfusionMatrix;
/// use typed_torch::{Tensor, D};
/// let mut confusion = ConfusionMatrix::new(3);
/// let logits = Tensor::<(D<4>, D<3>)>::from_array([
///     [2.0, 0.0, 0.0], // predicted 0
///     [0.0, 2.0, 0.0], // predicted 1
///     [0.0, 2.0, 0.0], // predicted 1
///     [0.0, 0.0, 2.0], // predicted 2
/// ]);
/// let labels = Tensor::<(D<4>,), i64>::from_array([0, 1, 2, 2]);
/// confusion.update(&logits, &labels).unwrap();
/// assert_eq!(confusion.count(2, 1), 1); // one 2 taken for a 1
/// assert_eq!(confusion.recall(2), 0.5);
/// assert_eq!(confusion.precision(1), 0.5);
/// assert_eq!(confusion.accuracy(), 0.75);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfusionMatrix {
    classes: usize,
    /// Row-major `classes x classes` counts.
    counts: Vec<u64>,
}

/// Precision, recall, F1 and support of one class.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassScores {
    /// The class index.
    pub class: usize,
    /// Of the samples predicted as this class, the fraction that are (0 when none is).
    pub precision: f64,
    /// Of the samples of this class, the fraction predicted as it (0 when there are none).
    pub recall: f64,
    /// The harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
    /// Samples of this class.
    pub support: u64,
}

impl ConfusionMatrix {
    /// An empty matrix for `classes` classes.
    pub fn new(classes: usize) -> Self {
        ConfusionMatrix {
            classes,
            counts: vec![0; classes * classes],
        }
    }

    /// Adds a batch: each row of `logits` is predicted as its arg-max and counted against its
    /// label. A label outside `0..classes`, or logits of another width, is an error and counts
    /// nothing.
    pub fn update<B: Dim, C: Dim, E: Float, Dev: Device>(
        &mut self,
        logits: &Tensor<(B, C), E, Dev>,
        labels: &Tensor<(B,), i64, Dev>,
    ) -> Result<()> {
        let width = logits.size()[1];
        if width != self.classes {
            return Err(Error::Invalid(format!(
                "a confusion matrix of {} classes cannot count logits of {width} classes",
                self.classes
            )));
        }
        let predicted = logits.as_tch().argmax(1, false).to_device(tch::Device::Cpu);
        self.update_indices(&Vec::<i64>::try_from(&predicted)?, &labels.to_vec())
    }

    /// Adds predicted and true class indices, pairwise.
    pub fn update_indices(&mut self, predicted: &[i64], labels: &[i64]) -> Result<()> {
        if predicted.len() != labels.len() {
            return Err(Error::Invalid(format!(
                "{} predictions for {} labels",
                predicted.len(),
                labels.len()
            )));
        }
        let n = self.classes as i64;
        for (what, values) in [("label", labels), ("prediction", predicted)] {
            if let Some((position, &value)) = values
                .iter()
                .enumerate()
                .find(|(_, &v)| !(0..n).contains(&v))
            {
                return Err(Error::IndexOutOfRange {
                    what: format!("confusion matrix {what}"),
                    position,
                    value,
                    size: self.classes,
                });
            }
        }
        for (&p, &t) in predicted.iter().zip(labels) {
            self.counts[t as usize * self.classes + p as usize] += 1;
        }
        Ok(())
    }

    /// The number of classes.
    pub fn classes(&self) -> usize {
        self.classes
    }

    /// Samples of class `truth` predicted as `predicted`.
    pub fn count(&self, truth: usize, predicted: usize) -> u64 {
        self.counts[truth * self.classes + predicted]
    }

    /// Row `t` holds the samples of class `t`; column `p` those predicted as `p`.
    pub fn rows(&self) -> impl Iterator<Item = &[u64]> {
        self.counts.chunks(self.classes.max(1))
    }

    /// All samples counted.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The fraction predicted correctly (0 for no samples).
    pub fn accuracy(&self) -> f64 {
        let hits: u64 = (0..self.classes).map(|c| self.count(c, c)).sum();
        ratio(hits, self.total())
    }

    /// Of the samples predicted as `class`, the fraction that are of it (0 when none is, as
    /// scikit-learn's `zero_division=0`).
    pub fn precision(&self, class: usize) -> f64 {
        let predicted: u64 = (0..self.classes).map(|t| self.count(t, class)).sum();
        ratio(self.count(class, class), predicted)
    }

    /// Of the samples of `class`, the fraction predicted as it (0 when there are none).
    pub fn recall(&self, class: usize) -> f64 {
        let support: u64 = (0..self.classes).map(|p| self.count(class, p)).sum();
        ratio(self.count(class, class), support)
    }

    /// Precision, recall, F1 and support of every class.
    pub fn scores(&self) -> Vec<ClassScores> {
        (0..self.classes)
            .map(|class| {
                let (precision, recall) = (self.precision(class), self.recall(class));
                let f1 = if precision + recall > 0.0 {
                    2.0 * precision * recall / (precision + recall)
                } else {
                    0.0
                };
                ClassScores {
                    class,
                    precision,
                    recall,
                    f1,
                    support: (0..self.classes).map(|p| self.count(class, p)).sum(),
                }
            })
            .collect()
    }

    /// The per-class table as text (class names default to the indices), with macro averages
    /// and the accuracy, as scikit-learn's `classification_report`.
    pub fn report(&self, class_names: &[&str]) -> String {
        let name = |c: usize| {
            class_names
                .get(c)
                .map_or_else(|| c.to_string(), |s| s.to_string())
        };
        let width = (0..self.classes)
            .map(|c| name(c).len())
            .chain([9])
            .max()
            .unwrap_or(9);
        let mut out = format!("{:>width$}  precision  recall     f1  support\n", "class");
        let scores = self.scores();
        for s in &scores {
            out += &format!(
                "{:>width$}  {:>9.4}  {:>6.4}  {:>5.4}  {:>7}\n",
                name(s.class),
                s.precision,
                s.recall,
                s.f1,
                s.support
            );
        }
        let k = scores.len().max(1) as f64;
        let mean = |f: fn(&ClassScores) -> f64| scores.iter().map(f).sum::<f64>() / k;
        out += &format!(
            "{:>width$}  {:>9.4}  {:>6.4}  {:>5.4}  {:>7}\n",
            "macro avg",
            mean(|s| s.precision),
            mean(|s| s.recall),
            mean(|s| s.f1),
            self.total()
        );
        out += &format!(
            "{:>width$}  {:>9}  {:>6}  {:>5.4}  {:>7}\n",
            "accuracy",
            "",
            "",
            self.accuracy(),
            self.total()
        );
        out
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

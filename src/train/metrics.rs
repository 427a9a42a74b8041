//! Running loss and accuracy over the batches of one phase, with a progress bar (the `progress`
//! feature).
use std::time::Instant;

#[cfg(feature = "progress")]
use indicatif::{ProgressBar, ProgressStyle};

use crate::device::Device;
use crate::dims::Dim;
use crate::element::Float;
use crate::tensor::Tensor;

/// How many of a batch's predictions (the arg-max of each row of `logits`) equal `labels`.
///
/// ```
/// use typed_torch::{train::correct, Tensor, D};
/// let logits = Tensor::<(D<3>, D<2>)>::from_array([[0.1, 0.9], [2.0, 1.0], [0.0, 1.0]]);
/// let labels = Tensor::<(D<3>,), i64>::from_array([1, 1, 1]);
/// assert_eq!(correct(&logits, &labels), 2);
/// ```
pub fn correct<B: Dim, C: Dim, E: Float, Dev: Device>(
    logits: &Tensor<(B, C), E, Dev>,
    labels: &Tensor<(B,), i64, Dev>,
) -> usize {
    let hits = logits.as_tch().argmax(1, false).eq_tensor(labels.as_tch());
    hits.sum(tch::Kind::Int64).int64_value(&[]) as usize
}

/// Mean loss and accuracy of one phase (e.g. the training pass of one epoch).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct EpochMetrics {
    /// Mean loss per sample.
    pub loss: f64,
    /// Fraction of samples predicted correctly, in `[0, 1]`.
    pub accuracy: f64,
    /// Samples seen.
    pub samples: usize,
    /// Wall time of the phase.
    pub seconds: f64,
}

/// Accumulates per-batch loss and accuracy and shows them live on a progress bar.
///
/// The bar draws only on a terminal (indicatif hides it otherwise), so logs stay clean; the
/// summary line printed by [`Run::end_epoch`](super::Run::end_epoch) appears either way.
///
/// The bar needs the `progress` cargo feature (on by default). Without it the meter has the same
/// API and results, and draws nothing.
#[derive(Debug)]
pub struct PhaseMeter {
    #[cfg(feature = "progress")]
    bar: ProgressBar,
    loss_sum: f64,
    correct: usize,
    samples: usize,
    started: Instant,
    /// The loss's name in the bar, and whether the bar shows accuracy.
    loss_label: &'static str,
    accuracy: bool,
}

impl PhaseMeter {
    /// A meter for `batches` batches, labelled like `epoch 3 train`.
    pub fn new(label: String, batches: usize) -> Self {
        #[cfg(feature = "progress")]
        let bar = {
            let bar = ProgressBar::new(batches as u64);
            bar.set_style(
                ProgressStyle::with_template(
                    "{prefix:>16} [{bar:30.cyan/blue}] {pos}/{len} {msg} ({elapsed}, eta {eta})",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            bar.set_prefix(label);
            bar
        };
        #[cfg(not(feature = "progress"))]
        let _ = (label, batches);
        PhaseMeter {
            #[cfg(feature = "progress")]
            bar,
            loss_sum: 0.0,
            correct: 0,
            samples: 0,
            started: Instant::now(),
            loss_label: "loss",
            accuracy: true,
        }
    }

    /// The bar shows the loss under `label` and no accuracy.
    pub fn loss_only(mut self, label: &'static str) -> Self {
        self.loss_label = label;
        self.accuracy = false;
        self
    }

    /// Records one batch: its mean loss, how many predictions were right, and its size.
    pub fn update(&mut self, mean_loss: f64, correct: usize, count: usize) {
        self.loss_sum += mean_loss * count as f64;
        self.correct += correct;
        self.samples += count;
        #[cfg(feature = "progress")]
        {
            let m = self.metrics();
            let message = if self.accuracy {
                format!(
                    "{} {:.4} acc {:.2}%",
                    self.loss_label,
                    m.loss,
                    100.0 * m.accuracy
                )
            } else {
                format!("{} {:.4}", self.loss_label, m.loss)
            };
            self.bar.set_message(message);
            self.bar.inc(1);
        }
    }

    /// The metrics so far.
    pub fn metrics(&self) -> EpochMetrics {
        let n = self.samples.max(1) as f64;
        EpochMetrics {
            loss: self.loss_sum / n,
            accuracy: self.correct as f64 / n,
            samples: self.samples,
            seconds: self.started.elapsed().as_secs_f64(),
        }
    }

    /// Closes the bar and returns the phase's metrics.
    pub fn finish(self) -> EpochMetrics {
        let m = self.metrics();
        #[cfg(feature = "progress")]
        self.bar.finish_and_clear();
        m
    }
}

//! A small training-loop helper: you write the loop, it keeps score.
//!
//! [`Run`] gives each phase (train or eval) of each epoch a progress bar with live loss and
//! accuracy ([`PhaseMeter`]), and at the end of an epoch prints a summary line, records the
//! [`History`], redraws the loss and accuracy curves (PNG and SVG) and writes a checkpoint
//! atomically ([`save_checkpoint`]).
//!
//! [`ClassifierTrainer`] runs the whole classification loop on top of it, and after every test
//! pass keeps a [`ConfusionMatrix`] (per-class precision, recall and F1, as scikit-learn's
//! `classification_report`), drawn to `<name>_confusion.png` and printed at the end.
//!
//! Two parts depend on cargo features, both on by default: the curves (`plot`: `plot_history`,
//! and [`Run::end_epoch`] drawing them) and the live progress bar (`progress`). Without them the
//! same code compiles and keeps score: [`PhaseMeter`] still accumulates loss and accuracy, and a
//! run still prints its summary lines and writes its CSV history and checkpoint.
//!
//! ```no_run
//! # use typed_torch::train::{Run, RunOptions};
//! # fn batches() -> Vec<(f64, usize, usize)> { vec![] }
//! let mut run = Run::new("mnist", RunOptions::default())?;
//! # use typed_torch::nn::Init;
//! # let model = typed_torch::nn::Linear::<2, 2>::init()?;
//! for epoch in 1..=3 {
//!     let mut train = run.phase("train", epoch, 100);
//!     for (loss, correct, count) in batches() {
//!         train.update(loss, correct, count);
//!     }
//!     let train = train.finish();
//!     let test = run.phase("test", epoch, 10).finish();
//!     run.end_epoch(epoch, train, test, &model)?;
//! }
//! # Ok::<(), typed_torch::Error>(())
//! ```
mod checkpoint;
mod classifier;
mod confusion;
#[cfg(feature = "plot")]
mod confusion_plot;
#[cfg(feature = "plot")]
mod embedding_plot;
mod history;
#[cfg(feature = "plot")]
mod image_grid;
mod metrics;
#[cfg(feature = "plot")]
mod plot;
mod run;

pub use checkpoint::{load_checkpoint, save_checkpoint};
pub use classifier::{ClassBatch, ClassifierTrainer};
pub use confusion::{ClassScores, ConfusionMatrix};
#[cfg(feature = "plot")]
pub use embedding_plot::{plot_embedding_frames, EmbeddingFrame, EmbeddingStyle};
pub use history::{EpochRecord, History};
#[cfg(feature = "plot")]
pub use image_grid::save_image_grid;
pub use metrics::{correct, EpochMetrics, PhaseMeter};
#[cfg(feature = "plot")]
pub use plot::{font_available, plot_history};
pub use run::{Run, RunOptions};

//! Bookkeeping of a training run: phases, history, curves, checkpoints, summary lines.
use std::path::{Path, PathBuf};
use std::time::Instant;

#[cfg(feature = "plot")]
use super::plot::{plot_curves, Curves};
use super::{save_checkpoint, EpochMetrics, EpochRecord, History, PhaseMeter};
use crate::error::{Error, Result};
use crate::nn::Params;

/// Where a run writes its files and whether it prints.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Directory for `<name>.safetensors`, `<name>.png`, `<name>.svg` and `<name>.csv`; created
    /// if missing.
    pub out_dir: PathBuf,
    /// Print a summary line per epoch.
    pub verbose: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            out_dir: PathBuf::from("runs"),
            verbose: true,
        }
    }
}

/// One training run's bookkeeping. See the [module docs](super) for the loop it fits into.
#[derive(Debug)]
pub struct Run {
    name: String,
    options: RunOptions,
    history: History,
    started: Instant,
    /// What the loss is called in summaries, bars and curves.
    loss_label: &'static str,
    /// Whether the run reports accuracy (a classifier's does; a VAE's does not).
    accuracy: bool,
}

impl Run {
    /// A run called `name` (the stem of its files); creates the output directory.
    pub fn new(name: &str, options: RunOptions) -> Result<Self> {
        std::fs::create_dir_all(&options.out_dir).map_err(|source| Error::Io {
            path: options.out_dir.clone(),
            source,
        })?;
        Ok(Run {
            name: name.to_string(),
            options,
            history: History::default(),
            started: Instant::now(),
            loss_label: "loss",
            accuracy: true,
        })
    }

    /// The run reports its loss under `label` and no accuracy: in the progress bars, the summary
    /// lines and the curves (for models that do not classify, such as a VAE whose loss is the
    /// negative ELBO).
    ///
    /// ```no_run
    /// use typed_torch::train::{Run, RunOptions};
    /// let run = Run::new("vae", RunOptions::default())?.loss_only("-ELBO (nats)");
    /// # Ok::<(), typed_torch::Error>(())
    /// ```
    pub fn loss_only(mut self, label: &'static str) -> Self {
        self.loss_label = label;
        self.accuracy = false;
        self
    }

    /// A meter with a progress bar for one phase (`"train"`, `"test"`...) of `batches` batches.
    pub fn phase(&self, phase: &str, epoch: usize, batches: usize) -> PhaseMeter {
        let meter = PhaseMeter::new(format!("epoch {epoch} {phase}"), batches);
        if self.accuracy {
            meter
        } else {
            meter.loss_only(self.loss_label)
        }
    }

    /// Records the epoch, prints its summary, redraws the curves (with the `plot` feature, on by
    /// default; without it no curves are written), writes the history as CSV and saves `model`
    /// as the run's checkpoint (atomically: the previous epoch's stays intact until the new one
    /// is complete).
    ///
    /// Errors are [`typed_torch::Error`](crate::Error)s: a failed checkpoint save arrives
    /// converted from its [`CheckpointError`](crate::checkpoint::CheckpointError), with the same
    /// message (the file and the I/O or libtorch failure).
    pub fn end_epoch<M: Params>(
        &mut self,
        epoch: usize,
        train: EpochMetrics,
        test: EpochMetrics,
        model: &M,
    ) -> Result<()> {
        self.history.push(EpochRecord { epoch, train, test });
        if self.options.verbose && !self.accuracy {
            let label = self.loss_label;
            println!(
                "epoch {epoch:>3}: train {label} {:.4} | test {label} {:.4} | {:.1}s",
                train.loss,
                test.loss,
                train.seconds + test.seconds
            );
        } else if self.options.verbose {
            println!(
                "epoch {epoch:>3}: train loss {:.4} acc {:6.2}% | test loss {:.4} acc {:6.2}% | {:.1}s",
                train.loss,
                100.0 * train.accuracy,
                test.loss,
                100.0 * test.accuracy,
                train.seconds + test.seconds
            );
        }
        #[cfg(feature = "plot")]
        {
            let curves = Curves {
                loss: self.loss_label,
                accuracy: self.accuracy,
            };
            plot_curves(&self.history, &self.path("png"), &self.name, &curves)?;
        }
        self.history.write_csv(&self.path("csv"))?;
        save_checkpoint(model, &self.checkpoint_path())?;
        Ok(())
    }

    /// The run's name, the stem of its files.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the run prints (see [`RunOptions::verbose`]).
    pub fn verbose(&self) -> bool {
        self.options.verbose
    }

    /// The epochs recorded so far.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// Where the checkpoint goes: `<out_dir>/<name>.safetensors`.
    pub fn checkpoint_path(&self) -> PathBuf {
        self.path("safetensors")
    }

    /// Where the curves go: `<out_dir>/<name>.png` and `.svg` (written only with the `plot`
    /// feature).
    pub fn plot_paths(&self) -> (PathBuf, PathBuf) {
        (self.path("png"), self.path("svg"))
    }

    /// The output directory.
    pub fn out_dir(&self) -> &Path {
        &self.options.out_dir
    }

    /// Seconds since the run was created.
    pub fn elapsed_seconds(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    fn path(&self, extension: &str) -> PathBuf {
        self.options
            .out_dir
            .join(format!("{}.{extension}", self.name))
    }
}

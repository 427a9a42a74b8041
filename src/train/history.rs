//! Per-epoch metrics of a run, kept for curves and for a CSV record.
use std::path::Path;

use super::EpochMetrics;
use crate::error::{Error, Result};

/// One epoch's training and evaluation metrics.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochRecord {
    /// Epoch number, from 1.
    pub epoch: usize,
    /// Training phase.
    pub train: EpochMetrics,
    /// Evaluation phase.
    pub test: EpochMetrics,
}

/// Every epoch's metrics, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// The epochs so far.
    pub epochs: Vec<EpochRecord>,
}

impl History {
    /// Appends an epoch.
    pub fn push(&mut self, record: EpochRecord) {
        self.epochs.push(record);
    }

    /// The last epoch's record.
    pub fn last(&self) -> Option<&EpochRecord> {
        self.epochs.last()
    }

    /// The history as CSV: `epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds`.
    pub fn to_csv(&self) -> String {
        let mut out =
            String::from("epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds\n");
        for r in &self.epochs {
            out += &format!(
                "{},{},{},{},{},{:.3}\n",
                r.epoch,
                r.train.loss,
                r.train.accuracy,
                r.test.loss,
                r.test.accuracy,
                r.train.seconds + r.test.seconds
            );
        }
        out
    }

    /// Writes [`to_csv`](Self::to_csv) to `path` atomically.
    pub fn write_csv(&self, path: &Path) -> Result<()> {
        crate::checkpoint::write_atomically(path, |file| {
            use std::io::Write;
            file.write_all(self.to_csv().as_bytes())
                .map_err(|source| Error::Io {
                    path: path.to_path_buf(),
                    source,
                })
        })
    }
}

//! Optimizers, learning-rate schedules and gradient clipping.
//!
//! Optimizers keep every trainable parameter of a model in one flat buffer (each parameter
//! becomes a view into it, and so does its gradient), so a step is a few large in-place ops rather
//! than several small ops per parameter.

/// Anything whose per-group learning rates a schedule can read and set: every optimizer here.
///
/// Group 0 is the default group; further groups come from per-group options given when the
/// optimizer was created.
pub trait LearningRates {
    /// Number of parameter groups.
    fn group_count(&self) -> usize;
    /// Learning rate of group `group` (panics if out of range, like slice indexing).
    fn lr(&self, group: usize) -> f64;
    /// Sets the learning rate of group `group`.
    fn set_lr(&mut self, group: usize, lr: f64);
}

mod clip;
mod schedule;

pub use clip::{clip_grad_norm, clip_grad_value};
pub use schedule::{
    Anneal, CosineAnnealingLR, ExponentialLR, LinearLR, LrScheduler, MultiStepLR, OneCycleLR,
    Schedule, SequentialLR, StepLR,
};

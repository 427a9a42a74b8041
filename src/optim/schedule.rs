//! Learning-rate schedules with the semantics of `torch.optim.lr_scheduler`; the overview is on
//! the re-exported `Schedule` and `LrScheduler`, since this module is private.
use super::LearningRates;
use crate::error::{Error, Result};
use std::f64::consts::PI;

/// A learning-rate schedule: the rate of a parameter group at a step, from the group's base rate.
///
/// Step 0 is the rate before any optimizer step (what PyTorch's scheduler sets when it is created);
/// step `t` is the rate after `t` calls of `scheduler.step()`.
///
/// PyTorch's schedulers mostly update the current rate recursively (`lr *= gamma`); here each rate
/// is computed from the base rate directly, in closed forms that agree with PyTorch's recursion to
/// rounding (at most a few `1e-15` relative over 1,600 steps in the tests). Where PyTorch's
/// recursion is not a plain closed form (cosine annealing restarts it after each minimum), the
/// closed form follows the recursion's structure.
pub trait Schedule {
    /// The learning rate of group `group`, whose base rate is `base_lr`, at step `step`.
    ///
    /// Only called for steps where [`is_defined_at`](Schedule::is_defined_at) holds, after
    /// [`validate`](Schedule::validate) accepted the hyper-parameters.
    fn lr(&self, group: usize, base_lr: f64, step: usize) -> f64;

    /// Checks the hyper-parameters for an optimizer with `groups` parameter groups.
    fn validate(&self, _groups: usize) -> Result<()> {
        Ok(())
    }

    /// Whether the schedule has a rate at `step`; schedules with a fixed length
    /// ([`OneCycleLR`]) end, as PyTorch's raise an error when stepped past their end.
    fn is_defined_at(&self, _step: usize) -> bool {
        true
    }

    /// The momentum of group `group` at `step` (see [`LearningRates::momentum`]), for schedules
    /// that move it ([`OneCycleLR`] with `cycle_momentum`); `None` leaves it alone.
    fn momentum(&self, _group: usize, _step: usize) -> Option<f64> {
        None
    }

    /// Whether the schedule sets momenta at some step, so the optimizer must have one.
    fn cycles_momentum(&self) -> bool {
        false
    }
}

impl<S: Schedule + ?Sized> Schedule for Box<S> {
    fn lr(&self, group: usize, base_lr: f64, step: usize) -> f64 {
        (**self).lr(group, base_lr, step)
    }
    fn validate(&self, groups: usize) -> Result<()> {
        (**self).validate(groups)
    }
    fn is_defined_at(&self, step: usize) -> bool {
        (**self).is_defined_at(step)
    }
    fn momentum(&self, group: usize, step: usize) -> Option<f64> {
        (**self).momentum(group, step)
    }
    fn cycles_momentum(&self) -> bool {
        (**self).cycles_momentum()
    }
}

impl<S: Schedule + ?Sized> Schedule for &S {
    fn lr(&self, group: usize, base_lr: f64, step: usize) -> f64 {
        (**self).lr(group, base_lr, step)
    }
    fn validate(&self, groups: usize) -> Result<()> {
        (**self).validate(groups)
    }
    fn is_defined_at(&self, step: usize) -> bool {
        (**self).is_defined_at(step)
    }
    fn momentum(&self, group: usize, step: usize) -> Option<f64> {
        (**self).momentum(group, step)
    }
    fn cycles_momentum(&self) -> bool {
        (**self).cycles_momentum()
    }
}

fn invalid<T>(message: String) -> Result<T> {
    Err(Error::Invalid(message))
}

fn check_finite(what: &str, name: &str, value: f64) -> Result<()> {
    if value.is_finite() {
        Ok(())
    } else {
        invalid(format!("{what}: {name} must be finite, got {value}"))
    }
}

/// Multiplies the rate by `gamma` every `step_size` steps, like `torch.optim.lr_scheduler.StepLR`:
/// `base_lr * gamma^(t / step_size)`.
#[derive(Debug, Clone, PartialEq)]
pub struct StepLR {
    /// Steps between decays (at least 1).
    pub step_size: usize,
    /// Decay factor (PyTorch's default 0.1).
    pub gamma: f64,
}

impl StepLR {
    /// Decay by PyTorch's default `gamma` 0.1 every `step_size` steps.
    pub fn new(step_size: usize) -> Self {
        StepLR {
            step_size,
            gamma: 0.1,
        }
    }
}

impl Schedule for StepLR {
    fn lr(&self, _group: usize, base_lr: f64, step: usize) -> f64 {
        // `powf`, like Python's `gamma ** k`, calls the C library's `pow`.
        base_lr * self.gamma.powf((step / self.step_size) as f64)
    }
    fn validate(&self, _groups: usize) -> Result<()> {
        if self.step_size == 0 {
            return invalid("StepLR: step_size must be at least 1".into());
        }
        check_finite("StepLR", "gamma", self.gamma)
    }
}

/// Multiplies the rate by `gamma` at each milestone, like
/// `torch.optim.lr_scheduler.MultiStepLR`: `base_lr * gamma^(number of milestones <= t)`.
///
/// As in PyTorch the milestones need not be sorted, and a milestone listed twice decays twice.
#[derive(Debug, Clone, PartialEq)]
pub struct MultiStepLR {
    /// Steps at which the rate decays.
    pub milestones: Vec<usize>,
    /// Decay factor (PyTorch's default 0.1).
    pub gamma: f64,
}

impl MultiStepLR {
    /// Decay by PyTorch's default `gamma` 0.1 at each of `milestones`.
    pub fn new(milestones: impl Into<Vec<usize>>) -> Self {
        MultiStepLR {
            milestones: milestones.into(),
            gamma: 0.1,
        }
    }
}

impl Schedule for MultiStepLR {
    fn lr(&self, _group: usize, base_lr: f64, step: usize) -> f64 {
        let passed = self.milestones.iter().filter(|&&m| m <= step).count();
        base_lr * self.gamma.powf(passed as f64)
    }
    fn validate(&self, _groups: usize) -> Result<()> {
        check_finite("MultiStepLR", "gamma", self.gamma)
    }
}

/// Multiplies the rate by `gamma` every step, like `torch.optim.lr_scheduler.ExponentialLR`:
/// `base_lr * gamma^t`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExponentialLR {
    /// Decay factor per step (PyTorch has no default).
    pub gamma: f64,
}

impl ExponentialLR {
    /// Decay by `gamma` every step.
    pub fn new(gamma: f64) -> Self {
        ExponentialLR { gamma }
    }
}

impl Schedule for ExponentialLR {
    fn lr(&self, _group: usize, base_lr: f64, step: usize) -> f64 {
        base_lr * self.gamma.powf(step as f64)
    }
    fn validate(&self, _groups: usize) -> Result<()> {
        check_finite("ExponentialLR", "gamma", self.gamma)
    }
}

/// Cosine annealing from the base rate to `eta_min` over `t_max` steps, like
/// `torch.optim.lr_scheduler.CosineAnnealingLR`:
/// `eta_min + (base_lr - eta_min) * (1 + cos(pi * t / t_max)) / 2` for `t <= t_max`.
///
/// Past `t_max` the rate rises again (a cosine of period `2 * t_max`, without restarts), following
/// PyTorch's recursive update: right after each minimum PyTorch restarts its recursion from
/// `eta_min + (base_lr - eta_min) * (1 - cos(pi / t_max)) / 2` rather than the closed form's
/// `1 + cos(pi * t / t_max)`, and the value after the minimum is computed the same way here, so
/// the rounding near the minima is PyTorch's too.
#[derive(Debug, Clone, PartialEq)]
pub struct CosineAnnealingLR {
    /// Steps from the base rate to the minimum (at least 1).
    pub t_max: usize,
    /// The minimum rate (PyTorch's default 0).
    pub eta_min: f64,
}

impl CosineAnnealingLR {
    /// Anneal to 0 over `t_max` steps.
    pub fn new(t_max: usize) -> Self {
        CosineAnnealingLR {
            t_max,
            eta_min: 0.0,
        }
    }
}

impl Schedule for CosineAnnealingLR {
    fn lr(&self, _group: usize, base_lr: f64, step: usize) -> f64 {
        if step == 0 {
            // PyTorch's initial step leaves the base rate exactly as it is.
            return base_lr;
        }
        let (t_max, eta) = (self.t_max as f64, self.eta_min);
        // `1 + cos(pi * t / t_max)`, evaluated in PyTorch's order of operations.
        let rise = |t: usize| 1.0 + (PI * t as f64 / t_max).cos();
        // PyTorch replaces its recursion by an additive restart at the steps
        // `t_max + 1 + 2k t_max`, right after each minimum; between restarts the recursion
        // `lr_t = eta + (lr_{t-1} - eta) * rise(t) / rise(t - 1)` telescopes to the ratio below.
        if step <= self.t_max {
            return eta + (base_lr - eta) * rise(step) / 2.0;
        }
        let period = 2 * self.t_max;
        let restart = self.t_max + 1 + (step - self.t_max - 1) / period * period;
        // The step before a restart is an odd multiple of t_max, where `rise` is exactly 0 (cos
        // rounds to -1 there), so PyTorch's rate there is exactly eta_min.
        let at_restart = eta + (base_lr - eta) * (1.0 - (PI / t_max).cos()) / 2.0;
        if step == restart {
            at_restart
        } else {
            eta + (at_restart - eta) * rise(step) / rise(restart)
        }
    }
    fn validate(&self, _groups: usize) -> Result<()> {
        if self.t_max == 0 {
            return invalid("CosineAnnealingLR: t_max must be at least 1".into());
        }
        check_finite("CosineAnnealingLR", "eta_min", self.eta_min)
    }
}

/// Scales the base rate by a factor moving linearly from `start_factor` to `end_factor` over
/// `total_iters` steps, then constant, like `torch.optim.lr_scheduler.LinearLR`; the usual linear
/// warm-up (chain it with another schedule through [`SequentialLR::warmup`]).
///
/// `base_lr * (start_factor + (end_factor - start_factor) * min(t, total_iters) / total_iters)`.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearLR {
    /// Factor at step 0, in `(0, 1]` (PyTorch's default 1/3).
    pub start_factor: f64,
    /// Factor from step `total_iters` on, in `[0, 1]` (default 1).
    pub end_factor: f64,
    /// Steps of the linear ramp, at least 1 (default 5).
    pub total_iters: usize,
}

impl Default for LinearLR {
    fn default() -> Self {
        LinearLR {
            start_factor: 1.0 / 3.0,
            end_factor: 1.0,
            total_iters: 5,
        }
    }
}

impl LinearLR {
    /// A warm-up from `start_factor` times the base rate to the base rate over `total_iters` steps.
    pub fn warmup(start_factor: f64, total_iters: usize) -> Self {
        LinearLR {
            start_factor,
            end_factor: 1.0,
            total_iters,
        }
    }
}

impl Schedule for LinearLR {
    fn lr(&self, _group: usize, base_lr: f64, step: usize) -> f64 {
        let done = step.min(self.total_iters) as f64;
        base_lr
            * (self.start_factor
                + (self.end_factor - self.start_factor) * done / self.total_iters as f64)
    }
    fn validate(&self, _groups: usize) -> Result<()> {
        // PyTorch's own checks; the factors' NaN fails them too.
        if !(self.start_factor > 0.0 && self.start_factor <= 1.0) {
            return invalid(format!(
                "LinearLR: start_factor must be in (0, 1], got {}",
                self.start_factor
            ));
        }
        if !(self.end_factor >= 0.0 && self.end_factor <= 1.0) {
            return invalid(format!(
                "LinearLR: end_factor must be in [0, 1], got {}",
                self.end_factor
            ));
        }
        if self.total_iters == 0 {
            // PyTorch divides by total_iters in its closed form.
            return invalid("LinearLR: total_iters must be at least 1".into());
        }
        Ok(())
    }
}

/// How [`OneCycleLR`] moves between its rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Anneal {
    /// Half a cosine (PyTorch's `anneal_strategy="cos"`, the default).
    #[default]
    Cos,
    /// A straight line (`anneal_strategy="linear"`).
    Linear,
}

impl Anneal {
    /// From `start` (`pct` 0) to `end` (`pct` 1), with PyTorch's formulas and operation order.
    fn apply(self, start: f64, end: f64, pct: f64) -> f64 {
        match self {
            Anneal::Cos => end + (start - end) / 2.0 * ((PI * pct).cos() + 1.0),
            Anneal::Linear => (end - start) * pct + start,
        }
    }
}

/// The 1cycle policy, like `torch.optim.lr_scheduler.OneCycleLR`: the rate rises from
/// `max_lr / div_factor` to `max_lr` over the first `pct_start` of `total_steps`, then falls to
/// `max_lr / div_factor / final_div_factor` (with `three_phase`, it first falls back to the initial
/// rate symmetrically, then to the minimum).
///
/// Like PyTorch, this schedule ignores the optimizer's base rates: each group's rates come from its
/// `max_lr`. By default (`cycle_momentum`, as in PyTorch) the momentum (SGD's and RMSprop's
/// `momentum`, Adam's `beta1`) moves inversely to the rate, from `max_momentum` down to
/// `base_momentum` at the peak and back; the optimizer must then have a momentum (SGD and RMSprop
/// made with momentum 0 keep no momentum buffer and are refused, where PyTorch would turn one on).
/// Stepping past `total_steps` is an error, as in PyTorch.
///
/// Inside a [`SequentialLR`] each part sees the optimizer's base rates; PyTorch's `OneCycleLR`
/// instead overwrites the groups' `initial_lr`, which changes the base of the other parts there.
#[derive(Debug, Clone, PartialEq)]
pub struct OneCycleLR {
    /// The peak rate: one value for every group, or one per group.
    pub max_lr: Vec<f64>,
    /// Length of the cycle in steps (at least 1); the schedule ends at step `total_steps`.
    pub total_steps: usize,
    /// Fraction of the cycle spent raising the rate, in `[0, 1]` (default 0.3).
    pub pct_start: f64,
    /// Cosine or linear annealing (default cosine).
    pub anneal_strategy: Anneal,
    /// Initial rate = `max_lr / div_factor` (default 25).
    pub div_factor: f64,
    /// Minimum rate = initial rate / `final_div_factor` (default 1e4).
    pub final_div_factor: f64,
    /// Three phases (up, back down to the initial rate, down to the minimum) instead of two.
    pub three_phase: bool,
    /// Move the momentum inversely to the rate (default true).
    pub cycle_momentum: bool,
    /// Momentum at the peak rate (default 0.85).
    pub base_momentum: f64,
    /// Momentum at the initial and final rates (default 0.95).
    pub max_momentum: f64,
}

impl OneCycleLR {
    /// A cycle peaking at `max_lr` for every group over `total_steps` steps, with PyTorch's
    /// defaults for the rest; set `max_lr` to a vector for per-group peaks.
    pub fn new(max_lr: f64, total_steps: usize) -> Self {
        OneCycleLR {
            max_lr: vec![max_lr],
            total_steps,
            pct_start: 0.3,
            anneal_strategy: Anneal::Cos,
            div_factor: 25.0,
            final_div_factor: 1e4,
            three_phase: false,
            cycle_momentum: true,
            base_momentum: 0.85,
            max_momentum: 0.95,
        }
    }

    /// PyTorch's phases: (last step of the phase, its start rate, its end rate), where the rates
    /// are 0 = initial, 1 = max, 2 = min.
    fn phases(&self) -> Vec<(f64, usize, usize)> {
        let (total, pct) = (self.total_steps as f64, self.pct_start);
        if self.three_phase {
            vec![
                (pct * total - 1.0, 0, 1),
                (2.0 * pct * total - 2.0, 1, 0),
                (total - 1.0, 0, 2),
            ]
        } else {
            vec![(pct * total - 1.0, 0, 1), (total - 1.0, 1, 2)]
        }
    }

    /// The phase PyTorch uses at `step`: (its first step, its last step, start rate, end rate).
    fn phase_at(&self, step: usize) -> (f64, f64, usize, usize) {
        let phases = self.phases();
        let mut start = 0.0;
        for (i, &(end, from, to)) in phases.iter().enumerate() {
            if step as f64 <= end || i == phases.len() - 1 {
                return (start, end, from, to);
            }
            start = end;
        }
        unreachable!("the last phase is always taken")
    }
}

impl Schedule for OneCycleLR {
    fn lr(&self, group: usize, _base_lr: f64, step: usize) -> f64 {
        let max_lr = self.max_lr[if self.max_lr.len() == 1 { 0 } else { group }];
        let initial = max_lr / self.div_factor;
        let rates = [initial, max_lr, initial / self.final_div_factor];
        let (start, end, from, to) = self.phase_at(step);
        let pct = (step as f64 - start) / (end - start);
        self.anneal_strategy.apply(rates[from], rates[to], pct)
    }

    fn momentum(&self, _group: usize, step: usize) -> Option<f64> {
        if !self.cycle_momentum {
            return None;
        }
        // High momentum where the rate is low (initial and final rates), low at the peak.
        let momenta = [self.max_momentum, self.base_momentum, self.max_momentum];
        let (start, end, from, to) = self.phase_at(step);
        let pct = (step as f64 - start) / (end - start);
        Some(self.anneal_strategy.apply(momenta[from], momenta[to], pct))
    }

    fn cycles_momentum(&self) -> bool {
        self.cycle_momentum
    }

    fn validate(&self, groups: usize) -> Result<()> {
        if self.total_steps == 0 {
            return invalid("OneCycleLR: total_steps must be at least 1".into());
        }
        if !(0.0..=1.0).contains(&self.pct_start) {
            return invalid(format!(
                "OneCycleLR: pct_start must be in [0, 1], got {}",
                self.pct_start
            ));
        }
        if self.max_lr.len() != 1 && self.max_lr.len() != groups {
            return invalid(format!(
                "OneCycleLR: max_lr has {} values for {groups} parameter groups (give one, or one per group)",
                self.max_lr.len()
            ));
        }
        for &lr in &self.max_lr {
            check_finite("OneCycleLR", "max_lr", lr)?;
        }
        if self.cycle_momentum {
            check_finite("OneCycleLR", "base_momentum", self.base_momentum)?;
            check_finite("OneCycleLR", "max_momentum", self.max_momentum)?;
        }
        for (name, value) in [
            ("div_factor", self.div_factor),
            ("final_div_factor", self.final_div_factor),
        ] {
            if !(value > 0.0 && value.is_finite()) {
                return invalid(format!(
                    "OneCycleLR: {name} must be positive and finite, got {value}"
                ));
            }
        }
        if !self.is_defined_at(0) {
            // PyTorch fails the same way (a division by zero) when it is created.
            return invalid(format!(
                "OneCycleLR: pct_start * total_steps = {} leaves the first phase without length",
                self.pct_start * self.total_steps as f64
            ));
        }
        Ok(())
    }

    fn is_defined_at(&self, step: usize) -> bool {
        // PyTorch raises past total_steps, and divides by zero in a phase without length (the last
        // step of a cycle with pct_start 1, for instance).
        let (start, end, _, _) = self.phase_at(step);
        step <= self.total_steps && end != start
    }
}

/// Runs schedules one after another, like `torch.optim.lr_scheduler.SequentialLR`: schedule `i`
/// starts at milestone `i - 1` (the first at step 0) and sees its own step count from there, so
/// each part starts again from the base rates.
pub struct SequentialLR {
    schedules: Vec<Box<dyn Schedule + Send + Sync>>,
    milestones: Vec<usize>,
}

impl std::fmt::Debug for SequentialLR {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SequentialLR")
            .field("schedules", &self.schedules.len())
            .field("milestones", &self.milestones)
            .finish()
    }
}

impl SequentialLR {
    /// `schedules[0]` until `milestones[0]`, then `schedules[1]` until `milestones[1]`, and so on.
    ///
    /// Needs one milestone fewer than schedules, in non-decreasing order.
    pub fn new(
        schedules: Vec<Box<dyn Schedule + Send + Sync>>,
        milestones: Vec<usize>,
    ) -> Result<Self> {
        if schedules.is_empty() {
            return invalid("SequentialLR: needs at least one schedule".into());
        }
        if milestones.len() + 1 != schedules.len() {
            return invalid(format!(
                "SequentialLR: {} schedules need {} milestones, got {}",
                schedules.len(),
                schedules.len() - 1,
                milestones.len()
            ));
        }
        // PyTorch does not check, but bisects the milestones: unsorted ones would skip schedules.
        if milestones.windows(2).any(|w| w[0] > w[1]) {
            return invalid(format!(
                "SequentialLR: milestones must be in non-decreasing order, got {milestones:?}"
            ));
        }
        Ok(SequentialLR {
            schedules,
            milestones,
        })
    }

    /// `warmup`, then `then` from step `warmup.total_iters` on (counting its steps from there).
    pub fn warmup(warmup: LinearLR, then: impl Schedule + Send + Sync + 'static) -> Self {
        let milestone = warmup.total_iters;
        SequentialLR {
            schedules: vec![Box::new(warmup), Box::new(then)],
            milestones: vec![milestone],
        }
    }

    /// The schedule in charge at `step`, and its own step count.
    fn part(&self, step: usize) -> (&(dyn Schedule + Send + Sync), usize) {
        // PyTorch's `bisect_right(milestones, step)`.
        let i = self.milestones.partition_point(|&m| m <= step);
        let local = if i == 0 {
            step
        } else {
            step - self.milestones[i - 1]
        };
        (&*self.schedules[i], local)
    }
}

impl Schedule for SequentialLR {
    fn lr(&self, group: usize, base_lr: f64, step: usize) -> f64 {
        let (schedule, local) = self.part(step);
        schedule.lr(group, base_lr, local)
    }
    fn validate(&self, groups: usize) -> Result<()> {
        self.schedules.iter().try_for_each(|s| s.validate(groups))
    }
    fn is_defined_at(&self, step: usize) -> bool {
        let (schedule, local) = self.part(step);
        schedule.is_defined_at(local)
    }
    fn momentum(&self, group: usize, step: usize) -> Option<f64> {
        let (schedule, local) = self.part(step);
        schedule.momentum(group, local)
    }
    fn cycles_momentum(&self) -> bool {
        self.schedules.iter().any(|s| s.cycles_momentum())
    }
}

/// Where an [`LrScheduler`] is: its step count and the base rates it recorded, what a checkpoint
/// saves (the schedule's own hyper-parameters are the program's, like the optimizer's).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SchedulerState {
    /// Steps taken (PyTorch's `last_epoch`).
    pub step: usize,
    /// Each group's base rate.
    pub base_lrs: Vec<f64>,
}

/// Drives a [`Schedule`]: records each group's base rate at creation, counts steps, and writes
/// every group's rate into the optimizer on each [`step`](LrScheduler::step).
///
/// Creating it sets the step-0 rates (as creating a PyTorch scheduler does); call `step` after each
/// optimizer step, as in PyTorch, and the rates follow PyTorch's sequence.
///
/// ```
/// use typed_torch::optim::{CosineAnnealingLR, LearningRates, LinearLR, LrScheduler, SequentialLR};
///
/// // Any optimizer works; this stand-in has two parameter groups.
/// struct Groups(Vec<f64>);
/// impl LearningRates for Groups {
///     fn group_count(&self) -> usize { self.0.len() }
///     fn lr(&self, group: usize) -> f64 { self.0[group] }
///     fn set_lr(&mut self, group: usize, lr: f64) { self.0[group] = lr }
/// }
///
/// let mut opt = Groups(vec![0.1, 0.01]);
/// // Five steps of linear warm-up from a tenth of each base rate, then cosine annealing to 0.
/// let warmup = LinearLR { start_factor: 0.1, ..LinearLR::default() };
/// let schedule = SequentialLR::warmup(warmup, CosineAnnealingLR::new(95));
/// let mut sched = LrScheduler::new(&mut opt, schedule).unwrap();
/// assert!((opt.lr(0) - 0.01).abs() < 1e-15); // step 0: warm-up starts at 0.1 * 0.1
/// for _ in 0..5 {
///     // ... forward, backward, optimizer step ...
///     sched.step(&mut opt).unwrap();
/// }
/// assert!((opt.lr(1) - 0.01).abs() < 1e-15); // warm-up done: the base rate
/// ```
#[derive(Debug, Clone)]
pub struct LrScheduler<S: Schedule> {
    schedule: S,
    base_lrs: Vec<f64>,
    step: usize,
}

impl<S: Schedule> LrScheduler<S> {
    /// Records the current rate of each of `opt`'s groups as its base rate and sets the step-0
    /// rates; fails if the schedule's hyper-parameters are invalid for `opt`.
    pub fn new(opt: &mut (impl LearningRates + ?Sized), schedule: S) -> Result<Self> {
        let groups = opt.group_count();
        schedule.validate(groups)?;
        if !schedule.is_defined_at(0) {
            return invalid("the schedule has no learning rate at step 0".into());
        }
        if schedule.cycles_momentum() {
            if let Some(group) = (0..groups).find(|&g| opt.momentum(g).is_none()) {
                return invalid(format!(
                    "the schedule cycles momentum (OneCycleLR's cycle_momentum), but parameter \
                     group {group} has none: expected SGD or RMSprop made with a momentum > 0, or \
                     Adam; set cycle_momentum to false for this optimizer"
                ));
            }
        }
        let base_lrs = (0..groups).map(|g| opt.lr(g)).collect();
        let scheduler = LrScheduler {
            schedule,
            base_lrs,
            step: 0,
        };
        scheduler.apply(opt);
        Ok(scheduler)
    }

    /// Advances one step and sets every group's rate (PyTorch's `scheduler.step()`).
    ///
    /// Fails, changing nothing, if the schedule has ended ([`OneCycleLR`] past `total_steps`) or
    /// the optimizer's number of groups changed.
    pub fn step(&mut self, opt: &mut (impl LearningRates + ?Sized)) -> Result<()> {
        if opt.group_count() != self.base_lrs.len() {
            return invalid(format!(
                "LrScheduler: the optimizer has {} parameter groups, the scheduler was created for {}",
                opt.group_count(),
                self.base_lrs.len()
            ));
        }
        let next = self.step + 1;
        if !self.schedule.is_defined_at(next) {
            return invalid(format!(
                "LrScheduler: the schedule has no learning rate at step {next} (stepped past its end)"
            ));
        }
        self.step = next;
        self.apply(opt);
        Ok(())
    }

    fn apply(&self, opt: &mut (impl LearningRates + ?Sized)) {
        for (group, lr) in self.rates(self.step).into_iter().enumerate() {
            opt.set_lr(group, lr);
            if let Some(momentum) = self.schedule.momentum(group, self.step) {
                opt.set_momentum(group, momentum);
            }
        }
    }

    /// Steps taken so far (PyTorch's `last_epoch`): 0 right after creation.
    pub fn steps(&self) -> usize {
        self.step
    }

    /// The base rate of each group, as recorded at creation (PyTorch's `base_lrs`).
    pub fn base_lrs(&self) -> &[f64] {
        &self.base_lrs
    }

    /// The rate of each group at the current step (PyTorch's `get_last_lr()`).
    pub fn last_lrs(&self) -> Vec<f64> {
        self.rates(self.step)
    }

    /// The rate each group would have at `step`, without changing anything (for plots); fails if
    /// the schedule has no rate there (see [`Schedule::is_defined_at`]).
    pub fn lrs_at(&self, step: usize) -> Result<Vec<f64>> {
        if !self.schedule.is_defined_at(step) {
            return invalid(format!(
                "LrScheduler: the schedule has no learning rate at step {step}"
            ));
        }
        Ok(self.rates(step))
    }

    fn rates(&self, step: usize) -> Vec<f64> {
        (self.base_lrs.iter().enumerate())
            .map(|(group, &base)| self.schedule.lr(group, base, step))
            .collect()
    }

    /// The schedule.
    pub fn schedule(&self) -> &S {
        &self.schedule
    }

    /// The step count and base rates, for a checkpoint.
    pub fn state(&self) -> SchedulerState {
        SchedulerState {
            step: self.step,
            base_lrs: self.base_lrs.clone(),
        }
    }

    /// Whether `state` can be restored: the same number of groups, and a step the schedule
    /// has a rate at. The error says what was expected and found.
    pub fn check_state(&self, state: &SchedulerState) -> Result<()> {
        if state.base_lrs.len() != self.base_lrs.len() {
            return invalid(format!(
                "LrScheduler: expected base rates for {} parameter groups, found {}",
                self.base_lrs.len(),
                state.base_lrs.len()
            ));
        }
        if let Some(bad) = state.base_lrs.iter().find(|lr| !lr.is_finite()) {
            return invalid(format!(
                "LrScheduler: expected finite base rates, found {bad}"
            ));
        }
        if !self.schedule.is_defined_at(state.step) {
            return invalid(format!(
                "LrScheduler: expected a step the schedule has a rate at, found step {}",
                state.step
            ));
        }
        Ok(())
    }

    /// Restores a saved step count and base rates (after [`check_state`](Self::check_state));
    /// the optimizer's current rates are not touched (a checkpoint restores those with the
    /// optimizer). Changes nothing on error.
    pub fn set_state(&mut self, state: SchedulerState) -> Result<()> {
        self.check_state(&state)?;
        self.step = state.step;
        self.base_lrs = state.base_lrs;
        Ok(())
    }
}

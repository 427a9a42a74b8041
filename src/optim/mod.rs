//! Optimizers, learning-rate schedules and gradient clipping.
//!
//! Optimizers keep every trainable parameter of a model in one flat buffer (each parameter
//! becomes a view into it, and optimizer state is laid out the same way), so a step is one pass
//! over the model rather than several small ops per parameter.

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
    /// Momentum of group `group` (SGD's and RMSprop's `momentum`, Adam's `beta1`): what
    /// [`OneCycleLR`] cycles. `None` for optimizers without one (Adagrad), and for SGD and RMSprop
    /// made with momentum 0, which keep no momentum buffer.
    fn momentum(&self, _group: usize) -> Option<f64> {
        None
    }
    /// Sets the momentum of group `group`; ignored where [`momentum`](Self::momentum) is `None`.
    fn set_momentum(&mut self, _group: usize, _momentum: f64) {}
}

mod adagrad;
mod adam;
mod clip;
mod flat;
mod fused;
mod rmsprop;
mod schedule;
mod sgd;
mod state;

#[doc(hidden)]
pub use crate::runtime::set_openmp_team;
pub use adagrad::{Adagrad, AdagradConfig};
pub use adam::{Adam, AdamConfig, AdamW};
pub use clip::{clip_grad_norm, clip_grad_value};
pub use flat::{FlatLayout, FlatParams, GroupSettings, ParamGroup};
#[doc(hidden)]
pub use fused::set_fused_kernels;
pub use rmsprop::{RmsProp, RmsPropConfig};
pub use schedule::{
    Anneal, CosineAnnealingLR, ExponentialLR, LinearLR, LrScheduler, MultiStepLR, OneCycleLR,
    Schedule, SchedulerState, SequentialLR, StepLR,
};
pub use sgd::{Sgd, SgdConfig};
pub use state::OptimizerState;

use crate::error::Result;
use crate::nn::Params;

/// An optimizer bound to one model type `M`: made from a model, stepped with that model.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Linear, Module, ReLU};
/// use typed_torch::optim::{Adam, AdamConfig, Optimizer};
/// use typed_torch::{hlist, Tensor, D};
/// tch::manual_seed(0);
/// let mut model = hlist![Linear::<3, 8>::init().unwrap(), ReLU, Linear::<8, 1>::init().unwrap()];
/// let mut opt = Adam::new(&mut model, AdamConfig { lr: 1e-2, ..Default::default() }).unwrap();
/// let (x, y) = (Tensor::<(D<16>, D<3>)>::randn(), Tensor::<(D<16>, D<1>)>::randn());
/// let first = (model.forward(x.clone()) - &y).square().mean_all().item();
/// for _ in 0..50 {
///     opt.zero_grad();
///     (model.forward(x.clone()) - &y).square().mean_all().backward();
///     opt.step(&mut model).unwrap();
/// }
/// assert!((model.forward(x) - &y).square().mean_all().item() < first);
/// ```
pub trait Optimizer<M: Params>: LearningRates {
    /// One update of `model`'s parameters from their current gradients. An error (and no update)
    /// if `model`'s parameters are not the ones this optimizer was made with.
    fn step(&mut self, model: &mut M) -> Result<()>;

    /// The flat parameter buffer, its groups and the parameters' gradients.
    fn flat(&self) -> &FlatParams;

    /// Mutable access to the flat buffer (clipping, zeroing, group settings).
    fn flat_mut(&mut self) -> &mut FlatParams;

    /// Sets every gradient to none, like PyTorch's `optimizer.zero_grad()` (`set_to_none=True`):
    /// the next backward pass stores fresh gradients instead of adding into zeroed memory, and
    /// until then [`Tensor::grad`](crate::Tensor::grad) is `None`.
    fn zero_grad(&mut self) {
        self.flat_mut().zero_grad();
    }

    /// Scales gradients to a total 2-norm of at most `max_norm`; returns the norm before. See
    /// [`FlatParams::clip_grad_norm`] for other norms.
    fn clip_grad_norm(&mut self, max_norm: f64) -> f64 {
        self.flat_mut().clip_grad_norm(max_norm, 2.0)
    }

    /// Clamps every gradient element into `[-clip_value, clip_value]`.
    fn clip_grad_value(&mut self, clip_value: f64) {
        self.flat_mut().clip_grad_value(clip_value);
    }

    /// Updates taken so far.
    fn steps_taken(&self) -> u64;

    /// The learning rate if this optimizer's step is plain SGD, `p -= lr * grad` for every
    /// trainable parameter of `model` (checked to be the optimizer's): a
    /// [`TrainStep`](crate::compiled::TrainStep) then applies it inside its backward pass and
    /// calls [`count_fused_step`](Self::count_fused_step) instead of [`step`](Self::step).
    #[doc(hidden)]
    fn plain_sgd_lr(&mut self, model: &mut M) -> Result<Option<f64>> {
        let _ = model;
        Ok(None)
    }

    /// Counts a step applied by a compiled step (see [`plain_sgd_lr`](Self::plain_sgd_lr)).
    #[doc(hidden)]
    fn count_fused_step(&mut self) {}
}

/// Every optimizer's learning rates are its groups' (see [`FlatParams::groups`]); so are momenta,
/// for optimizers whose `$momentum` (the configured momentum, if it has one) is `Some`.
macro_rules! learning_rates_from_groups {
    ($opt:ident) => {
        learning_rates_from_groups!($opt, |_s| None);
    };
    ($opt:ident, |$s:ident| $momentum:expr) => {
        impl<M> $crate::optim::LearningRates for $opt<M> {
            fn group_count(&self) -> usize {
                self.flat.groups().len()
            }
            fn lr(&self, group: usize) -> f64 {
                self.flat.groups()[group].lr
            }
            fn set_lr(&mut self, group: usize, lr: f64) {
                self.flat.groups_mut()[group].lr = lr;
            }
            fn momentum(&self, group: usize) -> Option<f64> {
                let $s = self;
                let configured: Option<f64> = $momentum;
                configured.map(|m| self.flat.groups()[group].momentum.unwrap_or(m))
            }
            fn set_momentum(&mut self, group: usize, momentum: f64) {
                if self.momentum(group).is_some() {
                    self.flat.groups_mut()[group].momentum = Some(momentum);
                }
            }
        }
    };
}
pub(crate) use learning_rates_from_groups;

/// The `Optimizer` methods every optimizer here answers from its `flat` and `steps` fields.
macro_rules! flat_buffer_accessors {
    () => {
        fn flat(&self) -> &$crate::optim::FlatParams {
            &self.flat
        }

        fn flat_mut(&mut self) -> &mut $crate::optim::FlatParams {
            &mut self.flat
        }

        fn steps_taken(&self) -> u64 {
            self.steps
        }
    };
}
pub(crate) use flat_buffer_accessors;

/// A hyper-parameter that must be `>= 0` (NaN is not).
pub(crate) fn non_negative(optimizer: &str, what: &str, value: f64) -> Result<()> {
    if value >= 0.0 {
        Ok(())
    } else {
        Err(crate::Error::Invalid(format!(
            "{optimizer}: {what} must be >= 0, found {value}"
        )))
    }
}

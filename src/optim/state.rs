//! What an optimizer must expose for its state to be saved in and restored from a checkpoint
//! (see [`crate::checkpoint`]).
use super::{FlatParams, LearningRates};

/// An optimizer whose state can be checkpointed: its state buffers (laid out like
/// [`FlatParams::params`]), its step count, and its hyper-parameters as JSON.
///
/// Implemented by [`Sgd`](super::Sgd), [`Adam`](super::Adam), [`RmsProp`](super::RmsProp) and
/// [`Adagrad`](super::Adagrad). A checkpoint stores each buffer per parameter
/// (`@optimizer/<buffer>/<parameter name>`, shaped like the parameter), so it does not depend on
/// the flat layout, and the step count, per-group learning rates and weight decay, and the
/// hyper-parameters in its metadata. Loading it into an optimizer made with the same
/// hyper-parameters over the same model restores all of it.
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::Linear;
/// use typed_torch::optim::{Adam, AdamConfig, OptimizerState};
/// use typed_torch::hlist;
/// let mut model = hlist![Linear::<2, 3>::init().unwrap()];
/// let adam = Adam::new(&mut model, AdamConfig::default()).unwrap();
/// let names: Vec<_> = adam.state_buffers().into_iter().map(|(n, _)| n).collect();
/// assert_eq!(names, ["exp_avg", "exp_avg_sq"]);
/// assert_eq!(adam.hyper_parameters()["betas"][0], 0.9);
/// ```
pub trait OptimizerState: LearningRates {
    /// The optimizer's name in checkpoints: `"SGD"`, `"Adam"`, `"RMSprop"`, `"Adagrad"`.
    fn name(&self) -> &'static str;

    /// The hyper-parameters (the optimizer's config struct) as JSON.
    fn hyper_parameters(&self) -> serde_json::Value;

    /// The flat parameter buffers: parameter names, their ranges, the groups.
    fn flat_params(&self) -> &FlatParams;

    /// Mutable access to the flat buffers (a load restores the groups' settings).
    fn flat_params_mut(&mut self) -> &mut FlatParams;

    /// Each state buffer with its name (PyTorch's names: `momentum_buffer`, `exp_avg`, ...), laid
    /// out like [`FlatParams::params`]. A load copies into them in place.
    fn state_buffers(&self) -> Vec<(&'static str, &tch::Tensor)>;

    /// Updates taken so far.
    fn step_count(&self) -> u64;

    /// Sets the number of updates taken (a load restores it; Adam's bias correction and SGD's
    /// first momentum step depend on it).
    fn set_step_count(&mut self, steps: u64);
}

/// Implements [`OptimizerState`] for an optimizer with `flat`, `config` and `steps` fields.
macro_rules! optimizer_state {
    ($opt:ident, $name:literal, |$s:ident| $buffers:expr) => {
        impl<M> $crate::optim::OptimizerState for $opt<M> {
            fn name(&self) -> &'static str {
                $name
            }
            fn hyper_parameters(&self) -> serde_json::Value {
                serde_json::to_value(self.config).expect("a config of numbers and booleans")
            }
            fn flat_params(&self) -> &$crate::optim::FlatParams {
                &self.flat
            }
            fn flat_params_mut(&mut self) -> &mut $crate::optim::FlatParams {
                &mut self.flat
            }
            fn state_buffers(&self) -> Vec<(&'static str, &tch::Tensor)> {
                let $s = self;
                $buffers
            }
            fn step_count(&self) -> u64 {
                self.steps
            }
            fn set_step_count(&mut self, steps: u64) {
                self.steps = steps;
            }
        }
    };
}
pub(crate) use optimizer_state;

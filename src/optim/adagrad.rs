//! Adagrad (`torch.optim.Adagrad`).
use std::marker::PhantomData;

use super::flat::{FlatParams, ParamGroup};
use super::{flat_buffer_accessors, learning_rates_from_groups, non_negative, Optimizer};
use crate::error::Result;
use crate::nn::Params;

/// Adagrad's hyper-parameters; `Default` is PyTorch's (`lr = 1e-2`, no learning-rate decay, no
/// weight decay, accumulator starting at 0, `eps = 1e-10`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AdagradConfig {
    /// Learning rate.
    pub lr: f64,
    /// The learning rate at step `t` is `lr / (1 + (t - 1) * lr_decay)`.
    pub lr_decay: f64,
    /// L2 penalty added to the gradient.
    pub weight_decay: f64,
    /// Starting value of the sum of squared gradients.
    pub initial_accumulator_value: f64,
    /// Added to the denominator for numerical stability.
    pub eps: f64,
}

impl Default for AdagradConfig {
    fn default() -> Self {
        AdagradConfig {
            lr: 1e-2,
            lr_decay: 0.0,
            weight_decay: 0.0,
            initial_accumulator_value: 0.0,
            eps: 1e-10,
        }
    }
}

impl AdagradConfig {
    fn validate(&self) -> Result<()> {
        non_negative("Adagrad", "learning rate", self.lr)?;
        non_negative("Adagrad", "lr_decay", self.lr_decay)?;
        non_negative("Adagrad", "weight decay", self.weight_decay)?;
        non_negative(
            "Adagrad",
            "initial accumulator value",
            self.initial_accumulator_value,
        )?;
        non_negative("Adagrad", "eps", self.eps)?;
        Ok(())
    }
}

/// Adagrad over every trainable parameter of a model of type `M`, as a few tensor ops over the
/// flat buffers. See [`Optimizer`] for a training loop.
pub struct Adagrad<M> {
    flat: FlatParams,
    config: AdagradConfig,
    sum: tch::Tensor,
    steps: u64,
    model: PhantomData<fn(&mut M)>,
}

impl<M: Params> Adagrad<M> {
    /// Adagrad over all of `model`'s trainable parameters.
    pub fn new(model: &mut M, config: AdagradConfig) -> Result<Self> {
        Self::with_groups(model, config, Vec::new())
    }

    /// Adagrad with per-group learning rates and weight decay.
    pub fn with_groups(
        model: &mut M,
        config: AdagradConfig,
        groups: Vec<ParamGroup>,
    ) -> Result<Self> {
        config.validate()?;
        let flat = FlatParams::new(model, config.lr, config.weight_decay, groups)?;
        let sum = flat.zeros_like();
        let _ = tch::no_grad(|| sum.shallow_clone().fill_(config.initial_accumulator_value));
        Ok(Adagrad {
            sum,
            flat,
            config,
            steps: 0,
            model: PhantomData,
        })
    }

    /// The hyper-parameters.
    pub fn config(&self) -> &AdagradConfig {
        &self.config
    }
}

learning_rates_from_groups!(Adagrad);
super::state::optimizer_state!(Adagrad, "Adagrad", |s| vec![("sum", &s.sum)]);

impl<M: Params> Optimizer<M> for Adagrad<M> {
    fn step(&mut self, model: &mut M) -> Result<()> {
        let grads = self.flat.step_grads(model)?;
        self.steps += 1;
        let c = self.config;
        for group in 0..self.flat.groups().len() {
            let (lr, wd) = {
                let g = &self.flat.groups()[group];
                (g.lr, g.weight_decay)
            };
            let views = self
                .flat
                .group_views(group, &[self.flat.params(), grads.flat(), &self.sum]);
            if views[0].numel() == 0 {
                continue;
            }
            let clr = lr / (1.0 + (self.steps - 1) as f64 * c.lr_decay);
            tch::no_grad(|| {
                let (mut p, g, mut sum) = (
                    views[0].shallow_clone(),
                    views[1].shallow_clone(),
                    views[2].shallow_clone(),
                );
                let g = if wd != 0.0 {
                    &g + p.g_mul_scalar(wd)
                } else {
                    g
                };
                let _ = sum.addcmul_(&g, &g);
                let std = sum.sqrt().g_add_scalar_(c.eps);
                let _ = p.addcdiv_(&g.g_mul_scalar(-clr), &std);
            });
        }
        Ok(())
    }

    flat_buffer_accessors!();
}

//! RMSprop (`torch.optim.RMSprop`), with momentum and the centered variant.
use std::marker::PhantomData;

use super::flat::{FlatParams, ParamGroup};
use super::{flat_buffer_accessors, learning_rates_from_groups, non_negative, Optimizer};
use crate::error::Result;
use crate::nn::Params;

/// RMSprop's hyper-parameters; `Default` is PyTorch's (`lr = 1e-2`, `alpha = 0.99`,
/// `eps = 1e-8`, no weight decay, no momentum, not centered).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RmsPropConfig {
    /// Learning rate.
    pub lr: f64,
    /// Smoothing constant of the squared-gradient average.
    pub alpha: f64,
    /// Added to the denominator for numerical stability.
    pub eps: f64,
    /// L2 penalty added to the gradient.
    pub weight_decay: f64,
    /// Momentum factor.
    pub momentum: f64,
    /// Normalise by the estimated variance of the gradient instead of its second moment.
    pub centered: bool,
}

impl Default for RmsPropConfig {
    fn default() -> Self {
        RmsPropConfig {
            lr: 1e-2,
            alpha: 0.99,
            eps: 1e-8,
            weight_decay: 0.0,
            momentum: 0.0,
            centered: false,
        }
    }
}

impl RmsPropConfig {
    fn validate(&self) -> Result<()> {
        non_negative("RMSprop", "learning rate", self.lr)?;
        non_negative("RMSprop", "alpha", self.alpha)?;
        non_negative("RMSprop", "eps", self.eps)?;
        non_negative("RMSprop", "momentum", self.momentum)?;
        non_negative("RMSprop", "weight decay", self.weight_decay)?;
        Ok(())
    }
}

/// RMSprop over every trainable parameter of a model of type `M`, as a few tensor ops over the
/// flat buffers. See [`Optimizer`] for a training loop.
pub struct RmsProp<M> {
    flat: FlatParams,
    config: RmsPropConfig,
    square_avg: tch::Tensor,
    grad_avg: Option<tch::Tensor>,
    momentum_buffer: Option<tch::Tensor>,
    steps: u64,
    model: PhantomData<fn(&mut M)>,
}

impl<M: Params> RmsProp<M> {
    /// RMSprop over all of `model`'s trainable parameters.
    pub fn new(model: &mut M, config: RmsPropConfig) -> Result<Self> {
        Self::with_groups(model, config, Vec::new())
    }

    /// RMSprop with per-group learning rates and weight decay.
    pub fn with_groups(
        model: &mut M,
        config: RmsPropConfig,
        groups: Vec<ParamGroup>,
    ) -> Result<Self> {
        config.validate()?;
        let flat = FlatParams::new(model, config.lr, config.weight_decay, groups)?;
        Ok(RmsProp {
            square_avg: flat.zeros_like(),
            grad_avg: config.centered.then(|| flat.zeros_like()),
            momentum_buffer: (config.momentum > 0.0).then(|| flat.zeros_like()),
            flat,
            config,
            steps: 0,
            model: PhantomData,
        })
    }

    /// The hyper-parameters.
    pub fn config(&self) -> &RmsPropConfig {
        &self.config
    }
}

learning_rates_from_groups!(RmsProp, |s| (s.config.momentum != 0.0)
    .then_some(s.config.momentum));
super::state::optimizer_state!(RmsProp, "RMSprop", |s| {
    let mut buffers = vec![("square_avg", &s.square_avg)];
    buffers.extend(s.grad_avg.iter().map(|b| ("grad_avg", b)));
    buffers.extend(s.momentum_buffer.iter().map(|b| ("momentum_buffer", b)));
    buffers
});

impl<M: Params> Optimizer<M> for RmsProp<M> {
    fn step(&mut self, model: &mut M) -> Result<()> {
        let grads = self.flat.step_grads(model)?;
        let c = self.config;
        for group in 0..self.flat.groups().len() {
            let (lr, wd, momentum_factor) = {
                let g = &self.flat.groups()[group];
                (g.lr, g.weight_decay, g.momentum.unwrap_or(c.momentum))
            };
            let mut buffers = vec![self.flat.params(), grads.flat(), &self.square_avg];
            let grad_avg = self.grad_avg.as_ref().map(|_| buffers.len());
            buffers.extend(self.grad_avg.as_ref());
            let momentum = self.momentum_buffer.as_ref().map(|_| buffers.len());
            buffers.extend(self.momentum_buffer.as_ref());
            let views = self.flat.group_views(group, &buffers);
            if views[0].numel() == 0 {
                continue;
            }
            tch::no_grad(|| {
                let (mut p, g, mut square_avg) = (
                    views[0].shallow_clone(),
                    views[1].shallow_clone(),
                    views[2].shallow_clone(),
                );
                let g = if wd != 0.0 {
                    &g + p.g_mul_scalar(wd)
                } else {
                    g
                };
                let _ = square_avg.g_mul_scalar_(c.alpha);
                let _ = square_avg.addcmul_(&g.g_mul_scalar(1.0 - c.alpha), &g);
                let avg = match grad_avg {
                    Some(i) => {
                        let mut grad_avg = views[i].shallow_clone();
                        let _ = grad_avg.lerp_(&g, 1.0 - c.alpha);
                        (&square_avg - grad_avg.square()).sqrt()
                    }
                    None => square_avg.sqrt(),
                }
                .g_add_scalar_(c.eps);
                match momentum {
                    Some(i) => {
                        let mut buf = views[i].shallow_clone();
                        let _ = buf.g_mul_scalar_(momentum_factor);
                        let _ = buf.addcdiv_(&g, &avg);
                        let _ = p.g_sub_(&buf.g_mul_scalar(lr));
                    }
                    None => {
                        let _ = p.addcdiv_(&g.g_mul_scalar(-lr), &avg);
                    }
                }
            });
        }
        self.steps += 1;
        Ok(())
    }

    flat_buffer_accessors!();
}

//! Adam and AdamW (`torch.optim.Adam`, `torch.optim.AdamW`), with AMSGrad.
use std::marker::PhantomData;

use super::flat::{FlatParams, ParamGroup};
use super::fused::{self, AdamStep};
use super::{flat_buffer_accessors, learning_rates_from_groups, non_negative, Optimizer};
use crate::error::{Error, Result};
use crate::nn::Params;

/// Adam's hyper-parameters; `Default` is PyTorch's (`lr = 1e-3`, `betas = (0.9, 0.999)`,
/// `eps = 1e-8`, no weight decay), [`AdamConfig::adamw`] is `torch.optim.AdamW`'s.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AdamConfig {
    /// Learning rate.
    pub lr: f64,
    /// Decay rates of the first and second moment estimates.
    pub betas: (f64, f64),
    /// Added to the denominator for numerical stability.
    pub eps: f64,
    /// Weight decay: an L2 term added to the gradient (Adam), or, when `decoupled_weight_decay`,
    /// a shrink of the parameters by `lr * weight_decay` (AdamW).
    pub weight_decay: f64,
    /// AdamW's decoupled weight decay.
    pub decoupled_weight_decay: bool,
    /// Use the maximum of past second moments (AMSGrad).
    pub amsgrad: bool,
}

impl Default for AdamConfig {
    fn default() -> Self {
        AdamConfig {
            lr: 1e-3,
            betas: (0.9, 0.999),
            eps: 1e-8,
            weight_decay: 0.0,
            decoupled_weight_decay: false,
            amsgrad: false,
        }
    }
}

impl AdamConfig {
    /// `torch.optim.AdamW`'s defaults: decoupled weight decay of `1e-2`.
    pub fn adamw() -> Self {
        AdamConfig {
            weight_decay: 1e-2,
            decoupled_weight_decay: true,
            ..Default::default()
        }
    }

    fn validate(&self) -> Result<()> {
        let (b1, b2) = self.betas;
        if !((0.0..1.0).contains(&b1) && (0.0..1.0).contains(&b2)) {
            return Err(Error::Invalid(format!(
                "Adam: betas must lie in [0, 1), found ({b1}, {b2})"
            )));
        }
        non_negative("Adam", "learning rate", self.lr)?;
        non_negative("Adam", "eps", self.eps)?;
        non_negative("Adam", "weight decay", self.weight_decay)?;
        Ok(())
    }
}

/// Adam (or AdamW, see [`AdamConfig::adamw`]) over every trainable parameter of a model of type
/// `M`. The state (first and second moments) is kept in flat buffers laid out like
/// [`FlatParams::params`]; on CPU with f32/f64 parameters a step is one fused pass over them.
///
/// See [`Optimizer`] for a training loop.
pub struct Adam<M> {
    flat: FlatParams,
    config: AdamConfig,
    exp_avg: tch::Tensor,
    exp_avg_sq: tch::Tensor,
    max_exp_avg_sq: Option<tch::Tensor>,
    steps: u64,
    model: PhantomData<fn(&mut M)>,
}

/// AdamW is [`Adam`] made with [`AdamConfig::adamw`] (decoupled weight decay), as in PyTorch
/// where `AdamW` is `Adam(decoupled_weight_decay=True)`.
pub type AdamW<M> = Adam<M>;

impl<M: Params> Adam<M> {
    /// Adam over all of `model`'s trainable parameters; they move into the optimizer's flat
    /// buffer (the model keeps working as before).
    pub fn new(model: &mut M, config: AdamConfig) -> Result<Self> {
        Self::with_groups(model, config, Vec::new())
    }

    /// Adam with per-group learning rates and weight decay.
    pub fn with_groups(model: &mut M, config: AdamConfig, groups: Vec<ParamGroup>) -> Result<Self> {
        config.validate()?;
        let flat = FlatParams::new(model, config.lr, config.weight_decay, groups)?;
        Ok(Adam {
            exp_avg: flat.zeros_like(),
            exp_avg_sq: flat.zeros_like(),
            max_exp_avg_sq: config.amsgrad.then(|| flat.zeros_like()),
            flat,
            config,
            steps: 0,
            model: PhantomData,
        })
    }

    /// The hyper-parameters.
    pub fn config(&self) -> &AdamConfig {
        &self.config
    }

    /// First-moment estimates, laid out like [`FlatParams::params`].
    pub fn exp_avg(&self) -> &tch::Tensor {
        &self.exp_avg
    }

    /// Second-moment estimates, laid out like [`FlatParams::params`].
    pub fn exp_avg_sq(&self) -> &tch::Tensor {
        &self.exp_avg_sq
    }
}

learning_rates_from_groups!(Adam, |s| Some(s.config.betas.0));
super::state::optimizer_state!(Adam, "Adam", |s| {
    let mut buffers = vec![("exp_avg", &s.exp_avg), ("exp_avg_sq", &s.exp_avg_sq)];
    buffers.extend(s.max_exp_avg_sq.iter().map(|b| ("max_exp_avg_sq", b)));
    buffers
});

impl<M: Params> Optimizer<M> for Adam<M> {
    fn step(&mut self, model: &mut M) -> Result<()> {
        let grads = self.flat.step_grads(model)?;
        self.steps += 1;
        for group in 0..self.flat.groups().len() {
            let settings = &self.flat.groups()[group];
            let s = AdamStep {
                lr: settings.lr,
                beta1: settings.momentum.unwrap_or(self.config.betas.0),
                beta2: self.config.betas.1,
                eps: self.config.eps,
                weight_decay: settings.weight_decay,
                decoupled: self.config.decoupled_weight_decay,
                amsgrad: self.config.amsgrad,
                step: self.steps,
            };
            let mut buffers = vec![self.flat.params(), &self.exp_avg, &self.exp_avg_sq];
            buffers.extend(self.max_exp_avg_sq.as_ref());
            let views = self.flat.group_views(group, &buffers);
            if views[0].numel() == 0 {
                continue;
            }
            tch::no_grad(|| {
                let parts = grads.parts(group);
                if !fused::adam(&views[0], &parts, &views[1], &views[2], views.get(3), s) {
                    let g = self.flat.group_views(group, &[grads.flat()]).remove(0);
                    adam_ops(&views, &g, s);
                }
            });
        }
        Ok(())
    }

    flat_buffer_accessors!();
}

/// The step as tensor ops (any device and float dtype): PyTorch's single-tensor algorithm.
/// `views` are the group's parameters, first and second moments, and maximum second moments
/// (AMSGrad).
fn adam_ops(views: &[tch::Tensor], g: &tch::Tensor, s: AdamStep) {
    let (mut p, g, mut m, mut v) = (
        views[0].shallow_clone(),
        g.shallow_clone(),
        views[1].shallow_clone(),
        views[2].shallow_clone(),
    );
    let g = if s.weight_decay != 0.0 && !s.decoupled {
        &g + p.g_mul_scalar(s.weight_decay)
    } else {
        g
    };
    if s.weight_decay != 0.0 && s.decoupled {
        let _ = p.g_mul_scalar_(1.0 - s.lr * s.weight_decay);
    }
    let _ = m.lerp_(&g, 1.0 - s.beta1);
    let _ = v.g_mul_scalar_(s.beta2);
    let _ = v.addcmul_(&g.g_mul_scalar(1.0 - s.beta2), &g);
    let second = match views.get(3) {
        Some(vmax) => {
            let _ = vmax.maximum_out(vmax, &v);
            vmax.shallow_clone()
        }
        None => v,
    };
    let denom = (second.sqrt() / s.bias_correction2_sqrt()).g_add_scalar_(s.eps);
    let update = m.g_mul_scalar(-(s.lr / s.bias_correction1()));
    let _ = p.addcdiv_(&update, &denom);
}

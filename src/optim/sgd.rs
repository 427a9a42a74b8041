//! Stochastic gradient descent with momentum, dampening, Nesterov and weight decay
//! (`torch.optim.SGD`).
use std::marker::PhantomData;

use super::flat::{FlatParams, ParamGroup};
use super::fused::{self, SgdStep};
use super::{flat_buffer_accessors, learning_rates_from_groups, non_negative, Optimizer};
use crate::error::{Error, Result};
use crate::nn::Params;

/// SGD's hyper-parameters; `Default` is PyTorch's apart from the learning rate, which PyTorch
/// also requires (here `1e-3`): no momentum, no dampening, no weight decay.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SgdConfig {
    /// Learning rate.
    pub lr: f64,
    /// Momentum factor (0 = plain SGD).
    pub momentum: f64,
    /// Dampening of the momentum's gradient term.
    pub dampening: f64,
    /// L2 penalty added to the gradient.
    pub weight_decay: f64,
    /// Nesterov momentum (needs `momentum > 0` and `dampening == 0`).
    pub nesterov: bool,
}

impl Default for SgdConfig {
    fn default() -> Self {
        SgdConfig {
            lr: 1e-3,
            momentum: 0.0,
            dampening: 0.0,
            weight_decay: 0.0,
            nesterov: false,
        }
    }
}

impl SgdConfig {
    fn validate(&self) -> Result<()> {
        non_negative("SGD", "learning rate", self.lr)?;
        non_negative("SGD", "momentum", self.momentum)?;
        non_negative("SGD", "weight decay", self.weight_decay)?;
        if self.nesterov && !(self.momentum > 0.0 && self.dampening == 0.0) {
            return Err(Error::Invalid(
                "SGD: Nesterov momentum needs momentum > 0 and zero dampening".into(),
            ));
        }
        Ok(())
    }
}

/// SGD over every trainable parameter of a model of type `M`; a step is one pass over the flat
/// buffers (one fused loop on CPU).
///
/// ```
/// use typed_torch::prelude::*;
/// use typed_torch::nn::{Linear, Module};
/// use typed_torch::optim::{Optimizer, Sgd, SgdConfig};
/// use typed_torch::{hlist, Tensor, D};
/// let mut model = hlist![Linear::<2, 1>::init().unwrap()];
/// let config = SgdConfig { lr: 0.1, momentum: 0.9, ..Default::default() };
/// let mut opt = Sgd::new(&mut model, config).unwrap();
/// model.forward(Tensor::<(D<4>, D<2>)>::randn()).sum_all().backward();
/// opt.step(&mut model).unwrap();
/// assert_eq!(opt.steps_taken(), 1);
/// ```
pub struct Sgd<M> {
    flat: FlatParams,
    config: SgdConfig,
    momentum_buffer: Option<tch::Tensor>,
    steps: u64,
    model: PhantomData<fn(&mut M)>,
}

impl<M: Params> Sgd<M> {
    /// SGD over all of `model`'s trainable parameters.
    pub fn new(model: &mut M, config: SgdConfig) -> Result<Self> {
        Self::with_groups(model, config, Vec::new())
    }

    /// SGD with per-group learning rates and weight decay.
    pub fn with_groups(model: &mut M, config: SgdConfig, groups: Vec<ParamGroup>) -> Result<Self> {
        config.validate()?;
        let flat = FlatParams::new(model, config.lr, config.weight_decay, groups)?;
        Ok(Sgd {
            momentum_buffer: (config.momentum != 0.0).then(|| flat.zeros_like()),
            flat,
            config,
            steps: 0,
            model: PhantomData,
        })
    }

    /// The hyper-parameters.
    pub fn config(&self) -> &SgdConfig {
        &self.config
    }

    /// The momentum buffer (if momentum is on), laid out like [`FlatParams::params`].
    pub fn momentum_buffer(&self) -> Option<&tch::Tensor> {
        self.momentum_buffer.as_ref()
    }
}

learning_rates_from_groups!(Sgd, |s| (s.config.momentum != 0.0)
    .then_some(s.config.momentum));
super::state::optimizer_state!(Sgd, "SGD", |s| s
    .momentum_buffer
    .iter()
    .map(|b| ("momentum_buffer", b))
    .collect());

impl<M: Params> Optimizer<M> for Sgd<M> {
    fn step(&mut self, model: &mut M) -> Result<()> {
        let grads = self.flat.step_grads(model)?;
        for group in 0..self.flat.groups().len() {
            let settings = &self.flat.groups()[group];
            let s = SgdStep {
                lr: settings.lr,
                momentum: settings.momentum.unwrap_or(self.config.momentum),
                dampening: self.config.dampening,
                weight_decay: settings.weight_decay,
                nesterov: self.config.nesterov,
                first: self.steps == 0,
            };
            let mut buffers = vec![self.flat.params()];
            buffers.extend(self.momentum_buffer.as_ref());
            let views = self.flat.group_views(group, &buffers);
            if views[0].numel() == 0 {
                continue;
            }
            tch::no_grad(|| {
                if !fused::sgd(&views[0], &grads.parts(group), views.get(1), s) {
                    let g = self.flat.group_views(group, &[grads.flat()]).remove(0);
                    sgd_ops(&views[0], &g, views.get(1), s);
                }
            });
        }
        self.steps += 1;
        Ok(())
    }

    fn plain_sgd_lr(&mut self, model: &mut M) -> Result<Option<f64>> {
        let groups = self.flat.groups();
        let plain = groups.len() == 1
            && self.momentum_buffer.is_none()
            && groups[0].weight_decay == 0.0
            && groups[0].momentum.is_none_or(|m| m == 0.0);
        if !plain {
            return Ok(None);
        }
        self.flat.check(model)?;
        Ok(Some(self.flat.groups()[0].lr))
    }

    fn count_fused_step(&mut self) {
        self.steps += 1;
    }

    flat_buffer_accessors!();
}

/// The step as tensor ops: PyTorch's single-tensor algorithm.
fn sgd_ops(p: &tch::Tensor, g: &tch::Tensor, momentum_buffer: Option<&tch::Tensor>, s: SgdStep) {
    let (mut p, g) = (p.shallow_clone(), g.shallow_clone());
    let g = if s.weight_decay != 0.0 {
        &g + p.g_mul_scalar(s.weight_decay)
    } else {
        g
    };
    let direction = match momentum_buffer {
        None => g,
        Some(buf) => {
            let mut buf = buf.shallow_clone();
            if s.first {
                buf.copy_(&g);
            } else {
                let _ = buf.g_mul_scalar_(s.momentum);
                let _ = buf.g_add_(&g.g_mul_scalar(1.0 - s.dampening));
            }
            if s.nesterov {
                &g + buf.g_mul_scalar(s.momentum)
            } else {
                buf
            }
        }
    };
    let _ = p.g_sub_(&direction.g_mul_scalar(s.lr));
}

//! [`TrainStep`]: forward, loss, backward and update of a stack, without the autograd tape.
use std::marker::PhantomData;

use super::layer::{Forward, StepLayer, StepTensor, Update};
use super::loss::{CrossEntropy, StepLoss};
use super::threads::{ThreadCount, Threads};
use crate::error::Result;
use crate::nn::Params;
use crate::optim::Optimizer;

/// A compiled training step: the forward pass of a model written into buffers kept from step to
/// step, the loss, and a backward pass derived by hand for each layer ([`StepLayer`]), with no
/// autograd graph recorded. Under plain SGD the update happens inside the backward pass; under
/// any other optimizer the gradients go to each parameter's `.grad` and the optimizer steps as
/// usual. A layer without a hand-derived backward pass runs through autograd
/// ([`Autograd`](super::Autograd)).
///
/// The numbers are autograd's: the same libtorch kernels in the forward pass, libtorch's own
/// backward kernels for the activations and the loss, and the chain rule for the rest (tested
/// against autograd, f64 to 1e-12, for every layer covered). The step is faster where overhead
/// dominates: 2.6x raw `tch` at batch 1 on the MLP of the README, where most of an eager step is
/// dispatch, graph bookkeeping, allocation and thread wake-ups (see [`Threads`]).
///
/// ```
/// use typed_torch::compiled::TrainStep;
/// use typed_torch::nn::{Init, Linear, Sigmoid};
/// use typed_torch::optim::{Sgd, SgdConfig};
/// use typed_torch::{Dyn, HList, Tensor, D};
/// type Net = HList![Linear<4, 16>, Sigmoid, Linear<16, 3>];
/// let mut net = Net::init().unwrap();
/// let mut opt = Sgd::new(&mut net, SgdConfig { lr: 0.5, ..Default::default() }).unwrap();
/// let x = Tensor::<(Dyn, D<4>)>::randn_dyn(&[1]).unwrap();
/// let y = Tensor::<(Dyn,), i64>::from_slice_dyn(&[2], &[1]).unwrap();
/// let mut step = TrainStep::new();
/// let first = step.run(&mut net, &mut opt, &x, &y).unwrap();
/// for _ in 0..50 {
///     step.run(&mut net, &mut opt, &x, &y).unwrap();
/// }
/// assert!(step.run(&mut net, &mut opt, &x, &y).unwrap() < first / 4.0);
/// ```
pub struct TrainStep<M, In, Target, L = CrossEntropy>
where
    M: StepLayer<In>,
    In: StepTensor,
    L: StepLoss<M::Output, Target>,
{
    loss: L,
    threads: Threads,
    model_cache: M::Cache,
    loss_cache: L::Cache,
    /// The batch size and forward multiply-adds of the last step.
    work: Option<(i64, u64)>,
    types: PhantomData<fn(&In, &Target)>,
}

impl<M, In, Target> TrainStep<M, In, Target, CrossEntropy>
where
    M: StepLayer<In> + Params,
    In: StepTensor,
    CrossEntropy: StepLoss<M::Output, Target>,
{
    /// A step ending in [`CrossEntropy`] (buffers are made on the first run).
    pub fn new() -> Self {
        Self::with_loss(CrossEntropy)
    }
}

impl<M, In, Target> Default for TrainStep<M, In, Target, CrossEntropy>
where
    M: StepLayer<In> + Params,
    In: StepTensor,
    CrossEntropy: StepLoss<M::Output, Target>,
{
    fn default() -> Self {
        Self::new()
    }
}

impl<M, In, Target, L> TrainStep<M, In, Target, L>
where
    M: StepLayer<In> + Params,
    In: StepTensor,
    L: StepLoss<M::Output, Target>,
{
    /// A step ending in `loss`.
    pub fn with_loss(loss: L) -> Self {
        TrainStep {
            loss,
            threads: Threads::default(),
            model_cache: M::Cache::default(),
            loss_cache: L::Cache::default(),
            work: None,
            types: PhantomData,
        }
    }

    /// How the step sets libtorch's thread count ([`Threads::Auto`] unless set).
    pub fn threads(mut self, threads: Threads) -> Self {
        self.threads = threads;
        self
    }

    /// One training step of `model` on `input` and `target` with `optimizer`; returns the loss
    /// (before the update). Plain SGD (one parameter group, no momentum, no weight decay) is
    /// applied inside the backward pass; any other optimizer steps from the gradients.
    ///
    /// An error, and no update, if `target` does not fit the output (a label that is not a
    /// class index) or the model's parameters are not the optimizer's.
    pub fn run<O: Optimizer<M>>(
        &mut self,
        model: &mut M,
        optimizer: &mut O,
        input: &In,
        target: &Target,
    ) -> Result<f64> {
        match optimizer.plain_sgd_lr(model)? {
            Some(lr) => {
                let loss = self.pass(model, input, target, Update::Sgd { lr })?;
                optimizer.count_fused_step();
                Ok(loss)
            }
            None => {
                let loss = self.pass(model, input, target, Update::Gradients)?;
                optimizer.step(model)?;
                Ok(loss)
            }
        }
    }

    /// The loss, with every trainable parameter's gradient written to its `.grad` (replacing, not
    /// adding to, what was there): `zero_grad`, forward, loss and `backward` in one call.
    pub fn gradients(&mut self, model: &mut M, input: &In, target: &Target) -> Result<f64> {
        self.pass(model, input, target, Update::Gradients)
    }

    fn pass(&mut self, model: &mut M, input: &In, target: &Target, update: Update) -> Result<f64> {
        let x = input.raw();
        let batch = x.size().first().copied().unwrap_or(1);
        let macs = self.work.filter(|(b, _)| *b == batch).map(|(_, m)| m);
        let _threads = ThreadCount::set(self.threads.for_work(macs));
        let _no_grad = tch::no_grad_guard();
        let mut forward = Forward::default();
        let output = model.step_forward(x, &mut self.model_cache, &mut forward);
        self.work = Some((batch, forward.macs));
        let (loss, grad) = self
            .loss
            .loss_and_grad(&output, target, &mut self.loss_cache)?;
        let _ = model.step_backward(x, &grad, &mut self.model_cache, update, false);
        Ok(loss)
    }
}

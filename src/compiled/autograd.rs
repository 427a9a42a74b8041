//! The fallback: a layer without a hand-derived backward pass runs through autograd, one layer
//! at a time, inside an otherwise compiled step.
use super::layer::{apply_update, grad_of, Forward, StepLayer, StepTensor, Update};
use crate::nn::{Module, Params};

/// Runs `L` inside a [`TrainStep`](super::TrainStep) through autograd: its forward pass records a
/// graph of this layer alone, and its backward pass runs that graph. Any layer or model works
/// (a normalisation, dropout, an LSTM, a struct of your own); the rest of the step stays
/// compiled. The wrapper is invisible elsewhere: same forward pass, same parameter names.
///
/// ```
/// use typed_torch::compiled::{Autograd, TrainStep};
/// use typed_torch::nn::{BatchNorm1d, Init, Linear, Params, ReLU};
/// use typed_torch::optim::{Sgd, SgdConfig};
/// use typed_torch::{Dyn, HList, Tensor, D};
/// type Net = HList![Linear<4, 8>, Autograd<BatchNorm1d<8>>, ReLU, Linear<8, 3>];
/// let mut net = Net::init().unwrap();
/// let mut opt = Sgd::new(&mut net, SgdConfig { lr: 0.1, ..Default::default() }).unwrap();
/// let mut step = TrainStep::new();
/// let x = Tensor::<(Dyn, D<4>)>::randn_dyn(&[16]).unwrap();
/// let y = Tensor::<(Dyn,), i64>::zeros_dyn(&[16]).unwrap();
/// let first = step.run(&mut net, &mut opt, &x, &y).unwrap();
/// for _ in 0..20 {
///     step.run(&mut net, &mut opt, &x, &y).unwrap();
/// }
/// assert!(step.run(&mut net, &mut opt, &x, &y).unwrap() < first);
/// assert_eq!(net.param_names()[2], "1.weight"); // as without the wrapper
/// ```
#[derive(Debug, Clone, crate::nn::Module)]
pub struct Autograd<L>(#[module(transparent)] pub L);

impl<In, L: Module<In>> Module<In> for Autograd<L> {
    type Output = L::Output;
    fn forward(&self, input: In) -> L::Output {
        self.0.forward(input)
    }
}

/// What the fallback keeps between the passes: the input (requiring a gradient when one is
/// asked for) and the output with its graph.
#[derive(Default)]
pub struct AutogradCache {
    input: Option<tch::Tensor>,
    output: Option<tch::Tensor>,
}

impl<In: StepTensor, L: Module<In, Output: StepTensor> + Params> StepLayer<In> for Autograd<L> {
    type Cache = AutogradCache;
    const TRAINABLE: bool = true;

    fn step_forward(
        &self,
        input: &tch::Tensor,
        cache: &mut AutogradCache,
        forward: &mut Forward,
    ) -> tch::Tensor {
        autograd_forward::<In, L>(&self.0, input, cache, forward.input_grad)
    }

    fn step_backward(
        &mut self,
        _: &tch::Tensor,
        grad: &tch::Tensor,
        cache: &mut AutogradCache,
        update: Update,
        input_grad: bool,
    ) -> Option<tch::Tensor> {
        autograd_backward(&mut self.0, grad, cache, update, input_grad)
    }
}

/// `layer`'s forward pass with autograd recording, from a fresh leaf: the graph covers this layer
/// only. The output handed on is detached, so the next layer does not extend the graph.
pub(crate) fn autograd_forward<In: StepTensor, L: Module<In, Output: StepTensor>>(
    layer: &L,
    input: &tch::Tensor,
    cache: &mut AutogradCache,
    input_grad: bool,
) -> tch::Tensor {
    let leaf = input.detach();
    let leaf = if input_grad {
        leaf.set_requires_grad(true)
    } else {
        leaf
    };
    let output = tch::with_grad(|| {
        layer
            .forward(In::from_raw(leaf.shallow_clone()))
            .raw()
            .shallow_clone()
    });
    let handed_on = output.detach();
    cache.input = Some(leaf);
    cache.output = Some(output);
    handed_on
}

/// Runs the recorded graph back from `grad`, for the trainable parameters (updated as `update`
/// says) and the input when `input_grad`.
pub(crate) fn autograd_backward<L: Params>(
    layer: &mut L,
    grad: &tch::Tensor,
    cache: &mut AutogradCache,
    update: Update,
    input_grad: bool,
) -> Option<tch::Tensor> {
    let input = cache
        .input
        .take()
        .expect("step_backward follows step_forward");
    let output = cache
        .output
        .take()
        .expect("step_backward follows step_forward");
    let mut params = Vec::new();
    layer.for_each_param(|_, p| {
        if p.requires_grad() {
            params.push(p.shallow_clone());
        }
    });
    let mut wrt: Vec<&tch::Tensor> = params.iter().collect();
    if input_grad {
        wrt.push(&input);
    }
    let grads = if output.requires_grad() && !wrt.is_empty() {
        // d (output . grad) / d output = grad: the seed autograd's ones turn into `grad`.
        let seed = tch::with_grad(|| (&output * grad).sum(output.kind()));
        tch::Tensor::run_backward(&[seed], &wrt, false, false)
    } else {
        Vec::new()
    };
    let gradient = |i: usize| grads.get(i).filter(|g| g.defined());
    for (i, p) in params.iter().enumerate() {
        match gradient(i) {
            Some(g) => apply_update(p, g.shallow_clone(), update),
            // Not reached by the output: a zero gradient, as autograd's `zero_grad` + backward
            // would leave it.
            None if update == Update::Gradients => {
                let _ = grad_of(p).zero_();
            }
            None => {}
        }
    }
    input_grad.then(|| match gradient(params.len()) {
        Some(g) => g.shallow_clone(),
        None => input.zeros_like(),
    })
}

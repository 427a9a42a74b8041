//! What the character-level language models (`char_lm`, `char_gpt`) share: one training pass
//! over shuffled windows and the validation pass. Each example includes this file by path, so
//! the tests that include the examples get it too.
use typed_torch::loss::{cross_entropy, Mean};
use typed_torch::nn::Params;
use typed_torch::optim::{clip_grad_norm, Adam, LrScheduler, Optimizer, Schedule};
use typed_torch::prelude::*;
use typed_torch::train::{correct, EpochMetrics, PhaseMeter};
use typed_torch::Result;

/// Windows of `T` character ids, one per row.
pub type Windows<const T: usize> = Tensor<(Dyn, D<T>), i64>;

/// One pass over the windows and their next-character targets in a seeded order (libtorch's
/// generator, so a seed gives the same run): Adam on the mean cross-entropy, gradients clipped
/// to norm 1, the schedule stepped every batch.
#[allow(clippy::too_many_arguments)]
pub fn train_epoch<M, S, const T: usize, const V: usize>(
    model: &mut M,
    opt: &mut Adam<M>,
    scheduler: &mut LrScheduler<S>,
    inputs: &Windows<T>,
    targets: &Windows<T>,
    batch_size: usize,
    mut meter: PhaseMeter,
) -> Result<EpochMetrics>
where
    M: Module<Windows<T>, Output = Tensor<(Dyn, D<T>, D<V>)>> + Params,
    S: Schedule,
{
    let windows = inputs.size()[0];
    let order = tch::Tensor::randperm(windows as i64, (tch::Kind::Int64, tch::Device::Cpu));
    for start in (0..windows).step_by(batch_size) {
        let len = batch_size.min(windows - start);
        let index = Tensor::<(Dyn,), i64>::from_tch(order.narrow(0, start as i64, len as i64))?;
        let x = inputs.index_select::<0>(&index);
        let y = targets.index_select::<0>(&index).flatten::<0, 1>();
        let logits = model.forward(x).flatten::<0, 1>();
        let loss = cross_entropy(&logits, &y, Mean);
        opt.zero_grad();
        loss.backward();
        clip_grad_norm(model, 1.0, 2.0);
        opt.step(model)?;
        scheduler.step(opt)?;
        meter.update(loss.item().into(), correct(&logits, &y), y.size()[0]);
    }
    Ok(meter.finish())
}

/// Mean loss (nats per character) and next-character accuracy on the validation windows, in
/// chunks of `chunk` windows.
pub fn evaluate<M, const T: usize, const V: usize>(
    model: &M,
    inputs: &Windows<T>,
    targets: &Windows<T>,
    chunk: usize,
    mut meter: PhaseMeter,
) -> EpochMetrics
where
    M: Module<Windows<T>, Output = Tensor<(Dyn, D<T>, D<V>)>>,
{
    let windows = inputs.size()[0];
    no_grad(|| {
        for start in (0..windows).step_by(chunk) {
            let len = chunk.min(windows - start);
            let x = inputs
                .narrow_dyn::<0>(start, len)
                .expect("a chunk inside the windows");
            let y = targets
                .narrow_dyn::<0>(start, len)
                .expect("a chunk inside the windows")
                .flatten::<0, 1>();
            let logits = model.forward(x).flatten::<0, 1>();
            let loss = cross_entropy(&logits, &y, Mean);
            meter.update(loss.item().into(), correct(&logits, &y), y.size()[0]);
        }
    });
    meter.finish()
}

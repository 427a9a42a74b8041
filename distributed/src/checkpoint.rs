//! Checkpoints in a data-parallel run: rank 0 writes, every rank reads, and every rank learns
//! whether that worked, so no rank goes on (or waits forever) alone.
//!
//! Replicas are identical under DDP, so one file holds the whole run. On several machines the
//! path must be on storage every machine sees, or be copied to each before loading.
use std::path::Path;

use typed_torch::checkpoint::{LoadReport, Loader, Saver};
use typed_torch::nn::Params;
use typed_torch::{Device, Tensor, D};

use crate::collectives::ReduceOp;
use crate::error::{DistError, Result};
use crate::group::ProcessGroup;

/// Rank 0 writes `saver`'s checkpoint to `path` (atomically: a reader never sees half a file);
/// every rank returns once it is complete, or with an error on every rank if rank 0 failed.
///
/// ```no_run
/// use typed_torch::checkpoint::Saver;
/// # use typed_torch::prelude::*;
/// # use typed_torch::nn::Linear;
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let group = typed_torch_distributed::ProcessGroup::from_env()?;
/// # let model = Linear::<4, 1>::init()?;
/// typed_torch_distributed::save(&group, &Saver::new(&model), "run/last.safetensors".as_ref())?;
/// # Ok(()) }
/// ```
pub fn save<M: Params + ?Sized, Dev: Device>(
    group: &ProcessGroup<Dev>,
    saver: &Saver<'_, M>,
    path: &Path,
) -> Result<()> {
    let mut outcome = Ok(());
    if group.is_main() {
        outcome = saver.save(path);
    }
    let mut failed = flag::<Dev>(outcome.is_err())?;
    group.broadcast(&mut failed, 0)?;
    outcome?;
    if failed.to_vec()[0] != 0 {
        return Err(DistError::PeerFailed {
            rank: 0,
            what: "write the checkpoint",
        });
    }
    Ok(())
}

/// Every rank loads `path` with `loader` (a strict load unless its options relax it); an error
/// on every rank if any rank could not, with the model then unchanged on the ranks that failed.
pub fn load<M: Params + ?Sized, Dev: Device>(
    group: &ProcessGroup<Dev>,
    loader: Loader<'_, M>,
    path: &Path,
) -> Result<LoadReport> {
    let outcome = loader.load(path);
    // Each rank contributes its rank + 1 if it failed: the maximum names a failed rank.
    let mine = if outcome.is_err() {
        group.rank() as i64 + 1
    } else {
        0
    };
    let mut failed = flag::<Dev>(false)?;
    let _ = tch::no_grad(|| failed.as_tch().shallow_clone().fill_(mine));
    group.all_reduce(&mut failed, ReduceOp::Max)?;
    let report = outcome?;
    match failed.to_vec()[0] {
        0 => Ok(report),
        rank => Err(DistError::PeerFailed {
            rank: rank as usize - 1,
            what: "load the checkpoint",
        }),
    }
}

fn flag<Dev: Device>(set: bool) -> Result<Tensor<(D<1>,), i64, Dev>> {
    let t = tch::Tensor::from_slice(&[i64::from(set)]).to_device(Dev::tch());
    Ok(Tensor::from_tch(t)?)
}

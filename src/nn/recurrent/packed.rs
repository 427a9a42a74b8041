//! Variable-length batches with PyTorch's `pack_padded_sequence` semantics: each sequence runs for
//! its own length, outputs past it are zero, and the final state is the one at its last valid step
//! (for the reverse direction, the state after reading it backwards from there).
use crate::error::{Error, Result};

/// A padded batch packed for libtorch's `*_data` kernels, with the order that undoes the sort.
pub(crate) struct Packed {
    /// The valid steps of every sequence, step-major.
    pub data: tch::Tensor,
    /// How many sequences are still running at each step.
    pub batch_sizes: tch::Tensor,
    /// Batch positions by decreasing length (libtorch packs sorted batches).
    order: tch::Tensor,
    /// The inverse permutation of `order`.
    restore: tch::Tensor,
    steps: i64,
    batch_first: bool,
}

/// Checks `lengths` against the batch and the steps of `x`: one per sequence, each from 1 to the
/// number of steps (libtorch cannot pack an empty sequence).
fn check_lengths(lengths: &tch::Tensor, batch: i64, steps: i64) -> Result<()> {
    let values: Vec<i64> = Vec::<i64>::try_from(lengths.to_kind(tch::Kind::Int64))?;
    if values.len() as i64 != batch || values.iter().any(|&l| l < 1 || l > steps) {
        return Err(Error::SequenceLengths {
            batch: batch as usize,
            steps: steps as usize,
            found: values,
        });
    }
    Ok(())
}

impl Packed {
    /// Packs `x` (`(T, B, F)`, or `(B, T, F)` when `batch_first`) by `lengths` (`(B,)`, on the CPU).
    pub fn new(x: &tch::Tensor, lengths: &tch::Tensor, batch_first: bool) -> Result<Packed> {
        let sizes = x.size();
        let (steps, batch) = match batch_first {
            true => (sizes[1], sizes[0]),
            false => (sizes[0], sizes[1]),
        };
        check_lengths(lengths, batch, steps)?;
        let (sorted, order) = lengths.f_sort(0, true)?;
        let order = order.f_to_device(x.device())?;
        let restore = order.f_argsort(0, false)?;
        let batch_axis = i64::from(!batch_first);
        let (data, batch_sizes) = x
            .f_index_select(batch_axis, &order)?
            .f_internal_pack_padded_sequence(&sorted, batch_first)?;
        Ok(Packed {
            data,
            batch_sizes,
            order,
            restore,
            steps,
            batch_first,
        })
    }

    /// An initial state `(layers x directions, B, H)` in the packed batch's order.
    pub fn sort_state(&self, state: &tch::Tensor) -> Result<tch::Tensor> {
        Ok(state.f_index_select(1, &self.order)?)
    }

    /// A final state back in the caller's batch order.
    pub fn restore_state(&self, state: &tch::Tensor) -> Result<tch::Tensor> {
        Ok(state.f_index_select(1, &self.restore)?)
    }

    /// Packed outputs back to a padded tensor of the input's steps and batch order, zero past each
    /// sequence's length.
    pub fn unpack(&self, data: &tch::Tensor) -> Result<tch::Tensor> {
        let (padded, _) = tch::Tensor::f_internal_pad_packed_sequence(
            data,
            &self.batch_sizes,
            self.batch_first,
            0.0,
            self.steps,
        )?;
        Ok(padded.f_index_select(i64::from(!self.batch_first), &self.restore)?)
    }
}

//! Typed collectives: each takes tensors on the group's device, keeps their shape in the type and
//! returns an error (never hangs) when a peer fails or does not take part within the timeout.
//!
//! Results equal `torch.distributed`'s: these are the same c10d calls.
use typed_torch::{Device, Dyn, Element, Float, InsertAxis, RemoveAxis, Shape, Tensor, D};

use crate::error::{DistError, Result};
use crate::ffi;
use crate::group::{millis, ProcessGroup};

/// How [`ProcessGroup::all_reduce`] combines the ranks' tensors, element by element. (For the
/// mean, see [`ProcessGroup::all_reduce_mean`], which only floating-point tensors have.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReduceOp {
    /// The sum over ranks.
    Sum,
    /// The product over ranks.
    Product,
    /// The minimum over ranks.
    Min,
    /// The maximum over ranks.
    Max,
}

impl ReduceOp {
    fn code(self) -> i32 {
        match self {
            ReduceOp::Sum => 0,
            ReduceOp::Product => 1,
            ReduceOp::Min => 2,
            ReduceOp::Max => 3,
        }
    }
}

/// A dense, contiguous tensor sharing `t`'s storage when `t` already is one, else a copy (c10d
/// needs dense memory); `write_back` puts a copy's result back into `t`.
struct Dense<'a> {
    original: &'a tch::Tensor,
    buffer: tch::Tensor,
    copied: bool,
}

impl<'a> Dense<'a> {
    fn of(original: &'a tch::Tensor) -> Self {
        let copied = !original.is_contiguous();
        let buffer = if copied {
            original.detach().contiguous()
        } else {
            original.detach()
        };
        Dense {
            original,
            buffer,
            copied,
        }
    }

    fn write_back(self) {
        if self.copied {
            tch::no_grad(|| self.original.detach().copy_(&self.buffer));
        }
    }
}

impl<Dev: Device> ProcessGroup<Dev> {
    /// Combines `tensor` over every rank with `op`, in place: afterwards every rank holds the
    /// same result (PyTorch's `dist.all_reduce`).
    ///
    /// ```no_run
    /// use typed_torch::{Tensor, D};
    /// use typed_torch_distributed::{ProcessGroup, ReduceOp};
    /// # fn main() -> typed_torch_distributed::Result<()> {
    /// let group = ProcessGroup::from_env()?;
    /// let mut t = Tensor::<(D<3>,), i64>::full(group.rank() as i64);
    /// group.all_reduce(&mut t, ReduceOp::Sum)?; // 0 + 1 + ... on every rank
    /// # Ok(()) }
    /// ```
    pub fn all_reduce<S: Shape, E: Element>(
        &self,
        tensor: &mut Tensor<S, E, Dev>,
        op: ReduceOp,
    ) -> Result<()> {
        self.all_reduce_raw(&[tensor.as_tch()], op, "all_reduce")
    }

    /// The mean over every rank, in place (a sum divided by the world size, as DDP averages
    /// gradients).
    pub fn all_reduce_mean<S: Shape, E: Float>(
        &self,
        tensor: &mut Tensor<S, E, Dev>,
    ) -> Result<()> {
        self.all_reduce_raw(&[tensor.as_tch()], ReduceOp::Sum, "all_reduce_mean")?;
        tch::no_grad(|| {
            let _ = tensor
                .as_tch()
                .detach()
                .g_div_scalar_(self.world_size() as f64);
        });
        Ok(())
    }

    /// All-reduce of untyped tensors of one dtype (DDP's buckets).
    pub(crate) fn all_reduce_raw(
        &self,
        tensors: &[&tch::Tensor],
        op: ReduceOp,
        name: &'static str,
    ) -> Result<()> {
        let dense: Vec<Dense> = tensors.iter().map(|t| Dense::of(t)).collect();
        let handles: Vec<_> = dense.iter().map(|d| ffi::handle(&d.buffer)).collect();
        for chunk in handles.chunks(1) {
            // One call per tensor: Gloo reduces a list as copies of one tensor on several devices.
            ffi::call(|error, len| unsafe {
                ffi::tt_c10d_all_reduce(
                    self.handle.0,
                    chunk.as_ptr(),
                    chunk.len() as i32,
                    op.code(),
                    millis(self.timeout),
                    error,
                    len,
                )
            })
            .map_err(|m| self.collective_error(name, m))?;
        }
        dense.into_iter().for_each(Dense::write_back);
        Ok(())
    }

    /// Copies rank `root`'s `tensor` into every other rank's `tensor` (`dist.broadcast`).
    pub fn broadcast<S: Shape, E: Element>(
        &self,
        tensor: &mut Tensor<S, E, Dev>,
        root: usize,
    ) -> Result<()> {
        self.check_root(root, "broadcast")?;
        self.broadcast_raw(tensor.as_tch(), root, "broadcast")
    }

    pub(crate) fn broadcast_raw(
        &self,
        tensor: &tch::Tensor,
        root: usize,
        name: &'static str,
    ) -> Result<()> {
        let dense = Dense::of(tensor);
        let handles = [ffi::handle(&dense.buffer)];
        ffi::call(|error, len| unsafe {
            ffi::tt_c10d_broadcast(
                self.handle.0,
                handles.as_ptr(),
                1,
                root as i32,
                millis(self.timeout),
                error,
                len,
            )
        })
        .map_err(|m| self.collective_error(name, m))?;
        dense.write_back();
        Ok(())
    }

    /// Every rank's `tensor`, stacked in rank order along a new first dim of the world size
    /// (`Dyn`: known at run time). Every rank must pass the same shape.
    pub fn all_gather<S, E: Element>(
        &self,
        tensor: &Tensor<S, E, Dev>,
    ) -> Result<Tensor<<S as InsertAxis<0, Dyn>>::Output, E, Dev>>
    where
        S: Shape + InsertAxis<0, Dyn>,
    {
        Ok(Tensor::from_tch(self.all_gather_raw(tensor.as_tch())?)?)
    }

    /// [`all_gather`](Self::all_gather) for a world size known when compiling: the new first dim
    /// is `D<W>`; an error if the group's size is not `W`.
    pub fn all_gather_static<const W: usize, S, E: Element>(
        &self,
        tensor: &Tensor<S, E, Dev>,
    ) -> Result<Tensor<<S as InsertAxis<0, D<W>>>::Output, E, Dev>>
    where
        S: Shape + InsertAxis<0, D<W>>,
    {
        if self.world_size() != W {
            return Err(DistError::Mismatch {
                what: "all_gather_static's world size".into(),
                expected: W.to_string(),
                found: format!("a group of {}", self.world_size()),
            });
        }
        Ok(Tensor::from_tch(self.all_gather_raw(tensor.as_tch())?)?)
    }

    fn all_gather_raw(&self, input: &tch::Tensor) -> Result<tch::Tensor> {
        let input = input.detach().contiguous();
        let mut size = vec![self.world_size() as i64];
        size.extend(input.size());
        let output = tch::Tensor::empty(&size, (input.kind(), input.device()));
        // Row r of a contiguous tensor is itself contiguous: Gloo writes each rank's part in place.
        let rows: Vec<tch::Tensor> = (0..self.world_size() as i64)
            .map(|r| output.select(0, r))
            .collect();
        let handles: Vec<_> = rows.iter().map(ffi::handle).collect();
        ffi::call(|error, len| unsafe {
            ffi::tt_c10d_all_gather(
                self.handle.0,
                handles.as_ptr(),
                handles.len() as i32,
                ffi::handle(&input),
                millis(self.timeout),
                error,
                len,
            )
        })
        .map_err(|m| self.collective_error("all_gather", m))?;
        Ok(output)
    }

    /// Reduces every rank's `input` with `op` and gives rank `r` row `r` of the result: `input`'s
    /// first dim must be the world size (`dist.reduce_scatter_tensor`).
    pub fn reduce_scatter<S, E: Element>(
        &self,
        input: &Tensor<S, E, Dev>,
        op: ReduceOp,
    ) -> Result<Tensor<<S as RemoveAxis<0>>::Output, E, Dev>>
    where
        S: Shape + RemoveAxis<0>,
    {
        let input = input.as_tch().detach().contiguous();
        let first = input.size().first().copied().unwrap_or(0);
        if first != self.world_size() as i64 {
            return Err(DistError::Mismatch {
                what: "reduce_scatter's first dim (one row per rank)".into(),
                expected: self.world_size().to_string(),
                found: first.to_string(),
            });
        }
        let rows: Vec<tch::Tensor> = (0..first).map(|r| input.select(0, r)).collect();
        let output = rows[self.rank()].empty_like();
        let handles: Vec<_> = rows.iter().map(ffi::handle).collect();
        ffi::call(|error, len| unsafe {
            ffi::tt_c10d_reduce_scatter(
                self.handle.0,
                ffi::handle(&output),
                handles.as_ptr(),
                handles.len() as i32,
                op.code(),
                millis(self.timeout),
                error,
                len,
            )
        })
        .map_err(|m| self.collective_error("reduce_scatter", m))?;
        Ok(Tensor::from_tch(output)?)
    }

    /// Waits until every rank has called `barrier`.
    pub fn barrier(&self) -> Result<()> {
        ffi::call(|error, len| unsafe {
            ffi::tt_c10d_barrier(self.handle.0, millis(self.timeout), error, len)
        })
        .map_err(|m| self.collective_error("barrier", m))
    }

    fn check_root(&self, root: usize, op: &'static str) -> Result<()> {
        if root < self.world_size() {
            Ok(())
        } else {
            Err(DistError::Settings(format!(
                "{op} from rank {root}, but the group has ranks 0..{}",
                self.world_size()
            )))
        }
    }
}

//! Data-parallel training for typed-torch on PyTorch's own distributed engine, c10d.
//!
//! tch has no `torch.distributed`; this crate brings it, with the same transports PyTorch uses
//! (a TCPStore rendezvous, Gloo between CPU processes, NCCL between GPUs) behind
//! typed, fallible Rust:
//!
//! * [`ProcessGroup`]: joins the group torchrun's environment describes
//!   ([`ProcessGroup::from_env`]) or explicit [`InitOptions`]. Its device is in its type, and so
//!   is every collective's: `ProcessGroup<Cpu>` takes `Cpu` tensors (Gloo),
//!   `ProcessGroup<Cuda<0>>` (from [`ProcessGroup::init_nccl`]) `Cuda<0>` tensors (NCCL; compiled
//!   and skipped without a GPU, not yet run on one).
//! * Collectives with shapes in the type and a timeout on every call:
//!   [`all_reduce`](ProcessGroup::all_reduce) (sum, product, min, max; and
//!   [`all_reduce_mean`](ProcessGroup::all_reduce_mean) for floats),
//!   [`broadcast`](ProcessGroup::broadcast), [`all_gather`](ProcessGroup::all_gather) (a new
//!   `Dyn` first dim, or `D<W>` with [`all_gather_static`](ProcessGroup::all_gather_static)),
//!   [`reduce_scatter`](ProcessGroup::reduce_scatter), [`barrier`](ProcessGroup::barrier). A dead
//!   peer or a wrong world size is a [`DistError`] within the timeout, never a hang.
//! * [`DistributedDataParallel`]: rank 0's weights everywhere at the start, gradients averaged
//!   in 25 MiB buckets in reverse parameter order, [`no_sync`](DistributedDataParallel::no_sync)
//!   for gradient accumulation, buffers broadcast before each forward.
//! * [`ProcessGroup::sampler`]: this rank's
//!   [`DistributedSampler`](typed_torch::data::DistributedSampler) for the `DataLoader`.
//! * [`save`] and [`load`]: rank 0 writes a checkpoint atomically, every rank reads it, every
//!   rank learns of a failure.
//!
//! Programs are started by the `typed-torch-run` launcher (torchrun's interface, its own crate)
//! or by `torchrun` itself. The [`guide`] chapter goes from one machine to several.
//!
//! Building needs Gloo's C++ headers (Debian's `libgloo-dev`, which `scripts/setup.sh`
//! installs, or `GLOO_INCLUDE_DIR`); the Gloo code itself is libtorch's.
mod checkpoint;
mod collectives;
mod ddp;
mod error;
mod ffi;
mod group;
pub mod guide;

pub use checkpoint::{load, save};
pub use collectives::ReduceOp;
pub use ddp::{DdpOptions, DistributedDataParallel};
pub use error::{DistError, Result};
pub use group::{Bind, InitOptions, ProcessGroup, DEFAULT_TIMEOUT};

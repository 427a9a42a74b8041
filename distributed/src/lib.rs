//! Data-parallel training for typed-torch on PyTorch's own c10d engine (WIP docs).
mod checkpoint;
mod collectives;
mod ddp;
mod error;
mod ffi;
mod group;

pub use checkpoint::{load, save};
pub use collectives::ReduceOp;
pub use ddp::{DdpOptions, DistributedDataParallel};
pub use error::{DistError, Result};
pub use group::{Bind, InitOptions, ProcessGroup, DEFAULT_TIMEOUT};

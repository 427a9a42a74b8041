//! Checkpoints: models, optimizer and scheduler state as `safetensors` files that PyTorch reads
//! and writes as they are.
//!
//! * **Names and dtypes are PyTorch's.** A model's tensors are saved under their `state_dict`
//!   names ([`Params`] visits them) in their own dtypes, so
//!   `model.load_state_dict(safetensors.torch.load_file(path))` loads a typed-torch checkpoint
//!   into the equivalent `torch.nn` module, and a file from
//!   `safetensors.torch.save_file(model.state_dict(), path)` loads here ([`load`]).
//! * **Nothing bad loads, nothing crashes.** The file is parsed by a validating reader (header
//!   length against the file length before anything is allocated, JSON, duplicate names, dtypes,
//!   byte ranges against dtype x shape, overlaps, coverage, per-tensor CRC-32 checksums), then
//!   checked against the model (missing and unexpected names, shapes, dtypes). A failed load is
//!   [`CheckpointError::Problems`] listing every [`Problem`] with what was expected and found,
//!   and the model is unchanged. [`LoadOptions`] relax the fit (PyTorch's `strict=False`, dtype
//!   conversion).
//! * **One error type.** Every function here that reads or writes a file returns
//!   [`CheckpointError`]: the problems of a file that cannot be used, an I/O failure, or a
//!   libtorch or configuration failure ([`CheckpointError::Other`]). `?` turns it into a
//!   [`typed_torch::Error`](crate::Error) with the same message, or keeps it whole in a
//!   `Box<dyn std::error::Error>` or `anyhow::Error`.
//! * **Writes are atomic** ([`write_atomically`]): temporary file, flush, `fsync`, rename.
//! * **Training resumes exactly.** [`Saver`] and [`Loader`] also carry an optimizer's state
//!   ([`OptimizerState`](crate::optim::OptimizerState): moments, step count, group rates), a
//!   scheduler's position and an [`RngState`]; a serde configuration and a format version go in
//!   the metadata.
//!
//! The metadata (`__metadata__`, strings) holds `format` = `typed-torch`, `format_version`
//! ([`FORMAT_VERSION`]), `checksums` (JSON: tensor name to CRC-32 of its bytes), and when saved,
//! `config`, `optimizer`, `scheduler` and `rng` (JSON). Optimizer buffers are tensors named
//! `@optimizer/<buffer>/<parameter>`; names starting with `@` are never model tensors (a model-only
//! [`load`] of a training checkpoint skips them; in PyTorch,
//! `{k: v for k, v in load_file(p).items() if not k.startswith("@")}` is the model's `state_dict`).
//!
//! ```
//! use typed_torch::prelude::*;
//! use typed_torch::checkpoint;
//! use typed_torch::nn::{BatchNorm1d, Linear};
//! use typed_torch::{hlist, HList};
//! type Net = HList![Linear<4, 3>, BatchNorm1d<3>];
//! let dir = std::env::temp_dir().join(format!("tt-doc-checkpoint-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let path = dir.join("net.safetensors");
//!
//! let net = Net::init().unwrap();
//! checkpoint::save(&net, &path).unwrap();
//! let names: Vec<String> = checkpoint::inspect(&path).unwrap().into_iter().map(|(n, _)| n).collect();
//! assert!(names.contains(&"1.running_mean".to_string()));
//!
//! let mut copy = Net::init().unwrap();
//! let report = checkpoint::load(&mut copy, &path).unwrap();
//! assert_eq!(report.loaded.len(), 7);
//! assert_eq!(copy.head.weight.to_vec(), net.head.weight.to_vec());
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```
mod error;
mod format;
mod load;
mod options;
mod problem;
mod rng;
mod save;

pub use error::CheckpointError;
pub use format::{DType, MAX_HEADER_LEN};
pub use load::{
    inspect, inspect_bytes, load, load_with, read_config, read_metadata, LoadReport, Loader,
};
pub use options::LoadOptions;
pub use problem::{Problem, TensorSpec};
pub use rng::RngState;
pub use save::{write_atomically, Saver};

use crate::error::Result;
use crate::nn::Params;
use serde::{Deserialize, Serialize};

/// The format version this crate writes, and the newest it reads. Version 1 (typed-torch before
/// checksums and training state) still loads.
pub const FORMAT_VERSION: u32 = 2;

/// The value of the `format` metadata entry.
pub const FORMAT_NAME: &str = "typed-torch";

/// Names starting with this are training state, never model tensors.
pub const RESERVED_PREFIX: char = '@';

/// Metadata keys.
pub(crate) mod keys {
    pub const FORMAT: &str = "format";
    pub const FORMAT_VERSION: &str = "format_version";
    pub const CONFIG: &str = "config";
    pub const CHECKSUMS: &str = "checksums";
    pub const OPTIMIZER: &str = "optimizer";
    pub const SCHEDULER: &str = "scheduler";
    pub const RNG: &str = "rng";
    pub const RESERVED: [&str; 7] = [
        FORMAT,
        FORMAT_VERSION,
        CONFIG,
        CHECKSUMS,
        OPTIMIZER,
        SCHEDULER,
        RNG,
    ];
    /// Prefix of optimizer buffer tensors.
    pub const OPTIMIZER_TENSORS: &str = "@optimizer";
}

/// The optimizer's metadata entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct OptimizerRecord {
    name: String,
    steps: u64,
    hyper_parameters: serde_json::Value,
    groups: Vec<GroupRecord>,
}

/// One parameter group's settings and members.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct GroupRecord {
    lr: f64,
    weight_decay: f64,
    /// A momentum set by a schedule (absent: the configured one, and in files written before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    momentum: Option<f64>,
    params: Vec<String>,
}

/// The names of the parameters inside a group's element range, in `state_dict` order.
fn group_members(flat: &crate::optim::FlatParams, range: &std::ops::Range<usize>) -> Vec<String> {
    flat.names()
        .filter(|name| {
            flat.range_of(name)
                .is_some_and(|r| r.start >= range.start && r.end <= range.end)
        })
        .map(str::to_string)
        .collect()
}

/// Writes `model`'s tensors to `path` atomically (see [`Saver`] for more than the model).
pub fn save<M: Params + ?Sized>(model: &M, path: &std::path::Path) -> Result<(), CheckpointError> {
    Saver::new(model).save(path)
}

/// Writes `model`'s tensors and a serde configuration (hyper-parameters) to `path`.
pub fn save_with_config<M: Params + ?Sized, C: Serialize + ?Sized>(
    model: &M,
    config: &C,
    path: &std::path::Path,
) -> Result<(), CheckpointError> {
    Saver::new(model).config(config)?.save(path)
}

//! What can go wrong between processes, each case naming what was expected and what was found.
use std::time::Duration;

/// A distributed failure. Every collective returns one instead of hanging: a dead peer, a wrong
/// world size or a peer that never arrives ends the call within the group's timeout.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DistError {
    /// A torchrun environment variable is missing or malformed.
    #[error(
        "environment variable {variable} is {found}; expected {expected} (set by typed-torch-run or torchrun, or use InitOptions::new)"
    )]
    Environment {
        /// The variable, e.g. `RANK`.
        variable: &'static str,
        /// What it holds (`unset` when missing).
        found: String,
        /// What it should hold.
        expected: &'static str,
    },
    /// Explicit settings that cannot describe a process group.
    #[error("invalid process group settings: {0}")]
    Settings(String),
    /// The rendezvous did not complete: the master was unreachable, or fewer peers than the world
    /// size arrived within the timeout.
    #[error(
        "rank {rank} of {world_size} could not join the process group at {master}:{port} within {timeout:?}: {message}"
    )]
    Rendezvous {
        /// This process's rank.
        rank: usize,
        /// The world size it expected.
        world_size: usize,
        /// The master address.
        master: String,
        /// The master port.
        port: u16,
        /// The timeout that applied.
        timeout: Duration,
        /// c10d's explanation.
        message: String,
    },
    /// A collective failed: a peer died, disconnected or did not take part within the timeout.
    /// The group is unusable afterwards, as in PyTorch; the process should exit.
    #[error(
        "{op} failed on rank {rank} of {world_size} (timeout {timeout:?}); a peer may have died or not called {op}: {message}"
    )]
    Collective {
        /// The collective, e.g. `all_reduce`.
        op: &'static str,
        /// This process's rank.
        rank: usize,
        /// The group's size.
        world_size: usize,
        /// The timeout that applied.
        timeout: Duration,
        /// c10d's explanation.
        message: String,
    },
    /// Ranks disagree about something that must be identical everywhere (a model's parameters,
    /// a static world size).
    #[error("{what}: expected {expected}, found {found}")]
    Mismatch {
        /// What differs.
        what: String,
        /// The expected value.
        expected: String,
        /// The value found.
        found: String,
    },
    /// The backend this device needs is not available here.
    #[error("{backend} is unavailable: {reason}")]
    Unavailable {
        /// `NCCL` or `Gloo`.
        backend: &'static str,
        /// Why.
        reason: String,
    },
    /// Another rank failed at a step every rank takes together (rank 0 writing a checkpoint,
    /// some rank loading one); this rank stopped too, so that no rank goes on alone.
    #[error("rank {rank} could not {what}; its own output says why")]
    PeerFailed {
        /// The rank that failed.
        rank: usize,
        /// What it was doing.
        what: &'static str,
    },
    /// A checkpoint that could not be written or read on this rank.
    #[error(transparent)]
    Checkpoint(#[from] typed_torch::checkpoint::CheckpointError),
    /// A typed-torch failure (shapes, dtypes, devices, files).
    #[error(transparent)]
    Tensor(#[from] typed_torch::Error),
}

/// `Result` with a [`DistError`].
pub type Result<T, E = DistError> = std::result::Result<T, E>;

//! `typed-torch-run`: torchrun's interface for typed-torch programs.
//!
//! The launcher starts one process per rank on this node, gives each the environment a
//! distributed typed-torch (or PyTorch) program reads to join its process group, copies their
//! output with a `[rank R] ` prefix, and supervises them with torchrun's policy: when one rank
//! fails, the others are stopped, and the launcher exits with the failing rank's status. This
//! crate is the logic, callable in-process through [`launch`]; the `typed-torch-run` binary is a
//! thin command line on top of it:
//!
//! ```text
//! typed-torch-run --nproc-per-node N [--nnodes M] [--node-rank K] [--master-addr ADDR]
//!                 [--master-port PORT] [--one-gpu-per-rank] [--grace-period SECS] [--no-prefix]
//!                 -- PROGRAM [ARGS...]
//! ```
//!
//! Defaults: `--nnodes 1`, `--node-rank 0`, `--master-addr 127.0.0.1`, `--master-port 29500`,
//! `--grace-period 10` (seconds, fractions allowed). torchrun's underscore spellings
//! (`--nproc_per_node`, ...) are accepted too. An invalid combination (`--node-rank` not below
//! `--nnodes`, `--nproc-per-node 0`, ...) is reported naming the flag and the value, with exit
//! code 2.
//!
//! The crate supports Unix only (process groups and POSIX signals).
//!
//! # The environment of a rank
//!
//! Local rank `l` (`0 <= l < N`, `N = --nproc-per-node`) on node `K` of `M` inherits the launcher's
//! environment plus [`LaunchConfig::extra_env`], and these variables (the names torchrun sets):
//!
//! | Variable           | Value                    | Meaning                                   |
//! |--------------------|--------------------------|-------------------------------------------|
//! | `RANK`             | `K * N + l`              | global rank, `0..WORLD_SIZE`              |
//! | `WORLD_SIZE`       | `M * N`                  | number of ranks on all nodes              |
//! | `LOCAL_RANK`       | `l`                      | rank on this node                         |
//! | `LOCAL_WORLD_SIZE` | `N`                      | ranks on this node                        |
//! | `GROUP_RANK`       | `K`                      | this node's rank (`--node-rank`)          |
//! | `MASTER_ADDR`      | `--master-addr`          | where rank 0 listens for the rendezvous   |
//! | `MASTER_PORT`      | `--master-port`          | its port (the picked one for port 0)      |
//! | `OMP_NUM_THREADS`  | cores / `N`, at least 1  | only if unset and `N > 1`                 |
//!
//! Each rank's stdin is `/dev/null`. Each rank runs in its own process group: the launcher's
//! signals reach what a rank started as well, and a Ctrl-C at the terminal reaches the launcher
//! only, which forwards it (see [Signals](#signals)).
//!
//! # One GPU per rank
//!
//! typed-torch puts the device in the type: a model on the first GPU is a `Cuda<0>` model. With
//! `--one-gpu-per-rank` ([`LaunchConfig::one_gpu_per_rank`]) every rank sees exactly one GPU, as
//! device 0, so the same program (with `Cuda<0>`) runs on a different GPU in every rank:
//!
//! - if `CUDA_VISIBLE_DEVICES` is set (in `extra_env`, else in the launcher's environment) to a
//!   comma-separated list, local rank `l` gets its `l`-th entry (`CUDA_VISIBLE_DEVICES=2,3` and two
//!   ranks: rank 0 sees GPU 2, rank 1 sees GPU 3). The list must have at least `N` entries;
//! - otherwise local rank `l` gets `CUDA_VISIBLE_DEVICES=l`.
//!
//! Without the flag `CUDA_VISIBLE_DEVICES` is passed through unchanged and every rank sees every
//! GPU; it then has to choose its device from `LOCAL_RANK` itself.
//!
//! # Output
//!
//! By default each rank's stdout and stderr are piped, and every line is written to the
//! launcher's stdout or stderr, respectively, as `[rank R] line` (`R` the global rank). Lines are
//! never interleaved inside a line; the bytes are copied as they are (no UTF-8 requirement), a last
//! line without a newline gets one, and a line longer than 64 KiB is cut into 64 KiB lines. With
//! `--no-prefix` ([`LaunchConfig::prefix_output`] `false`) the ranks write to the launcher's stdout
//! and stderr directly. (In-process, the copies go to the process's real stdout and stderr, which
//! the test harness does not capture.)
//!
//! # Failures and exit status
//!
//! When a rank exits unsuccessfully (non-zero status or killed by a signal), the launcher sends
//! SIGTERM to every rank still running, waits up to the grace period, SIGKILLs those still
//! alive, reaps them all and prints one line to stderr, for example:
//!
//! ```text
//! typed-torch-run: rank 1 (pid 1234) exited with status 3; stopped ranks 0, 2
//! ```
//!
//! The launcher's exit status ([`Outcome::code`]) is:
//!
//! - 0 when every rank exited with status 0 (and nothing is printed);
//! - the first failing rank's exit status, or 128 + the signal that killed it;
//! - 128 + the signal when the launcher itself received SIGINT, SIGTERM or SIGHUP (130, 143, 129);
//! - 2 for an invalid command line, 127 when the program was not found, 126 when it could not be
//!   executed, 1 for the launcher's other errors ([`LaunchError::exit_code`]).
//!
//! # Signals
//!
//! SIGINT, SIGTERM and SIGHUP received by the launcher are forwarded to every running rank (the
//! same signal, to the rank's process group); after the grace period the ranks still running get
//! SIGKILL, and a second signal during the grace period sends SIGKILL at once. The launcher then
//! exits with 128 + the signal. A signal the launcher was started with ignored (under `nohup`,
//! SIGHUP) stays ignored. If the launcher itself is SIGKILLed it cannot stop the ranks.
//!
//! # Several nodes
//!
//! Every node runs the same command with its own `--node-rank`, the same `--nnodes`,
//! `--nproc-per-node` and `--master-port`, and the same `--master-addr`: an address of node 0
//! that every node can reach. With two machines of 4 GPUs each, node 0 at `10.0.0.1`:
//!
//! ```text
//! # on 10.0.0.1 (ranks 0..=3)
//! typed-torch-run --nproc-per-node 4 --nnodes 2 --node-rank 0 \
//!     --master-addr 10.0.0.1 --master-port 29500 --one-gpu-per-rank -- ./train --epochs 10
//! # on the second machine (ranks 4..=7)
//! typed-torch-run --nproc-per-node 4 --nnodes 2 --node-rank 1 \
//!     --master-addr 10.0.0.1 --master-port 29500 --one-gpu-per-rank -- ./train --epochs 10
//! ```
//!
//! Each launcher supervises only its own node's ranks: a failure on one node stops that node's
//! ranks, and the other node's ranks notice through their collective operations failing.
//! `--master-port 0` (pick a free port) is only accepted with a single node.
//!
//! # In-process use
//!
//! ```no_run
//! use std::time::Duration;
//! use typed_torch_run::{launch, LaunchConfig};
//!
//! let config = LaunchConfig::new(2, "/bin/sh")
//!     .with_args(["-c", "echo rank $RANK of $WORLD_SIZE"])
//!     .with_master("127.0.0.1", 0) // a free port: tests can run in parallel
//!     .with_grace_period(Duration::from_secs(2));
//! let outcome = launch(&config)?;
//! assert_eq!(outcome.code(), 0);
//! # Ok::<(), typed_torch_run::LaunchError>(())
//! ```

#[cfg(not(unix))]
compile_error!("typed-torch-run supports Unix only (process groups and POSIX signals)");

mod config;
mod error;
mod launch;
mod outcome;
mod output;
mod signals;

pub use config::{LaunchConfig, CUDA_VISIBLE_DEVICES, RANK_VARIABLES};
pub use error::LaunchError;
pub use launch::launch;
pub use outcome::{Outcome, RankExit};

//! [`LaunchConfig`]: what to run, how many times, and where the ranks meet.

use std::ffi::{OsStr, OsString};
use std::net::TcpListener;
use std::os::unix::ffi::OsStrExt;
use std::time::Duration;

use crate::LaunchError;

/// The environment variables the launcher sets in every rank (the names torchrun uses).
///
/// `extra_env` may not set them (the launcher would silently override them); see the
/// [crate documentation](crate#the-environment-of-a-rank) for their values.
pub const RANK_VARIABLES: [&str; 7] = [
    "RANK",
    "WORLD_SIZE",
    "LOCAL_RANK",
    "LOCAL_WORLD_SIZE",
    "GROUP_RANK",
    "MASTER_ADDR",
    "MASTER_PORT",
];

/// The variable [`LaunchConfig::one_gpu_per_rank`] reads and sets.
pub const CUDA_VISIBLE_DEVICES: &str = "CUDA_VISIBLE_DEVICES";

/// Everything [`launch`](crate::launch) needs: the program, the number of ranks on this node, the
/// node's place among the nodes, the rendezvous address and the supervision settings.
///
/// [`LaunchConfig::new`] fills in torchrun's defaults; the `with_*` methods change one field each.
///
/// ```
/// use std::time::Duration;
/// use typed_torch_run::LaunchConfig;
///
/// let config = LaunchConfig::new(4, "target/release/train")
///     .with_args(["--epochs", "10"])
///     .with_nodes(2, 1)
///     .with_master("10.0.0.1", 29500)
///     .with_one_gpu_per_rank(true)
///     .with_grace_period(Duration::from_secs(30))
///     .with_env("RUST_LOG", "info");
/// assert_eq!(config.world_size(), 8);
/// assert_eq!(config.global_rank(3), 7);
/// assert!(config.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchConfig {
    /// Processes (ranks) started on this node, `--nproc-per-node`; at least 1.
    pub nproc_per_node: usize,
    /// Nodes taking part in the job, `--nnodes`; at least 1. Every node must use the same
    /// `nproc_per_node`.
    pub nnodes: usize,
    /// This node's index among the `nnodes` nodes, `--node-rank`; node 0 hosts the master.
    pub node_rank: usize,
    /// Address of node 0 that every rank can reach, `--master-addr` (`MASTER_ADDR`).
    pub master_addr: String,
    /// Rendezvous port on the master, `--master-port` (`MASTER_PORT`). 0 means: pick a free port
    /// on `master_addr` (bind port 0 and read the port back), which is only valid with a single
    /// node (the other nodes could not know it) and is useful for tests running in parallel. The
    /// port is released before the ranks start, so another process could in principle take it
    /// first.
    pub master_port: u16,
    /// `--one-gpu-per-rank`: give local rank `l` only the `l`-th GPU through
    /// `CUDA_VISIBLE_DEVICES`, so that every rank sees its GPU as device 0 (`Cuda<0>`). See the
    /// [crate documentation](crate#one-gpu-per-rank).
    pub one_gpu_per_rank: bool,
    /// How long ranks get between the stop signal (SIGTERM, or the signal the launcher received)
    /// and SIGKILL, `--grace-period`.
    pub grace_period: Duration,
    /// Pipe every rank's stdout and stderr and copy each line with a `[rank R] ` prefix (the
    /// default); `false` (`--no-prefix`) lets the ranks write to the launcher's stdout and stderr
    /// directly.
    pub prefix_output: bool,
    /// The program every rank runs (looked up in `PATH` when it has no `/`).
    pub program: OsString,
    /// The program's arguments, the same for every rank.
    pub args: Vec<OsString>,
    /// Variables added to every rank's environment, on top of the launcher's own environment.
    /// They may not be one of [`RANK_VARIABLES`].
    pub extra_env: Vec<(OsString, OsString)>,
}

impl LaunchConfig {
    /// The default `master_addr`: this machine, for a single-node job.
    pub const DEFAULT_MASTER_ADDR: &'static str = "127.0.0.1";
    /// The default `master_port` (torchrun's).
    pub const DEFAULT_MASTER_PORT: u16 = 29500;
    /// The default `grace_period`: 10 s.
    pub const DEFAULT_GRACE_PERIOD: Duration = Duration::from_secs(10);

    /// `nproc_per_node` ranks of `program` on a single node, with torchrun's defaults: 1 node,
    /// node rank 0, master `127.0.0.1:29500`, no GPU binding, a 10 s grace period, prefixed
    /// output, no arguments and no extra environment.
    pub fn new(nproc_per_node: usize, program: impl Into<OsString>) -> Self {
        LaunchConfig {
            nproc_per_node,
            nnodes: 1,
            node_rank: 0,
            master_addr: Self::DEFAULT_MASTER_ADDR.to_owned(),
            master_port: Self::DEFAULT_MASTER_PORT,
            one_gpu_per_rank: false,
            grace_period: Self::DEFAULT_GRACE_PERIOD,
            prefix_output: true,
            program: program.into(),
            args: Vec::new(),
            extra_env: Vec::new(),
        }
    }

    /// Appends `args` to the program's arguments.
    pub fn with_args<I, A>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = A>,
        A: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Adds `key=value` to every rank's environment.
    pub fn with_env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Self {
        self.extra_env.push((key.into(), value.into()));
        self
    }

    /// Sets the number of nodes and this node's rank among them.
    pub fn with_nodes(mut self, nnodes: usize, node_rank: usize) -> Self {
        self.nnodes = nnodes;
        self.node_rank = node_rank;
        self
    }

    /// Sets the master's address and port (port 0: pick a free one, single node only).
    pub fn with_master(mut self, addr: impl Into<String>, port: u16) -> Self {
        self.master_addr = addr.into();
        self.master_port = port;
        self
    }

    /// Binds local rank `l` to the `l`-th visible GPU (see [`LaunchConfig::one_gpu_per_rank`]).
    pub fn with_one_gpu_per_rank(mut self, on: bool) -> Self {
        self.one_gpu_per_rank = on;
        self
    }

    /// Sets the time ranks get between the stop signal and SIGKILL.
    pub fn with_grace_period(mut self, grace_period: Duration) -> Self {
        self.grace_period = grace_period;
        self
    }

    /// Turns the `[rank R] ` output prefixing on (the default) or off.
    pub fn with_prefix_output(mut self, on: bool) -> Self {
        self.prefix_output = on;
        self
    }

    /// `nnodes * nproc_per_node`, the `WORLD_SIZE` of the job (saturating).
    pub fn world_size(&self) -> usize {
        self.nnodes.saturating_mul(self.nproc_per_node)
    }

    /// The global `RANK` of local rank `local_rank` on this node:
    /// `node_rank * nproc_per_node + local_rank` (saturating).
    pub fn global_rank(&self, local_rank: usize) -> usize {
        self.node_rank
            .saturating_mul(self.nproc_per_node)
            .saturating_add(local_rank)
    }

    /// Checks the configuration without starting anything (and without picking a port).
    ///
    /// # Errors
    ///
    /// [`LaunchError::InvalidConfig`] naming the flag, the value and what was expected:
    /// `nproc_per_node` or `nnodes` of 0, `node_rank >= nnodes`, an empty `master_addr` or
    /// `program`, `master_port` 0 with several nodes, an `extra_env` name that is empty, contains
    /// `=` or NUL, or is one of [`RANK_VARIABLES`], and with `one_gpu_per_rank` an existing
    /// `CUDA_VISIBLE_DEVICES` list with fewer entries than `nproc_per_node`.
    pub fn validate(&self) -> Result<(), LaunchError> {
        self.device_list().map(|_| ())
    }

    /// Validates, then returns the devices for `one_gpu_per_rank` (`None` when off).
    fn device_list(&self) -> Result<Option<Vec<OsString>>, LaunchError> {
        if self.nproc_per_node == 0 {
            return Err(LaunchError::invalid(
                "--nproc-per-node",
                0,
                "at least 1 process per node",
            ));
        }
        if self.nnodes == 0 {
            return Err(LaunchError::invalid("--nnodes", 0, "at least 1 node"));
        }
        if self.node_rank >= self.nnodes {
            return Err(LaunchError::invalid(
                "--node-rank",
                self.node_rank,
                format!(
                    "a node rank below --nnodes {} (0..={})",
                    self.nnodes,
                    self.nnodes - 1
                ),
            ));
        }
        if self.nnodes.checked_mul(self.nproc_per_node).is_none() {
            return Err(LaunchError::invalid(
                "--nproc-per-node",
                self.nproc_per_node,
                format!(
                    "a world size (x --nnodes {}) that fits in usize",
                    self.nnodes
                ),
            ));
        }
        if self.master_addr.is_empty() {
            return Err(LaunchError::invalid(
                "--master-addr",
                "\"\"",
                "the address of node 0",
            ));
        }
        if self.master_port == 0 && self.nnodes > 1 {
            return Err(LaunchError::invalid(
                "--master-port",
                0,
                format!(
                    "a fixed port with --nnodes {} (0 picks a free port on this machine, \
                     which the other nodes cannot know)",
                    self.nnodes
                ),
            ));
        }
        if self.program.is_empty() {
            return Err(LaunchError::invalid("PROGRAM", "\"\"", "a program to run"));
        }
        for (key, _) in &self.extra_env {
            let bytes = key.as_bytes();
            if bytes.is_empty() || bytes.contains(&b'=') || bytes.contains(&0) {
                return Err(LaunchError::invalid(
                    "extra_env",
                    format!("{:?}", key),
                    "a variable name that is not empty and has no '=' or NUL",
                ));
            }
            if RANK_VARIABLES.iter().any(|v| OsStr::new(v) == key) {
                return Err(LaunchError::invalid(
                    "extra_env",
                    key.display(),
                    "a variable the launcher does not set itself (RANK, WORLD_SIZE, LOCAL_RANK, \
                     LOCAL_WORLD_SIZE, GROUP_RANK, MASTER_ADDR and MASTER_PORT come from the \
                     launch configuration)",
                ));
            }
        }
        if !self.one_gpu_per_rank {
            return Ok(None);
        }
        let existing = self
            .extra_env
            .iter()
            .rev()
            .find(|(k, _)| k == CUDA_VISIBLE_DEVICES)
            .map(|(_, v)| v.clone())
            .or_else(|| std::env::var_os(CUDA_VISIBLE_DEVICES));
        let Some(list) = existing else {
            return Ok(Some(
                (0..self.nproc_per_node)
                    .map(|l| OsString::from(l.to_string()))
                    .collect(),
            ));
        };
        let devices: Vec<OsString> = if list.as_bytes().trim_ascii().is_empty() {
            Vec::new()
        } else {
            list.as_bytes()
                .split(|b| *b == b',')
                .map(|d| OsStr::from_bytes(d.trim_ascii()).to_owned())
                .collect()
        };
        if devices.len() < self.nproc_per_node || devices.iter().any(|d| d.is_empty()) {
            return Err(LaunchError::invalid(
                "--one-gpu-per-rank",
                format!("with CUDA_VISIBLE_DEVICES={:?}", list.display().to_string()),
                format!(
                    "a comma-separated list of at least --nproc-per-node {} devices, one per \
                     local rank",
                    self.nproc_per_node
                ),
            ));
        }
        Ok(Some(devices))
    }

    /// Validates, resolves the GPU list and the port: everything needed to start the ranks.
    pub(crate) fn plan(&self) -> Result<Plan, LaunchError> {
        let devices = self.device_list()?;
        let master_port = if self.master_port == 0 {
            let pick = || -> std::io::Result<u16> {
                let listener = TcpListener::bind((self.master_addr.as_str(), 0))?;
                Ok(listener.local_addr()?.port())
            };
            pick().map_err(|source| LaunchError::PickPort {
                addr: self.master_addr.clone(),
                source,
            })?
        } else {
            self.master_port
        };
        Ok(Plan {
            master_port,
            devices,
        })
    }
}

/// A validated configuration's resolved values.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The port every rank gets (never 0).
    pub(crate) master_port: u16,
    /// `CUDA_VISIBLE_DEVICES` per local rank, with `one_gpu_per_rank`.
    pub(crate) devices: Option<Vec<OsString>>,
}

impl Plan {
    /// The launcher-set variables of local rank `local_rank`.
    pub(crate) fn rank_env(
        &self,
        config: &LaunchConfig,
        local_rank: usize,
    ) -> Vec<(&'static str, OsString)> {
        let mut env = vec![
            ("RANK", config.global_rank(local_rank).to_string().into()),
            ("WORLD_SIZE", config.world_size().to_string().into()),
            ("LOCAL_RANK", local_rank.to_string().into()),
            ("LOCAL_WORLD_SIZE", config.nproc_per_node.to_string().into()),
            ("GROUP_RANK", config.node_rank.to_string().into()),
            ("MASTER_ADDR", config.master_addr.clone().into()),
            ("MASTER_PORT", self.master_port.to_string().into()),
        ];
        if let Some(devices) = &self.devices {
            env.push((CUDA_VISIBLE_DEVICES, devices[local_rank].clone()));
        }
        if let Some(threads) = self.threads_per_rank(config) {
            env.push(("OMP_NUM_THREADS", threads.to_string().into()));
        }
        env
    }

    /// The intra-op threads each rank gets unless `OMP_NUM_THREADS` is set (in the launcher's
    /// environment or `extra_env`): this machine's cores shared out, at least 1. Without it each
    /// of N ranks would start a thread per core, N times more threads than cores, and
    /// oversubscribed threads wait on each other (torchrun sets 1 for the same reason).
    fn threads_per_rank(&self, config: &LaunchConfig) -> Option<usize> {
        let set = std::env::var_os("OMP_NUM_THREADS").is_some()
            || config.extra_env.iter().any(|(k, _)| k == "OMP_NUM_THREADS");
        if set || config.nproc_per_node < 2 {
            return None;
        }
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Some((cores / config.nproc_per_node).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_from_an_existing_list_are_trimmed_and_indexed() {
        let config = LaunchConfig::new(2, "/bin/true")
            .with_one_gpu_per_rank(true)
            .with_env(CUDA_VISIBLE_DEVICES, " 3, GPU-a1 ,7");
        let plan = config.plan().unwrap();
        let visible = |l| {
            plan.rank_env(&config, l)
                .into_iter()
                .find(|(k, _)| *k == CUDA_VISIBLE_DEVICES)
                .map(|(_, v)| v)
        };
        assert_eq!(visible(0), Some(OsString::from("3")));
        assert_eq!(visible(1), Some(OsString::from("GPU-a1")));
    }

    #[test]
    fn a_short_or_empty_device_list_is_rejected() {
        for list in ["", "0", "0,,1"] {
            let config = LaunchConfig::new(3, "/bin/true")
                .with_one_gpu_per_rank(true)
                .with_env(CUDA_VISIBLE_DEVICES, list);
            let err = config.validate().unwrap_err();
            assert!(
                matches!(
                    err,
                    LaunchError::InvalidConfig {
                        flag: "--one-gpu-per-rank",
                        ..
                    }
                ),
                "{list:?}: {err}"
            );
        }
    }

    #[test]
    fn extra_env_cannot_set_launcher_variables() {
        let err = LaunchConfig::new(1, "/bin/true")
            .with_env("RANK", "5")
            .validate()
            .unwrap_err();
        assert!(err.to_string().contains("RANK"), "{err}");
        let err = LaunchConfig::new(1, "/bin/true")
            .with_env("A=B", "5")
            .validate()
            .unwrap_err();
        assert!(matches!(
            err,
            LaunchError::InvalidConfig {
                flag: "extra_env",
                ..
            }
        ));
    }

    #[test]
    fn port_zero_needs_a_single_node() {
        let err = LaunchConfig::new(1, "/bin/true")
            .with_nodes(2, 0)
            .with_master("127.0.0.1", 0)
            .validate()
            .unwrap_err();
        assert!(matches!(
            err,
            LaunchError::InvalidConfig {
                flag: "--master-port",
                ..
            }
        ));
        let plan = LaunchConfig::new(1, "/bin/true")
            .with_master("127.0.0.1", 0)
            .plan()
            .unwrap();
        assert_ne!(plan.master_port, 0);
    }
}

//! Process groups: joining one (from torchrun's environment or explicit settings) and its
//! identity (rank, world size).
use std::ffi::{c_void, CString};
use std::marker::PhantomData;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use typed_torch::{Cpu, Cuda, Device};

use crate::error::{DistError, Result};
use crate::ffi;

/// How long a collective or the rendezvous may wait for peers unless set otherwise: long enough
/// for rank 0 to write a large checkpoint while the others wait at a barrier, short enough that a
/// dead peer ends the run the same hour. PyTorch's default is 30 minutes.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);

/// Where Gloo listens for its peers on this machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bind {
    /// A host name or IP address of this machine that every peer can reach.
    Address(String),
    /// A network interface, e.g. `eth0` (what `GLOO_SOCKET_IFNAME` names).
    Interface(String),
    /// The address this machine's host name resolves to, else loopback (Gloo's default).
    Hostname,
}

/// Everything needed to join a process group.
///
/// ```
/// use typed_torch_distributed::InitOptions;
/// use std::time::Duration;
/// let options = InitOptions::new(1, 4, "10.0.0.1", 29500).timeout(Duration::from_secs(60));
/// assert_eq!((options.rank, options.world_size), (1, 4));
/// ```
#[derive(Clone, Debug)]
pub struct InitOptions {
    /// This process's rank, `0..world_size`.
    pub rank: usize,
    /// The number of processes.
    pub world_size: usize,
    /// The rank among this machine's processes (which GPU it uses).
    pub local_rank: usize,
    /// The address of rank 0's machine, where the rendezvous store listens.
    pub master_addr: String,
    /// The rendezvous store's port.
    pub master_port: u16,
    /// The limit on the rendezvous and on every collective.
    pub timeout: Duration,
    /// Where Gloo listens.
    pub bind: Bind,
}

impl InitOptions {
    /// Explicit settings (`local_rank` = `rank`; Gloo listens on loopback when `master_addr` is
    /// a loopback address, else on this machine's host name).
    pub fn new(rank: usize, world_size: usize, master_addr: impl Into<String>, port: u16) -> Self {
        let master_addr = master_addr.into();
        let bind = default_bind(&master_addr);
        InitOptions {
            rank,
            world_size,
            local_rank: rank,
            master_addr,
            master_port: port,
            timeout: DEFAULT_TIMEOUT,
            bind,
        }
    }

    /// torchrun's environment, as `typed-torch-run` or `torchrun` set it: `RANK`, `WORLD_SIZE`,
    /// `LOCAL_RANK` (default: `RANK`), `MASTER_ADDR`, `MASTER_PORT`; `GLOO_SOCKET_IFNAME` picks
    /// Gloo's interface, as in PyTorch.
    pub fn from_env() -> Result<Self> {
        let rank = env_number("RANK", "a rank, 0 or more")?;
        let world_size = env_number("WORLD_SIZE", "the number of processes, 1 or more")?;
        let mut options = InitOptions::new(
            rank,
            world_size,
            env_var("MASTER_ADDR", "the address of rank 0's machine")?,
            env_number("MASTER_PORT", "a TCP port, 1 to 65535")?,
        );
        if std::env::var_os("LOCAL_RANK").is_some() {
            options.local_rank = env_number("LOCAL_RANK", "a local rank, 0 or more")?;
        }
        if let Ok(interface) = std::env::var("GLOO_SOCKET_IFNAME") {
            options.bind = Bind::Interface(interface);
        }
        Ok(options)
    }

    /// The same settings with another timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The same settings with Gloo listening elsewhere.
    pub fn bind(mut self, bind: Bind) -> Self {
        self.bind = bind;
        self
    }

    fn rendezvous_error(&self, message: String) -> DistError {
        DistError::Rendezvous {
            rank: self.rank,
            world_size: self.world_size,
            master: self.master_addr.clone(),
            port: self.master_port,
            timeout: self.timeout,
            message,
        }
    }

    fn validate(&self) -> Result<()> {
        if self.world_size == 0 || self.rank >= self.world_size {
            return Err(DistError::Settings(format!(
                "rank {} is not in 0..{} (world size {})",
                self.rank, self.world_size, self.world_size
            )));
        }
        if self.timeout.is_zero() {
            return Err(DistError::Settings("the timeout is zero".into()));
        }
        if self.master_port == 0 {
            return Err(DistError::Settings(
                "master port 0: every rank must name the same port".into(),
            ));
        }
        Ok(())
    }
}

fn default_bind(master: &str) -> Bind {
    let loopback =
        master == "localhost" || master.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if loopback {
        Bind::Address("127.0.0.1".into())
    } else {
        Bind::Hostname
    }
}

fn env_var(variable: &'static str, expected: &'static str) -> Result<String> {
    std::env::var(variable).map_err(|_| DistError::Environment {
        variable,
        found: "unset".into(),
        expected,
    })
}

fn env_number<T: std::str::FromStr>(variable: &'static str, expected: &'static str) -> Result<T> {
    let text = env_var(variable, expected)?;
    text.trim().parse().map_err(|_| DistError::Environment {
        variable,
        found: format!("{text:?}"),
        expected,
    })
}

/// The c10d backend object, freed when the last handle to the group goes.
pub(crate) struct Handle(pub(crate) *mut c_void);

// SAFETY: c10d backends are made to be called from any thread (PyTorch's DDP calls them from
// autograd threads); the handle is only freed once, by `Drop`.
unsafe impl Send for Handle {}
unsafe impl Sync for Handle {}

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: made by `tt_c10d_new_*`, freed only here.
        unsafe { ffi::tt_c10d_free(self.0) }
    }
}

/// A group of processes that run collectives together, on the device `Dev`: Gloo for [`Cpu`]
/// tensors, NCCL for `Cuda<I>` ones. A collective only takes tensors on the group's device, which
/// the type checks.
///
/// Cloning shares the group (the same connections).
pub struct ProcessGroup<Dev: Device = Cpu> {
    pub(crate) handle: Arc<Handle>,
    rank: usize,
    world_size: usize,
    local_rank: usize,
    pub(crate) timeout: Duration,
    marker: PhantomData<Dev>,
}

impl<Dev: Device> Clone for ProcessGroup<Dev> {
    fn clone(&self) -> Self {
        ProcessGroup {
            handle: self.handle.clone(),
            rank: self.rank,
            world_size: self.world_size,
            local_rank: self.local_rank,
            timeout: self.timeout,
            marker: PhantomData,
        }
    }
}

impl<Dev: Device> std::fmt::Debug for ProcessGroup<Dev> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProcessGroup")
            .field("device", &Dev::tch())
            .field("rank", &self.rank)
            .field("world_size", &self.world_size)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl ProcessGroup<Cpu> {
    /// Joins the group torchrun's environment describes (see [`InitOptions::from_env`]).
    ///
    /// ```no_run
    /// # fn main() -> typed_torch_distributed::Result<()> {
    /// let group = typed_torch_distributed::ProcessGroup::from_env()?;
    /// println!("rank {} of {}", group.rank(), group.world_size());
    /// # Ok(()) }
    /// ```
    pub fn from_env() -> Result<Self> {
        Self::init(InitOptions::from_env()?)
    }

    /// Joins a Gloo group: rank 0 serves the rendezvous store at `master_addr:master_port`,
    /// every rank connects to it, then Gloo connects every pair of ranks. Fails within
    /// `options.timeout` when a peer does not arrive or the ranks disagree on the world size.
    pub fn init(options: InitOptions) -> Result<Self> {
        options.validate()?;
        Self::init_gloo(&options)
    }
}

impl<const I: usize> ProcessGroup<Cuda<I>> {
    /// Joins an NCCL group for tensors on `Cuda<I>` (usually `Cuda<0>`, with the launcher's
    /// `--one-gpu-per-rank` giving each process its own GPU as device 0).
    ///
    /// On a machine without a GPU this is [`DistError::Unavailable`], saying so.
    pub fn init_nccl(options: InitOptions) -> Result<Self> {
        options.validate()?;
        if !cfg!(typed_torch_nccl) || Cuda::<I>::check().is_err() {
            return Err(DistError::Unavailable {
                backend: "NCCL",
                reason: nccl_unavailable(Cuda::<I>::tch()),
            });
        }
        #[cfg(typed_torch_nccl)]
        {
            let rendezvous = |message: String| options.rendezvous_error(message);
            let host = CString::new(options.master_addr.as_str())
                .map_err(|_| rendezvous("the master address contains a NUL byte".into()))?;
            let mut handle = std::ptr::null_mut();
            ffi::call(|error, len| unsafe {
                ffi::tt_c10d_new_nccl(
                    host.as_ptr(),
                    options.master_port,
                    options.rank as i32,
                    options.world_size as i32,
                    millis(options.timeout),
                    &mut handle,
                    error,
                    len,
                )
            })
            .map_err(rendezvous)?;
            Ok(Self::from_handle(handle, &options))
        }
        #[cfg(not(typed_torch_nccl))]
        unreachable!("returned above")
    }

    /// [`init_nccl`](Self::init_nccl) from torchrun's environment.
    pub fn nccl_from_env() -> Result<Self> {
        Self::init_nccl(InitOptions::from_env()?)
    }
}

impl<Dev: Device> ProcessGroup<Dev> {
    fn init_gloo(options: &InitOptions) -> Result<Self> {
        let rendezvous = |message: String| options.rendezvous_error(message);
        let host = CString::new(options.master_addr.as_str())
            .map_err(|_| rendezvous("the master address contains a NUL byte".into()))?;
        let (kind, bind) = match &options.bind {
            Bind::Address(a) => (0, a.as_str()),
            Bind::Interface(i) => (1, i.as_str()),
            Bind::Hostname => (2, ""),
        };
        let bind = CString::new(bind)
            .map_err(|_| rendezvous("the bind address contains a NUL byte".into()))?;
        let mut handle = std::ptr::null_mut();
        ffi::call(|error, len| unsafe {
            ffi::tt_c10d_new_gloo(
                host.as_ptr(),
                options.master_port,
                kind,
                bind.as_ptr(),
                options.rank as i32,
                options.world_size as i32,
                millis(options.timeout),
                0,
                &mut handle,
                error,
                len,
            )
        })
        .map_err(rendezvous)?;
        Ok(Self::from_handle(handle, options))
    }
}

impl<Dev: Device> ProcessGroup<Dev> {
    fn from_handle(handle: *mut c_void, options: &InitOptions) -> Self {
        ProcessGroup {
            handle: Arc::new(Handle(handle)),
            rank: options.rank,
            world_size: options.world_size,
            local_rank: options.local_rank,
            timeout: options.timeout,
            marker: PhantomData,
        }
    }

    /// This process's rank, `0..world_size()`.
    pub fn rank(&self) -> usize {
        self.rank
    }

    /// The number of processes in the group.
    pub fn world_size(&self) -> usize {
        self.world_size
    }

    /// The rank among this machine's processes.
    pub fn local_rank(&self) -> usize {
        self.local_rank
    }

    /// Whether this is rank 0 (the one that writes checkpoints and logs).
    pub fn is_main(&self) -> bool {
        self.rank == 0
    }

    /// This rank's [`DistributedSampler`](typed_torch::data::DistributedSampler) (dataset
    /// order; add `.shuffle(true).seed(s)` for shuffled epochs, the same seed on every rank), for
    /// [`DataLoader::sampler`](typed_torch::data::DataLoader::sampler).
    pub fn sampler(&self) -> typed_torch::data::DistributedSampler {
        typed_torch::data::DistributedSampler::new(self.rank, self.world_size)
            .expect("a group's rank is below its size")
    }

    /// The limit on each collective.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The same group with another limit on each collective. A shorter limit ends waits sooner;
    /// a longer one is capped by the limit the group was made with, which the backend itself
    /// enforces.
    pub fn with_timeout(&self, timeout: Duration) -> Self {
        let mut group = self.clone();
        group.timeout = timeout;
        group
    }

    pub(crate) fn collective_error(&self, op: &'static str, message: String) -> DistError {
        DistError::Collective {
            op,
            rank: self.rank,
            world_size: self.world_size,
            timeout: self.timeout,
            message,
        }
    }
}

pub(crate) fn millis(d: Duration) -> i64 {
    d.as_millis().clamp(1, i64::MAX as u128) as i64
}

fn nccl_unavailable(device: tch::Device) -> String {
    let gpus = if tch::Cuda::is_available() {
        tch::Cuda::device_count()
    } else {
        0
    };
    if gpus == 0 {
        format!("{device:?} was asked for but this machine has no CUDA device")
    } else {
        format!(
            "{device:?} was asked for, but this build of typed-torch-distributed has no NCCL \
             backend: it needs libtorch_cuda.so and nccl.h when building (see build.rs)"
        )
    }
}

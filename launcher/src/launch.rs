//! [`launch`]: starting the ranks and supervising them.

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use libc::c_int;

use crate::config::Plan;
use crate::outcome::{Outcome, RankExit};
use crate::output::Pumps;
use crate::signals::{signal_group, SignalWatch};
use crate::{LaunchConfig, LaunchError};

/// How often the supervising loop polls the ranks and the signal flag.
const POLL: Duration = Duration::from_millis(20);

/// How long the output threads get, once every rank is reaped, to copy what is left in the pipes.
const DRAIN: Duration = Duration::from_secs(2);

/// Runs `config.nproc_per_node` ranks of `config.program` on this node and supervises them until
/// they have all exited.
///
/// Each rank gets the distributed environment (see the [crate documentation](crate)), its own
/// process group, a null stdin and, with `prefix_output`, piped stdout and stderr copied line by
/// line with a `[rank R] ` prefix to this process's stdout and stderr.
///
/// When a rank exits unsuccessfully, the others still running get SIGTERM, then SIGKILL after
/// `grace_period`. SIGINT, SIGTERM and SIGHUP received by this process while `launch` runs are
/// forwarded to the ranks the same way (the received signal, then SIGKILL after the grace period;
/// a second signal during the grace period sends SIGKILL at once). Every process is reaped before
/// `launch` returns, and a one-line [summary](Outcome::summary) is printed to stderr unless the
/// job succeeded.
///
/// Signals sent to a rank go to its whole process group, so that what the rank started (a shell's
/// children, say) stops with it; when every rank has exited, anything left in their process
/// groups is killed.
///
/// # Errors
///
/// [`LaunchError::InvalidConfig`] (nothing started), [`LaunchError::PickPort`],
/// [`LaunchError::Signals`], [`LaunchError::Spawn`] and [`LaunchError::Wait`]. A rank that fails is
/// not an error: see [`Outcome::code`].
///
/// # Example
///
/// ```no_run
/// use typed_torch_run::{launch, LaunchConfig};
///
/// let outcome = launch(&LaunchConfig::new(2, "target/release/train").with_args(["--epochs", "3"]))?;
/// assert!(outcome.success(), "{:?}", outcome.summary());
/// # Ok::<(), typed_torch_run::LaunchError>(())
/// ```
pub fn launch(config: &LaunchConfig) -> Result<Outcome, LaunchError> {
    let plan = config.plan()?;
    let watch = SignalWatch::install().map_err(|source| LaunchError::Signals { source })?;
    let mut ranks = Ranks {
        ranks: Vec::with_capacity(config.nproc_per_node),
        pumps: config.prefix_output.then(Pumps::new),
        wait_error: None,
    };

    let mut received_signal = None;
    for local_rank in 0..config.nproc_per_node {
        if let Some(signal) = watch.take() {
            received_signal = Some(signal);
            break;
        }
        if let Err(source) = ranks.spawn(config, &plan, local_rank) {
            ranks.stop(libc::SIGTERM, config.grace_period, &watch);
            ranks.finish();
            return Err(LaunchError::Spawn {
                program: config.program.clone(),
                rank: config.global_rank(local_rank),
                source,
            });
        }
    }

    let mut first_failure = None;
    if received_signal.is_none() {
        loop {
            if let Some(signal) = watch.take() {
                received_signal = Some(signal);
                break;
            }
            first_failure = ranks.poll();
            if first_failure.is_some() || ranks.wait_error.is_some() || !ranks.any_running() {
                break;
            }
            thread::sleep(POLL);
        }
    }
    // The received signal is forwarded as it is; after a failure the others get SIGTERM. A no-op
    // when nothing is running any more.
    ranks.stop(
        received_signal.unwrap_or(libc::SIGTERM),
        config.grace_period,
        &watch,
    );
    let (exits, wait_error) = ranks.finish();
    drop(watch);
    if let Some((rank, source)) = wait_error {
        return Err(LaunchError::Wait { rank, source });
    }
    let outcome = Outcome {
        ranks: exits,
        first_failure,
        received_signal,
    };
    if let Some(summary) = outcome.summary() {
        eprintln!("{summary}");
    }
    Ok(outcome)
}

/// One started rank.
struct Rank {
    rank: usize,
    local_rank: usize,
    pid: u32,
    child: Child,
    /// `Some` once reaped.
    status: Option<ExitStatus>,
    /// Waiting failed: treated as ended, with no status.
    lost: bool,
    stopped_with: Option<c_int>,
    force_killed: bool,
}

impl Rank {
    fn running(&self) -> bool {
        self.status.is_none() && !self.lost
    }
}

/// The started ranks and their output threads.
struct Ranks {
    ranks: Vec<Rank>,
    pumps: Option<Pumps>,
    /// The first error from waiting for a rank.
    wait_error: Option<(usize, io::Error)>,
}

impl Ranks {
    /// Starts local rank `local_rank`.
    fn spawn(&mut self, config: &LaunchConfig, plan: &Plan, local_rank: usize) -> io::Result<()> {
        let rank = config.global_rank(local_rank);
        let mut command = Command::new(&config.program);
        command
            .args(&config.args)
            .stdin(Stdio::null())
            .process_group(0);
        for (key, value) in &config.extra_env {
            command.env(key, value);
        }
        for (key, value) in plan.rank_env(config, local_rank) {
            command.env(key, value);
        }
        if self.pumps.is_some() {
            command.stdout(Stdio::piped()).stderr(Stdio::piped());
        }
        let mut child = command.spawn()?;
        let pid = child.id();
        if let Some(pumps) = &mut self.pumps {
            let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
            if let Err(e) = pumps.start(rank, stdout, stderr) {
                signal_group(pid, libc::SIGKILL, true);
                let _ = child.wait();
                return Err(e);
            }
        }
        self.ranks.push(Rank {
            rank,
            local_rank,
            pid,
            child,
            status: None,
            lost: false,
            stopped_with: None,
            force_killed: false,
        });
        Ok(())
    }

    fn any_running(&self) -> bool {
        self.ranks.iter().any(Rank::running)
    }

    /// Reaps the ranks that have exited; returns the index of the first that failed, if any.
    fn poll(&mut self) -> Option<usize> {
        let mut failed = None;
        for (i, rank) in self.ranks.iter_mut().enumerate() {
            if !rank.running() {
                continue;
            }
            match rank.child.try_wait() {
                Ok(Some(status)) => {
                    rank.status = Some(status);
                    if !status.success() && failed.is_none() {
                        failed = Some(i);
                    }
                }
                Ok(None) => {}
                Err(e) => {
                    signal_group(rank.pid, libc::SIGKILL, false);
                    rank.lost = true;
                    self.wait_error.get_or_insert((rank.rank, e));
                }
            }
        }
        failed
    }

    /// Sends `signal` to every running rank, waits up to `grace` for them to exit (less if
    /// another signal arrives), then SIGKILLs and reaps those still running.
    fn stop(&mut self, signal: c_int, grace: Duration, watch: &SignalWatch) {
        for rank in self.ranks.iter_mut().filter(|r| r.running()) {
            signal_group(rank.pid, signal, true);
            rank.stopped_with = Some(signal);
        }
        let deadline = Instant::now() + grace;
        loop {
            self.poll();
            if !self.any_running() {
                return;
            }
            let now = Instant::now();
            if watch.take().is_some() || now >= deadline {
                break;
            }
            thread::sleep(POLL.min(deadline - now));
        }
        for rank in self.ranks.iter_mut().filter(|r| r.running()) {
            signal_group(rank.pid, libc::SIGKILL, true);
            rank.force_killed = true;
            match rank.child.wait() {
                Ok(status) => rank.status = Some(status),
                Err(e) => {
                    rank.lost = true;
                    self.wait_error.get_or_insert((rank.rank, e));
                }
            }
        }
    }

    /// Once every rank is reaped: kills what they left in their process groups, lets the output
    /// threads finish, and returns the exits (and the first wait error).
    fn finish(mut self) -> (Vec<RankExit>, Option<(usize, io::Error)>) {
        debug_assert!(!self.any_running());
        for rank in &self.ranks {
            signal_group(rank.pid, libc::SIGKILL, false);
        }
        if let Some(pumps) = self.pumps.take() {
            pumps.finish(DRAIN);
        }
        let exits = self
            .ranks
            .iter()
            .filter_map(|r| {
                Some(RankExit {
                    rank: r.rank,
                    local_rank: r.local_rank,
                    pid: r.pid,
                    status: r.status?,
                    stopped_with: r.stopped_with,
                    force_killed: r.force_killed,
                })
            })
            .collect();
        (exits, self.wait_error)
    }
}

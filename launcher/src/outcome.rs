//! [`Outcome`]: how every rank ended, and the launcher's exit code.

use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;

use libc::c_int;

use crate::signals::describe;

/// How one rank's process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RankExit {
    /// The global rank (`RANK`).
    pub rank: usize,
    /// The rank on this node (`LOCAL_RANK`).
    pub local_rank: usize,
    /// The process id the rank had.
    pub pid: u32,
    /// Its exit status.
    pub status: ExitStatus,
    /// The signal the launcher sent it to stop it (SIGTERM after another rank failed, or the
    /// signal the launcher received), if it did.
    pub stopped_with: Option<c_int>,
    /// Whether it was still running after the grace period and got SIGKILL.
    pub force_killed: bool,
}

impl RankExit {
    /// Whether it exited with status 0.
    pub fn success(&self) -> bool {
        self.status.success()
    }

    /// Its exit code in the shell's convention: the exit status, or 128 + the signal that killed
    /// it.
    pub fn code(&self) -> i32 {
        match (self.status.code(), self.status.signal()) {
            (Some(code), _) => code,
            (None, Some(signal)) => 128 + signal,
            (None, None) => 1,
        }
    }

    /// `"exited with status 3"` or `"was killed by signal 9 (SIGKILL)"`.
    pub fn describe_status(&self) -> String {
        match (self.status.code(), self.status.signal()) {
            (Some(code), _) => format!("exited with status {code}"),
            (None, Some(signal)) => format!("was killed by {}", describe(signal)),
            (None, None) => format!("ended with {}", self.status),
        }
    }
}

/// The result of a [`launch`](crate::launch): every started rank's exit, the first rank that
/// failed and the signal that interrupted the launcher, if any.
///
/// ```no_run
/// use typed_torch_run::{launch, LaunchConfig};
///
/// let outcome = launch(&LaunchConfig::new(2, "./train"))?;
/// if let Some(failed) = outcome.first_failure() {
///     eprintln!("rank {} {}", failed.rank, failed.describe_status());
/// }
/// std::process::exit(outcome.code());
/// # Ok::<(), typed_torch_run::LaunchError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub(crate) ranks: Vec<RankExit>,
    pub(crate) first_failure: Option<usize>,
    pub(crate) received_signal: Option<c_int>,
}

impl Outcome {
    /// Every started rank, in local rank order. All `nproc_per_node` ranks unless a signal
    /// arrived while they were being started.
    pub fn ranks(&self) -> &[RankExit] {
        &self.ranks
    }

    /// The rank whose unsuccessful exit made the launcher stop the others (the lowest rank if
    /// several were seen failing at once). Ranks that fail after being stopped do not count.
    pub fn first_failure(&self) -> Option<&RankExit> {
        self.first_failure.map(|i| &self.ranks[i])
    }

    /// The signal (SIGINT, SIGTERM or SIGHUP) that made the launcher stop the ranks, if any.
    pub fn received_signal(&self) -> Option<c_int> {
        self.received_signal
    }

    /// The global ranks the launcher stopped (sent a signal to), in order.
    pub fn stopped_ranks(&self) -> Vec<usize> {
        self.ranks
            .iter()
            .filter(|r| r.stopped_with.is_some())
            .map(|r| r.rank)
            .collect()
    }

    /// The launcher's exit code: 128 + the signal if the launcher was interrupted by one;
    /// otherwise the first failing rank's [code](RankExit::code) (its exit status, or 128 + the
    /// signal that killed it); 0 when every rank succeeded.
    pub fn code(&self) -> i32 {
        if let Some(signal) = self.received_signal {
            return 128 + signal;
        }
        self.first_failure().map_or(0, RankExit::code)
    }

    /// Whether every rank succeeded and the launcher was not interrupted (`code() == 0`).
    pub fn success(&self) -> bool {
        self.code() == 0
    }

    /// The one-line summary the launcher prints to stderr when the job did not succeed, e.g.
    /// `typed-torch-run: rank 1 (pid 1234) exited with status 3; stopped ranks 0, 2`; `None` on
    /// success.
    pub fn summary(&self) -> Option<String> {
        let mut line = if let Some(signal) = self.received_signal {
            format!("typed-torch-run: received {}", describe(signal))
        } else {
            let failed = self.first_failure()?;
            format!(
                "typed-torch-run: rank {} (pid {}) {}",
                failed.rank,
                failed.pid,
                failed.describe_status()
            )
        };
        let stopped = self.stopped_ranks();
        if !stopped.is_empty() {
            let list = |ranks: &[usize]| {
                ranks
                    .iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let plural = if stopped.len() == 1 { "" } else { "s" };
            line.push_str(&format!("; stopped rank{plural} {}", list(&stopped)));
            let killed: Vec<usize> = self
                .ranks
                .iter()
                .filter(|r| r.force_killed)
                .map(|r| r.rank)
                .collect();
            if !killed.is_empty() {
                line.push_str(&format!(" (killed with SIGKILL: {})", list(&killed)));
            }
        }
        Some(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exit(rank: usize, raw: i32, stopped_with: Option<c_int>, force_killed: bool) -> RankExit {
        RankExit {
            rank,
            local_rank: rank,
            pid: 100 + rank as u32,
            status: ExitStatus::from_raw(raw),
            stopped_with,
            force_killed,
        }
    }

    #[test]
    fn codes_and_summaries() {
        let ok = Outcome {
            ranks: vec![exit(0, 0, None, false), exit(1, 0, None, false)],
            first_failure: None,
            received_signal: None,
        };
        assert!(ok.success());
        assert_eq!(ok.summary(), None);

        // Rank 1 exits 3 (wait status 3 << 8); rank 0 dies of SIGTERM, rank 2 of SIGKILL.
        let failed = Outcome {
            ranks: vec![
                exit(0, libc::SIGTERM, Some(libc::SIGTERM), false),
                exit(1, 3 << 8, None, false),
                exit(2, libc::SIGKILL, Some(libc::SIGTERM), true),
            ],
            first_failure: Some(1),
            received_signal: None,
        };
        assert_eq!(failed.code(), 3);
        assert_eq!(failed.ranks()[0].code(), 128 + libc::SIGTERM);
        assert_eq!(
            failed.summary().unwrap(),
            "typed-torch-run: rank 1 (pid 101) exited with status 3; stopped ranks 0, 2 \
             (killed with SIGKILL: 2)"
        );

        let killed = Outcome {
            ranks: vec![exit(0, libc::SIGKILL, None, false)],
            first_failure: Some(0),
            received_signal: None,
        };
        assert_eq!(killed.code(), 137);
        assert_eq!(
            killed.summary().unwrap(),
            "typed-torch-run: rank 0 (pid 100) was killed by signal 9 (SIGKILL)"
        );

        let interrupted = Outcome {
            ranks: vec![exit(0, 0, Some(libc::SIGINT), false)],
            first_failure: None,
            received_signal: Some(libc::SIGINT),
        };
        assert_eq!(interrupted.code(), 130);
        assert!(!interrupted.success());
        assert_eq!(
            interrupted.summary().unwrap(),
            "typed-torch-run: received signal 2 (SIGINT); stopped rank 0"
        );
    }
}

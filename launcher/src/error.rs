//! [`LaunchError`]: what can stop [`launch`](crate::launch) from running the ranks at all.

use std::ffi::OsString;
use std::io;

/// Why [`launch`](crate::launch) could not run the job.
///
/// A rank that *runs* and fails is not an error: it is reported by the
/// [`Outcome`](crate::Outcome). These are the cases where the launcher itself could not do its job;
/// in every one of them no rank process is left running when the error is returned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LaunchError {
    /// A field of the [`LaunchConfig`](crate::LaunchConfig) has a value the launcher cannot use.
    #[error("invalid {flag} {value}: expected {expected}")]
    InvalidConfig {
        /// The command-line flag of the offending field (`--node-rank`, `--master-port`, ...), or
        /// `PROGRAM` / `extra_env` for the fields without one.
        flag: &'static str,
        /// The value that was given, as text.
        value: String,
        /// What the launcher expected instead.
        expected: String,
    },
    /// `master_port` 0 asked for a free port, but binding `master_addr`:0 failed.
    #[error("cannot pick a free port on --master-addr {addr}: {source}")]
    PickPort {
        /// The master address the launcher tried to bind.
        addr: String,
        /// The error from `bind`.
        #[source]
        source: io::Error,
    },
    /// Starting a rank's process failed (program not found, not executable, out of resources...).
    ///
    /// The ranks started before it have been stopped and reaped.
    #[error("cannot start rank {rank} (`{}`): {source}", .program.display())]
    Spawn {
        /// The program that was to be run.
        program: OsString,
        /// The global rank whose process could not be started.
        rank: usize,
        /// The error from `spawn` (or from starting the rank's output threads).
        #[source]
        source: io::Error,
    },
    /// Waiting for a rank's process failed (for example because something else in this process
    /// reaped it). The other ranks have been stopped and reaped.
    #[error("cannot wait for rank {rank}: {source}")]
    Wait {
        /// The global rank that could not be waited for.
        rank: usize,
        /// The error from `waitpid`.
        #[source]
        source: io::Error,
    },
    /// Installing the SIGINT/SIGTERM/SIGHUP handlers failed; no rank was started.
    #[error("cannot install the SIGINT/SIGTERM/SIGHUP handlers: {source}")]
    Signals {
        /// The error from `sigaction`.
        #[source]
        source: io::Error,
    },
}

impl LaunchError {
    /// The exit code the `typed-torch-run` binary uses for this error.
    ///
    /// 2 for an invalid configuration (as for any other command-line error), 127 when the program
    /// was not found and 126 when it could not be executed (the shell's conventions), 1 otherwise.
    ///
    /// ```
    /// use typed_torch_run::{launch, LaunchConfig};
    ///
    /// let config = LaunchConfig::new(0, "/bin/true");
    /// assert_eq!(launch(&config).unwrap_err().exit_code(), 2);
    /// ```
    pub fn exit_code(&self) -> i32 {
        match self {
            LaunchError::InvalidConfig { .. } => 2,
            LaunchError::Spawn { source, .. } => match source.kind() {
                io::ErrorKind::NotFound => 127,
                io::ErrorKind::PermissionDenied => 126,
                _ => 1,
            },
            _ => 1,
        }
    }

    pub(crate) fn invalid(
        flag: &'static str,
        value: impl ToString,
        expected: impl Into<String>,
    ) -> Self {
        LaunchError::InvalidConfig {
            flag,
            value: value.to_string(),
            expected: expected.into(),
        }
    }
}

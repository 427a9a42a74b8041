//! SIGINT, SIGTERM and SIGHUP as a flag the supervising loop polls, and signals to rank groups.
//!
//! signal-hook cannot give a signal its default action back once it handled it: after the last
//! action is unregistered, the signal would be ignored. So the first [`SignalWatch`] installs, for
//! each signal, one permanent "default action when idle" (`flag::register_conditional_default`),
//! and every watch adds its own flag on top. While at least one launch is running, the signals
//! only set the flags; when none is, they act as if never handled (terminate the process). A
//! signal the process ignores when the first watch is created (`nohup`, a background job) is left
//! ignored and not watched.

use std::io;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use libc::c_int;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::SigId;

/// The signals the launcher forwards to the ranks.
const WATCHED: [c_int; 3] = [SIGINT, SIGTERM, SIGHUP];

/// Process-wide state shared by all watches.
struct Global {
    /// The watched signals (those not ignored at the first installation).
    signals: Vec<c_int>,
    /// `true` when no launch is running: the signals then take their default action.
    idle: Arc<AtomicBool>,
    /// Number of live watches.
    active: usize,
}

static GLOBAL: Mutex<Option<Global>> = Mutex::new(None);

/// Whether `signal` is currently ignored (`SIG_IGN`).
fn is_ignored(signal: c_int) -> bool {
    // SAFETY: a query only (null new action); `old` is a plain C struct that `sigaction` fills.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(signal, std::ptr::null(), &mut old) == 0
            && old.sa_sigaction == libc::SIG_IGN
    }
}

/// Records the last watched signal received while it lives.
pub(crate) struct SignalWatch {
    flag: Arc<AtomicUsize>,
    ids: Vec<SigId>,
}

impl SignalWatch {
    /// Starts watching SIGINT, SIGTERM and SIGHUP.
    pub(crate) fn install() -> io::Result<Self> {
        let mut global = GLOBAL.lock().unwrap_or_else(|e| e.into_inner());
        if global.is_none() {
            let idle = Arc::new(AtomicBool::new(true));
            let mut signals = Vec::new();
            for signal in WATCHED {
                if !is_ignored(signal) {
                    signal_hook::flag::register_conditional_default(signal, Arc::clone(&idle))?;
                    signals.push(signal);
                }
            }
            *global = Some(Global {
                signals,
                idle,
                active: 0,
            });
        }
        let global = global.as_mut().expect("initialised above");
        global.active += 1;
        global.idle.store(false, Ordering::SeqCst);
        // From here on, `Drop` undoes the registration (also on the error path below).
        let mut watch = SignalWatch {
            flag: Arc::new(AtomicUsize::new(0)),
            ids: Vec::new(),
        };
        for &signal in &global.signals {
            let id = signal_hook::flag::register_usize(
                signal,
                Arc::clone(&watch.flag),
                signal as usize,
            )?;
            watch.ids.push(id);
        }
        Ok(watch)
    }

    /// The last signal received since the previous call, if any.
    pub(crate) fn take(&self) -> Option<c_int> {
        match self.flag.swap(0, Ordering::SeqCst) {
            0 => None,
            signal => Some(signal as c_int),
        }
    }
}

impl Drop for SignalWatch {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
        let mut global = GLOBAL.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(global) = global.as_mut() {
            global.active -= 1;
            if global.active == 0 {
                global.idle.store(true, Ordering::SeqCst);
            }
        }
    }
}

/// Sends `signal` to the process group led by `pid` (every rank is the leader of its own group,
/// so this reaches the processes it started too). Falls back to the process alone if the group
/// cannot be signalled and `leader_alive` (the rank is not reaped yet, so `pid` is still its); a
/// group that no longer exists is not an error.
pub(crate) fn signal_group(pid: u32, signal: c_int, leader_alive: bool) {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return;
    };
    // SAFETY: kill(2) has no memory-safety preconditions.
    if unsafe { libc::kill(-pid, signal) } == 0 {
        return;
    }
    if leader_alive && io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH) {
        // SAFETY: as above.
        unsafe { libc::kill(pid, signal) };
    }
}

/// `"signal 9 (SIGKILL)"`.
pub(crate) fn describe(signal: c_int) -> String {
    match signal_hook::low_level::signal_name(signal) {
        Some(name) => format!("signal {signal} ({name})"),
        None => format!("signal {signal}"),
    }
}

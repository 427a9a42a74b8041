//! Multi-process tests on loopback: the test binary starts copies of itself as the ranks, each
//! running one `#[ignore]`d worker test with torchrun's environment set. Every process is
//! stopped by the deadline, so a hang fails the test instead of stalling the suite.
#![allow(dead_code)]
use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// What one rank did.
#[derive(Debug)]
pub struct RankRun {
    pub rank: usize,
    /// `None` when it had to be killed at the deadline.
    pub status: Option<ExitStatus>,
    pub output: String,
}

/// A free TCP port on loopback (the OS picks one; another process could take it before the
/// ranks do, which is unlikely within milliseconds).
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Runs worker test `worker` (its full path, e.g. `worker`) as `world` ranks with `scenario` in
/// `TT_SCENARIO` and `extra` variables (`{rank}` in a value becomes the rank); kills every rank
/// still running at `deadline`.
pub fn run_ranks(
    worker: &str,
    world: usize,
    scenario: &str,
    extra: &[(&str, String)],
    deadline: Duration,
) -> Vec<RankRun> {
    let exe = std::env::current_exe().unwrap();
    let port = free_port();
    let mut children: Vec<(usize, Child)> = (0..world)
        .map(|rank| {
            let mut command = Command::new(&exe);
            command
                .args([
                    worker,
                    "--exact",
                    "--ignored",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env("RANK", rank.to_string())
                .env("LOCAL_RANK", rank.to_string())
                .env("WORLD_SIZE", world.to_string())
                .env("MASTER_ADDR", "127.0.0.1")
                .env("MASTER_PORT", port.to_string())
                .env("TT_SCENARIO", scenario)
                // Ranks share two cores; one intra-op thread each keeps them from fighting.
                .env("OMP_NUM_THREADS", "1")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            for (k, v) in extra {
                command.env(k, v.replace("{rank}", &rank.to_string()));
            }
            (rank, command.spawn().unwrap())
        })
        .collect();
    // Drain pipes on threads so a chatty rank never blocks on a full pipe.
    let readers: Vec<_> = children
        .iter_mut()
        .map(|(_, child)| {
            let mut out = child.stdout.take().unwrap();
            let mut err = child.stderr.take().unwrap();
            std::thread::spawn(move || {
                let mut text = String::new();
                let _ = out.read_to_string(&mut text);
                let mut e = String::new();
                let _ = err.read_to_string(&mut e);
                text + &e
            })
        })
        .collect();
    let start = Instant::now();
    let mut statuses: Vec<Option<ExitStatus>> = vec![None; world];
    while statuses.iter().any(Option::is_none) && start.elapsed() < deadline {
        for (i, (_, child)) in children.iter_mut().enumerate() {
            if statuses[i].is_none() {
                statuses[i] = child.try_wait().unwrap();
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    for (i, (_, child)) in children.iter_mut().enumerate() {
        if statuses[i].is_none() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
    children
        .into_iter()
        .zip(readers)
        .zip(statuses)
        .map(|(((rank, _), reader), status)| RankRun {
            rank,
            status,
            output: reader.join().unwrap(),
        })
        .collect()
}

/// Panics with every rank's output unless all succeeded.
pub fn assert_all_ok(runs: &[RankRun]) {
    if std::env::var_os("TT_SHOW_RANKS").is_some() {
        for r in runs {
            println!("--- rank {} ({:?}):\n{}", r.rank, r.status, r.output);
        }
    }
    if runs.iter().all(|r| r.status.is_some_and(|s| s.success())) {
        return;
    }
    let mut report = String::new();
    for r in runs {
        report += &format!("--- rank {} ({:?}):\n{}\n", r.rank, r.status, r.output);
    }
    panic!("not every rank succeeded:\n{report}");
}

/// This rank's scenario, when running as a worker.
pub fn scenario() -> String {
    std::env::var("TT_SCENARIO").expect("a worker is started by run_ranks")
}

//! End-to-end tests of the launcher, in-process through `launch` and through the binary.
//!
//! Every rank is `/bin/sh -c SCRIPT`; every test is bounded in time (a hung launcher is killed and
//! the test fails) and checks that the processes it started are gone.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use typed_torch_run::{launch, LaunchConfig, LaunchError, Outcome};

const BIN: &str = env!("CARGO_BIN_EXE_typed-torch-run");

/// A fresh directory under the system temp dir, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "typed-torch-run-{name}-{}-{nanos}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn read(&self, name: &str) -> String {
        fs::read_to_string(self.0.join(name))
            .unwrap_or_else(|e| panic!("{name} in {}: {e}", self.0.display()))
    }

    /// Waits (up to 5 s) until every file in `names` exists.
    fn wait_for(&self, names: &[String]) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !names.iter().all(|n| self.0.join(n).exists()) {
            assert!(Instant::now() < deadline, "{names:?} never appeared");
            thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// `n` ranks of `/bin/sh -c script`, output not prefixed (the test harness does not capture it),
/// `DIR` set to the scratch directory.
fn sh(n: usize, script: &str, dir: &Scratch) -> LaunchConfig {
    LaunchConfig::new(n, "/bin/sh")
        .with_args(["-c", script])
        .with_prefix_output(false)
        .with_env("DIR", dir.path())
}

/// Writes `$1`'s value-list of variables to `$DIR/rank$RANK` (written then renamed, so a file
/// that exists is complete).
const WRITE_ENV: &str = r#"
printf '%s\n' "$RANK" "$WORLD_SIZE" "$LOCAL_RANK" "$LOCAL_WORLD_SIZE" "$GROUP_RANK" \
    "$MASTER_ADDR" "$MASTER_PORT" "${CUDA_VISIBLE_DEVICES-unset}" > "$DIR/tmp$RANK"
mv "$DIR/tmp$RANK" "$DIR/rank$RANK"
"#;

/// The variables `WRITE_ENV` wrote for global rank `rank`.
fn env_of(dir: &Scratch, rank: usize) -> BTreeMap<&'static str, String> {
    let text = dir.read(&format!("rank{rank}"));
    let names = [
        "RANK",
        "WORLD_SIZE",
        "LOCAL_RANK",
        "LOCAL_WORLD_SIZE",
        "GROUP_RANK",
        "MASTER_ADDR",
        "MASTER_PORT",
        "CUDA_VISIBLE_DEVICES",
    ];
    let values: Vec<&str> = text.lines().collect();
    assert_eq!(values.len(), names.len(), "{text:?}");
    names
        .into_iter()
        .zip(values.into_iter().map(str::to_owned))
        .collect()
}

/// Asserts that process `pid` is gone (or a zombie about to be reaped by init), within 2 s.
fn assert_gone(pid: i32) {
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        // SAFETY: kill with signal 0 only checks for existence.
        let exists = unsafe { libc::kill(pid, 0) } == 0;
        let zombie = fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| {
                s.rsplit_once(')')
                    .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'))
            })
            .unwrap_or(false);
        if !exists || zombie {
            return;
        }
        assert!(Instant::now() < deadline, "process {pid} is still running");
        thread::sleep(Duration::from_millis(20));
    }
}

/// Waits for `child` for at most `limit`; kills it and panics if it takes longer.
fn wait_bounded(child: &mut Child, limit: Duration) -> ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("typed-torch-run did not exit within {limit:?}");
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// Runs the binary with `args` (and `env` changes), returning its status, stdout and stderr;
/// bounded to 10 s.
fn run_bin(args: &[&str], env: &[(&str, Option<&str>)]) -> (ExitStatus, Vec<u8>, Vec<u8>) {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        match value {
            Some(value) => command.env(key, value),
            None => command.env_remove(key),
        };
    }
    let mut child = command.spawn().unwrap();
    let reader = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            bytes
        })
    };
    let stdout = reader(Box::new(child.stdout.take().unwrap()));
    let stderr = reader(Box::new(child.stderr.take().unwrap()));
    let status = wait_bounded(&mut child, Duration::from_secs(10));
    (status, stdout.join().unwrap(), stderr.join().unwrap())
}

fn launch_ok(config: &LaunchConfig) -> Outcome {
    launch(config).unwrap_or_else(|e| panic!("launch failed: {e}"))
}

#[test]
fn every_rank_gets_the_distributed_environment() {
    let dir = Scratch::new("env");
    let config = sh(3, WRITE_ENV, &dir).with_master("127.0.0.1", 23456);
    let outcome = launch_ok(&config);
    assert!(outcome.success(), "{:?}", outcome.summary());
    assert_eq!(outcome.code(), 0);
    assert_eq!(outcome.ranks().len(), 3);
    assert!(outcome.stopped_ranks().is_empty());
    for rank in 0..3 {
        let env = env_of(&dir, rank);
        assert_eq!(env["RANK"], rank.to_string());
        assert_eq!(env["WORLD_SIZE"], "3");
        assert_eq!(env["LOCAL_RANK"], rank.to_string());
        assert_eq!(env["LOCAL_WORLD_SIZE"], "3");
        assert_eq!(env["GROUP_RANK"], "0");
        assert_eq!(env["MASTER_ADDR"], "127.0.0.1");
        assert_eq!(env["MASTER_PORT"], "23456");
        assert_eq!(outcome.ranks()[rank].rank, rank);
        assert!(outcome.ranks()[rank].success());
    }
}

#[test]
fn the_second_node_gets_the_upper_ranks() {
    let dir = Scratch::new("node1");
    let config = sh(2, WRITE_ENV, &dir)
        .with_nodes(2, 1)
        .with_master("10.1.2.3", 29400);
    let outcome = launch_ok(&config);
    assert!(outcome.success(), "{:?}", outcome.summary());
    for local in 0..2 {
        let env = env_of(&dir, 2 + local);
        assert_eq!(env["RANK"], (2 + local).to_string());
        assert_eq!(env["WORLD_SIZE"], "4");
        assert_eq!(env["LOCAL_RANK"], local.to_string());
        assert_eq!(env["LOCAL_WORLD_SIZE"], "2");
        assert_eq!(env["GROUP_RANK"], "1");
        assert_eq!(env["MASTER_ADDR"], "10.1.2.3");
        assert_eq!(env["MASTER_PORT"], "29400");
    }
    assert!(!dir.path().join("rank0").exists());
}

#[test]
fn port_zero_gives_every_rank_the_same_free_port() {
    let dir = Scratch::new("port0");
    let outcome = launch_ok(&sh(3, WRITE_ENV, &dir).with_master("127.0.0.1", 0));
    assert!(outcome.success(), "{:?}", outcome.summary());
    let ports: Vec<String> = (0..3)
        .map(|r| env_of(&dir, r)["MASTER_PORT"].clone())
        .collect();
    let port: u16 = ports[0].parse().unwrap();
    assert_ne!(port, 0);
    assert!(ports.iter().all(|p| *p == ports[0]), "{ports:?}");
}

#[test]
fn one_gpu_per_rank_splits_a_list_from_extra_env() {
    let dir = Scratch::new("gpu-extra");
    let config = sh(3, WRITE_ENV, &dir)
        .with_one_gpu_per_rank(true)
        .with_env("CUDA_VISIBLE_DEVICES", "7, 2,GPU-abc,5");
    let outcome = launch_ok(&config);
    assert!(outcome.success(), "{:?}", outcome.summary());
    for (rank, device) in ["7", "2", "GPU-abc"].into_iter().enumerate() {
        assert_eq!(env_of(&dir, rank)["CUDA_VISIBLE_DEVICES"], device);
    }

    // Without the flag the list is passed through unchanged.
    let dir = Scratch::new("gpu-off");
    let config = sh(2, WRITE_ENV, &dir).with_env("CUDA_VISIBLE_DEVICES", "7,2");
    assert!(launch_ok(&config).success());
    for rank in 0..2 {
        assert_eq!(env_of(&dir, rank)["CUDA_VISIBLE_DEVICES"], "7,2");
    }

    // Too short a list is an error naming the flag.
    let config = sh(3, WRITE_ENV, &dir)
        .with_one_gpu_per_rank(true)
        .with_env("CUDA_VISIBLE_DEVICES", "0,1");
    match launch(&config) {
        Err(LaunchError::InvalidConfig { flag, .. }) => assert_eq!(flag, "--one-gpu-per-rank"),
        other => panic!("expected an invalid config, got {other:?}"),
    }
}

#[test]
fn one_gpu_per_rank_through_the_binary_with_and_without_a_parent_list() {
    for (parent, expected) in [(None, ["0", "1"]), (Some("3,5,6"), ["3", "5"])] {
        let dir = Scratch::new("gpu-bin");
        let dir_text = dir.path().to_str().unwrap();
        let (status, _, stderr) = run_bin(
            &[
                "--nproc-per-node",
                "2",
                "--one-gpu-per-rank",
                "--",
                "/bin/sh",
                "-c",
                WRITE_ENV,
            ],
            &[("DIR", Some(dir_text)), ("CUDA_VISIBLE_DEVICES", parent)],
        );
        assert!(status.success(), "{}", String::from_utf8_lossy(&stderr));
        for (rank, device) in expected.into_iter().enumerate() {
            let env = env_of(&dir, rank);
            assert_eq!(
                env["CUDA_VISIBLE_DEVICES"], device,
                "parent list {parent:?}"
            );
            assert_eq!(env["LOCAL_RANK"], rank.to_string());
        }
    }
}

/// Ranks other than `failing` start `sleep 30` in the background, record its pid in
/// `$DIR/sleep$RANK` and wait for it; `failing` waits for those records, then runs `fail`.
fn failing_script(n: usize, failing: usize, prelude: &str, fail: &str) -> String {
    let others: Vec<String> = (0..n)
        .filter(|r| *r != failing)
        .map(|r| format!("[ -e \"$DIR/sleep{r}\" ]"))
        .collect();
    format!(
        r#"
if [ "$RANK" = {failing} ]; then
    until {ready}; do sleep 0.02; done
    {fail}
fi
{prelude}
sleep 30 &
echo $! > "$DIR/tmp$RANK" && mv "$DIR/tmp$RANK" "$DIR/sleep$RANK"
wait
"#,
        ready = others.join(" && ")
    )
}

fn sleep_pids(dir: &Scratch, ranks: &[usize]) -> Vec<i32> {
    ranks
        .iter()
        .map(|r| dir.read(&format!("sleep{r}")).trim().parse().unwrap())
        .collect()
}

#[test]
fn a_failing_rank_stops_the_others_and_sets_the_code() {
    let dir = Scratch::new("fail");
    let config = sh(3, &failing_script(3, 1, "", "exit 3"), &dir);
    let start = Instant::now();
    let outcome = launch_ok(&config);
    let elapsed = start.elapsed();
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    assert_eq!(outcome.code(), 3);
    assert!(!outcome.success());
    let failed = outcome.first_failure().expect("a failing rank");
    assert_eq!(failed.rank, 1);
    assert_eq!(failed.status.code(), Some(3));
    assert_eq!(failed.stopped_with, None);
    assert_eq!(outcome.stopped_ranks(), vec![0, 2]);
    for rank in [0, 2] {
        let exit = &outcome.ranks()[rank];
        assert_eq!(exit.stopped_with, Some(libc::SIGTERM));
        assert_eq!(exit.status.signal(), Some(libc::SIGTERM), "rank {rank}");
        assert!(!exit.force_killed);
    }
    let summary = outcome.summary().unwrap();
    assert!(
        summary.starts_with(&format!(
            "typed-torch-run: rank 1 (pid {}) exited with status 3; stopped ranks 0, 2",
            failed.pid
        )),
        "{summary}"
    );
    for pid in sleep_pids(&dir, &[0, 2]) {
        assert_gone(pid);
    }
}

#[test]
fn a_rank_ignoring_sigterm_is_killed_after_the_grace_period() {
    let dir = Scratch::new("ignore");
    let grace = Duration::from_millis(500);
    let config =
        sh(2, &failing_script(2, 1, "trap '' TERM", "exit 5"), &dir).with_grace_period(grace);
    let start = Instant::now();
    let outcome = launch_ok(&config);
    let elapsed = start.elapsed();
    assert!(elapsed >= grace, "took {elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    assert_eq!(outcome.code(), 5);
    let stubborn = &outcome.ranks()[0];
    assert_eq!(stubborn.stopped_with, Some(libc::SIGTERM));
    assert!(stubborn.force_killed);
    assert_eq!(stubborn.status.signal(), Some(libc::SIGKILL));
    assert!(outcome
        .summary()
        .unwrap()
        .contains("killed with SIGKILL: 0"));
    // The background `sleep` ignored SIGTERM too; SIGKILL went to the whole process group.
    for pid in sleep_pids(&dir, &[0]) {
        assert_gone(pid);
    }
}

#[test]
fn a_rank_killed_by_a_signal_gives_128_plus_the_signal() {
    let dir = Scratch::new("killed");
    let outcome = launch_ok(&sh(2, &failing_script(2, 0, "", "kill -9 $$"), &dir));
    assert_eq!(outcome.code(), 128 + libc::SIGKILL);
    assert_eq!(outcome.first_failure().unwrap().rank, 0);
    assert!(outcome
        .summary()
        .unwrap()
        .contains("was killed by signal 9 (SIGKILL); stopped rank 1"));
}

#[test]
fn sigterm_to_the_launcher_is_forwarded_to_every_rank() {
    let dir = Scratch::new("forward");
    let script = r#"
trap 'touch "$DIR/term$RANK"; exit 0' TERM
sleep 30 &
touch "$DIR/ready$RANK"
wait
"#;
    let mut child = Command::new(BIN)
        .args([
            "--nproc-per-node",
            "2",
            "--grace-period",
            "5",
            "--",
            "/bin/sh",
            "-c",
            script,
        ])
        .env("DIR", dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    dir.wait_for(&["ready0".into(), "ready1".into()]);
    let start = Instant::now();
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGTERM) }, 0);
    let status = wait_bounded(&mut child, Duration::from_secs(5));
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(status.code(), Some(128 + libc::SIGTERM));
    assert!(dir.path().join("term0").exists());
    assert!(dir.path().join("term1").exists());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(
        stderr.contains("typed-torch-run: received signal 15 (SIGTERM); stopped ranks 0, 1"),
        "{stderr}"
    );
}

#[test]
fn output_is_prefixed_line_by_line() {
    let script = r#"
echo "first $RANK"
echo "oops $RANK" >&2
printf 'bytes \377 %s\n' "$RANK"
printf 'last %s' "$RANK"
"#;
    let (status, stdout, stderr) = run_bin(
        &["--nproc-per-node", "2", "--", "/bin/sh", "-c", script],
        &[],
    );
    assert!(status.success(), "{}", String::from_utf8_lossy(&stderr));
    assert!(stdout.ends_with(b"\n"));
    let lines: Vec<&[u8]> = stdout
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(lines.len(), 6, "{}", String::from_utf8_lossy(&stdout));
    for rank in 0..2 {
        let prefix = format!("[rank {rank}] ");
        let mine: Vec<&[u8]> = lines
            .iter()
            .copied()
            .filter(|l| l.starts_with(prefix.as_bytes()))
            .collect();
        let expected: Vec<Vec<u8>> = vec![
            format!("{prefix}first {rank}").into_bytes(),
            [
                prefix.as_bytes(),
                b"bytes \xff ",
                rank.to_string().as_bytes(),
            ]
            .concat(),
            format!("{prefix}last {rank}").into_bytes(),
        ];
        assert_eq!(mine, expected, "rank {rank}");
    }
    let stderr = String::from_utf8(stderr).unwrap();
    let mut err_lines: Vec<&str> = stderr.lines().collect();
    err_lines.sort();
    assert_eq!(err_lines, ["[rank 0] oops 0", "[rank 1] oops 1"]);
}

#[test]
fn node_rank_not_below_nnodes_is_a_typed_error() {
    let config = LaunchConfig::new(2, "/bin/true").with_nodes(2, 2);
    match launch(&config) {
        Err(err @ LaunchError::InvalidConfig { flag, .. }) => {
            assert_eq!(flag, "--node-rank");
            assert_eq!(err.exit_code(), 2);
            let message = err.to_string();
            assert!(
                message.contains("--node-rank 2") && message.contains("--nnodes 2"),
                "{message}"
            );
        }
        other => panic!("expected an invalid config, got {other:?}"),
    }
    let zero = LaunchConfig::new(0, "/bin/true");
    assert!(matches!(
        zero.validate(),
        Err(LaunchError::InvalidConfig {
            flag: "--nproc-per-node",
            ..
        })
    ));
}

#[test]
fn the_binary_rejects_an_invalid_node_rank_with_exit_2() {
    let (status, stdout, stderr) = run_bin(
        &[
            "--nproc-per-node",
            "2",
            "--nnodes",
            "2",
            "--node-rank",
            "3",
            "--",
            "/bin/true",
        ],
        &[],
    );
    assert_eq!(status.code(), Some(2));
    assert!(stdout.is_empty());
    let stderr = String::from_utf8(stderr).unwrap();
    assert!(stderr.contains("--node-rank 3"), "{stderr}");
}

#[test]
fn a_missing_program_is_a_spawn_error() {
    let config = LaunchConfig::new(2, "/nonexistent/typed-torch-program");
    match launch(&config) {
        Err(err @ LaunchError::Spawn { rank: 0, .. }) => assert_eq!(err.exit_code(), 127),
        other => panic!("expected a spawn error, got {other:?}"),
    }
    let (status, _, stderr) = run_bin(
        &["--nproc-per-node", "1", "/nonexistent/typed-torch-program"],
        &[],
    );
    assert_eq!(status.code(), Some(127));
    assert!(String::from_utf8_lossy(&stderr).contains("cannot start rank 0"));
}

#[test]
fn arguments_reach_every_rank_unchanged() {
    let dir = Scratch::new("args");
    let config = LaunchConfig::new(2, "/bin/sh")
        .with_args([
            OsString::from("-c"),
            OsString::from(r#"printf '%s|' "$@" > "$DIR/args$RANK""#),
            OsString::from("sh"),
            OsString::from("a b"),
            OsString::from("--flag"),
        ])
        .with_prefix_output(false)
        .with_env("DIR", dir.path());
    assert!(launch_ok(&config).success());
    for rank in 0..2 {
        assert_eq!(dir.read(&format!("args{rank}")), "a b|--flag|");
    }
}

#[test]
fn a_second_signal_during_the_grace_period_kills_at_once() {
    let dir = Scratch::new("second");
    let script = r#"
trap '' TERM
sleep 30 &
touch "$DIR/ready$RANK"
wait
"#;
    let mut child = Command::new(BIN)
        .args([
            "--nproc-per-node",
            "2",
            "--grace-period",
            "20",
            "--",
            "/bin/sh",
            "-c",
            script,
        ])
        .env("DIR", dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    dir.wait_for(&["ready0".into(), "ready1".into()]);
    let start = Instant::now();
    let pid = child.id() as i32;
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the ranks ignore SIGTERM"
    );
    // SAFETY: as above; the launcher has not been reaped yet.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let status = wait_bounded(&mut child, Duration::from_secs(5));
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(status.code(), Some(128 + libc::SIGTERM));
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(
        stderr.contains("stopped ranks 0, 1 (killed with SIGKILL: 0, 1)"),
        "{stderr}"
    );
}

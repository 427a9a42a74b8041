//! All-reduce through typed-torch-distributed against PyTorch's `torch.distributed` (both Gloo,
//! the same c10d code), 1 KiB to 64 MiB of f32 between 2 processes on this machine, interleaved
//! size by size: both pairs of processes stay running and take turns, each round timing every
//! size once per pair, the pair that goes first alternating. Rank r of either pair runs on CPU r
//! (see [`pinned`]). `BENCH_DIST_CONTROL=torch` (or `typed`) replaces the typed-torch pair with
//! a second pair of the other kind: the ratios then measure the harness itself.
//! Then the step time of `mnist_ddp`'s LeNet (32 digits per step in all) on 1 process and on 2
//! processes of 16.
//!
//! The report (stdout, and `$BENCH_OUT/distributed.json` when set) gives median times and the
//! median per-round ratio typed / torch.
#![allow(missing_docs)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use typed_torch::nn::Params;
use typed_torch::optim::{Adam, AdamConfig, Optimizer};
use typed_torch::prelude::*;
use typed_torch::{loss, Tensor, D};
use typed_torch_distributed::{DistributedDataParallel, ProcessGroup, ReduceOp};
use typed_torch_models::lenet::LeNet;

const KIB: usize = 1024;
const WORLD: usize = 2;

/// Sizes in bytes and repetitions per round (about the same bytes moved per size, at least 3).
fn sizes() -> Vec<(usize, usize)> {
    (0..9)
        .map(|i| {
            let bytes = KIB << (2 * i);
            (bytes, (64 * KIB * KIB * 3 / bytes).clamp(3, 200))
        })
        .collect()
}

fn rounds() -> usize {
    std::env::var("BENCH_DIST_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15)
}

fn main() {
    match std::env::var("BENCH_ROLE").as_deref() {
        Ok("allreduce-rank") => allreduce_rank(),
        Ok("ddp-rank") => ddp_rank(),
        _ => {
            // `cargo bench` passes `--bench`; this harness has no filters.
            let report = Report {
                allreduce: allreduce_rounds(),
                ddp: [1, 2].map(ddp_step_ms).to_vec(),
            };
            report.print();
        }
    }
}

// ---- all-reduce ----------------------------------------------------------------------------

fn allreduce_rank() {
    let group = ProcessGroup::from_env().expect("join");
    let sizes = sizes();
    let mut tensors: Vec<Tensor<(typed_torch::Dyn,)>> = sizes
        .iter()
        .map(|&(b, _)| Tensor::ones_dyn(&[b / 4]).unwrap())
        .collect();
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        let Some(bytes) = line
            .strip_prefix("size ")
            .and_then(|b| b.trim().parse::<usize>().ok())
        else {
            break;
        };
        let i = sizes
            .iter()
            .position(|&(b, _)| b == bytes)
            .expect("a benchmarked size");
        let (reps, t) = (sizes[i].1, &mut tensors[i]);
        group.barrier().unwrap();
        let start = Instant::now();
        for _ in 0..reps {
            group.all_reduce(t, ReduceOp::Sum).unwrap();
        }
        println!("{}", start.elapsed().as_secs_f64() / reps as f64);
    }
}

/// A pair of rank processes taking `round` commands.
struct Pair {
    children: Vec<Child>,
    stdins: Vec<ChildStdin>,
    rank0: BufReader<std::process::ChildStdout>,
    others: Vec<BufReader<std::process::ChildStdout>>,
}

/// Each rank on a core of its own (rank r on CPU r, both pairs alike, with `taskset`), unless
/// `BENCH_DIST_PIN=0` or there are fewer cores than ranks: unpinned, the scheduler moved the
/// threads of 4 processes around 2 cores thousands of times a second and a pair timed against a
/// copy of itself read 0.94-1.12.
fn pinned(rank: usize, command: Command) -> Command {
    if !pinning() {
        return command;
    }
    let mut wrapped = Command::new("taskset");
    wrapped
        .arg("-c")
        .arg(rank.to_string())
        .arg(command.get_program())
        .args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(v) => wrapped.env(key, v),
            None => wrapped.env_remove(key),
        };
    }
    wrapped
}

/// Whether ranks are pinned (see [`pinned`]).
fn pinning() -> bool {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let wanted = std::env::var("BENCH_DIST_PIN").map_or(true, |v| v != "0");
    let have_taskset = Command::new("taskset")
        .arg("-V")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    wanted && cores >= WORLD && have_taskset
}

impl Pair {
    fn start(make: impl Fn() -> Command) -> Pair {
        let port = free_port();
        let sizes = sizes();
        let sizes_json = format!(
            "[{}]",
            sizes
                .iter()
                .map(|(b, r)| format!("[{b}, {r}]"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut children = Vec::new();
        for rank in 0..WORLD {
            let mut c = pinned(rank, make());
            c.env("RANK", rank.to_string())
                .env("WORLD_SIZE", WORLD.to_string())
                .env("LOCAL_RANK", rank.to_string())
                .env("MASTER_ADDR", "127.0.0.1")
                .env("MASTER_PORT", port.to_string())
                .env("BENCH_SIZES", &sizes_json)
                .env("OMP_NUM_THREADS", "1")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped());
            children.push(c.spawn().expect("start a rank"));
        }
        let stdins = children
            .iter_mut()
            .map(|c| c.stdin.take().unwrap())
            .collect();
        let mut outs: Vec<_> = children
            .iter_mut()
            .map(|c| BufReader::new(c.stdout.take().unwrap()))
            .collect();
        let rank0 = outs.remove(0);
        Pair {
            children,
            stdins,
            rank0,
            others: outs,
        }
    }

    /// Rank 0's seconds per all-reduce of `bytes`.
    fn time(&mut self, bytes: usize) -> f64 {
        for s in &mut self.stdins {
            writeln!(s, "size {bytes}").unwrap();
            s.flush().unwrap();
        }
        let mut line = String::new();
        self.rank0.read_line(&mut line).unwrap();
        for o in &mut self.others {
            let mut skip = String::new();
            o.read_line(&mut skip).unwrap();
        }
        line.trim().parse().expect("seconds")
    }

    fn stop(mut self) {
        for s in &mut self.stdins {
            let _ = writeln!(s, "quit");
        }
        drop(self.stdins);
        for c in &mut self.children {
            let deadline = Instant::now() + Duration::from_secs(20);
            while c.try_wait().unwrap().is_none() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn python() -> String {
    std::env::var("TYPED_TORCH_PYTHON")
        .unwrap_or_else(|_| format!("{}/../.typed-torch/python", env!("CARGO_MANIFEST_DIR")))
}

struct SizeResult {
    bytes: usize,
    typed: Vec<f64>,
    torch: Vec<f64>,
}

fn allreduce_rounds() -> Vec<SizeResult> {
    let exe = std::env::current_exe().unwrap();
    let script = format!("{}/benches/allreduce_torch.py", env!("CARGO_MANIFEST_DIR"));
    let typed_rank = || {
        let mut c = Command::new(&exe);
        c.env("BENCH_ROLE", "allreduce-rank");
        c
    };
    let torch_rank = || {
        let mut c = Command::new(python());
        c.arg(&script);
        c
    };
    // A control run (`BENCH_DIST_CONTROL=torch` or `typed`) times one side against a second
    // pair of itself: the ratios it reports are the harness's own bias and noise.
    let control = std::env::var("BENCH_DIST_CONTROL").ok();
    let mut typed = match control.as_deref() {
        Some("torch") => Pair::start(torch_rank),
        _ => Pair::start(typed_rank),
    };
    let mut torch = match control.as_deref() {
        Some("typed") => Pair::start(typed_rank),
        _ => Pair::start(torch_rank),
    };
    let mut results: Vec<SizeResult> = sizes()
        .iter()
        .map(|&(bytes, _)| SizeResult {
            bytes,
            typed: Vec::new(),
            torch: Vec::new(),
        })
        .collect();
    // A warm-up pass each, not recorded.
    for r in &results {
        typed.time(r.bytes);
        torch.time(r.bytes);
    }
    for round in 0..rounds() {
        for r in results.iter_mut() {
            // Size by size, alternating which pair goes first, so neither always follows the other.
            if round % 2 == 0 {
                r.typed.push(typed.time(r.bytes));
                r.torch.push(torch.time(r.bytes));
            } else {
                r.torch.push(torch.time(r.bytes));
                r.typed.push(typed.time(r.bytes));
            }
        }
        eprint!("\rall-reduce round {}/{}", round + 1, rounds());
    }
    eprintln!();
    typed.stop();
    torch.stop();
    results
}

// ---- DDP step ------------------------------------------------------------------------------

const DDP_STEPS: usize = 40;
const DDP_WARMUP: usize = 5;
const GLOBAL_BATCH: usize = 32;

fn ddp_rank() {
    let group = ProcessGroup::from_env().expect("join");
    let local = GLOBAL_BATCH / group.world_size();
    tch::manual_seed(0);
    let mut ddp = DistributedDataParallel::new(&group, LeNet::init().unwrap()).unwrap();
    let mut opt = Adam::new(ddp.module_mut(), AdamConfig::default()).unwrap();
    let x = Tensor::<(typed_torch::Dyn, D<1>, D<28>, D<28>)>::randn_dyn(&[local]).unwrap();
    let y = Tensor::<(typed_torch::Dyn,), i64>::zeros_dyn(&[local]).unwrap();
    let mut times = Vec::new();
    for step in 0..DDP_WARMUP + DDP_STEPS {
        let start = Instant::now();
        opt.zero_grad();
        let logits = ddp.forward(x.clone()).unwrap();
        ddp.backward(&loss::cross_entropy(&logits, &y, loss::Mean))
            .unwrap();
        opt.step(ddp.module_mut()).unwrap();
        if step >= DDP_WARMUP {
            times.push(start.elapsed().as_secs_f64() * 1e3);
        }
    }
    let _ = ddp.module().param_count();
    if group.is_main() {
        println!("{}", median(&mut times));
    }
}

fn ddp_step_ms(processes: usize) -> (usize, f64) {
    let exe = std::env::current_exe().unwrap();
    let port = free_port();
    let threads = (std::thread::available_parallelism().map_or(1, |n| n.get()) / processes).max(1);
    let children: Vec<Child> = (0..processes)
        .map(|rank| {
            Command::new(&exe)
                .env("BENCH_ROLE", "ddp-rank")
                .env("RANK", rank.to_string())
                .env("WORLD_SIZE", processes.to_string())
                .env("MASTER_ADDR", "127.0.0.1")
                .env("MASTER_PORT", port.to_string())
                .env("OMP_NUM_THREADS", threads.to_string())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut ms = f64::NAN;
    for (rank, c) in children.into_iter().enumerate() {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "a DDP rank failed");
        if rank == 0 {
            ms = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
        }
    }
    (processes, ms)
}

// ---- report --------------------------------------------------------------------------------

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

struct Report {
    allreduce: Vec<SizeResult>,
    ddp: Vec<(usize, f64)>,
}

impl Report {
    fn print(&self) {
        let mut json = Vec::new();
        println!("\nall-reduce of f32 between {WORLD} processes (Gloo on loopback), medians of {} interleaved rounds", rounds());
        println!("| size | typed-torch | torch.distributed | typed / torch (median of rounds) |");
        println!("| ---: | ---: | ---: | ---: |");
        for r in &self.allreduce {
            let mut ratios: Vec<f64> = r.typed.iter().zip(&r.torch).map(|(a, b)| a / b).collect();
            let (t, p, q) = (
                median(&mut r.typed.clone()),
                median(&mut r.torch.clone()),
                median(&mut ratios),
            );
            println!(
                "| {} | {} | {} | {q:.3} |",
                human_bytes(r.bytes),
                human_time(t),
                human_time(p)
            );
            json.push(format!(
                "{{\"bytes\": {}, \"typed_s\": {t:e}, \"torch_s\": {p:e}, \"ratio\": {q:.4}}}",
                r.bytes
            ));
        }
        println!("\nDDP step of the LeNet, {GLOBAL_BATCH} digits per step in all (Adam), median of {DDP_STEPS} steps");
        println!("| processes | digits per process | step |");
        println!("| ---: | ---: | ---: |");
        for (p, ms) in &self.ddp {
            println!("| {p} | {} | {ms:.2} ms |", GLOBAL_BATCH / p);
        }
        if let Ok(dir) = std::env::var("BENCH_OUT") {
            let ddp: Vec<String> = self
                .ddp
                .iter()
                .map(|(p, ms)| format!("{{\"processes\": {p}, \"step_ms\": {ms}}}"))
                .collect();
            let control = std::env::var("BENCH_DIST_CONTROL")
                .map_or("null".to_string(), |c| format!("\"{c}\""));
            let text = format!(
                "{{\"rounds\": {}, \"pinned\": {}, \"control\": {control}, \"allreduce\": [{}], \"ddp\": [{}]}}\n",
                rounds(),
                pinning(),
                json.join(", "),
                ddp.join(", ")
            );
            std::fs::write(std::path::Path::new(&dir).join("distributed.json"), text).unwrap();
        }
    }
}

fn human_bytes(b: usize) -> String {
    if b >= KIB * KIB {
        format!("{} MiB", b / KIB / KIB)
    } else {
        format!("{} KiB", b / KIB)
    }
}

fn human_time(s: f64) -> String {
    if s >= 1e-3 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{:.1} us", s * 1e6)
    }
}

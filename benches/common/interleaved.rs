//! Benchmarks that alternate typed-torch, raw tch and a PyTorch worker process in blocks, round
//! after round (the order rotating every round), so that each round's ratios come from blocks
//! measured seconds apart and a drift in the machine's speed moves both sides alike.
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Instant;

/// One implementation's pass (forward, a scalar loss, backward).
pub type Pass<'a> = Box<dyn FnMut() + 'a>;

/// Seconds per pass over `iters` passes.
pub fn block(pass: &mut Pass<'_>, iters: usize) -> f64 {
    let start = Instant::now();
    for _ in 0..iters {
        pass();
    }
    start.elapsed().as_secs_f64() / iters as f64
}

/// The median of `values`.
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// A Python worker (`benches/<script>` run by the set-up's Python): it greets with `ready`,
/// answers each `WORKLOAD ITERS` line with the seconds per pass, and stops at `quit`.
pub struct Worker {
    child: std::process::Child,
    lines: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

impl Worker {
    /// Starts `benches/<script>` with `args`.
    pub fn start(script: &str, args: &[&std::path::Path]) -> Worker {
        let python = std::env::var("TYPED_TORCH_PYTHON")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/.typed-torch/python").into());
        let mut child = Command::new(python)
            .arg(format!("{}/benches/{script}", env!("CARGO_MANIFEST_DIR")))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("starting the worker {script}: {e}"));
        let mut lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
        let ready = lines
            .next()
            .expect("the worker's greeting")
            .expect("reading the worker");
        assert_eq!(ready, "ready", "the worker {script} did not start");
        Worker { child, lines }
    }

    /// Seconds per pass of `iters` passes of workload `name`.
    pub fn block(&mut self, name: &str, iters: usize) -> f64 {
        let stdin = self.child.stdin.as_mut().expect("piped stdin");
        writeln!(stdin, "{name} {iters}").expect("writing to the worker");
        let line = self
            .lines
            .next()
            .expect("the worker's answer")
            .expect("reading the worker");
        line.trim().parse().expect("seconds per pass")
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        if let Some(stdin) = self.child.stdin.as_mut() {
            let _ = writeln!(stdin, "quit 0");
        }
        let _ = self.child.wait();
    }
}

/// Median times of typed-torch, raw tch and the worker, and the medians of the per-round
/// typed / tch and typed / PyTorch ratios, over `rounds` rounds of `iters` passes each.
pub struct Interleaved {
    pub typed: f64,
    pub tch: f64,
    pub torch: f64,
    pub typed_over_tch: f64,
    pub typed_over_torch: f64,
}

/// Runs workload `name`: one warm-up pass each, then `rounds` rounds.
pub fn interleave(
    name: &str,
    typed: &mut Pass<'_>,
    raw: &mut Pass<'_>,
    worker: &mut Worker,
    rounds: usize,
    iters: usize,
) -> Interleaved {
    block(typed, 1);
    block(raw, 1);
    worker.block(name, 1);
    let (mut t, mut c, mut p) = (vec![], vec![], vec![]);
    for round in 0..rounds {
        let mut times = [0.0; 3];
        for k in 0..3 {
            let which = (round + k) % 3;
            times[which] = match which {
                0 => block(typed, iters),
                1 => block(raw, iters),
                _ => worker.block(name, iters),
            };
        }
        t.push(times[0]);
        c.push(times[1]);
        p.push(times[2]);
    }
    let ratio = |a: &[f64], b: &[f64]| -> f64 {
        median(&a.iter().zip(b).map(|(x, y)| x / y).collect::<Vec<_>>())
    };
    Interleaved {
        typed: median(&t),
        tch: median(&c),
        torch: median(&p),
        typed_over_tch: ratio(&t, &c),
        typed_over_torch: ratio(&t, &p),
    }
}

//! Real ranks under `typed-torch-run`: a DDP run through the launcher, and a rank killed mid-run
//! (the survivors fail with a clear error within the timeout; the launcher exits non-zero and
//! stops every rank).
mod support;

use std::time::{Duration, Instant};

use support::{run_ranks, scenario};
use typed_torch::{Tensor, D};
use typed_torch_distributed::{InitOptions, ProcessGroup, ReduceOp};
use typed_torch_run::{launch, LaunchConfig};

#[test]
#[ignore = "a rank: started by the tests below"]
fn worker() {
    let options = InitOptions::from_env()
        .unwrap()
        .timeout(Duration::from_secs(5));
    let group = ProcessGroup::init(options).unwrap();
    if let Ok(world) = std::env::var("TT_EXPECT_WORLD") {
        assert_eq!(group.world_size().to_string(), world);
    }
    let mut t = Tensor::<(D<1000>,), f32>::ones();
    for step in 0..100 {
        if step == 10 && group.rank() == 1 && scenario() == "killed" {
            // Dies by a signal, as a process killed by the OS or a user does.
            std::process::abort();
        }
        let start = Instant::now();
        if let Err(error) = group.all_reduce(&mut t, ReduceOp::Sum) {
            println!(
                "rank {} at step {step} after {:?}: {error}",
                group.rank(),
                start.elapsed()
            );
            std::process::exit(17);
        }
    }
    // Every rank took part: a sum of ones is the world size.
    let mut one = Tensor::<(D<3>,), f32>::ones();
    group.all_reduce(&mut one, ReduceOp::Sum).unwrap();
    assert_eq!(one.to_vec(), vec![group.world_size() as f32; 3]);
    println!("rank {} finished", group.rank());
}

fn config(ranks: usize, scenario: &str) -> LaunchConfig {
    LaunchConfig::new(ranks, std::env::current_exe().unwrap())
        .with_args(["worker", "--exact", "--ignored", "--nocapture", "--quiet"])
        .with_master("127.0.0.1", 0)
        .with_env("TT_SCENARIO", scenario)
        .with_env("OMP_NUM_THREADS", "1")
        .with_grace_period(Duration::from_secs(2))
}

#[test]
fn the_launcher_runs_every_rank_to_the_end() {
    let outcome = launch(&config(3, "healthy")).unwrap();
    assert!(outcome.success(), "{:?}", outcome.summary());
}

#[test]
fn a_killed_rank_stops_the_launcher_with_a_non_zero_status() {
    let start = Instant::now();
    let outcome = launch(&config(2, "killed")).unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(outcome.code(), 128 + 6, "SIGABRT: {:?}", outcome.summary());
    let summary = outcome.summary().unwrap();
    assert!(summary.contains("rank 1"), "{summary}");
}

#[test]
fn without_a_launcher_the_survivor_reports_the_dead_peer_within_the_timeout() {
    let runs = run_ranks("worker", 2, "killed", &[], Duration::from_secs(60));
    let survivor = &runs[0];
    assert_eq!(survivor.status.and_then(|s| s.code()), Some(17), "{runs:?}");
    assert!(
        survivor.output.contains("all_reduce failed on rank 0 of 2"),
        "{}",
        survivor.output
    );
}

#[test]
fn two_nodes_on_one_machine_form_one_group_of_four() {
    // What two machines do, on loopback: each launcher starts its node's 2 ranks with the same
    // master; node 1's ranks are 2 and 3. Every rank all-reduces with all 4.
    let port = support::free_port();
    let node = |rank: usize| {
        config(2, "healthy")
            .with_nodes(2, rank)
            .with_master("127.0.0.1", port)
            .with_env("TT_EXPECT_WORLD", "4")
    };
    let (a, b) = (node(0), node(1));
    let other = std::thread::spawn(move || launch(&b).unwrap());
    let first = launch(&a).unwrap();
    let second = other.join().unwrap();
    assert!(first.success(), "{:?}", first.summary());
    assert!(second.success(), "{:?}", second.summary());
}

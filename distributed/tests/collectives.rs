//! Collectives against expected values, for each dtype and reduction, with 2 and 3 ranks.
mod support;

use std::time::Duration;

use support::{assert_all_ok, run_ranks, scenario};
use typed_torch::{Tensor, D};
use typed_torch_distributed::{InitOptions, ProcessGroup, ReduceOp};

const DEADLINE: Duration = Duration::from_secs(60);

fn join() -> ProcessGroup {
    let options = InitOptions::from_env()
        .unwrap()
        .timeout(Duration::from_secs(20));
    ProcessGroup::init(options).unwrap()
}

/// rank r's tensor for a dtype: values r+1, 2(r+1), ... so every reduction has a known result.
macro_rules! check_all_reduce {
    ($group:expr, $e:ty) => {
        check_all_reduce!($group, $e, f64::INFINITY)
    };
    // `wrap`: the dtype's modulus (u8 products overflow and wrap, as in PyTorch).
    ($group:expr, $e:ty, $wrap:expr) => {{
        let g = &$group;
        let r = g.rank() as f64 + 1.0;
        let w = g.world_size();
        let make = || {
            Tensor::<(D<2>, D<3>), $e>::from_tch(
                (tch::Tensor::arange(6, (tch::Kind::Double, tch::Device::Cpu)) + 1.0)
                    .view([2, 3])
                    .g_mul_scalar(r)
                    .to_kind(<$e as typed_torch::Element>::DTYPE),
            )
            .unwrap()
        };
        let base: Vec<f64> = (1..=6).map(f64::from).collect();
        let ranks: Vec<f64> = (1..=w).map(|k| k as f64).collect();
        for (op, factor) in [
            (ReduceOp::Sum, ranks.iter().sum::<f64>()),
            (ReduceOp::Max, w as f64),
            (ReduceOp::Min, 1.0),
            (ReduceOp::Product, f64::NAN),
        ] {
            let mut t = make();
            g.all_reduce(&mut t, op).unwrap();
            let got: Vec<f64> = t.to_vec().iter().map(|v| num(*v)).collect();
            let want: Vec<f64> = base
                .iter()
                .map(|b| {
                    if op == ReduceOp::Product {
                        ranks.iter().map(|k| k * b).product()
                    } else {
                        b * factor
                    }
                })
                .map(|v: f64| if f64::is_finite($wrap) { v % $wrap } else { v })
                .collect();
            assert_eq!(got, want, "{op:?} of {}", stringify!($e));
        }
    }};
}

trait ToF64 {
    fn to_f64(self) -> f64;
}
macro_rules! as_f64 {
    ($($t:ty),*) => {$(impl ToF64 for $t { fn to_f64(self) -> f64 { self as f64 } })*};
}
as_f64!(f32, f64, i64, i32, u8, i8);
impl ToF64 for half::f16 {
    fn to_f64(self) -> f64 {
        self.to_f64()
    }
}
fn num(v: impl ToF64) -> f64 {
    v.to_f64()
}

#[test]
#[ignore = "a rank: started by the tests below with torchrun's environment"]
fn worker() {
    let g = join();
    let rank = g.rank();
    let w = g.world_size();
    match scenario().as_str() {
        "all" => {
            check_all_reduce!(g, f32);
            check_all_reduce!(g, f64);
            check_all_reduce!(g, i64);
            check_all_reduce!(g, i32);
            check_all_reduce!(g, u8, 256.0);
            check_all_reduce!(g, half::f16);

            // Mean of floats: (1 + ... + w) / w.
            let mut m = Tensor::<(D<4>,), f64>::full(rank as f64 + 1.0);
            g.all_reduce_mean(&mut m).unwrap();
            assert_eq!(m.to_vec(), vec![(w as f64 + 1.0) / 2.0; 4]);

            // A non-contiguous view is reduced in place through a copy.
            let base = Tensor::<(D<3>, D<2>), f32>::from_tch(tch::Tensor::ones(
                [3, 2],
                (tch::Kind::Float, tch::Device::Cpu),
            ))
            .unwrap();
            let mut t = base.t();
            g.all_reduce(&mut t, ReduceOp::Sum).unwrap();
            assert_eq!(t.to_vec(), vec![w as f32; 6]);

            // Broadcast from the last rank.
            let mut b = Tensor::<(D<5>,), i64>::full(rank as i64 * 10);
            g.broadcast(&mut b, w - 1).unwrap();
            assert_eq!(b.to_vec(), vec![(w as i64 - 1) * 10; 5]);
            assert!(g.broadcast(&mut b, w).is_err());

            // All-gather: row r is rank r's tensor.
            let x = Tensor::<(D<2>,), f64>::full(rank as f64);
            let gathered = g.all_gather(&x).unwrap();
            assert_eq!(gathered.size(), vec![w, 2]);
            let want: Vec<f64> = (0..w).flat_map(|r| [r as f64, r as f64]).collect();
            assert_eq!(gathered.to_vec(), want);
            match w {
                2 => {
                    let s: Tensor<(D<2>, D<2>), f64> = g.all_gather_static::<2, _, _>(&x).unwrap();
                    assert_eq!(s.to_vec(), want);
                    assert!(g.all_gather_static::<3, _, _>(&x).is_err());
                }
                _ => {
                    let s: Tensor<(D<3>, D<2>), f64> = g.all_gather_static::<3, _, _>(&x).unwrap();
                    assert_eq!(s.to_vec(), want);
                }
            }

            // Reduce-scatter: rank r gets the sum of every rank's row r; rank k sends rows
            // (k+1) * (r+1).
            let rows = tch::Tensor::arange(w as i64, (tch::Kind::Int64, tch::Device::Cpu))
                .g_add_scalar(1)
                .g_mul_scalar(rank as i64 + 1)
                .view([w as i64, 1])
                .repeat([1, 3]);
            let input = Tensor::<(typed_torch::Dyn, D<3>), i64>::from_tch(rows).unwrap();
            let out = g.reduce_scatter(&input, ReduceOp::Sum).unwrap();
            let total: i64 = (1..=w as i64).sum::<i64>() * (rank as i64 + 1);
            assert_eq!(out.to_vec(), vec![total; 3]);
            let wrong = Tensor::<(typed_torch::Dyn, D<3>), i64>::zeros_dyn(&[w + 1]).unwrap();
            assert!(g.reduce_scatter(&wrong, ReduceOp::Sum).is_err());

            g.barrier().unwrap();
            println!("rank {rank}: collectives ok");
        }
        "dead_peer" => {
            let mut t = Tensor::<(D<4>,), f32>::ones();
            g.all_reduce(&mut t, ReduceOp::Sum).unwrap();
            if rank == 1 {
                // Dies without a word, as a killed process does.
                std::process::exit(3);
            }
            let start = std::time::Instant::now();
            let error = g.all_reduce(&mut t, ReduceOp::Sum).unwrap_err();
            println!("rank {rank}: error after {:?}: {error}", start.elapsed());
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{:?}",
                start.elapsed()
            );
            let text = error.to_string();
            assert!(text.contains("all_reduce failed on rank 0 of 2"), "{text}");
        }
        other => panic!("unknown scenario {other}"),
    }
}

#[test]
fn collectives_with_two_ranks() {
    assert_all_ok(&run_ranks("worker", 2, "all", &[], DEADLINE));
}

#[test]
fn collectives_with_three_ranks() {
    assert_all_ok(&run_ranks("worker", 3, "all", &[], DEADLINE));
}

#[test]
fn a_dead_peer_is_an_error_within_the_timeout() {
    let runs = run_ranks("worker", 2, "dead_peer", &[], DEADLINE);
    assert_eq!(runs[1].status.and_then(|s| s.code()), Some(3), "{runs:?}");
    assert!(runs[0].status.is_some_and(|s| s.success()), "{runs:?}");
}

#[test]
#[ignore = "a rank: started by the tests below with torchrun's environment"]
fn wrong_world_worker() {
    // Rank 1 believes in a world of 3: both ranks must fail within the timeout, not hang.
    let mut options = InitOptions::from_env()
        .unwrap()
        .timeout(Duration::from_secs(3));
    if options.rank == 1 {
        options.world_size = 3;
    }
    let start = std::time::Instant::now();
    let outcome = ProcessGroup::init(options).and_then(|g| g.barrier());
    let error = outcome
        .expect_err("a wrong world size must fail")
        .to_string();
    println!("error after {:?}: {error}", start.elapsed());
    assert!(start.elapsed() < Duration::from_secs(10));
    assert!(
        error.contains("world size of 3, this rank (0) with 2")
            || error.contains("world size of 2, this rank (1) with 3"),
        "{error}"
    );
}

#[test]
fn a_wrong_world_size_is_an_error_within_the_timeout() {
    assert_all_ok(&run_ranks("wrong_world_worker", 2, "", &[], DEADLINE));
}

#[test]
#[ignore = "a rank: started by the test below on a machine with GPUs"]
fn nccl_worker() {
    let options = InitOptions::from_env()
        .unwrap()
        .timeout(Duration::from_secs(60));
    let g = ProcessGroup::<typed_torch::Cuda<0>>::init_nccl(options).unwrap();
    let mut t = Tensor::<(D<4>,), f32>::full(g.rank() as f32 + 1.0)
        .to_device::<typed_torch::Cuda<0>>()
        .unwrap();
    g.all_reduce(&mut t, ReduceOp::Sum).unwrap();
    let w = g.world_size() as f32;
    assert_eq!(t.to_vec(), vec![w * (w + 1.0) / 2.0; 4]);
}

#[test]
fn nccl_all_reduces_on_gpus_or_says_why_not() {
    let gpus = if tch::Cuda::is_available() {
        tch::Cuda::device_count() as usize
    } else {
        0
    };
    if gpus == 0 {
        let options = InitOptions::new(0, 1, "127.0.0.1", support::free_port());
        let error = ProcessGroup::<typed_torch::Cuda<0>>::init_nccl(options)
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("NCCL is unavailable"), "{error}");
        eprintln!("skipped the NCCL run: no CUDA device ({error})");
        return;
    }
    // One process per GPU, each seeing its GPU as device 0 (what --one-gpu-per-rank does).
    let world = gpus.min(2);
    let extra = [("CUDA_VISIBLE_DEVICES", "{rank}".to_string())];
    let ranks = run_ranks("nccl_worker", world, "", &extra, DEADLINE);
    assert_all_ok(&ranks);
}

//! GCN and GAT forward+backward on a random graph of 100,000 nodes and 1,000,000 edges (64
//! features in and out): typed-torch against raw `tch` and torch_geometric in the same run.
//!
//! torch_geometric runs in a worker process (`benches/graph_pyg.py`) on the same graph, which the
//! bench writes to a file; the three implementations alternate in blocks, round after round, the
//! order rotating every round, and each round gives one typed/tch and one typed/PyG ratio from
//! blocks measured seconds apart. The report (stdout, and `$BENCH_OUT/graph.json` for
//! `benches/report.py`) gives the median times and the median of the per-round ratios.
//!
//! Workloads: `gcn`, with the normalised edge weights computed once (typed-torch keeps them with
//! the `Edges`, raw tch holds them, torch_geometric's `cached=True`); `gcn_uncached`, where each
//! pass starts from the bare edge list (typed-torch checks it and normalises it again; PyG's
//! default `cached=False`); `gat`, 4 heads of 16.
#![allow(missing_docs)]

mod common;

use common::interleaved::{interleave, Pass, Worker};
use typed_torch::graph::Edges;
use typed_torch::nn::{GatConv, GcnConv, Init, Module};
use typed_torch::options::Heads;
use typed_torch::prelude::*;

const NODES: usize = 100_000;
const EDGES: usize = 1_000_000;
const F: usize = 64;

/// GCN by hand on raw tch: `deg^-1/2 (A + I) deg^-1/2 X W + b`.
struct RawGcn {
    weight: tch::Tensor,
    bias: tch::Tensor,
}

impl RawGcn {
    fn norm(index: &tch::Tensor) -> (tch::Tensor, tch::Tensor, tch::Tensor) {
        let nodes = tch::Tensor::arange(NODES as i64, (tch::Kind::Int64, tch::Device::Cpu));
        let keep = index.get(0).ne_tensor(&index.get(1));
        let kept = index.index_select(1, &keep.nonzero().squeeze_dim(1));
        let all = tch::Tensor::cat(&[kept, tch::Tensor::stack(&[&nodes, &nodes], 0)], 1);
        let (src, dst) = (all.get(0), all.get(1));
        let ones = tch::Tensor::ones([src.size()[0]], (tch::Kind::Float, tch::Device::Cpu));
        let deg = tch::Tensor::zeros([NODES as i64], (tch::Kind::Float, tch::Device::Cpu))
            .index_add(0, &dst, &ones);
        let s = deg.pow_tensor_scalar(-0.5);
        let s = s.masked_fill(&s.isinf(), 0.0);
        let w = s.index_select(0, &src) * s.index_select(0, &dst);
        (src, dst, w)
    }

    fn forward(
        &self,
        x: &tch::Tensor,
        (src, dst, w): &(tch::Tensor, tch::Tensor, tch::Tensor),
    ) -> tch::Tensor {
        let h = x.linear::<&tch::Tensor>(&self.weight, None);
        let messages = h.index_select(0, src) * w.view([-1, 1]);
        tch::Tensor::zeros(
            [NODES as i64, F as i64],
            (tch::Kind::Float, tch::Device::Cpu),
        )
        .index_add(0, dst, &messages)
            + &self.bias
    }
}

/// GAT by hand on raw tch, 4 heads of 16, one self loop per node.
struct RawGat {
    weight: tch::Tensor,
    att_src: tch::Tensor,
    att_dst: tch::Tensor,
    bias: tch::Tensor,
}

impl RawGat {
    fn forward(&self, x: &tch::Tensor, src: &tch::Tensor, dst: &tch::Tensor) -> tch::Tensor {
        let h = x
            .linear::<&tch::Tensor>(&self.weight, None)
            .view([-1, 4, 16]);
        let a_src = (&h * &self.att_src).sum_dim_intlist(-1, false, None);
        let a_dst = (&h * &self.att_dst).sum_dim_intlist(-1, false, None);
        let e = a_src.index_select(0, src) + a_dst.index_select(0, dst);
        let e = e.leaky_relu();
        let zeros = tch::Tensor::zeros([NODES as i64, 4], (tch::Kind::Float, tch::Device::Cpu));
        let expanded = dst.view([-1, 1]).expand_as(&e);
        let max = zeros.internal_scatter_reduce(0, &expanded, &e.detach(), "amax", false);
        let exp = (e - max.index_select(0, dst)).exp();
        let sum = zeros.index_add(0, dst, &exp);
        let alpha = &exp / sum.index_select(0, dst);
        let messages = h.index_select(0, src) * alpha.unsqueeze(-1);
        tch::Tensor::zeros([NODES as i64, 4, 16], (tch::Kind::Float, tch::Device::Cpu))
            .index_add(0, dst, &messages)
            .view([-1, 64])
            + &self.bias
    }
}

fn main() {
    let threads = common::set_threads();
    let rounds: usize = common::env_or("BENCH_GRAPH_ROUNDS", 7);
    let iters: usize = common::env_or("BENCH_GRAPH_ITERS", 2);
    tch::manual_seed(0);
    let index = tch::Tensor::randint(
        NODES as i64,
        [2, EDGES as i64],
        (tch::Kind::Int64, tch::Device::Cpu),
    );
    let x_raw = tch::Tensor::randn(
        [NODES as i64, F as i64],
        (tch::Kind::Float, tch::Device::Cpu),
    );
    let out = std::path::PathBuf::from(
        std::env::var("BENCH_OUT")
            .unwrap_or_else(|_| std::env::temp_dir().to_string_lossy().into()),
    );
    std::fs::create_dir_all(&out).expect("creating BENCH_OUT");
    let graph_file = out.join("graph_input.safetensors");
    tch::Tensor::write_safetensors(&[("x", &x_raw), ("edge_index", &index)], &graph_file)
        .expect("writing the bench graph");

    let x = Tensor::<(Dyn, D<F>)>::from_tch(x_raw.shallow_clone()).unwrap();
    let typed_index = Tensor::<(D<2>, Dyn), i64>::from_tch(index.shallow_clone()).unwrap();
    let edges = Edges::<f32>::new(typed_index.clone(), NODES).unwrap();
    let gcn = GcnConv::<F, F>::init().unwrap();
    let gat = GatConv::<F, 16, Heads<4>>::init().unwrap();
    let raw_gcn = RawGcn {
        weight: gcn.lin.weight.as_tch().shallow_clone(),
        bias: gcn.bias.as_tch().shallow_clone(),
    };
    let raw_gat = RawGat {
        weight: gat.lin.weight.as_tch().shallow_clone(),
        att_src: gat.att_src.as_tch().shallow_clone(),
        att_dst: gat.att_dst.as_tch().shallow_clone(),
        bias: gat.bias.as_tch().shallow_clone(),
    };
    let cached_norm = tch::no_grad(|| RawGcn::norm(&index));
    let gat_edges = {
        let nodes = tch::Tensor::arange(NODES as i64, (tch::Kind::Int64, tch::Device::Cpu));
        let keep = index.get(0).ne_tensor(&index.get(1));
        let kept = index.index_select(1, &keep.nonzero().squeeze_dim(1));
        tch::Tensor::cat(&[kept, tch::Tensor::stack(&[&nodes, &nodes], 0)], 1)
    };

    let loss = |t: &tch::Tensor| t.square().mean(None).backward();
    let workloads: Vec<(&str, Pass<'_>, Pass<'_>)> = vec![
        (
            "gcn",
            Box::new(|| {
                gcn.forward((x.clone(), &edges))
                    .square()
                    .mean_all()
                    .backward()
            }),
            Box::new(|| loss(&raw_gcn.forward(&x_raw, &cached_norm))),
        ),
        (
            "gcn_uncached",
            Box::new(|| {
                let fresh = Edges::<f32>::new(typed_index.clone(), NODES).unwrap();
                gcn.forward((x.clone(), &fresh))
                    .square()
                    .mean_all()
                    .backward()
            }),
            Box::new(|| loss(&raw_gcn.forward(&x_raw, &RawGcn::norm(&index)))),
        ),
        (
            "gat",
            Box::new(|| {
                gat.forward((x.clone(), &edges))
                    .square()
                    .mean_all()
                    .backward()
            }),
            Box::new(|| loss(&raw_gat.forward(&x_raw, &gat_edges.get(0), &gat_edges.get(1)))),
        ),
    ];

    let mut worker = Worker::start("graph_pyg.py", &[&graph_file]);
    let mut results = vec![];
    println!("| workload | typed-torch | raw tch | torch_geometric | typed / tch | typed / PyG |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (name, mut typed, mut raw) in workloads {
        let r = interleave(name, &mut typed, &mut raw, &mut worker, rounds, iters);
        println!(
            "| {name} | {:.1} ms | {:.1} ms | {:.1} ms | {:.3} | {:.3} |",
            1e3 * r.typed,
            1e3 * r.tch,
            1e3 * r.torch,
            r.typed_over_tch,
            r.typed_over_torch
        );
        results.push(serde_json::json!({
            "name": name, "typed": r.typed, "tch": r.tch, "pyg": r.torch,
            "typed_over_tch": r.typed_over_tch, "typed_over_pyg": r.typed_over_torch,
            "rounds": rounds, "iters": iters,
        }));
    }
    let report = serde_json::json!({
        "nodes": NODES, "edges": EDGES, "features": F, "threads": threads, "results": results,
    });
    std::fs::write(out.join("graph.json"), report.to_string()).expect("writing graph.json");
}

//! A 6-layer Transformer encoder (width 256, 8 heads, feed-forward 1024, dropout 0.1, batch
//! first), forward and backward on a batch of 32 sequences of 128 steps: typed-torch against
//! the same layers written with raw `tch` ops and PyTorch eager (`nn.TransformerEncoder`, a
//! worker process holding the same weights), interleaved in blocks round after round. The
//! report (stdout, and `$BENCH_OUT/transformer.json` for `benches/report.py`) gives the median
//! times and the median per-round ratios.
#![allow(missing_docs)]

mod common;

use common::interleaved::{interleave, Pass, Worker};
use typed_torch::nn::{Init, Module, Params, TransformerEncoder, TransformerEncoderLayer};
use typed_torch::options::{BatchFirst, Heads};
use typed_torch::prelude::*;

const WIDTH: usize = 256;
const HEADS: i64 = 8;
const FF: usize = 1024;
const LAYERS: usize = 6;
const BATCH: i64 = 32;
const STEPS: i64 = 128;
const DROPOUT: f64 = 0.1;

type Layer = TransformerEncoderLayer<WIDTH, Heads<8>, FF, BatchFirst>;
type Encoder = TransformerEncoder<Layer, LAYERS>;

/// One post-norm encoder layer on raw tch, with the typed layer's tensors.
struct RawLayer {
    in_proj: (tch::Tensor, tch::Tensor),
    out_proj: (tch::Tensor, tch::Tensor),
    linear1: (tch::Tensor, tch::Tensor),
    linear2: (tch::Tensor, tch::Tensor),
    norm1: (tch::Tensor, tch::Tensor),
    norm2: (tch::Tensor, tch::Tensor),
}

impl RawLayer {
    fn from_params(layer: &Layer) -> RawLayer {
        let mut t = std::collections::HashMap::new();
        layer.for_each_param(|name, p| {
            t.insert(name.to_string(), p.shallow_clone());
        });
        let pair = |w: &str, b: &str| (t[w].shallow_clone(), t[b].shallow_clone());
        RawLayer {
            in_proj: pair("self_attn.in_proj_weight", "self_attn.in_proj_bias"),
            out_proj: pair("self_attn.out_proj.weight", "self_attn.out_proj.bias"),
            linear1: pair("linear1.weight", "linear1.bias"),
            linear2: pair("linear2.weight", "linear2.bias"),
            norm1: pair("norm1.weight", "norm1.bias"),
            norm2: pair("norm2.weight", "norm2.bias"),
        }
    }

    fn forward(&self, x: &tch::Tensor) -> tch::Tensor {
        let (b, t, e) = (BATCH, STEPS, WIDTH as i64);
        let qkv = x.linear(&self.in_proj.0, Some(&self.in_proj.1));
        let heads = |i: i64| {
            qkv.narrow(2, i * e, e)
                .reshape([b, t, HEADS, e / HEADS])
                .transpose(1, 2)
        };
        let context = tch::Tensor::scaled_dot_product_attention::<tch::Tensor>(
            &heads(0),
            &heads(1),
            &heads(2),
            None,
            DROPOUT,
            false,
            None,
            false,
        );
        let attended = context
            .transpose(1, 2)
            .reshape([b, t, e])
            .linear(&self.out_proj.0, Some(&self.out_proj.1))
            .dropout(DROPOUT, true);
        let norm = |x: &tch::Tensor, (w, b): &(tch::Tensor, tch::Tensor)| {
            x.layer_norm([e], Some(w), Some(b), 1e-5, false)
        };
        let x = norm(&(x + attended), &self.norm1);
        let hidden = x
            .linear(&self.linear1.0, Some(&self.linear1.1))
            .relu()
            .dropout(DROPOUT, true);
        let fed = hidden
            .linear(&self.linear2.0, Some(&self.linear2.1))
            .dropout(DROPOUT, true);
        norm(&(x + fed), &self.norm2)
    }
}

fn main() {
    let threads = common::set_threads();
    let rounds: usize = common::env_or("BENCH_TRANSFORMER_ROUNDS", 5);
    let iters: usize = common::env_or("BENCH_TRANSFORMER_ITERS", 1);
    tch::manual_seed(0);
    let encoder = Encoder::init().unwrap();
    let raw: Vec<RawLayer> = encoder.layers.iter().map(RawLayer::from_params).collect();
    let x_raw = tch::Tensor::randn(
        [BATCH, STEPS, WIDTH as i64],
        (tch::Kind::Float, tch::Device::Cpu),
    );
    let x = Tensor::<(Dyn, Dyn, D<WIDTH>)>::from_tch(x_raw.shallow_clone()).unwrap();

    // The worker loads the same weights (PyTorch's names) and input.
    let out = std::path::PathBuf::from(
        std::env::var("BENCH_OUT")
            .unwrap_or_else(|_| std::env::temp_dir().to_string_lossy().into()),
    );
    std::fs::create_dir_all(&out).expect("creating BENCH_OUT");
    let weights = out.join("transformer_weights.safetensors");
    let mut named: Vec<(String, tch::Tensor)> = vec![("input".into(), x_raw.shallow_clone())];
    encoder.for_each_param(|name, p| named.push((format!("layers.{}", &name[7..]), p.detach())));
    let refs: Vec<(&str, &tch::Tensor)> = named.iter().map(|(n, t)| (n.as_str(), t)).collect();
    tch::Tensor::write_safetensors(&refs, &weights).expect("writing the weights");

    let mut typed: Pass<'_> =
        Box::new(|| encoder.forward(x.clone()).square().mean_all().backward());
    let mut raw_pass: Pass<'_> = Box::new(|| {
        let mut h = x_raw.shallow_clone();
        for layer in &raw {
            h = layer.forward(&h);
        }
        h.square().mean(None).backward()
    });
    let mut worker = Worker::start("transformer_torch.py", &[&weights]);
    let r = interleave(
        "encoder",
        &mut typed,
        &mut raw_pass,
        &mut worker,
        rounds,
        iters,
    );
    println!(
        "| workload | typed-torch | raw tch | PyTorch eager | typed / tch | typed / PyTorch |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    println!(
        "| encoder | {:.1} ms | {:.1} ms | {:.1} ms | {:.3} | {:.3} |",
        1e3 * r.typed,
        1e3 * r.tch,
        1e3 * r.torch,
        r.typed_over_tch,
        r.typed_over_torch
    );
    let report = serde_json::json!({
        "layers": LAYERS, "width": WIDTH, "heads": HEADS, "feed_forward": FF, "batch": BATCH,
        "steps": STEPS, "dropout": DROPOUT, "threads": threads, "rounds": rounds, "iters": iters,
        "typed": r.typed, "tch": r.tch, "torch": r.torch,
        "typed_over_tch": r.typed_over_tch, "typed_over_torch": r.typed_over_torch,
    });
    std::fs::write(out.join("transformer.json"), report.to_string())
        .expect("writing transformer.json");
}

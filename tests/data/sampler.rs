//! `DistributedSampler`: shards that cover the data exactly once per epoch, PyTorch's padding and
//! tail dropping (index for index against `torch.utils.data.DistributedSampler` where no random
//! draw is involved), shuffling identical on every rank, and the loader batching a shard.
use std::collections::BTreeSet;
use std::process::Command;

use typed_torch::data::{DataLoader, DistributedSampler, Sampler, TensorDataset};
use typed_torch::{Dyn, Tensor, D};

use crate::common::python;

fn shards(
    len: usize,
    world: usize,
    configure: impl Fn(DistributedSampler) -> DistributedSampler,
    epoch: u64,
) -> Vec<Vec<usize>> {
    (0..world)
        .map(|rank| configure(DistributedSampler::new(rank, world).unwrap()).indices(len, epoch))
        .collect()
}

#[test]
fn shards_cover_every_sample_once_per_epoch() {
    for (len, world) in [(12, 3), (10, 2), (100, 4), (7, 7)] {
        for epoch in 0..4 {
            let shards = shards(len, world, |s| s.shuffle(true).seed(42), epoch);
            let mut seen: Vec<usize> = shards.concat();
            seen.sort_unstable();
            assert_eq!(
                seen,
                (0..len).collect::<Vec<_>>(),
                "len {len}, world {world}, epoch {epoch}"
            );
            assert!(shards.iter().all(|s| s.len() == len / world));
        }
    }
}

#[test]
fn shuffling_differs_between_epochs_and_is_the_same_on_every_rank() {
    // Two copies of rank 0's sampler (as two processes would build it) agree; epochs differ.
    let a = DistributedSampler::new(0, 2).unwrap().shuffle(true).seed(3);
    let b = a.clone();
    assert_eq!(a.indices(50, 5), b.indices(50, 5));
    assert_ne!(a.indices(50, 0), a.indices(50, 1));
    let other_seed = DistributedSampler::new(0, 2).unwrap().shuffle(true).seed(4);
    assert_ne!(a.indices(50, 0), other_seed.indices(50, 0));
}

#[test]
fn padding_and_drop_last_match_pytorch() {
    let cases = [(10, 3), (7, 4), (2, 5), (9, 3), (1, 2)];
    let script = r#"
import sys, json
from torch.utils.data import DistributedSampler
out = []
for n, w in json.loads(sys.argv[1]):
    for drop in (False, True):
        out.append([list(DistributedSampler(range(n), num_replicas=w, rank=r, shuffle=False, drop_last=drop)) for r in range(w)])
print(json.dumps(out))
"#;
    let arg = format!(
        "{:?}",
        cases.iter().map(|&(n, w)| [n, w]).collect::<Vec<_>>()
    );
    let output = Command::new(python())
        .args(["-c", script, &arg])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let mut ours = Vec::new();
    for (n, w) in cases {
        for drop in [false, true] {
            ours.push(shards(n, w, |s| s.drop_last(drop), 0));
        }
    }
    let ours = format!("{ours:?}").replace(' ', "");
    assert_eq!(ours, text.trim().replace(' ', ""));
}

#[test]
fn with_padding_every_sample_is_visited_and_shards_are_equal() {
    let shards = shards(10, 4, |s| s.shuffle(true).seed(1), 2);
    assert!(shards.iter().all(|s| s.len() == 3));
    let seen: BTreeSet<usize> = shards.concat().into_iter().collect();
    assert_eq!(seen.len(), 10); // 12 slots: every sample, two of them twice
}

#[test]
fn the_loader_batches_its_rank_shard() {
    let x = Tensor::<(Dyn, D<1>), f64>::from_tch(
        tch::Tensor::arange(10, (tch::Kind::Double, tch::Device::Cpu)).view([10, 1]),
    )
    .unwrap();
    let y = Tensor::<(Dyn,), i64>::from_tch(tch::Tensor::arange(
        10,
        (tch::Kind::Int64, tch::Device::Cpu),
    ))
    .unwrap();
    let mut all = Vec::new();
    for rank in 0..2 {
        let sampler = DistributedSampler::new(rank, 2)
            .unwrap()
            .shuffle(true)
            .seed(9);
        let expected = sampler.indices(10, 3);
        let loader = DataLoader::new(TensorDataset::new(x.clone(), y.clone()).unwrap(), 2)
            .unwrap()
            .shuffle(true) // ignored: the sampler decides
            .sampler(sampler);
        assert_eq!(loader.len(), 3);
        let labels: Vec<i64> = loader
            .epoch(3)
            .flat_map(|b| b.unwrap().targets.to_vec())
            .collect();
        assert_eq!(
            labels,
            expected.iter().map(|&i| i as i64).collect::<Vec<_>>()
        );
        all.extend(labels);
    }
    all.sort_unstable();
    assert_eq!(all, (0..10).collect::<Vec<i64>>());
}

#[test]
fn a_rank_outside_the_world_is_an_error() {
    let error = DistributedSampler::new(2, 2).unwrap_err().to_string();
    assert!(error.contains("rank 2 is not in 0..2"), "{error}");
}

//! The training-loop helpers: checkpoints round-trip and refuse files that do not fit (leaving
//! the model untouched), metrics average per sample, curves and CSV are written.
use crate::common::share_generator;
use typed_torch::checkpoint::CheckpointError;
use typed_torch::nn::{BatchNorm1d, Linear, Params};
use typed_torch::prelude::*;
use typed_torch::train::{
    load_checkpoint, plot_history, save_checkpoint, EpochMetrics, EpochRecord, History, PhaseMeter,
};
use typed_torch::{hlist, HList};

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("train-helpers-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

type Net = HList![Linear<3, 4>, BatchNorm1d<4>];

fn state(model: &impl Params) -> Vec<(String, Vec<f64>)> {
    let mut out = Vec::new();
    model.for_each_tensor(|name, t| {
        let values = Vec::<f64>::try_from(t.to_kind(tch::Kind::Double).flatten(0, -1)).unwrap();
        out.push((name.to_string(), values));
    });
    out
}

#[test]
fn checkpoints_round_trip_parameters_and_buffers() {
    let _generator = share_generator();
    let path = scratch("roundtrip").join("net.safetensors");
    let saved: Net = hlist![Linear::init().unwrap(), BatchNorm1d::init().unwrap()];
    typed_torch::no_grad(|| {
        // Non-default buffers, so the test sees them travel.
        let _ = saved
            .tail
            .head
            .running_mean
            .as_tch()
            .shallow_clone()
            .fill_(0.25);
    });
    save_checkpoint(&saved, &path).unwrap();
    let mut loaded: Net = hlist![Linear::init().unwrap(), BatchNorm1d::init().unwrap()];
    assert_ne!(state(&loaded), state(&saved));
    load_checkpoint(&mut loaded, &path).unwrap();
    assert_eq!(state(&loaded), state(&saved));
    assert_eq!(
        state(&loaded)
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>(),
        [
            "0.weight",
            "0.bias",
            "1.weight",
            "1.bias",
            "1.running_mean",
            "1.running_var",
            "1.num_batches_tracked"
        ]
    );
}

#[test]
fn a_checkpoint_that_does_not_fit_is_refused_and_the_model_is_unchanged() {
    let _generator = share_generator();
    let dir = scratch("misfit");
    let path = dir.join("other.safetensors");
    let other: HList![Linear<3, 5>, Linear<5, 2, (), f64>] =
        hlist![Linear::init().unwrap(), Linear::init().unwrap()];
    save_checkpoint(&other, &path).unwrap();
    let mut model: HList![Linear<3, 4>, Linear<4, 2>, Linear<2, 2>] = hlist![
        Linear::init().unwrap(),
        Linear::init().unwrap(),
        Linear::init().unwrap()
    ];
    let before = state(&model);
    let err = load_checkpoint(&mut model, &path).unwrap_err().to_string();
    for expected in [
        "`0.weight`: shape expected [4, 3], found [5, 3]",
        "`1.weight`: shape expected [2, 4], found [2, 5]",
        "`1.weight`: dtype expected F32, found F64",
        "missing `2.weight`: expected F32 [2, 2], found nothing",
        "other.safetensors",
    ] {
        assert!(err.contains(expected), "{expected:?} not in: {err}");
    }
    assert_eq!(state(&model), before, "a refused load changed the model");

    let short: HList![Linear<3, 4>] = hlist![Linear::init().unwrap()];
    let err = load_checkpoint(&mut model, &{
        let p = dir.join("short.safetensors");
        save_checkpoint(&short, &p).unwrap();
        p
    })
    .unwrap_err();
    assert!(err.to_string().contains("missing `1.weight`"), "{err}");

    let mut tiny: HList![Linear<3, 4>] = hlist![Linear::init().unwrap()];
    let err = load_checkpoint(&mut tiny, &path).unwrap_err().to_string();
    assert!(err.contains("unexpected `1.weight`"), "{err}");

    let corrupt = dir.join("corrupt.safetensors");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&corrupt, bytes).unwrap();
    let err = load_checkpoint(&mut model, &corrupt).unwrap_err();
    assert!(matches!(err, CheckpointError::Problems { .. }), "{err}");
    assert!(err.to_string().contains("corrupt.safetensors"), "{err}");
    assert_eq!(state(&model), before);

    let err = load_checkpoint(&mut model, &dir.join("absent.safetensors")).unwrap_err();
    assert!(matches!(err, CheckpointError::Io { .. }), "{err}");
}

#[test]
fn phase_metrics_are_per_sample_means() {
    let mut meter = PhaseMeter::new("test".into(), 2);
    meter.update(1.0, 3, 4); // 4 samples, mean loss 1
    meter.update(4.0, 1, 2); // 2 samples, mean loss 4
    let m = meter.finish();
    assert_eq!(m.samples, 6);
    assert!((m.loss - (4.0 + 8.0) / 6.0).abs() < 1e-12);
    assert!((m.accuracy - 4.0 / 6.0).abs() < 1e-12);
}

#[test]
fn curves_and_csv_are_written() {
    let dir = scratch("plots");
    let mut history = History::default();
    for epoch in 1..=3 {
        let m = |loss: f64, accuracy: f64| EpochMetrics {
            loss,
            accuracy,
            samples: 10,
            seconds: 0.5,
        };
        history.push(EpochRecord {
            epoch,
            train: m(1.0 / epoch as f64, 0.5 + 0.1 * epoch as f64),
            test: m(1.2 / epoch as f64, 0.45 + 0.1 * epoch as f64),
        });
    }
    let (png, svg) = plot_history(&history, &dir.join("curves"), "a run").unwrap();
    let png_bytes = std::fs::read(&png).unwrap();
    assert_eq!(&png_bytes[..8], b"\x89PNG\r\n\x1a\n");
    let svg_text = std::fs::read_to_string(&svg).unwrap();
    assert!(
        svg_text.contains("<svg") && svg_text.contains("<polyline"),
        "{svg_text:.200}"
    );
    let csv = history.to_csv();
    assert_eq!(csv.lines().count(), 4);
    assert!(csv.starts_with("epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds\n"));
    assert!(
        csv.lines()
            .nth(2)
            .unwrap()
            .starts_with("2,0.5,0.7,0.6,0.65"),
        "{csv}"
    );
}

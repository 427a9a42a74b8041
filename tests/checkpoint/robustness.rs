//! Checkpoints that must not load: truncated files, bit flips in the header and in the data,
//! wrong dtypes and shapes, duplicate names, headers that lie about sizes. Each gives the right
//! problem, nothing panics, and the model is unchanged after every failed load. Also: the
//! options, the metadata (configuration, version), and a randomized-mutation smoke run (the
//! long run is `cargo fuzz`, see fuzz/README.md).
use std::path::PathBuf;

use crate::common::share_generator;
use typed_torch::checkpoint::{
    self, inspect_bytes, CheckpointError, DType, LoadOptions, Loader, Problem, Saver, TensorSpec,
};
use typed_torch::nn::{BatchNorm1d, Linear, Params};
use typed_torch::optim::Optimizer;
use typed_torch::prelude::*;
use typed_torch::{hlist, HList};

type Net = HList![Linear<3, 4>, BatchNorm1d<4>];

fn net() -> Net {
    hlist![Linear::init().unwrap(), BatchNorm1d::init().unwrap()]
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("ckpt-robust-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every tensor as raw bytes (bit-exact, NaN-safe).
fn state(model: &impl Params) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    model.for_each_tensor(|name, t| {
        let t = t.contiguous();
        let mut bytes = vec![0u8; t.numel() * t.kind().elt_size_in_bytes()];
        t.copy_data_u8(&mut bytes, t.numel());
        out.push((name.to_string(), bytes));
    });
    out
}

/// A valid checkpoint of a fresh `Net` with non-default buffers, and that net.
fn good_file() -> (Vec<u8>, Net) {
    tch::manual_seed(3);
    let saved = net();
    typed_torch::no_grad(|| {
        let _ = saved
            .tail
            .head
            .running_mean
            .as_tch()
            .shallow_clone()
            .fill_(0.5);
    });
    (Saver::new(&saved).to_bytes().unwrap(), saved)
}

/// The problems of loading `bytes` into a fresh net, after checking the net is unchanged.
fn problems_of(bytes: &[u8], options: LoadOptions) -> Vec<Problem> {
    let mut model = net();
    let before = state(&model);
    match Loader::new(&mut model).options(options).load_bytes(bytes) {
        Ok(report) => panic!("loaded: {report:?}"),
        Err(CheckpointError::Problems { problems, .. }) => {
            assert_eq!(state(&model), before, "a refused load changed the model");
            assert!(!problems.is_empty());
            problems
        }
        Err(e) => panic!("not a checkpoint error: {e}"),
    }
}

/// A safetensors file from a header and a data section.
fn raw(header: &str, data: &[u8]) -> Vec<u8> {
    let mut out = (header.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(data);
    out
}

fn header_len(file: &[u8]) -> usize {
    u64::from_le_bytes(file[..8].try_into().unwrap()) as usize
}

#[test]
fn a_good_file_round_trips_with_metadata_and_configuration() {
    let _generator = share_generator();
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Config {
        hidden: usize,
        lr: f64,
        name: String,
    }
    let dir = scratch("config");
    let path = dir.join("net.safetensors");
    let (_, saved) = good_file();
    let config = Config {
        hidden: 4,
        lr: 0.1 + 0.2, // not a short decimal: must come back bit for bit
        name: "bn".into(),
    };
    Saver::new(&saved)
        .config(&config)
        .unwrap()
        .metadata("note", "hello")
        .unwrap()
        .save(&path)
        .unwrap();
    assert!(Saver::new(&saved).metadata("format", "x").is_err());
    assert_eq!(
        checkpoint::read_config::<Config>(&path).unwrap(),
        Some(config)
    );
    let meta = checkpoint::read_metadata(&path).unwrap();
    assert_eq!(meta["format"], "typed-torch");
    assert_eq!(
        meta["format_version"],
        checkpoint::FORMAT_VERSION.to_string()
    );
    assert_eq!(meta["note"], "hello");
    let mut model = net();
    let report = checkpoint::load(&mut model, &path).unwrap();
    assert_eq!(state(&model), state(&saved));
    assert_eq!(report.loaded.len(), 7);
    assert!(report.missing.is_empty() && report.unexpected.is_empty());
    assert!(
        report.config::<Vec<u8>>().is_err(),
        "a config of another type"
    );
    // The safetensors crate reads our files too.
    let bytes = std::fs::read(&path).unwrap();
    let st = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    assert_eq!(st.len(), 7);
}

#[test]
fn every_truncation_is_refused() {
    let _generator = share_generator();
    let (file, _) = good_file();
    let h = header_len(&file);
    for len in 0..file.len() {
        let problems = problems_of(&file[..len], LoadOptions::non_strict());
        assert!(
            problems.iter().all(Problem::is_corruption),
            "{len}: {problems:?}"
        );
        let first = &problems[0];
        match len {
            0..=7 => assert_eq!(first, &Problem::TooShort { found: len as u64 }),
            l if l < 8 + h => assert!(
                matches!(first, Problem::HeaderLength { found, .. } if *found == h as u64),
                "{len}: {first}"
            ),
            _ => assert!(
                problems
                    .iter()
                    .any(|p| matches!(p, Problem::DataRange { .. })),
                "{len}: {problems:?}"
            ),
        }
    }
}

#[test]
fn every_bit_flip_in_the_data_is_caught_by_the_checksums() {
    let _generator = share_generator();
    let (file, _) = good_file();
    let start = 8 + header_len(&file);
    let names: Vec<(String, std::ops::Range<usize>)> = {
        let st = safetensors::SafeTensors::deserialize(&file).unwrap();
        st.tensors()
            .into_iter()
            .map(|(n, v)| {
                let offset = v.data().as_ptr() as usize - file.as_ptr() as usize;
                (n, offset..offset + v.data().len())
            })
            .collect()
    };
    let mut flips = 0;
    for byte in start..file.len() {
        let owner = &names.iter().find(|(_, r)| r.contains(&byte)).unwrap().0;
        for bit in 0..8 {
            let mut bad = file.clone();
            bad[byte] ^= 1 << bit;
            let problems = problems_of(&bad, LoadOptions::default());
            assert!(
                matches!(&problems[..], [Problem::Checksum { name, .. }] if name == owner),
                "byte {byte} bit {bit}: {problems:?}"
            );
            flips += 1;
        }
    }
    assert!(flips >= 8 * 100, "{flips}");
}

#[test]
fn no_bit_flip_in_the_header_crashes_or_loads_something_else() {
    let _generator = share_generator();
    let (file, saved) = good_file();
    let end = 8 + header_len(&file);
    let (mut refused, mut harmless) = (0, 0);
    for byte in 0..end {
        for bit in 0..8 {
            let mut bad = file.clone();
            bad[byte] ^= 1 << bit;
            let mut model = net();
            let before = state(&model);
            match Loader::new(&mut model).load_bytes(&bad) {
                // A flip in whitespace padding, a metadata key, or a checksum's letter case.
                Ok(_) => {
                    assert_eq!(state(&model), state(&saved), "byte {byte} bit {bit}");
                    harmless += 1;
                }
                Err(CheckpointError::Problems { problems, .. }) => {
                    assert!(!problems.is_empty());
                    assert_eq!(state(&model), before);
                    refused += 1;
                }
                Err(e) => panic!("byte {byte} bit {bit}: {e}"),
            }
        }
    }
    println!("header flips: {refused} refused, {harmless} harmless");
    assert!(
        refused > 10 * harmless,
        "{refused} refused, {harmless} harmless"
    );
}

#[test]
fn headers_that_lie_about_sizes_are_refused_without_allocating() {
    let _generator = share_generator();
    let f32x2 = [0u8; 8];
    type Expect = Box<dyn Fn(&Problem) -> bool>;
    let cases: Vec<(&str, Vec<u8>, Expect)> = vec![
        (
            "header length u64::MAX",
            {
                let mut f = u64::MAX.to_le_bytes().to_vec();
                f.extend_from_slice(b"{}");
                f
            },
            Box::new(|p| {
                matches!(
                    p,
                    Problem::HeaderLength {
                        found: u64::MAX,
                        expected_at_most: 2
                    }
                )
            }),
        ),
        (
            "huge shape, small range",
            raw(
                r#"{"a":{"dtype":"F32","shape":[1099511627776,1099511627776],"data_offsets":[0,8]}}"#,
                &f32x2,
            ),
            Box::new(|p| {
                matches!(
                    p,
                    Problem::DataSize {
                        expected: None,
                        found: 8,
                        ..
                    }
                )
            }),
        ),
        (
            "shape larger than the range",
            raw(
                r#"{"a":{"dtype":"F32","shape":[1000000],"data_offsets":[0,8]}}"#,
                &f32x2,
            ),
            Box::new(|p| {
                matches!(
                    p,
                    Problem::DataSize {
                        expected: Some(4000000),
                        found: 8,
                        ..
                    }
                )
            }),
        ),
        (
            "range past the end",
            raw(
                r#"{"a":{"dtype":"F32","shape":[1152921504606846976],"data_offsets":[0,4611686018427387904]}}"#,
                &f32x2,
            ),
            Box::new(|p| matches!(p, Problem::DataRange { data_len: 8, .. })),
        ),
        (
            "inverted range",
            raw(
                r#"{"a":{"dtype":"F32","shape":[],"data_offsets":[8,4]}}"#,
                &f32x2,
            ),
            Box::new(|p| matches!(p, Problem::DataRange { found: (8, 4), .. })),
        ),
        (
            "overlapping ranges",
            raw(
                r#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
                &f32x2,
            ),
            Box::new(
                |p| matches!(p, Problem::Overlap { name, other } if name == "b" && other == "a"),
            ),
        ),
        (
            "trailing bytes",
            raw(
                r#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
                &f32x2,
            ),
            Box::new(|p| {
                matches!(
                    p,
                    Problem::Coverage {
                        expected: 4,
                        found: 8
                    }
                )
            }),
        ),
        (
            "duplicate names",
            raw(
                r#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
                &f32x2,
            ),
            Box::new(|p| matches!(p, Problem::DuplicateName { name } if name == "a")),
        ),
        (
            "unsupported dtype",
            raw(
                r#"{"a":{"dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]}}"#,
                &f32x2,
            ),
            Box::new(
                |p| matches!(p, Problem::UnsupportedDtype { found, .. } if found == "F8_E4M3"),
            ),
        ),
        (
            "negative size",
            raw(
                r#"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#,
                &f32x2,
            ),
            Box::new(|p| matches!(p, Problem::Header { .. })),
        ),
        (
            "not JSON",
            raw("{\"a\":", &f32x2),
            Box::new(|p| matches!(p, Problem::Header { .. })),
        ),
        (
            "JSON, not an object",
            raw("[1, 2]", &[]),
            Box::new(|p| matches!(p, Problem::Header { .. })),
        ),
        (
            "metadata not strings",
            raw(r#"{"__metadata__":{"a":1}}"#, &[]),
            Box::new(|p| matches!(p, Problem::Header { .. })),
        ),
        (
            "a format from the future",
            raw(
                r#"{"__metadata__":{"format":"typed-torch","format_version":"99"}}"#,
                &[],
            ),
            Box::new(
                |p| matches!(p, Problem::Metadata { key, found, .. } if key == "format_version" && found == "\"99\""),
            ),
        ),
        (
            "a checksum for a tensor that is not there",
            raw(
                r#"{"__metadata__":{"checksums":"{\"ghost\":\"00000000\"}"}}"#,
                &[],
            ),
            Box::new(|p| matches!(p, Problem::Metadata { key, .. } if key == "checksums")),
        ),
    ];
    for (what, file, expected) in &cases {
        let problems = problems_of(file, LoadOptions::non_strict());
        assert!(problems.iter().any(expected), "{what}: {problems:?}");
        assert!(inspect_bytes(file).is_err(), "{what}");
    }
}

#[test]
fn the_safetensors_crate_alone_misses_some_of_these() {
    // Why the header is checked here: the crate keeps one of two duplicate entries (a HashMap),
    // so a file naming one byte range twice loads as if it held one tensor.
    let dup = raw(
        r#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
        &[0u8; 4],
    );
    assert_eq!(
        safetensors::SafeTensors::deserialize(&dup).unwrap().len(),
        1
    );
    let problems = inspect_bytes(&dup).unwrap_err();
    assert_eq!(problems, [Problem::DuplicateName { name: "a".into() }]);
}

#[test]
fn a_misfit_lists_every_problem_with_expected_and_found() {
    let _generator = share_generator();
    let other: HList![Linear<3, 5>, BatchNorm1d<5, (), f64>] =
        hlist![Linear::init().unwrap(), BatchNorm1d::init().unwrap()];
    let bytes = Saver::new(&other).to_bytes().unwrap();
    let problems = problems_of(&bytes, LoadOptions::default());
    let f32v = |shape: &[u64]| TensorSpec {
        dtype: DType::F32,
        shape: shape.to_vec(),
    };
    assert_eq!(
        problems[0],
        Problem::Shape {
            name: "0.weight".into(),
            expected: vec![4, 3],
            found: vec![5, 3],
        }
    );
    assert!(problems.contains(&Problem::Dtype {
        name: "1.running_var".into(),
        expected: DType::F32,
        found: DType::F64,
    }));
    // num_batches_tracked is I64 in both: only its fit, not its dtype, is checked.
    assert!(!problems
        .iter()
        .any(|p| p.tensor() == Some("1.num_batches_tracked")));
    // 2 shapes in layer 0, and shape + dtype for each of 4 BatchNorm tensors.
    assert_eq!(problems.len(), 2 + 4 * 2, "{problems:#?}");

    let small: HList![Linear<3, 4>] = hlist![Linear::init().unwrap()];
    let bytes = Saver::new(&small).to_bytes().unwrap();
    let problems = problems_of(&bytes, LoadOptions::default());
    assert_eq!(problems.len(), 5);
    assert_eq!(
        problems[0],
        Problem::Missing {
            name: "1.weight".into(),
            expected: f32v(&[4]),
        }
    );
    // Allowing missing tensors, the same file loads the Linear and reports the rest.
    let mut model = net();
    let before = state(&model);
    let report = Loader::new(&mut model)
        .options(LoadOptions::strict().allow_missing(true))
        .load_bytes(&bytes)
        .unwrap();
    assert_eq!(report.loaded, ["0.weight", "0.bias"]);
    assert_eq!(report.missing.len(), 5);
    assert_eq!(state(&model)[2..], before[2..]);
    assert_eq!(state(&model)[..2], state(&small)[..]);

    // And the reverse: extra tensors are unexpected unless allowed.
    let (full, saved) = good_file();
    let mut tiny: HList![Linear<3, 4>] = hlist![Linear::init().unwrap()];
    let err = Loader::new(&mut tiny).load_bytes(&full).unwrap_err();
    let CheckpointError::Problems { problems, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(problems.len(), 5);
    assert!(problems.contains(&Problem::Unexpected {
        name: "1.weight".into(),
        found: f32v(&[4]),
    }));
    assert!(
        err.to_string()
            .contains("unexpected `1.num_batches_tracked`: expected nothing, found I64 []"),
        "{err}"
    );
    let report = Loader::new(&mut tiny)
        .options(LoadOptions::strict().allow_unexpected(true))
        .load_bytes(&full)
        .unwrap();
    assert_eq!(report.unexpected.len(), 5);
    assert_eq!(state(&tiny)[..], state(&saved)[..2]);
}

#[test]
fn dtypes_convert_only_when_asked_and_only_between_floats() {
    let _generator = share_generator();
    tch::manual_seed(5);
    let wide: HList![Linear<3, 4, (), f64>, BatchNorm1d<4, (), f64>] =
        hlist![Linear::init().unwrap(), BatchNorm1d::init().unwrap()];
    let bytes = Saver::new(&wide).to_bytes().unwrap();
    let problems = problems_of(&bytes, LoadOptions::default());
    assert_eq!(problems.len(), 6, "{problems:?}"); // every float tensor; not num_batches_tracked
    let mut model = net();
    let report = Loader::new(&mut model)
        .options(LoadOptions::strict().convert_dtypes(true))
        .load_bytes(&bytes)
        .unwrap();
    assert_eq!(report.converted.len(), 6);
    assert_eq!(
        report.converted[0],
        ("0.weight".into(), DType::F64, DType::F32)
    );
    let expected = wide.head.weight.to_kind::<f32>().to_vec();
    assert_eq!(model.head.weight.to_vec(), expected);

    // An integer tensor is never converted, even when asked.
    let file = raw(
        r#"{"w":{"dtype":"I64","shape":[4,3],"data_offsets":[0,96]}}"#,
        &[0u8; 96],
    );
    let mut linear = Linear::<3, 4, NoBias, f32, typed_torch::Cpu>::init().unwrap();
    let report = Loader::new(&mut linear)
        .options(LoadOptions::non_strict().convert_dtypes(true))
        .load_bytes(&file)
        .unwrap();
    assert_eq!(report.unexpected, ["w"]); // the name does not fit; now with the right name:
    let file = raw(
        r#"{"weight":{"dtype":"I64","shape":[4,3],"data_offsets":[0,96]}}"#,
        &[0u8; 96],
    );
    let err = Loader::new(&mut linear)
        .options(LoadOptions::strict().convert_dtypes(true))
        .load_bytes(&file)
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("`weight`: dtype expected F32, found I64"),
        "{err}"
    );
}

#[test]
fn a_pytorch_style_file_without_our_metadata_loads() {
    let _generator = share_generator();
    // No `__metadata__` at all, tensors in name order: what any other writer may produce.
    let (_, saved) = good_file();
    let mut tensors = Vec::new();
    let mut data = Vec::new();
    let mut entries = Vec::new();
    for (name, bytes) in state(&saved) {
        tensors.push(name.clone());
        let (dtype, shape) = if name.ends_with("num_batches_tracked") {
            ("I64", "[]".to_string())
        } else if name == "0.weight" {
            ("F32", "[4,3]".into())
        } else {
            ("F32", "[4]".into())
        };
        entries.push(format!(
            r#""{name}":{{"dtype":"{dtype}","shape":{shape},"data_offsets":[{},{}]}}"#,
            data.len(),
            data.len() + bytes.len()
        ));
        data.extend_from_slice(&bytes);
    }
    let file = raw(&format!("{{{}}}", entries.join(",")), &data);
    let mut model = net();
    Loader::new(&mut model).load_bytes(&file).unwrap();
    assert_eq!(state(&model), state(&saved));
}

/// xorshift64*: the mutation test's own generator, so its cases do not depend on a crate.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed >> 12;
    *seed ^= *seed << 25;
    *seed ^= *seed >> 27;
    seed.wrapping_mul(0x2545_f491_4f6c_dd1d)
}

/// Random mutations of a good file (bit flips, byte overwrites, cuts, insertions, digits of
/// header numbers, the header length): none may panic, a refused load must leave the model as it
/// was, and a load may only bring in other data when the mutations also destroyed the checksums
/// and the format entry (undetectable by design). Runs `count` cases; returns (refused, loaded,
/// loaded other data).
fn mutate_and_load(count: u64, seed: u64) -> (u64, u64, u64) {
    let (file, saved) = good_file();
    let mut seed = seed | 1;
    let (mut refused, mut loaded, mut undetectable) = (0, 0, 0);
    let mut model = net();
    for _ in 0..count {
        let mut bad = file.clone();
        for _ in 0..1 + next(&mut seed) % 4 {
            let len = bad.len().max(1) as u64;
            let at = (next(&mut seed) % len) as usize;
            match next(&mut seed) % 6 {
                0 => {
                    if let Some(b) = bad.get_mut(at) {
                        *b ^= 1 << (next(&mut seed) % 8);
                    }
                }
                1 => {
                    if let Some(b) = bad.get_mut(at) {
                        *b = next(&mut seed) as u8;
                    }
                }
                2 => bad.truncate(at),
                3 => bad.insert(at.min(bad.len()), next(&mut seed) as u8),
                4 => {
                    // A digit in the header: sizes and offsets.
                    if let Some(b) = bad.get_mut(at) {
                        if b.is_ascii_digit() {
                            *b = b'0' + (next(&mut seed) % 10) as u8;
                        }
                    }
                }
                _ => {
                    // The header length field.
                    let n = next(&mut seed) % (len * 2);
                    let k = 8.min(bad.len());
                    bad[..k].copy_from_slice(&n.to_le_bytes()[..k]);
                }
            }
        }
        let before = state(&model);
        match Loader::new(&mut model)
            .options(LoadOptions::default())
            .load_bytes(&bad)
        {
            Ok(report) => {
                // What loaded is the file's content, whole; it differs from what was saved only
                // if several mutations took out the checksums and the format entry as well.
                if state(&model) != state(&saved) {
                    assert!(
                        !(report.metadata.contains_key("checksums")
                            && report
                                .metadata
                                .get("format")
                                .is_some_and(|f| f == "typed-torch")),
                        "corrupt data loaded despite checksums"
                    );
                    undetectable += 1;
                    model = net();
                }
                loaded += 1;
            }
            Err(_) => {
                assert_eq!(state(&model), before);
                refused += 1;
            }
        }
    }
    (refused, loaded, undetectable)
}

#[test]
fn random_mutations_never_panic_or_half_load() {
    let _generator = share_generator();
    let (refused, loaded, undetectable) = mutate_and_load(3000, 0x5eed);
    println!(
        "3000 mutations: {refused} refused, {loaded} loaded ({undetectable} with other data, \
         their checksums and format entry destroyed too)"
    );
    assert!(refused > 2500, "{refused}");
}

/// The long run: `TYPED_TORCH_MUTATIONS=1000000 cargo test --release --test checkpoint
/// robustness::long -- --ignored --nocapture`.
#[test]
#[ignore]
fn long_random_mutation_run() {
    let _generator = share_generator();
    let count = std::env::var("TYPED_TORCH_MUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200_000);
    let start = std::time::Instant::now();
    let (refused, loaded, undetectable) = mutate_and_load(count, 0xfeed_beef);
    println!(
        "{count} mutations in {:.1} s: {refused} refused, {loaded} loaded \
         ({undetectable} with other data, their checksums and format entry destroyed too)",
        start.elapsed().as_secs_f64()
    );
}

/// Writes seed files for the fuzzer (`fuzz/seeds/`) when `TYPED_TORCH_FUZZ_SEEDS` names a
/// directory; otherwise does nothing.
#[test]
fn write_fuzz_seeds() {
    let _generator = share_generator();
    let Some(dir) = std::env::var_os("TYPED_TORCH_FUZZ_SEEDS") else {
        return;
    };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (file, mut saved) = good_file();
    std::fs::write(dir.join("model.safetensors"), &file).unwrap();
    let mut adam = typed_torch::optim::Adam::<Net>::new(&mut saved, Default::default()).unwrap();
    let bytes = Saver::new(&saved)
        .optimizer(&adam)
        .config(&[1, 2, 3])
        .unwrap()
        .to_bytes()
        .unwrap();
    std::fs::write(dir.join("training.safetensors"), &bytes).unwrap();
    adam.zero_grad();
}

#[test]
fn version_1_files_without_checksums_still_load_but_version_2_ones_need_them() {
    let _generator = share_generator();
    let (_, saved) = good_file();
    let mut tensors = Vec::new();
    saved.for_each_tensor(|name, t| tensors.push((name.to_string(), t.shallow_clone())));
    let write = |version: &str| {
        let dir = scratch(&format!("v{version}"));
        let path = dir.join("old.safetensors");
        let named: Vec<(&str, &tch::Tensor)> =
            tensors.iter().map(|(n, t)| (n.as_str(), t)).collect();
        tch::Tensor::write_safetensors(&named, &path).unwrap();
        // tch writes no metadata: add the one an older typed-torch wrote.
        let bytes = std::fs::read(&path).unwrap();
        let st = safetensors::SafeTensors::deserialize(&bytes).unwrap();
        let views: Vec<(String, safetensors::tensor::TensorView)> = st.tensors();
        let meta = std::collections::HashMap::from([
            ("format".to_string(), "typed-torch".to_string()),
            ("format_version".to_string(), version.to_string()),
        ]);
        safetensors::serialize(views, Some(meta)).unwrap()
    };
    let mut model = net();
    Loader::new(&mut model).load_bytes(&write("1")).unwrap();
    assert_eq!(state(&model), state(&saved));
    let problems = problems_of(&write("2"), LoadOptions::default());
    assert!(
        matches!(&problems[..], [Problem::Metadata { key, .. }] if key == "checksums"),
        "{problems:?}"
    );
}

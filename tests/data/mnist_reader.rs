//! The MNIST IDX reader: the real sample set-up prepares, plain and gzip files, and every kind of
//! malformed file giving an error that names the file and the problem.
use std::io::Write;
use std::path::{Path, PathBuf};
use typed_torch::data::{read_idx, Mnist};
use typed_torch::Error;

fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".typed-torch/mnist")
}

#[test]
fn loads_the_real_sample_with_its_fixed_split() {
    let m = Mnist::load(sample_dir()).expect("run scripts/setup.sh first");
    assert_eq!(m.train_images.size(), vec![4000, 1, 28, 28]);
    assert_eq!(m.test_images.size(), vec![1000, 1, 28, 28]);
    let counts = |labels: &typed_torch::Tensor<(typed_torch::Dyn,), i64>| {
        let mut c = [0usize; 10];
        labels.to_vec().iter().for_each(|&l| c[l as usize] += 1);
        c
    };
    assert_eq!(counts(&m.train_labels), [400; 10]);
    assert_eq!(counts(&m.test_labels), [100; 10]);
    // Real digits: mostly background, some ink, full 0..=255 range.
    let pixels = m.train_images.to_vec();
    let ink = pixels.iter().filter(|&&p| p > 0).count() as f64 / pixels.len() as f64;
    assert!(
        (0.1..0.3).contains(&ink),
        "fraction of non-zero pixels {ink}"
    );
    assert_eq!(pixels.iter().max(), Some(&255));
}

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("mnist-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn idx(magic: u32, dims: &[u32], data: &[u8]) -> Vec<u8> {
    let mut out = magic.to_be_bytes().to_vec();
    dims.iter().for_each(|d| out.extend(d.to_be_bytes()));
    out.extend(data);
    out
}

/// A valid plain (uncompressed) MNIST directory of `n` images, with `tweak` applied to one file.
fn write_set(dir: &Path, n: u32, tweak: impl Fn(&str, Vec<u8>) -> Vec<u8>) {
    for prefix in ["train", "t10k"] {
        let images = idx(0x803, &[n, 28, 28], &vec![7u8; n as usize * 784]);
        let labels = idx(
            0x801,
            &[n],
            &(0..n).map(|i| (i % 10) as u8).collect::<Vec<_>>(),
        );
        for (name, bytes) in [
            (format!("{prefix}-images-idx3-ubyte"), images),
            (format!("{prefix}-labels-idx1-ubyte"), labels),
        ] {
            std::fs::write(dir.join(&name), tweak(&name, bytes)).unwrap();
        }
    }
}

#[track_caller]
fn expect_error(name: &str, tweak: impl Fn(&str, Vec<u8>) -> Vec<u8>, file: &str, needle: &str) {
    let dir = temp_dir(name);
    write_set(&dir, 3, tweak);
    match Mnist::load(&dir) {
        Ok(_) => panic!("{name}: a malformed set loaded"),
        Err(e @ Error::Data { .. }) => {
            let msg = e.to_string();
            assert!(
                msg.contains(file),
                "{name}: error does not name {file}: {msg}"
            );
            assert!(
                msg.contains(needle),
                "{name}: error does not say `{needle}`: {msg}"
            );
        }
        Err(e) => panic!("{name}: unexpected error kind {e:?}"),
    }
}

#[test]
fn plain_files_load() {
    let dir = temp_dir("plain");
    write_set(&dir, 3, |_, b| b);
    let m = Mnist::load(&dir).unwrap();
    assert_eq!(m.train_labels.to_vec(), vec![0, 1, 2]);
    assert_eq!(m.test_images.to_vec()[..3], [7, 7, 7]);
}

#[test]
fn malformed_files_name_the_file_and_the_problem() {
    let only = |target: &'static str, f: fn(Vec<u8>) -> Vec<u8>| {
        move |name: &str, b: Vec<u8>| if name == target { f(b) } else { b }
    };
    expect_error(
        "truncated",
        only("train-images-idx3-ubyte", |mut b| {
            b.truncate(b.len() - 10);
            b
        }),
        "train-images-idx3-ubyte",
        "truncated",
    );
    expect_error(
        "trailing",
        only("t10k-images-idx3-ubyte", |mut b| {
            b.push(0);
            b
        }),
        "t10k-images-idx3-ubyte",
        "but the file has",
    );
    expect_error(
        "magic",
        only("train-labels-idx1-ubyte", |mut b| {
            b[2] = 0x0d;
            b
        }),
        "train-labels-idx1-ubyte",
        "bad magic number",
    );
    expect_error(
        "short",
        only("train-labels-idx1-ubyte", |_| vec![0, 0]),
        "train-labels-idx1-ubyte",
        "too short",
    );
    expect_error(
        "huge",
        only("train-images-idx3-ubyte", |mut b| {
            b[4..8].copy_from_slice(&u32::MAX.to_be_bytes());
            b
        }),
        "train-images-idx3-ubyte",
        "header declares",
    );
    expect_error(
        "dims",
        only("train-images-idx3-ubyte", |_| {
            idx(0x803, &[3, 28, 27], &[0; 3 * 28 * 27])
        }),
        "train-images-idx3-ubyte",
        "expected [N, 28, 28]",
    );
    expect_error(
        "count",
        only("t10k-labels-idx1-ubyte", |_| idx(0x801, &[2], &[1, 2])),
        "t10k-labels-idx1-ubyte",
        "2 labels for 3 images",
    );
    expect_error(
        "label",
        only("train-labels-idx1-ubyte", |_| idx(0x801, &[3], &[1, 12, 3])),
        "train-labels-idx1-ubyte",
        "label 12 at index 1",
    );
}

#[test]
fn missing_and_corrupt_gzip_files_are_errors() {
    let dir = temp_dir("missing");
    match Mnist::load(&dir) {
        Err(e @ Error::Data { .. }) => assert!(e.to_string().contains("missing"), "{e}"),
        other => panic!("expected a missing-file error, got {other:?}"),
    }
    let bad = dir.join("x-idx1-ubyte.gz");
    let mut f = std::fs::File::create(&bad).unwrap();
    f.write_all(&[0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7])
        .unwrap();
    drop(f);
    let err = read_idx(&bad).unwrap_err().to_string();
    assert!(
        err.contains("x-idx1-ubyte.gz") && err.contains("corrupt gzip"),
        "{err}"
    );
}

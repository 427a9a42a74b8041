//! The `char_lm` example, shortened: it must learn English from the fortunes corpus (validation
//! bits per character at least 40% below the unigram baseline) and refuse malformed text.
use crate::char_lm_example::{train, Args};
use crate::common::lock_generator;
use clap::Parser;

fn args(extra: &[&str], out: &str) -> Args {
    let mut args = Args::parse_from(
        ["char_lm", "--out", out]
            .into_iter()
            .chain(extra.iter().copied()),
    );
    args.verbose = false;
    args
}

fn out_dir(name: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{name}-{}", std::process::id()));
    dir.to_string_lossy().into_owned()
}

/// The example's model and loop on the first 1,200,000 training characters (about half), one pass: the README
/// reports the full-length run.
#[test]
fn char_lm_beats_the_unigram_baseline_by_40_percent() {
    // The initial weights, the order of the windows and the samples all follow the seed.
    let _serial = lock_generator();
    let out = out_dir("char_lm");
    let args = args(
        &[
            "--max-train-chars",
            "1200000",
            "--epochs",
            "1",
            "--sample-chars",
            "80",
        ],
        &out,
    );
    let report = train(&args).unwrap();
    let ratio = report.bits_per_char / report.unigram_bits_per_char;
    assert!(
        ratio <= 0.6,
        "validation {:.3} bits per character against the unigram's {:.3} ({:.0}% fewer)",
        report.bits_per_char,
        report.unigram_bits_per_char,
        100.0 * (1.0 - ratio)
    );
    assert_eq!(report.sample.chars().count(), 80);
    assert!(
        !report.sample.contains('\u{FFFD}'),
        "sampled an id outside the text's characters: {:?}",
        report.sample
    );
    for file in [
        "char_lm_lstm.png",
        "char_lm_lstm.csv",
        "char_lm_lstm.safetensors",
    ] {
        let path = std::path::Path::new(&out).join(file);
        assert!(
            std::fs::metadata(&path).is_ok_and(|m| m.len() > 0),
            "{} missing",
            path.display()
        );
    }
}

/// `--text` takes any UTF-8 file; one that is not UTF-8, is empty, or is too short for one
/// validation sequence is an error naming the file and the problem, before any training.
#[test]
fn char_lm_refuses_malformed_text() {
    let dir = std::path::PathBuf::from(out_dir("char_lm_text"));
    std::fs::create_dir_all(&dir).unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "latin1.txt",
            b"caf\xe9 au lait",
            "not UTF-8 text: invalid byte at offset 3",
        ),
        ("empty.txt", b"", "empty: no characters"),
        ("short.txt", b"Too short to learn from.", "too short"),
        ("missing.txt", b"", "No such file"),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.join(name);
        if name != "missing.txt" {
            std::fs::write(&path, bytes).unwrap();
        }
        let out = dir.join("runs").to_string_lossy().into_owned();
        let error = train(&args(&["--text", path.to_str().unwrap()], &out)).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains(expected) && message.contains(name),
            "{name}: {message}"
        );
    }
}

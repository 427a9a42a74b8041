//! The `graph_classification` example, shortened to 10 epochs (the README reports the full
//! 30): the GIN must classify at least 75% of the 1,000 held-out digit graphs (79.9% measured;
//! chance is 10%).
use crate::common::lock_generator;
use crate::graph_classification_example::{train, Args};
use clap::Parser;

#[test]
fn gin_learns_digits_drawn_as_graphs() {
    // The initial weights and the order of the graphs follow the seed.
    let _serial = lock_generator();
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("graph-classification-{}", std::process::id()));
    let out = out.to_string_lossy().into_owned();
    let mut args = Args::parse_from(["graph_classification", "--epochs", "10", "--out", &out]);
    args.verbose = false;
    let test = train(&args).unwrap();
    assert!(
        test.accuracy >= 0.75,
        "test accuracy {:.1}% after 10 epochs",
        100.0 * test.accuracy
    );
    for file in [
        "graph_classification.png",
        "graph_classification.csv",
        "graph_classification.safetensors",
        "graph_classification_confusion.png",
    ] {
        let path = std::path::Path::new(&out).join(file);
        assert!(path.exists(), "{} was not written", path.display());
    }
}

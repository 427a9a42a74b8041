//! The `karate_gcn` example at full length (200 full-graph steps take well under a second): from
//! the club of one member per club it must place at least 90% of the other 32, and draw the
//! embeddings; a labels file that does not fit the graph is an error naming the file.
use crate::common::lock_generator;
use crate::karate_gcn_example::{train, Args};
use clap::Parser;

fn args(extra: &[&str]) -> (Args, std::path::PathBuf) {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("karate-{}", std::process::id()));
    let out_str = out.to_string_lossy().into_owned();
    let mut args = Args::parse_from(
        ["karate_gcn", "--out", &out_str]
            .into_iter()
            .chain(extra.iter().copied()),
    );
    args.verbose = false;
    (args, out)
}

#[test]
fn karate_gcn_places_the_club_members_from_two_labels() {
    // The initial weights follow the seed.
    let _serial = lock_generator();
    let (args, _) = args(&[]);
    let report = train(&args).unwrap();
    assert_eq!(
        report.labelled,
        [0, 33],
        "the instructor and the administrator"
    );
    assert!(
        report.accuracy >= 0.9,
        "accuracy {:.1}% on the unlabelled members",
        100.0 * report.accuracy
    );
    assert!(report.loss < 0.1, "training loss {}", report.loss);
    assert_eq!(report.confusion.total(), 32, "the unlabelled members");
    assert_eq!(report.confusion.accuracy(), report.accuracy);
    assert!(args.out.join("karate_gcn_confusion.png").exists());
    let png = std::fs::metadata(&report.frames_png).unwrap();
    assert!(
        png.len() > 10_000,
        "{} is {} bytes",
        report.frames_png.display(),
        png.len()
    );
}

#[test]
fn karate_gcn_refuses_labels_that_do_not_fit() {
    let (args, out) = args(&[]);
    std::fs::create_dir_all(&out).unwrap();
    let labels = out.join("short.csv");
    std::fs::write(&labels, "node,label\n0,0\n1,1\n").unwrap();
    let mut short = args.clone();
    short.labels = Some(labels.clone());
    let error = train(&short).unwrap_err().to_string();
    assert!(
        error.contains("short.csv") && error.contains("2 members"),
        "{error}"
    );

    let gap = out.join("gap.csv");
    std::fs::write(&gap, "node,label\n0,0\n2,1\n").unwrap();
    let mut missing = args.clone();
    missing.labels = Some(gap);
    let error = train(&missing).unwrap_err().to_string();
    assert!(error.contains("node 1 has no label"), "{error}");

    let edges = out.join("edges.csv");
    std::fs::write(&edges, "source,target\n0,1\n1,-4\n").unwrap();
    let mut bad_edges = args;
    bad_edges.edges = Some(edges);
    let error = train(&bad_edges).unwrap_err().to_string();
    assert!(
        error.contains("line 3: target `-4` is not a node id"),
        "{error}"
    );
}

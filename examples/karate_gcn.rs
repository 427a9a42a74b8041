//! Semi-supervised node classification on Zachary's karate club (networkx's copy, exported by the
//! set-up): a 3-layer GCN sees the whole friendship graph but the club of only one member per
//! club (each club's best-connected member: the instructor and the administrator), and must
//! place the other 32. The nodes' 2-D embeddings are drawn at chosen epochs, so the two clubs
//! can be seen separating (`runs/karate_gcn_embeddings.png`).
//!
//! `cargo run --release --example karate_gcn -- --help`
use std::path::PathBuf;

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use typed_torch::graph::{read_edge_list, read_node_labels, Edges};
use typed_torch::loss::{cross_entropy, Mean};
use typed_torch::optim::{Adam, AdamConfig, Optimizer};
use typed_torch::prelude::*;
use typed_torch::train::{
    correct, plot_embedding_frames, ConfusionMatrix, EmbeddingFrame, EmbeddingStyle,
};
use typed_torch::{Error, Result};
use typed_torch_models::node_gcn::NodeGcn;

/// The club has 34 members; each node's input features are its one-hot id.
const NODES: usize = 34;
/// Two clubs after the split: Mr. Hi's and the Officer's.
const CLUBS: usize = 2;

/// Classify the karate club's members from one labelled member per club.
#[derive(Parser, Debug, Clone)]
#[command(version)]
pub struct Args {
    /// The friendships, a CSV edge list `source,target` (each undirected edge once); default: the
    /// set-up's export of networkx's karate club.
    #[arg(long)]
    pub edges: Option<PathBuf>,
    /// Each member's club, a CSV of `node,label`; default: the set-up's.
    #[arg(long)]
    pub labels: Option<PathBuf>,
    /// Training steps (each a pass over the whole graph).
    #[arg(long, default_value_t = 200)]
    pub epochs: usize,
    /// Adam's learning rate.
    #[arg(long, default_value_t = 1e-2)]
    pub lr: f64,
    /// Epochs whose embeddings are drawn (0: before training).
    #[arg(long, value_delimiter = ',', default_values_t = [0, 10, 25, 50, 100, 200])]
    pub frames: Vec<usize>,
    /// Seed for the initial weights.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Where the embedding frames go.
    #[arg(long, default_value = "runs")]
    pub out: PathBuf,
    /// Print progress (the tests turn it off).
    #[arg(skip = true)]
    pub verbose: bool,
}

/// What a run measured.
#[derive(Debug, Clone)]
pub struct Report {
    /// The members whose club was given.
    pub labelled: Vec<usize>,
    /// Accuracy on the other members after training.
    pub accuracy: f64,
    /// The cross-entropy on the labelled members after training.
    pub loss: f64,
    /// The picture of the embeddings.
    pub frames_png: PathBuf,
    /// The unlabelled members' clubs against the predicted ones, after training.
    pub confusion: ConfusionMatrix,
}

/// The two clubs' names, in label order.
const CLUB_NAMES: [&str; CLUBS] = ["Mr. Hi", "Officer"];

fn main() -> Result<()> {
    let args = Args::parse();
    let report = train(&args)?;
    println!(
        "labelled members {:?}; accuracy on the other {}: {:.1}%; embeddings: {}",
        report.labelled,
        NODES - report.labelled.len(),
        100.0 * report.accuracy,
        report.frames_png.display()
    );
    println!("{}", report.confusion.report(&CLUB_NAMES));
    Ok(())
}

/// Trains the GCN as `args` says and reports the accuracy on the unlabelled members.
pub fn train(args: &Args) -> Result<Report> {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".typed-torch/karate");
    let edges_path = args.edges.clone().unwrap_or_else(|| data.join("edges.csv"));
    let labels_path = args
        .labels
        .clone()
        .unwrap_or_else(|| data.join("clubs.csv"));
    let list = read_edge_list(&edges_path)?;
    let clubs = read_node_labels(&labels_path)?;
    if clubs.len() != NODES || list.min_nodes() > NODES {
        return Err(Error::Data {
            path: labels_path,
            problem: format!(
                "{} members (edges name {}); the model's one-hot features are typed D<{NODES}>",
                clubs.len(),
                list.min_nodes()
            ),
        });
    }
    if let Some(bad) = clubs.iter().find(|&&c| !(0..CLUBS as i64).contains(&c)) {
        return Err(Error::Data {
            path: labels_path,
            problem: format!("club {bad}; the model tells {CLUBS} clubs apart (0 and 1)"),
        });
    }
    let edges: Edges = list.to_edges(NODES)?.undirected();
    let labelled = leaders(&list.pairs, &clubs);
    let unlabelled: Vec<usize> = (0..NODES).filter(|n| !labelled.contains(n)).collect();
    let ids = |nodes: &[usize]| {
        let ids: Vec<i64> = nodes.iter().map(|&n| n as i64).collect();
        Tensor::<(Dyn,), i64>::from_slice_dyn(&ids, &[ids.len()])
    };
    let (train_ids, test_ids) = (ids(&labelled)?, ids(&unlabelled)?);
    let targets = Tensor::<(Dyn,), i64>::from_slice_dyn(&clubs, &[NODES])?;
    let (train_y, test_y) = (
        targets.index_select::<0>(&train_ids),
        targets.index_select::<0>(&test_ids),
    );
    // Each member's features are its one-hot id: the first layer learns a vector per member.
    let all: Vec<i64> = (0..NODES as i64).collect();
    let x = Tensor::<(Dyn,), i64>::from_slice_dyn(&all, &[NODES])?
        .one_hot::<NODES>()
        .to_kind::<f32>();

    tch::manual_seed(args.seed as i64);
    let mut model = NodeGcn::<NODES, CLUBS>::init()?;
    let mut opt = Adam::new(
        &mut model,
        AdamConfig {
            lr: args.lr,
            ..Default::default()
        },
    )?;
    let bar = progress(args);
    let embed = |model: &NodeGcn<NODES, CLUBS>| -> Result<Vec<[f64; 2]>> {
        let e = no_grad(|| model.embed(x.clone(), &edges)).to_vec();
        Ok(e.chunks(2).map(|p| [p[0] as f64, p[1] as f64]).collect())
    };
    let mut frames = vec![];
    if args.frames.contains(&0) {
        frames.push(EmbeddingFrame {
            title: "before training".into(),
            points: embed(&model)?,
        });
    }
    let (mut loss_value, mut accuracy) = (f64::NAN, 0.0);
    for epoch in 1..=args.epochs {
        let logits = model.forward((x.clone(), &edges));
        let loss = cross_entropy(&logits.index_select::<0>(&train_ids), &train_y, Mean);
        opt.zero_grad();
        loss.backward();
        opt.step(&mut model)?;
        loss_value = loss.item().into();
        let logits = no_grad(|| model.forward((x.clone(), &edges)));
        accuracy =
            correct(&logits.index_select::<0>(&test_ids), &test_y) as f64 / unlabelled.len() as f64;
        bar.set_message(format!(
            "loss {loss_value:.4}  accuracy {:.1}%",
            100.0 * accuracy
        ));
        bar.inc(1);
        if args.frames.contains(&epoch) {
            frames.push(EmbeddingFrame {
                title: format!("epoch {epoch}: {:.0}% right", 100.0 * accuracy),
                points: embed(&model)?,
            });
        }
    }
    bar.finish();
    std::fs::create_dir_all(&args.out).map_err(|source| Error::Io {
        path: args.out.clone(),
        source,
    })?;
    let classes: Vec<usize> = clubs.iter().map(|&c| c as usize).collect();
    let links: Vec<(usize, usize)> = list
        .pairs
        .iter()
        .map(|&(s, t)| (s as usize, t as usize))
        .collect();
    let style = EmbeddingStyle {
        classes: &classes,
        marked: &labelled,
        links: &links,
        ..Default::default()
    };
    let (png, _) = plot_embedding_frames(
        &frames,
        &style,
        "Karate club, GCN embeddings: red Mr. Hi's club, green the Officer's; ringed the two labelled members",
        &args.out.join("karate_gcn_embeddings"),
    )?;
    let mut confusion = ConfusionMatrix::new(CLUBS);
    let logits = no_grad(|| model.forward((x.clone(), &edges)));
    confusion.update(&logits.index_select::<0>(&test_ids), &test_y)?;
    confusion.save_png(
        &args.out.join("karate_gcn_confusion.png"),
        &CLUB_NAMES,
        "Karate club: the unlabelled members",
    )?;
    Ok(Report {
        labelled,
        accuracy,
        loss: loss_value,
        frames_png: png,
        confusion,
    })
}

/// Each club's best-connected member (the lowest id among equals): the one labelled node per
/// club that semi-supervised training gets.
fn leaders(pairs: &[(i64, i64)], clubs: &[i64]) -> Vec<usize> {
    let mut degree = vec![0usize; clubs.len()];
    for &(s, t) in pairs {
        degree[s as usize] += 1;
        degree[t as usize] += 1;
    }
    (0..CLUBS as i64)
        .filter_map(|club| {
            (0..clubs.len())
                .filter(|&n| clubs[n] == club)
                .max_by_key(|&n| (degree[n], std::cmp::Reverse(n)))
        })
        .collect()
}

fn progress(args: &Args) -> ProgressBar {
    if !args.verbose {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(args.epochs as u64);
    bar.set_style(
        ProgressStyle::with_template("{prefix:>10} [{bar:30.cyan/blue}] {pos}/{len} {msg}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_prefix("karate_gcn");
    bar
}

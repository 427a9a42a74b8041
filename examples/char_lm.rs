//! A character-level language model (a 2-layer LSTM or GRU, `--cell`) trained on real English
//! text: by default Debian's fortunes corpus (about 2.5 MB) that the set-up prepares, or any UTF-8
//! file with `--text PATH`. The last 5% of the text is a fixed validation split; the run prints
//! validation bits per character next to the unigram baseline on the same split, then samples
//! text at a temperature.
//!
//! `cargo run --release --example char_lm -- --help`
use std::path::PathBuf;

use clap::{Parser, ValueEnum};
// The loop both character-level models share.
#[path = "common/lm.rs"]
mod lm;
use typed_torch::data::CharCorpus;
use typed_torch::nn::Params;
use typed_torch::optim::{Adam, AdamConfig, CosineAnnealingLR, LrScheduler};
use typed_torch::prelude::*;
use typed_torch::train::{EpochMetrics, Run, RunOptions};
use typed_torch::{Error, Result};
use typed_torch_models::char_lm::{CharLm, GruLm, LstmLm, VOCAB};

/// Characters per training sequence.
const SEQ: usize = 64;

/// The recurrent stack of the model.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Cell {
    /// A 2-layer LSTM.
    Lstm,
    /// A 2-layer GRU.
    Gru,
}

/// Train a character-level language model on real text.
#[derive(Parser, Debug, Clone)]
#[command(version)]
pub struct Args {
    /// A UTF-8 text file; default: the set-up's fortunes corpus.
    #[arg(long)]
    pub text: Option<PathBuf>,
    /// The recurrent stack.
    #[arg(long, value_enum, default_value_t = Cell::Lstm)]
    pub cell: Cell,
    /// Passes over the training text.
    #[arg(long, default_value_t = 3)]
    pub epochs: usize,
    /// Sequences of 64 characters per batch.
    #[arg(long, default_value_t = 16)]
    pub batch_size: usize,
    /// Peak learning rate (annealed to 0 along a cosine over the run).
    #[arg(long, default_value_t = 1e-2)]
    pub lr: f64,
    /// Train on at most this many characters of the training split (0: all of it).
    #[arg(long, default_value_t = 0)]
    pub max_train_chars: usize,
    /// Characters to sample after training.
    #[arg(long, default_value_t = 400)]
    pub sample_chars: usize,
    /// Sampling temperature: lower is more conservative.
    #[arg(long, default_value_t = 0.7)]
    pub temperature: f64,
    /// Seed for the initial weights, the shuffling and the sampling.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Where the curves and the checkpoint go.
    #[arg(long, default_value = "runs")]
    pub out: PathBuf,
    /// Print per-epoch lines and the sample.
    #[arg(skip = true)]
    pub verbose: bool,
}

/// What a run measured.
#[derive(Debug, Clone)]
pub struct Report {
    /// Validation bits per character of the trained model.
    pub bits_per_char: f64,
    /// Validation bits per character of the training split's character frequencies.
    pub unigram_bits_per_char: f64,
    /// Text sampled from the trained model.
    pub sample: String,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let report = train(&args)?;
    println!(
        "validation: {:.3} bits per character, unigram baseline {:.3} ({:.0}% fewer bits)",
        report.bits_per_char,
        report.unigram_bits_per_char,
        100.0 * (1.0 - report.bits_per_char / report.unigram_bits_per_char)
    );
    println!(
        "sample at temperature {}:\n{}",
        args.temperature, report.sample
    );
    Ok(())
}

/// Reads the text, trains the model `args.cell` picks, and measures and samples it.
pub fn train(args: &Args) -> Result<Report> {
    let path = args.text.clone().unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".typed-torch/fortunes/fortunes.txt")
    });
    let corpus = CharCorpus::from_path(&path)?;
    if corpus.vocab_size() > VOCAB {
        return Err(Error::Data {
            path,
            problem: format!(
                "{} distinct characters; the model takes at most {VOCAB}",
                corpus.vocab_size()
            ),
        });
    }
    tch::manual_seed(args.seed as i64);
    match args.cell {
        Cell::Lstm => fit(LstmLm::init()?, &corpus, args),
        Cell::Gru => fit(GruLm::init()?, &corpus, args),
    }
}

type Ids = Tensor<(Dyn, D<SEQ>), i64>;

fn fit<R>(mut model: CharLm<R>, corpus: &CharCorpus, args: &Args) -> Result<Report>
where
    R: Params,
    CharLm<R>: Module<Ids, Output = Tensor<(Dyn, D<SEQ>, D<VOCAB>)>>
        + Module<Tensor<(D<1>, Dyn), i64>, Output = Tensor<(D<1>, Dyn, D<VOCAB>)>>
        + Params,
{
    let (all_train_ids, valid_ids) = corpus.split(0.05);
    // The baseline counts the whole training split, whatever part of it the model trains on.
    let unigram = corpus.unigram_bits_per_char(all_train_ids, valid_ids);
    let train_ids = match args.max_train_chars {
        0 => all_train_ids,
        n => &all_train_ids[..n.min(all_train_ids.len())],
    };
    let (inputs, targets) = corpus.windows::<SEQ>(train_ids)?;
    let (valid_inputs, valid_targets) = corpus.windows::<SEQ>(valid_ids)?;
    if args.verbose {
        println!(
            "{}: {} characters, {} distinct; training on {} sequences of {SEQ}, validating on {}; {} parameters",
            corpus.source().display(),
            corpus.ids().len(),
            corpus.vocab_size(),
            inputs.size()[0],
            valid_inputs.size()[0],
            model.param_count()
        );
    }
    let windows = inputs.size()[0];
    let batches = windows.div_ceil(args.batch_size);
    let mut opt = Adam::new(
        &mut model,
        AdamConfig {
            lr: args.lr,
            ..Default::default()
        },
    )?;
    let mut scheduler = LrScheduler::new(&mut opt, CosineAnnealingLR::new(args.epochs * batches))?;
    let name = format!("char_lm_{:?}", args.cell).to_lowercase();
    let options = RunOptions {
        out_dir: args.out.clone(),
        verbose: args.verbose,
    };
    let mut run = Run::new(&name, options)?;
    let mut last = EpochMetrics::default();
    for epoch in 1..=args.epochs {
        model.set_train(true);
        let meter = run.phase("train", epoch, batches);
        let train = lm::train_epoch(
            &mut model,
            &mut opt,
            &mut scheduler,
            &inputs,
            &targets,
            args.batch_size,
            meter,
        )?;
        model.set_train(false);
        let meter = run.phase("valid", epoch, valid_inputs.size()[0].div_ceil(256));
        last = lm::evaluate(&model, &valid_inputs, &valid_targets, 256, meter);
        run.end_epoch(epoch, train, last, &model)?;
    }
    let sample = sample(&model, corpus, args)?;
    Ok(Report {
        bits_per_char: last.loss / std::f64::consts::LN_2,
        unigram_bits_per_char: unigram,
        sample,
    })
}

/// Samples `args.sample_chars` characters, each from the model's distribution at the last step
/// of the previous `SEQ` characters, sharpened or flattened by the temperature.
fn sample<M>(model: &M, corpus: &CharCorpus, args: &Args) -> Result<String>
where
    M: Module<Tensor<(D<1>, Dyn), i64>, Output = Tensor<(D<1>, Dyn, D<VOCAB>)>>,
{
    let mut ids: Vec<i64> = corpus.ids()[..SEQ.min(corpus.ids().len())].to_vec();
    let start = ids.len();
    tch::manual_seed(args.seed as i64 + 1);
    no_grad(|| -> Result<()> {
        for _ in 0..args.sample_chars {
            let context = &ids[ids.len().saturating_sub(SEQ)..];
            let x = Tensor::<(D<1>, Dyn), i64>::from_slice_dyn(context, &[context.len()])?;
            let logits = model.forward(x);
            let last = logits.as_tch().get(0).get(-1) / args.temperature.max(1e-3);
            let next = last
                .softmax(0, tch::Kind::Double)
                .multinomial(1, true)
                .int64_value(&[0]);
            ids.push(next);
        }
        Ok(())
    })?;
    Ok(corpus.decode(&ids[start..]))
}

//! A decoder-only Transformer language model (a small GPT: 4 pre-norm blocks of width 128, 4
//! heads, learned positions, a context of 128 characters) trained on the same text as `char_lm`:
//! by default Debian's fortunes corpus that the set-up prepares, or any UTF-8 file with `--text`.
//! The last 5% of the text is the same fixed validation split; the run prints validation bits
//! per character next to the unigram baseline, then generates text with key/value caches (each
//! new character costs one position) and, for comparison, by re-running the window for every
//! character, and reports both speeds and that both gave the same characters.
//!
//! `cargo run --release --example char_gpt -- --help`
use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
// The loop both character-level models share.
#[path = "common/lm.rs"]
mod lm;
use typed_torch::data::CharCorpus;
use typed_torch::nn::Params;
use typed_torch::optim::{Adam, AdamConfig, CosineAnnealingLR, LrScheduler};
use typed_torch::prelude::*;
use typed_torch::train::{EpochMetrics, Run, RunOptions};
use typed_torch::{Error, Result};
use typed_torch_models::char_gpt::{generate, CharGpt, Decoding, CONTEXT, VOCAB};

/// Train a small GPT on real text.
#[derive(Parser, Debug, Clone)]
#[command(version)]
pub struct Args {
    /// A UTF-8 text file; default: the set-up's fortunes corpus.
    #[arg(long)]
    pub text: Option<PathBuf>,
    /// Passes over the training text.
    #[arg(long, default_value_t = 3)]
    pub epochs: usize,
    /// Windows of 128 characters per batch.
    #[arg(long, default_value_t = 16)]
    pub batch_size: usize,
    /// Peak learning rate (annealed to 0 along a cosine over the run).
    #[arg(long, default_value_t = 3e-3)]
    pub lr: f64,
    /// Dropout in every block.
    #[arg(long, default_value_t = 0.1)]
    pub dropout: f64,
    /// Train on at most this many characters of the training split (0: all of it).
    #[arg(long, default_value_t = 0)]
    pub max_train_chars: usize,
    /// Characters to generate after training.
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
    /// Text generated with key/value caches.
    pub sample: String,
    /// Whether generating without caches gave the same characters.
    pub uncached_agrees: bool,
    /// Characters per second generated with and without caches.
    pub chars_per_second: (f64, f64),
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
        "generation: {:.0} characters/s with key/value caches, {:.0} re-running the window ({}same characters)",
        report.chars_per_second.0,
        report.chars_per_second.1,
        if report.uncached_agrees { "" } else { "NOT the " }
    );
    println!(
        "sample at temperature {}:\n{}",
        args.temperature, report.sample
    );
    Ok(())
}

/// Reads the text, trains the model, measures it and generates with and without caches.
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
    let mut model = CharGpt::<f32, Cpu>::init()?;
    model.blocks.layers = model.blocks.layers.clone().map(|l| l.dropout(args.dropout));
    let (all_train_ids, valid_ids) = corpus.split(0.05);
    let unigram = corpus.unigram_bits_per_char(all_train_ids, valid_ids);
    let train_ids = match args.max_train_chars {
        0 => all_train_ids,
        n => &all_train_ids[..n.min(all_train_ids.len())],
    };
    let (inputs, targets) = corpus.windows::<CONTEXT>(train_ids)?;
    let (valid_inputs, valid_targets) = corpus.windows::<CONTEXT>(valid_ids)?;
    if args.verbose {
        println!(
            "{}: {} characters, {} distinct; training on {} windows of {CONTEXT}, validating on {}; {} parameters",
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
    let options = RunOptions {
        out_dir: args.out.clone(),
        verbose: args.verbose,
    };
    let mut run = Run::new("char_gpt", options)?;
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
        let meter = run.phase("valid", epoch, valid_inputs.size()[0].div_ceil(64));
        last = lm::evaluate(&model, &valid_inputs, &valid_targets, 64, meter);
        run.end_epoch(epoch, train, last, &model)?;
    }
    model.set_train(false);
    let prompt: Vec<i64> = corpus.ids()[..CONTEXT.min(corpus.ids().len())].to_vec();
    let timed = |decoding| -> Result<(Vec<i64>, f64)> {
        tch::manual_seed(args.seed as i64 + 1);
        let started = Instant::now();
        let ids = generate(
            &model,
            &prompt,
            args.sample_chars,
            args.temperature,
            decoding,
        )?;
        Ok((
            ids,
            args.sample_chars as f64 / started.elapsed().as_secs_f64(),
        ))
    };
    let (cached, cached_speed) = timed(Decoding::Cached)?;
    let (uncached, uncached_speed) = timed(Decoding::Uncached)?;
    Ok(Report {
        bits_per_char: last.loss / std::f64::consts::LN_2,
        unigram_bits_per_char: unigram,
        sample: corpus.decode(&cached),
        uncached_agrees: cached == uncached,
        chars_per_second: (cached_speed, uncached_speed),
    })
}

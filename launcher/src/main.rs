//! `typed-torch-run`: the command line of [`typed_torch_run`].

use std::ffi::OsString;
use std::process::ExitCode;
use std::time::Duration;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};
use typed_torch_run::{launch, LaunchConfig, LaunchError};

/// Starts one process per rank with torchrun's environment (RANK, WORLD_SIZE, LOCAL_RANK,
/// LOCAL_WORLD_SIZE, GROUP_RANK, MASTER_ADDR, MASTER_PORT), prefixes their output, and stops every
/// rank when one fails.
#[derive(Debug, Parser)]
#[command(
    name = "typed-torch-run",
    version,
    override_usage = "typed-torch-run --nproc-per-node <N> [OPTIONS] [--] <PROGRAM> [ARGS]..."
)]
struct Cli {
    /// Processes (ranks) to start on this node.
    #[arg(long, alias = "nproc_per_node", value_name = "N")]
    nproc_per_node: usize,
    /// Number of nodes in the job.
    #[arg(long, default_value_t = 1, value_name = "M")]
    nnodes: usize,
    /// This node's rank, 0..M (node 0 hosts the master).
    #[arg(long, alias = "node_rank", default_value_t = 0, value_name = "K")]
    node_rank: usize,
    /// Address of node 0, reachable from every node.
    #[arg(long, alias = "master_addr", default_value = LaunchConfig::DEFAULT_MASTER_ADDR, value_name = "ADDR")]
    master_addr: String,
    /// Rendezvous port on the master; 0 picks a free one (single node only).
    #[arg(long, alias = "master_port", default_value_t = LaunchConfig::DEFAULT_MASTER_PORT, value_name = "PORT")]
    master_port: u16,
    /// Give local rank l only the l-th GPU (CUDA_VISIBLE_DEVICES), seen as device 0.
    #[arg(long, alias = "one_gpu_per_rank")]
    one_gpu_per_rank: bool,
    /// Seconds between the stop signal and SIGKILL (fractions allowed).
    #[arg(long, alias = "grace_period", default_value = "10", value_name = "SECS", value_parser = parse_seconds)]
    grace_period: Duration,
    /// Do not prefix the ranks' output lines with "[rank R] ".
    #[arg(long, alias = "no_prefix")]
    no_prefix: bool,
    /// The program every rank runs, and its arguments.
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "PROGRAM",
        value_parser = clap::value_parser!(OsString)
    )]
    command: Vec<OsString>,
}

/// A non-negative, finite number of seconds.
fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    Duration::try_from_secs_f64(seconds)
        .map_err(|_| format!("`{text}` is not a non-negative, finite number of seconds"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut command = cli.command.into_iter();
    let program = command.next().expect("clap requires PROGRAM");
    let config = LaunchConfig {
        nproc_per_node: cli.nproc_per_node,
        nnodes: cli.nnodes,
        node_rank: cli.node_rank,
        master_addr: cli.master_addr,
        master_port: cli.master_port,
        one_gpu_per_rank: cli.one_gpu_per_rank,
        grace_period: cli.grace_period,
        prefix_output: !cli.no_prefix,
        program,
        args: command.collect(),
        extra_env: Vec::new(),
    };
    let code = match launch(&config) {
        Ok(outcome) => outcome.code(),
        Err(err @ LaunchError::InvalidConfig { .. }) => {
            Cli::command().error(ErrorKind::ValueValidation, err).exit()
        }
        Err(err) => {
            eprintln!("typed-torch-run: error: {err}");
            err.exit_code()
        }
    };
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

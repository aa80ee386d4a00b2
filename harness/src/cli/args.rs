//! Command-line arguments.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// `vmspec replay`'s exit status, shown by `vmspec replay --help`.
const REPLAY_EXIT: &str = "Exit status:\n  0  the file's check did not fire: no violation, or only other checks, or the schedule diverged from the file (the model changed; the output names the step)\n  1  the file's check fired: the violation is reproduced\n  2  bad input: unreadable or malformed file, another vmspec version, an unknown scenario, mutant or parameter value, a schedule naming a thread the scenario does not have";

#[derive(Parser, Debug)]
#[command(
    name = "vmspec",
    version,
    about = "Model-checked specification of illumos VM concurrency",
    long_about = "Explores the scenarios of each ported subsystem with loom (exhaustive within a preemption bound), shuttle (PCT, random, DFS) or real threads, and reports violations with minimized, replayable schedules."
)]
pub struct Cli {
    #[command(subcommand)]
    pub cmd: Cmd,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// One scenario per line: id, threads, bound, summary.
    List,
    /// Explore scenarios and report violations.
    Check(CheckArgs),
    /// Re-execute a recorded failing schedule.
    #[command(after_help = REPLAY_EXIT)]
    Replay(ReplayArgs),
    /// Prove the observed lock order against the declared tables.
    Lockorder(LockorderArgs),
    /// Run every mutant and show whether its check catches it.
    Mutants(MutantsArgs),
    /// Executions per second, facade overhead, time to detect mutants.
    Bench(BenchArgs),
}

/// Which explorer to use.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchedArg {
    Loom,
    Pct,
    Random,
    Dfs,
    Std,
}

#[derive(Args, Debug, Clone)]
pub struct Explore {
    /// Explorer; default: loom where the scenario declares a bound, else pct.
    #[arg(long)]
    pub sched: Option<SchedArg>,
    /// loom preemption bound (1-6, or `none`: every interleaving); default: the scenario's.
    #[arg(long, value_parser = parse_bound)]
    pub bound: Option<usize>,
    /// Executions for pct/random/std (and the cap for dfs).
    #[arg(long)]
    pub iterations: Option<usize>,
    /// PCT bug depth (1-10); default: the scenario's.
    #[arg(long)]
    pub depth: Option<usize>,
    /// Seed for pct/random.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Scenario ids or patterns: all, subsystem/*, an exact id.
    #[arg(required = true)]
    pub patterns: Vec<String>,
    #[command(flatten)]
    pub explore: Explore,
    /// Enable a mutant (injected bug) in the scenarios that declare it.
    #[arg(long)]
    pub mutant: Option<String>,
    /// Model parameter, e.g. hw-mod=blind (repeatable).
    #[arg(long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
    /// Scenarios run in parallel.
    #[arg(long, default_value_t = 1)]
    pub jobs: usize,
    /// Run shard I of N (1-based) of the selected scenarios.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Write results as JSON.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Show coverage counters (race windows and branches reached).
    #[arg(long)]
    pub coverage: bool,
    /// Where replay files go.
    #[arg(long, default_value = "target/vmspec/failures")]
    pub out: PathBuf,
}

#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// A replay file written by `vmspec check`.
    pub file: PathBuf,
    /// Print every step.
    #[arg(long)]
    pub trace: bool,
    /// Print the operation-level story: seed functions, waits, wakeups,
    /// preemptions and the decisive steps, a column per thread.
    #[arg(long)]
    pub story: bool,
    /// Draw the schedule as swimlanes.
    #[arg(long, value_name = "OUT")]
    pub svg: Option<PathBuf>,
    /// Write a Chrome trace-event JSON file for ui.perfetto.dev.
    #[arg(long, value_name = "OUT.json")]
    pub perfetto: Option<PathBuf>,
    /// Call `vmspec_break` when step STEP (as --trace numbers them) runs,
    /// for a debugger breakpoint: rust-gdb --args vmspec replay FILE
    /// --break-at STEP, then `break vmspec_break` (a debug build:
    /// `break model::exec::vmspec_break`), `run`.
    #[arg(long, value_name = "STEP")]
    pub break_at: Option<usize>,
}

#[derive(Args, Debug)]
pub struct LockorderArgs {
    /// Scenario patterns (default: all).
    pub patterns: Vec<String>,
    #[command(flatten)]
    pub explore: Explore,
    /// Write the observed graph as Graphviz.
    #[arg(long)]
    pub dot: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct MutantsArgs {
    /// Scenario patterns (default: all).
    pub patterns: Vec<String>,
    /// PCT executions per mutant.
    #[arg(long, default_value_t = 10_000)]
    pub iterations: usize,
    /// Seed for PCT.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Write results as JSON.
    #[arg(long)]
    pub json: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Scenario patterns (default: all).
    pub patterns: Vec<String>,
    /// PCT executions per scenario.
    #[arg(long, default_value_t = 5_000)]
    pub iterations: usize,
    /// Real-thread executions per measurement.
    #[arg(long, default_value_t = 20)]
    pub std_runs: usize,
    /// Explorers to measure (repeatable; default: loom, pct and std;
    /// `reduction`: loom with and without the reduction, side by side).
    #[arg(long = "explorer", value_enum)]
    pub explorers: Vec<BenchExplorer>,
    /// Run parameter, e.g. ops=20000 for segmap/stress (repeatable).
    #[arg(long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
    /// Write results as JSON.
    #[arg(long)]
    pub json: Option<PathBuf>,
}

/// What `vmspec bench` measures.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BenchExplorer {
    Loom,
    Pct,
    Std,
    Reduction,
}

/// `--bound`: a number, or `none` for [`crate::scenario::UNBOUNDED`].
fn parse_bound(v: &str) -> Result<usize, String> {
    if v == "none" {
        return Ok(crate::scenario::UNBOUNDED);
    }
    v.parse()
        .map_err(|_| format!("'{v}' is not a bound: a number from 1 to 6, or none"))
}

//! The `vmspec` command: list, check, replay, lockorder, mutants, bench.
//!
//! Exit status: 0 no violation, 1 a violation (or an expected one
//! missing), 2 bad input; 141 when the reader of stdout went away
//! (`vmspec replay FILE --trace | head`), as a process that SIGPIPE ends.
//! Results go to stdout; progress and logs (`VMSPEC_LOG` or `RUST_LOG`)
//! to stderr.

mod args;
mod bare;
mod bench;
mod check;
mod lockorder;
mod mutants;
mod plan;
mod progress;
mod replay;

use crate::scenario::Scenario;
use args::{Cli, Cmd};
use clap::Parser;
use std::process::ExitCode;

/// Bad input: one line on stderr, exit 2.
#[derive(Debug)]
pub struct BadInput(pub String);

pub(crate) type CmdResult = Result<bool, BadInput>;

/// Writes `value` as pretty JSON to `path` (for `--json`).
pub(crate) fn write_json(
    path: &std::path::Path,
    value: &impl serde::Serialize,
) -> Result<(), BadInput> {
    let json = serde_json::to_string_pretty(value).expect("results serialize");
    std::fs::write(path, json + "\n")
        .map_err(|e| BadInput(format!("cannot write {}: {e}", path.display())))
}

/// `VMSPEC_LOG=info` logs vmspec's own crates at that level (loom and
/// shuttle log every step at info); a full directive list (`loom=debug`)
/// or `RUST_LOG` is used as given.
fn logging() {
    use tracing_subscriber::EnvFilter;
    let filter = match std::env::var("VMSPEC_LOG") {
        Ok(v) if !v.contains('=') && !v.contains(',') => {
            ["harness", "model", "scenarios", "subsys", "vmspec"]
                .map(|c| format!("{c}={v}"))
                .join(",")
        }
        Ok(v) => v,
        Err(_) => std::env::var("RUST_LOG").unwrap_or_else(|_| "off".to_string()),
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .try_init();
}

/// A closed stdout ends the command quietly, as SIGPIPE ends a C tool:
/// Rust ignores SIGPIPE, so `println!` would otherwise panic with a
/// backtrace when the reader (`head`, a pager) exits first.
fn quiet_broken_pipe() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.starts_with("failed printing to stdout") && msg.contains("Broken pipe") {
            std::process::exit(141);
        }
        previous(info)
    }));
}

/// Runs the command line `args` over `scenarios`.
pub fn main(scenarios: Vec<Scenario>, args: Vec<String>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                print!("{e}");
                return ExitCode::SUCCESS;
            }
            let text = e.to_string();
            let first = text.lines().next().unwrap_or("bad arguments");
            eprintln!("vmspec: {}", first.trim_start_matches("error: "));
            return ExitCode::from(2);
        }
    };
    logging();
    quiet_broken_pipe();
    // Scenario bodies are `fn()`s over `'static` data.
    let scenarios: &'static [Scenario] = Box::leak(scenarios.into_boxed_slice());
    let result = match cli.cmd {
        Cmd::List => {
            for s in scenarios {
                let bound = s.loom_bound.map_or("pct only".to_string(), |b| {
                    format!("loom {}", crate::scenario::bound_name(b))
                });
                let params: String = s
                    .params
                    .iter()
                    .map(|(k, v)| format!("[{k}={v}] "))
                    .collect();
                println!(
                    "{:<36} {} threads  {:<13} {params}{}",
                    s.id, s.threads, bound, s.summary
                );
            }
            Ok(true)
        }
        Cmd::Check(a) => check::run(scenarios, &a),
        Cmd::Replay(a) => replay::run(scenarios, &a),
        Cmd::Lockorder(a) => lockorder::run(scenarios, &a),
        Cmd::Mutants(a) => mutants::run(scenarios, &a),
        Cmd::Bench(a) => bench::run(scenarios, &a),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(BadInput(msg)) => {
            eprintln!("vmspec: {msg}");
            ExitCode::from(2)
        }
    }
}

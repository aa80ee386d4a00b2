//! `vmspec check`: explore, judge, capture, report.

use super::args::CheckArgs;
use super::progress::Bar;
use super::{plan, BadInput, CmdResult};
use crate::capture::{self, Capture, Origin, ReplayFile, Uncaptured};
use crate::report;
use crate::runner::{run_with, Outcome, RunSpec};
use crate::scenario::Scenario;
use crate::verdict::{judge, Verdict};
use indicatif::MultiProgress;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// One scenario's result, as printed and as written to `--json`.
#[derive(Serialize)]
struct Row {
    scenario: String,
    sched: String,
    mutant: Option<String>,
    executions: u64,
    seconds: f64,
    verdict: String,
    ok: bool,
    /// Real threads did not reach an expected violation (inconclusive).
    not_reached: bool,
    violations: Vec<ViolationRow>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    coverage: Vec<(String, u64)>,
}

#[derive(Serialize)]
struct ViolationRow {
    check: String,
    message: String,
    replay: Option<String>,
    steps: Option<usize>,
    preemptions: Option<usize>,
}

/// The file a violation's replay goes to: one per scenario, mutant, run
/// parameters given on the command line (not the scenario's own) and check.
pub fn replay_path(out: &Path, spec: &RunSpec, check: &str) -> PathBuf {
    let mut name = spec.scenario.id.replace('/', "-");
    if let Some(m) = &spec.mutant {
        name.push_str(&format!("--{m}"));
    }
    for (k, v) in &spec.params {
        if !spec.scenario.params.contains(&(k.as_str(), v.as_str())) {
            name.push_str(&format!("--{k}-{v}"));
        }
    }
    out.join(format!("{name}--{check}.json"))
}

/// Builds the replay file of a capture.
pub fn replay_file(outcome: &Outcome, found_execution: u64, c: &Capture) -> ReplayFile {
    ReplayFile {
        format: capture::FORMAT.to_string(),
        format_version: capture::FORMAT_VERSION,
        vmspec: env!("CARGO_PKG_VERSION").to_string(),
        scenario: outcome.spec.scenario.id.to_string(),
        mutant: outcome.spec.mutant.clone(),
        params: outcome.spec.params.clone(),
        check: c.check.to_string(),
        found_by: match &c.origin {
            Origin::Searched { execution, why } => format!(
                "{}, execution {found_execution}; schedule from PCT depth {} execution {execution} (the trace does not convert: {why})",
                outcome.spec.sched.describe(),
                outcome.spec.scenario.pct_depth
            ),
            _ => format!(
                "{}, execution {found_execution}",
                outcome.spec.sched.describe()
            ),
        },
        steps: c.minimized.len(),
        preemptions: c.minimized.preemptions(),
        schedule: capture::encode(&c.minimized.choices()),
    }
}

/// Captures every violation of `outcome`, writes replay files under `out`,
/// and returns the report text and the rows.
fn reports(outcome: &Outcome, verdict: &Verdict, out: &Path) -> (String, Vec<ViolationRow>) {
    let mut text = String::new();
    let mut rows = Vec::new();
    for found in &outcome.found {
        let cap = capture::capture(&outcome.spec, found);
        let path = match &cap {
            Ok(c) => {
                let p = replay_path(out, &outcome.spec, c.check);
                match replay_file(outcome, found.captured.execution, c).write(&p) {
                    Ok(()) => Some(p.display().to_string()),
                    Err(e) => {
                        text.push_str(&format!("  (could not write {}: {e})\n", p.display()));
                        None
                    }
                }
            }
            Err(Uncaptured::NotReproducible) => None,
        };
        if verdict.clean() {
            let searched = match &cap {
                Ok(Capture {
                    origin: Origin::Searched { execution, why },
                    ..
                }) => format!(
                    " (schedule from PCT execution {execution}: the {} trace does not convert: {why})",
                    outcome.spec.sched.describe()
                ),
                _ => String::new(),
            };
            text.push_str(&format!(
                "  {} reproduced as expected{}{searched}\n",
                found.check(),
                path.as_ref().map_or_else(
                    || format!(" (no replay file: the trace does not convert into a shuttle schedule and {} PCT executions did not fail it)", capture::SEARCH_EXECUTIONS),
                    |p| format!(": vmspec replay {p}")
                )
            ));
        } else {
            let by = format!(
                "{} in execution {} of {}",
                outcome.spec.sched.describe(),
                found.captured.execution,
                outcome.executions
            );
            text.push_str(&report::violation(
                &outcome.spec,
                &by,
                found,
                Some(&cap),
                path.as_deref(),
            ));
        }
        let v = &found.captured.violation;
        rows.push(ViolationRow {
            check: v.check.to_string(),
            message: v.message.clone(),
            replay: path,
            steps: cap.as_ref().ok().map(|c| c.minimized.len()),
            preemptions: cap.as_ref().ok().map(|c| c.minimized.preemptions()),
        });
    }
    (text, rows)
}

fn run_one(spec: RunSpec, args: &CheckArgs, multi: &MultiProgress) -> (Row, String) {
    let shared = spec.shared();
    let label = format!("{} [{}]", spec.scenario.id, spec.sched.describe());
    let bar = Bar::start(multi, label, shared.clone());
    let outcome = run_with(&spec, shared);
    drop(bar);
    let verdict = judge(&outcome);
    let (mut text, violations) = reports(&outcome, &verdict, &args.out);
    let coverage: Vec<(String, u64)> = outcome
        .coverage
        .iter()
        .map(|(k, v)| (k.to_string(), *v))
        .collect();
    if args.coverage && !coverage.is_empty() {
        text.push_str(&format!("  coverage of {}:\n", spec.scenario.id));
        for (k, v) in &coverage {
            text.push_str(&format!("    {k:<40} {v}\n"));
        }
    }
    let row = Row {
        scenario: spec.scenario.id.to_string(),
        sched: spec.sched.describe(),
        mutant: spec.mutant.clone(),
        executions: outcome.executions,
        seconds: outcome.elapsed.as_secs_f64(),
        verdict: verdict.label(),
        ok: verdict.clean(),
        not_reached: matches!(verdict, Verdict::NotReached { .. }),
        violations,
        coverage,
    };
    (row, text)
}

pub fn run(all: &'static [Scenario], args: &CheckArgs) -> CmdResult {
    plan::validate(&args.explore)?;
    if args.jobs == 0 {
        return Err(BadInput("--jobs must be at least 1".into()));
    }
    let selected = plan::select(all, &args.patterns)?;
    let params = plan::params(&args.params, &selected)?;
    let selected = plan::shard(selected, args.shard.as_deref())?;
    if let Some(m) = &args.mutant {
        if !selected.iter().any(|s| s.mutant(m).is_some()) {
            return Err(BadInput(format!(
                "no selected scenario declares mutant '{m}' (see `vmspec mutants`)"
            )));
        }
    }
    let mut specs = Vec::new();
    for s in selected {
        if args
            .mutant
            .as_deref()
            .is_some_and(|m| s.mutant(m).is_none())
        {
            continue;
        }
        match plan::sched(&args.explore, s) {
            Some(sched) => {
                let mut spec = RunSpec::new(s, sched);
                spec.mutant = args.mutant.clone();
                spec.params.extend(params.clone());
                specs.push(spec);
            }
            None => println!("skip {}: no loom bound declared (too large for loom)", s.id),
        }
    }
    let multi = MultiProgress::new();
    let queue = Mutex::new(specs.into_iter().enumerate().rev().collect::<Vec<_>>());
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..args.jobs {
            scope.spawn(|| loop {
                let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop();
                let Some((i, spec)) = next else { break };
                let (row, text) = run_one(spec, args, &multi);
                multi.suspend(|| print!("{text}"));
                results
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((i, row));
            });
        }
    });
    let mut rows = results.into_inner().unwrap_or_else(|e| e.into_inner());
    rows.sort_by_key(|(i, _)| *i);
    let rows: Vec<Row> = rows.into_iter().map(|(_, r)| r).collect();
    let label = |r: &Row| match &r.mutant {
        Some(m) => format!("{} +{m}", r.scenario),
        None => r.scenario.clone(),
    };
    let w = rows
        .iter()
        .map(|r| label(r).len())
        .max()
        .unwrap_or(8)
        .max(8);
    println!();
    println!(
        "{:<w$} {:<22} {:>11} {:>9}  result",
        "scenario", "explorer", "executions", "seconds"
    );
    for r in &rows {
        println!(
            "{:<w$} {:<22} {:>11} {:>9.2}  {}",
            label(r),
            r.sched,
            r.executions,
            r.seconds,
            r.verdict
        );
    }
    let failed = rows.iter().filter(|r| !r.ok).count();
    println!(
        "\n{} scenarios: {} ok, {} failed",
        rows.len(),
        rows.len() - failed,
        failed
    );
    let unreached: Vec<&Row> = rows.iter().filter(|r| r.not_reached).collect();
    if let Some(most) = unreached.iter().map(|r| r.executions).max() {
        let least = unreached.iter().map(|r| r.executions).min().unwrap_or(most);
        let runs = if least == most {
            format!("{most}")
        } else {
            format!("{least}-{most}")
        };
        println!(
            "note: {} of the ok scenarios expect a violation that {runs} real-thread runs each did not reach; real threads cannot force an interleaving, so this is inconclusive (loom or pct reach it)",
            unreached.len()
        );
    }
    if let Some(path) = &args.json {
        super::write_json(path, &rows)?;
    }
    Ok(failed == 0)
}

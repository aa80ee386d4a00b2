//! `vmspec bench`: executions per second per scenario under loom and PCT,
//! the facade's overhead against the bare baseline, and time to detect
//! each mutant. A benchmark: it reports, it asserts nothing.

use super::args::{BenchArgs, BenchExplorer};
use super::bare;
use super::mutants::{explorers, try_mutant, MutantRow};
use super::{plan, BadInput, CmdResult};
use crate::runner::{self, RunSpec, Sched};
use crate::scenario::Scenario;
use serde::Serialize;
use shuttle::scheduler::PctScheduler;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Serialize)]
struct Rate {
    scenario: String,
    sched: String,
    executions: u64,
    seconds: f64,
    per_second: f64,
    /// Operations per second: the scenario's `op.*` coverage counters
    /// (e.g. `op.getmap+release` of `segmap/stress`).
    operations: BTreeMap<String, f64>,
}

#[derive(Serialize)]
struct Overhead {
    program: String,
    explorer: String,
    facade_seconds: f64,
    bare_seconds: f64,
    facade_executions: u64,
    bare_executions: u64,
    ratio: f64,
}

/// One scenario explored by loom at its bound with the reduction
/// (`reduce=on`) and without it (`reduce=off`, the default), one run each
/// in the same process (ratios, not absolute times, are the claim).
#[derive(Serialize)]
struct Reduction {
    scenario: String,
    bound: String,
    reduced_executions: u64,
    reduced_seconds: f64,
    unreduced_executions: u64,
    unreduced_seconds: f64,
    /// Unreduced executions per reduced one.
    executions_ratio: f64,
    /// Unreduced seconds per reduced one.
    seconds_ratio: f64,
    /// Both runs met the scenario's expectation.
    same_verdict: bool,
}

#[derive(Serialize)]
struct Bench {
    rates: Vec<Rate>,
    overhead: Vec<Overhead>,
    reduction: Vec<Reduction>,
    mutants: Vec<MutantRow>,
}

/// Explores `s` at its loom bound reduced and unreduced.
fn reduction(s: &'static Scenario, bound: usize, params: &BTreeMap<String, String>) -> Reduction {
    let explore = |reduce: &str| {
        let mut spec = RunSpec::new(s, Sched::Loom { bound, max: None });
        spec.params.extend(params.clone());
        spec.params.insert("reduce".into(), reduce.into());
        let o = runner::run(&spec);
        let ok = crate::verdict::judge(&o).ok();
        (o.executions, o.elapsed.as_secs_f64(), ok)
    };
    let (re, rs, rok) = explore("on");
    let (ue, us, uok) = explore("off");
    Reduction {
        scenario: s.id.to_string(),
        bound: crate::scenario::bound_name(bound),
        reduced_executions: re,
        reduced_seconds: rs,
        unreduced_executions: ue,
        unreduced_seconds: us,
        executions_ratio: ue as f64 / re.max(1) as f64,
        seconds_ratio: us / rs.max(1e-9),
        same_verdict: rok && uok,
    }
}

/// Each measurement repeats its run until it has taken this long, so that
/// small scenarios are not measured by their setup.
const MIN_MEASURE: Duration = Duration::from_millis(500);

/// Repeats `f` (which returns the executions it ran) for at least
/// [`MIN_MEASURE`]; returns executions of one run and seconds per run.
fn measure(mut f: impl FnMut() -> u64) -> (u64, f64) {
    let start = Instant::now();
    let (mut runs, mut executions) = (0u32, 0);
    while runs == 0 || start.elapsed() < MIN_MEASURE {
        executions = f();
        runs += 1;
    }
    (executions, start.elapsed().as_secs_f64() / f64::from(runs))
}

fn rate(spec: &RunSpec) -> Rate {
    let mut ops = BTreeMap::new();
    let (executions, secs) = measure(|| {
        let o = runner::run(spec);
        ops = o.coverage;
        o.executions
    });
    Rate {
        scenario: spec.scenario.id.to_string(),
        sched: spec.sched.describe(),
        executions,
        seconds: secs,
        per_second: executions as f64 / secs.max(1e-9),
        operations: ops
            .into_iter()
            .filter(|(point, _)| point.starts_with("op."))
            .map(|(point, n)| (point.to_string(), n as f64 / secs.max(1e-9)))
            .collect(),
    }
}

/// The baseline program's loom and PCT times, against the facade's.
fn overhead(s: &'static Scenario, iterations: usize) -> Vec<Overhead> {
    let bound = s.loom_bound.unwrap_or(3);
    let facade_loom = rate(&RunSpec::new(s, Sched::Loom { bound, max: None }));
    let (loom_runs, bare_loom) = measure(|| {
        let runs = Arc::new(AtomicU64::new(0));
        let r2 = runs.clone();
        let mut b = loom::model::Builder::new();
        b.preemption_bound = (bound != crate::scenario::UNBOUNDED).then_some(bound);
        b.check(move || {
            r2.fetch_add(1, Relaxed);
            bare::on_loom::body();
        });
        runs.load(Relaxed)
    });
    let pct = Sched::Pct {
        depth: s.pct_depth,
        iterations,
        seed: 0,
    };
    let facade_pct = rate(&RunSpec::new(s, pct));
    let (n, bare_pct) = measure(|| {
        let mut c = shuttle::Config::new();
        c.silence_warnings = true;
        shuttle::Runner::new(PctScheduler::new_from_seed(0, s.pct_depth, iterations), c)
            .run(bare::on_shuttle::body) as u64
    });
    vec![
        Overhead {
            program: s.id.to_string(),
            explorer: format!("loom {}", crate::scenario::bound_name(bound)),
            facade_seconds: facade_loom.seconds,
            bare_seconds: bare_loom,
            facade_executions: facade_loom.executions,
            bare_executions: loom_runs,
            ratio: facade_loom.seconds / bare_loom.max(1e-9),
        },
        Overhead {
            program: s.id.to_string(),
            explorer: format!("pct depth {}", s.pct_depth),
            facade_seconds: facade_pct.seconds,
            bare_seconds: bare_pct,
            facade_executions: facade_pct.executions,
            bare_executions: n,
            ratio: facade_pct.seconds / bare_pct.max(1e-9),
        },
    ]
}

pub fn run(all: &'static [Scenario], args: &BenchArgs) -> CmdResult {
    if args.iterations == 0 || args.std_runs == 0 {
        return Err(BadInput(
            "--iterations and --std-runs must be at least 1".into(),
        ));
    }
    let selected = plan::select(all, &args.patterns)?;
    let params = plan::params(&args.params, &selected)?;
    let wants = |e: BenchExplorer| {
        (args.explorers.is_empty() && e != BenchExplorer::Reduction) || args.explorers.contains(&e)
    };
    let mut out = Bench {
        rates: Vec::new(),
        overhead: Vec::new(),
        reduction: Vec::new(),
        mutants: Vec::new(),
    };
    if [BenchExplorer::Loom, BenchExplorer::Pct, BenchExplorer::Std]
        .into_iter()
        .any(wants)
    {
        println!("executions per second");
        println!(
            "{:<36} {:<22} {:>11} {:>9} {:>12}  operations",
            "scenario", "explorer", "executions", "seconds", "exec/s"
        );
    }
    for s in &selected {
        let mut scheds = Vec::new();
        match s.loom_bound {
            Some(bound) if wants(BenchExplorer::Loom) => {
                scheds.push(Sched::Loom { bound, max: None })
            }
            _ => {}
        }
        if wants(BenchExplorer::Pct) {
            scheds.push(Sched::Pct {
                depth: s.pct_depth,
                iterations: args.iterations,
                seed: 0,
            });
        }
        if wants(BenchExplorer::Std) {
            scheds.push(Sched::Std {
                iterations: args.std_runs,
                watchdog: plan::STD_WATCHDOG,
            });
        }
        for sched in scheds {
            let mut spec = RunSpec::new(s, sched);
            spec.params.extend(params.clone());
            let r = rate(&spec);
            let ops: Vec<String> = r
                .operations
                .iter()
                .map(|(op, n)| format!("{}: {n:.0}/s", op.trim_start_matches("op.")))
                .collect();
            println!(
                "{:<36} {:<22} {:>11} {:>9.3} {:>12.0}  {}",
                r.scenario,
                r.sched,
                r.executions,
                r.seconds,
                r.per_second,
                ops.join(", ")
            );
            out.rates.push(r);
        }
    }
    if wants(BenchExplorer::Reduction) {
        println!("\nloom with the reduction (reduce=on) and without (reduce=off, the default)");
        println!(
            "{:<36} {:<10} {:>12} {:>9} {:>12} {:>9} {:>7} {:>7}",
            "scenario", "bound", "reduced", "s", "unreduced", "s", "execs", "time"
        );
        for s in &selected {
            let Some(bound) = s.loom_bound else { continue };
            let r = reduction(s, bound, &params);
            println!(
                "{:<36} {:<10} {:>12} {:>9.2} {:>12} {:>9.2} {:>6.1}x {:>6.1}x{}",
                r.scenario,
                r.bound,
                r.reduced_executions,
                r.reduced_seconds,
                r.unreduced_executions,
                r.unreduced_seconds,
                r.executions_ratio,
                r.seconds_ratio,
                if r.same_verdict {
                    ""
                } else {
                    "  VERDICTS DIFFER"
                }
            );
            out.reduction.push(r);
        }
    }
    let explored = wants(BenchExplorer::Loom) || wants(BenchExplorer::Pct);
    let base = selected.iter().find(|s| s.id == "proto/tryenter-inversion");
    if let Some(base) = base.filter(|_| explored) {
        println!("\nfacade overhead against the same program on bare loom / shuttle (goal: at most 1.5x)");
        println!(
            "{:<28} {:<16} {:>10} {:>10} {:>8}",
            "program", "explorer", "facade s", "bare s", "ratio"
        );
        for o in overhead(base, args.iterations) {
            println!(
                "{:<28} {:<16} {:>10.3} {:>10.3} {:>7.2}x  ({} vs {} executions)",
                o.program,
                o.explorer,
                o.facade_seconds,
                o.bare_seconds,
                o.ratio,
                o.facade_executions,
                o.bare_executions
            );
            out.overhead.push(o);
        }
    }
    if explored {
        println!("\ntime to detect each mutant");
    }
    for s in &selected {
        for m in s.mutants {
            for sched in explorers(s, args.iterations, 0) {
                let explorer = match sched {
                    Sched::Loom { .. } => BenchExplorer::Loom,
                    _ => BenchExplorer::Pct,
                };
                if !wants(explorer) {
                    continue;
                }
                let r = try_mutant(s, m, sched);
                println!(
                    "{:<32} {:<24} {:<22} {:>6} {:>10} {:>9.4}s",
                    r.scenario,
                    r.mutant,
                    r.sched,
                    if r.caught { "caught" } else { "MISSED" },
                    r.detected_at.map_or("-".into(), |e| format!("exec {e}")),
                    r.seconds
                );
                out.mutants.push(r);
            }
        }
    }
    if let Some(path) = &args.json {
        super::write_json(path, &out)?;
    }
    Ok(true)
}

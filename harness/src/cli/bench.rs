//! `vmspec bench`: executions per second per scenario under loom and PCT,
//! the facade's overhead against the bare baseline, and time to detect
//! each mutant. A benchmark: it reports, it asserts nothing.

use super::args::BenchArgs;
use super::bare;
use super::mutants::{explorers, try_mutant, MutantRow};
use super::{plan, BadInput, CmdResult};
use crate::runner::{self, RunSpec, Sched};
use crate::scenario::Scenario;
use serde::Serialize;
use shuttle::scheduler::PctScheduler;
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

#[derive(Serialize)]
struct Bench {
    rates: Vec<Rate>,
    overhead: Vec<Overhead>,
    mutants: Vec<MutantRow>,
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

fn rate(s: &'static Scenario, sched: Sched) -> Rate {
    let spec = RunSpec::new(s, sched.clone());
    let (executions, secs) = measure(|| runner::run(&spec).executions);
    Rate {
        scenario: s.id.to_string(),
        sched: sched.describe(),
        executions,
        seconds: secs,
        per_second: executions as f64 / secs.max(1e-9),
    }
}

/// The baseline program's loom and PCT times, against the facade's.
fn overhead(s: &'static Scenario, iterations: usize) -> Vec<Overhead> {
    let bound = s.loom_bound.unwrap_or(3);
    let facade_loom = rate(s, Sched::Loom { bound, max: None });
    let (loom_runs, bare_loom) = measure(|| {
        let runs = Arc::new(AtomicU64::new(0));
        let r2 = runs.clone();
        let mut b = loom::model::Builder::new();
        b.preemption_bound = Some(bound);
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
    let facade_pct = rate(s, pct);
    let (n, bare_pct) = measure(|| {
        let mut c = shuttle::Config::new();
        c.silence_warnings = true;
        shuttle::Runner::new(PctScheduler::new_from_seed(0, s.pct_depth, iterations), c)
            .run(bare::on_shuttle::body) as u64
    });
    vec![
        Overhead {
            program: s.id.to_string(),
            explorer: format!("loom bound {bound}"),
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
    if args.iterations == 0 {
        return Err(BadInput("--iterations must be at least 1".into()));
    }
    let selected = plan::select(all, &args.patterns)?;
    let mut out = Bench {
        rates: Vec::new(),
        overhead: Vec::new(),
        mutants: Vec::new(),
    };
    println!("executions per second");
    println!(
        "{:<36} {:<22} {:>11} {:>9} {:>12}",
        "scenario", "explorer", "executions", "seconds", "exec/s"
    );
    for s in &selected {
        let mut scheds = Vec::new();
        if let Some(bound) = s.loom_bound {
            scheds.push(Sched::Loom { bound, max: None });
        }
        scheds.push(Sched::Pct {
            depth: s.pct_depth,
            iterations: args.iterations,
            seed: 0,
        });
        for sched in scheds {
            let r = rate(s, sched);
            println!(
                "{:<36} {:<22} {:>11} {:>9.3} {:>12.0}",
                r.scenario, r.sched, r.executions, r.seconds, r.per_second
            );
            out.rates.push(r);
        }
    }
    if let Some(base) = selected.iter().find(|s| s.id == "proto/tryenter-inversion") {
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
    println!("\ntime to detect each mutant");
    for s in &selected {
        for m in s.mutants {
            for sched in explorers(s, args.iterations, 0) {
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

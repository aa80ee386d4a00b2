//! `vmspec mutants`: every registered mutant against the scenario meant
//! to catch it, with loom and with PCT.

use super::args::MutantsArgs;
use super::{plan, BadInput, CmdResult};
use crate::runner::{self, RunSpec, Sched};
use crate::scenario::{Mutant, Scenario};
use serde::Serialize;

/// One mutant under one explorer.
#[derive(Serialize, Clone, Debug)]
pub struct MutantRow {
    pub scenario: String,
    pub mutant: String,
    pub expected: String,
    pub sched: String,
    pub caught: bool,
    /// Every check that fired.
    pub seen: Vec<String>,
    /// The execution in which the expected check first fired.
    pub detected_at: Option<u64>,
    pub executions: u64,
    pub seconds: f64,
}

/// Runs mutant `m` of `s` under `sched`.
pub fn try_mutant(s: &'static Scenario, m: &Mutant, sched: Sched) -> MutantRow {
    let mut spec = RunSpec::new(s, sched.clone());
    spec.mutant = Some(m.name.to_string());
    let o = runner::run(&spec);
    let hit = o.find(m.catches);
    MutantRow {
        scenario: s.id.to_string(),
        mutant: m.name.to_string(),
        expected: m.catches.to_string(),
        sched: sched.describe(),
        caught: hit.is_some(),
        seen: o.checks().iter().map(|c| c.to_string()).collect(),
        detected_at: hit.map(|f| f.captured.execution),
        executions: o.executions,
        seconds: o.elapsed.as_secs_f64(),
    }
}

/// The explorers every mutant must be caught by: loom at the scenario's
/// bound (when it declares one) and PCT.
pub fn explorers(s: &Scenario, iterations: usize, seed: u64) -> Vec<Sched> {
    let mut v = Vec::new();
    if let Some(bound) = s.loom_bound {
        v.push(Sched::Loom { bound, max: None });
    }
    v.push(Sched::Pct {
        depth: s.pct_depth,
        iterations,
        seed,
    });
    v
}

pub fn run(all: &'static [Scenario], args: &MutantsArgs) -> CmdResult {
    if args.iterations == 0 {
        return Err(BadInput("--iterations must be at least 1".into()));
    }
    let selected = plan::select(all, &args.patterns)?;
    let mut rows = Vec::new();
    println!(
        "{:<32} {:<24} {:<16} {:<22} {:<7} {:>10} {:>9}",
        "scenario", "mutant", "expected check", "explorer", "caught", "detect at", "seconds"
    );
    for s in selected {
        for m in s.mutants {
            for sched in explorers(s, args.iterations, args.seed) {
                let r = try_mutant(s, m, sched);
                println!(
                    "{:<32} {:<24} {:<16} {:<22} {:<7} {:>10} {:>9.3}",
                    r.scenario,
                    r.mutant,
                    r.expected,
                    r.sched,
                    if r.caught { "yes" } else { "NO" },
                    r.detected_at
                        .map_or("-".to_string(), |e| format!("exec {e}")),
                    r.seconds
                );
                rows.push(r);
            }
        }
    }
    let missed = rows.iter().filter(|r| !r.caught).count();
    println!(
        "\n{} mutant runs: {} caught, {} missed",
        rows.len(),
        rows.len() - missed,
        missed
    );
    if let Some(path) = &args.json {
        super::write_json(path, &rows)?;
    }
    Ok(missed == 0)
}

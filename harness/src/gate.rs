//! The mutation gate: the test `cargo mutants` runs once per generated
//! mutant of a subsystem (`scenarios/tests/gate.rs`, `.cargo/mutants.toml`,
//! MUTANTS.md). It runs the code as mutated, in two phases:
//!
//! 1. **Scenarios**: every scenario of the subsystem under PCT and under
//!    loom at its CI bound, each with an execution budget small enough
//!    that one mutant's incremental build and gate take under a minute on
//!    a shared two-core machine. A scenario that expects nothing must find
//!    nothing; a recorded finding or control must still be reproduced (by
//!    either explorer), and nothing else may fire. Together the runs must
//!    reach every race window the subsystem declares (its coverage
//!    points): a mutant that closes a window or skips a path (a fast path
//!    never taken, a wakeup never sent) fails here even where no check
//!    sees a wrong result.
//! 2. **Checks**: every typed mutant the scenarios declare is still caught
//!    by its check (by either explorer). A generated mutant that leaves
//!    the port alone but weakens a check (a ghost update, an invariant's
//!    comparison) is observable only here: the check no longer catches the
//!    bug it is there for. Caught typed mutants stop at their first
//!    violation, so this phase costs a few seconds.
//!
//! The first scenario that misses its expectation fails the gate, so a
//! caught mutant costs a fraction of a surviving one. The budgets are
//! constants and every explorer is seeded: a gate run is a function of the
//! tree alone, and a survivor stays a survivor when it is run again.

use crate::runner::{run, Outcome, RunSpec, Sched};
use crate::scenario::Scenario;
use crate::testing::loom_bound;
use std::collections::BTreeSet;
use std::time::Instant;

/// PCT executions per scenario (seed 1, the scenario's depth).
pub const PCT_ITERATIONS: usize = 3_000;
/// loom executions per scenario at its CI bound
/// ([`crate::testing::CI_LOOM_BOUND`]): most scenarios finish their
/// exhaustive exploration within it.
pub const LOOM_MAX: usize = 3_000;

/// The gate's explorers for `s`: PCT first (it reaches every recorded
/// finding within a few hundred executions), then loom when `s` declares
/// a bound.
pub fn explorers(s: &Scenario) -> Vec<Sched> {
    let mut v = vec![Sched::Pct {
        depth: s.pct_depth,
        iterations: PCT_ITERATIONS,
        seed: 1,
    }];
    if let Some(bound) = loom_bound(s) {
        v.push(Sched::Loom {
            bound,
            max: Some(LOOM_MAX),
        });
    }
    v
}

fn report(o: &Outcome) -> String {
    let mut s = format!(
        "{} under {} ({} executions): {:?}",
        o.spec.scenario.id,
        o.spec.sched.describe(),
        o.executions,
        o.checks()
    );
    for f in &o.found {
        s.push_str(&format!("\n{}", f.captured.violation));
    }
    s
}

fn progress(phase: &str, what: &str, o: &Outcome) {
    eprintln!(
        "gate {phase}: {what:<56} {:<20} {:>6} executions {:>6.2} s",
        o.spec.sched.describe(),
        o.executions,
        o.elapsed.as_secs_f64()
    );
}

/// Runs the gate over `scenarios` (one subsystem's list) and panics at the
/// first scenario whose runs fire a check it does not expect or that
/// expects a check no run fired, if a coverage point of `windows` is
/// never reached, or at a typed mutant no run catches.
pub fn assert_gate(scenarios: &[Scenario], windows: &[&str]) {
    let start = Instant::now();
    let mut reached = BTreeSet::new();
    let leaked: Vec<&'static Scenario> = scenarios
        .iter()
        .map(|s| &*Box::leak(Box::new(*s)))
        .collect();
    for &s in &leaked {
        let expected = s.expect.checks();
        let mut seen = BTreeSet::new();
        for sched in explorers(s) {
            let o = run(&RunSpec::new(s, sched));
            progress("scenarios", s.id, &o);
            let unexpected: Vec<_> = o
                .checks()
                .into_iter()
                .filter(|c| !expected.contains(c))
                .collect();
            assert!(
                unexpected.is_empty(),
                "gate: unexpected {unexpected:?}\n{}",
                report(&o)
            );
            seen.extend(o.checks());
            reached.extend(o.coverage.into_keys());
        }
        let missing: Vec<_> = expected.iter().filter(|c| !seen.contains(*c)).collect();
        assert!(
            missing.is_empty(),
            "gate: {} expects {missing:?}, which no explorer reproduced",
            s.id
        );
    }
    let missing: Vec<_> = windows.iter().filter(|w| !reached.contains(*w)).collect();
    assert!(
        missing.is_empty(),
        "gate: windows never reached: {missing:?}"
    );
    let scenarios_done = start.elapsed();
    for &s in &leaked {
        for m in s.mutants {
            let caught = explorers(s).into_iter().any(|sched| {
                let mut spec = RunSpec::new(s, sched);
                spec.mutant = Some(m.name.to_string());
                let o = run(&spec);
                progress("checks", &format!("{} {}", s.id, m.name), &o);
                o.find(m.catches).is_some()
            });
            assert!(
                caught,
                "gate: typed mutant {} of {} no longer caught by {}",
                m.name, s.id, m.catches
            );
        }
    }
    eprintln!(
        "gate: {} scenarios in {:.1} s, their typed mutants in {:.1} s",
        leaked.len(),
        scenarios_done.as_secs_f64(),
        (start.elapsed() - scenarios_done).as_secs_f64()
    );
}

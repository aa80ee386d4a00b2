//! Test support shared by every subsystem's test suite: look scenarios up,
//! pick loom bounds for the build, and assert verdicts with reports that
//! say what went wrong.
//!
//! `cargo test --release` runs loom at CI bounds (the declared bound, at
//! most [`CI_LOOM_BOUND`]); `RUSTFLAGS="--cfg loom" cargo test --release`
//! runs every scenario at its full declared bound.

use crate::runner::{run, Outcome, RunSpec, Sched};
use crate::scenario::Scenario;
use crate::verdict::judge;
use model::lockdep::LockGraph;
use std::collections::BTreeSet;
use std::time::Duration;

/// The largest loom bound `cargo test` uses without `--cfg loom`.
pub const CI_LOOM_BOUND: usize = 2;
/// PCT executions per scenario in the test suite.
pub const PCT_ITERATIONS: usize = 10_000;
/// Real-thread executions per scenario in the test suite.
pub const STD_ITERATIONS: usize = 300;

/// The scenario with id `id` from `all` (leaked: scenarios are `'static`).
pub fn scenario(all: Vec<Scenario>, id: &str) -> &'static Scenario {
    let s = all
        .into_iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no scenario {id}"));
    Box::leak(Box::new(s))
}

/// The loom bound tests use for `s`: its declared bound under `--cfg loom`,
/// else at most [`CI_LOOM_BOUND`].
pub fn loom_bound(s: &Scenario) -> Option<usize> {
    let full = cfg!(loom);
    s.loom_bound
        .map(|b| if full { b } else { b.min(CI_LOOM_BOUND) })
}

/// loom at the bound tests use for `s` ([`loom_bound`]); panics if `s`
/// declares none.
pub fn loom(s: &Scenario) -> Sched {
    Sched::Loom {
        bound: loom_bound(s).unwrap_or_else(|| panic!("{} declares no loom bound", s.id)),
        max: None,
    }
}

/// PCT at `s`'s depth, `iterations` executions, seed 1.
pub fn pct(s: &Scenario, iterations: usize) -> Sched {
    Sched::Pct {
        depth: s.pct_depth,
        iterations,
        seed: 1,
    }
}

/// The explorers a scenario must satisfy in tests: loom (if it declares a
/// bound), PCT and real threads.
pub fn explorers(s: &Scenario) -> Vec<Sched> {
    let mut v = Vec::new();
    if s.loom_bound.is_some() {
        v.push(loom(s));
    }
    v.push(pct(s, PCT_ITERATIONS));
    v.push(Sched::Std {
        iterations: STD_ITERATIONS,
        watchdog: Duration::from_secs(20),
    });
    v
}

fn describe(o: &Outcome) -> String {
    let mut s = format!(
        "{} under {} ({} executions): {:?}\n",
        o.spec.scenario.id,
        o.spec.sched.describe(),
        o.executions,
        o.checks()
    );
    for f in &o.found {
        s.push_str(&f.captured.violation.to_string());
    }
    s
}

/// Runs `s` under `sched` and asserts it meets its expectation. Real
/// threads need not reproduce an expected violation (timing decides:
/// [`crate::verdict::Verdict::NotReached`]), but must not find an unexpected one.
pub fn assert_expectation(s: &'static Scenario, sched: Sched) -> Outcome {
    let o = run(&RunSpec::new(s, sched));
    let v = judge(&o);
    assert!(v.ok(), "{}\nverdict: {}", describe(&o), v.label());
    o
}

/// Runs mutant `mutant` of `s` under `sched` and asserts that its declared
/// check catches it.
pub fn assert_caught(s: &'static Scenario, mutant: &str, sched: Sched) -> Outcome {
    let m = s
        .mutant(mutant)
        .unwrap_or_else(|| panic!("{} declares no mutant {mutant}", s.id));
    let mut spec = RunSpec::new(s, sched);
    spec.mutant = Some(mutant.to_string());
    let o = run(&spec);
    assert!(
        o.find(m.catches).is_some(),
        "mutant {mutant} not caught by {}:\n{}",
        m.catches,
        describe(&o)
    );
    o
}

/// Every coverage point (race window, counter) the scenarios of `all`
/// reach: each under loom at its test bound ([`loom_bound`]), or under
/// PCT (1,000 executions, seed 1) if it declares no bound.
pub fn reached_points(all: &[Scenario]) -> BTreeSet<&'static str> {
    let mut reached = BTreeSet::new();
    for s in all {
        let s: &'static Scenario = Box::leak(Box::new(*s));
        let sched = match loom_bound(s) {
            Some(bound) => Sched::Loom { bound, max: None },
            None => pct(s, 1_000),
        };
        reached.extend(run(&RunSpec::new(s, sched)).coverage.into_keys());
    }
    reached
}

/// The class-level lock graph of the passing scenarios of `all` that
/// declare a loom bound, each explored by loom at its test bound.
pub fn passing_lock_graph(all: &[Scenario]) -> LockGraph {
    let mut graph = LockGraph::default();
    for s in all.iter().filter(|s| s.expect == crate::Expect::Pass) {
        let s: &'static Scenario = Box::leak(Box::new(*s));
        let Some(bound) = loom_bound(s) else { continue };
        graph.merge(&run(&RunSpec::new(s, Sched::Loom { bound, max: None })).graph);
    }
    graph
}

/// Every scenario of `all` meets its expectation under every explorer, and
/// every mutant is caught under loom and PCT.
pub fn assert_suite(all: &[Scenario]) {
    for s in all {
        let s: &'static Scenario = Box::leak(Box::new(*s));
        for sched in explorers(s) {
            assert_expectation(s, sched);
        }
        for m in s.mutants {
            for sched in explorers(s)
                .into_iter()
                .filter(|x| !matches!(x, Sched::Std { .. }))
            {
                assert_caught(s, m.name, sched);
            }
        }
    }
}

/// Runs `programs` generated programs of scenario `s` under PCT (depth 3,
/// 300 executions each, seed = the program's number) and asserts that
/// none fails and that together they reach every coverage point of
/// `must_reach`. `install` turns 256 pseudo-random bytes into a program,
/// makes it the one `s`'s body runs, and returns its description for a
/// failure report.
pub fn assert_generated_programs(
    s: &'static Scenario,
    programs: u64,
    mut install: impl FnMut(&[u8]) -> String,
    must_reach: &[&str],
) {
    let mut reached = std::collections::BTreeMap::<String, u64>::new();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for n in 0..programs {
        let bytes: Vec<u8> = (0..256)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        let p = install(&bytes);
        let o = run(&RunSpec::new(
            s,
            Sched::Pct {
                depth: 3,
                iterations: 300,
                seed: n,
            },
        ));
        assert!(
            o.found.is_empty(),
            "program {n} {p}: {:?}\n{}",
            o.checks(),
            o.found
                .iter()
                .map(|f| f.captured.violation.to_string())
                .collect::<String>()
        );
        for (k, v) in &o.coverage {
            *reached.entry(k.to_string()).or_default() += v;
        }
    }
    for p in must_reach {
        assert!(
            reached.get(*p).copied().unwrap_or(0) > 0,
            "no generated program reached {p}"
        );
    }
}

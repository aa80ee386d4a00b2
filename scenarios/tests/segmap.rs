//! The segmap suite: every scenario under loom (exhaustive at its bound;
//! CI bound without `--cfg loom`), PCT and real threads; every mutant
//! caught with its own check under loom and PCT; the race windows reached;
//! the lock order proved. The findings' and mutants' schedules are pinned
//! in scenarios/replays/ (replayed by tests/replays.rs).

use harness::testing::{assert_suite, loom, pct, scenario};
use harness::{run, Expect, Outcome, RunSpec, Scenario};
use model::lockdep::{proof, LockGraph};

fn segmap() -> Vec<&'static Scenario> {
    scenarios::segmap::SCENARIOS
        .iter()
        .map(|s| &*Box::leak(Box::new(*s)))
        .collect()
}

fn report(o: &Outcome) -> String {
    let mut s = format!(
        "{} {}: {} executions in {:.2?}, checks {:?}",
        o.spec.scenario.id,
        o.spec.sched.describe(),
        o.executions,
        o.elapsed,
        o.checks()
    );
    for f in &o.found {
        s.push_str(&format!("\n{}", f.captured.violation));
    }
    s
}

/// Every scenario meets its expectation under loom, PCT (10,000
/// executions) and real threads; every mutant is caught by its own check
/// under loom and PCT.
#[test]
fn every_segmap_scenario_and_mutant() {
    assert_suite(scenarios::segmap::SCENARIOS);
}

/// With after-operation checks off, the end-of-scenario checks alone still
/// pass (they are not weaker in a way that hides a false positive).
#[test]
fn pct_end_checks_only() {
    for s in segmap().into_iter().filter(|s| s.expect == Expect::Pass) {
        let mut spec = RunSpec::new(s, pct(s, 2000));
        spec.params.insert("checks".into(), "end".into());
        let o = run(&spec);
        assert!(o.found.is_empty(), "{}", report(&o));
    }
}

/// Every check id the port defines has a mutant that catches it.
#[test]
fn every_check_has_a_mutant() {
    use model::check::SYNC_UNLOCKED;
    use subsys::segmap::*;
    let caught: Vec<&str> = segmap()
        .iter()
        .flat_map(|s| s.mutants.iter().map(|m| m.catches))
        .collect();
    for id in [
        SEGMAP_I1,
        SEGMAP_I2,
        SEGMAP_I3,
        SEGMAP_I4,
        SEGMAP_I5,
        SEGMAP_I6,
        SEGMAP_I7,
        SEGMAP_I8,
        SEGMAP_TAG,
        SEGMAP_REFCNT,
        SEGMAP_GRAB,
        SEGMAP_SPEC,
        SEGMAP_BITMAP,
        SEGMAP_XLATE,
        SEGMAP_MODLOST,
        SEGMAP_KPM,
        SEGMAP_KPM_GRAB,
        SEGMAP_KPM_MAP,
        SEGMAP_PREFAULT,
        SEGMAP_PUTPAGE,
        SYNC_UNLOCKED,
    ] {
        assert!(caught.contains(&id), "no mutant for {id}");
    }
}

/// The scenarios reach the race windows they are written for.
#[test]
fn race_windows_reached() {
    for (id, points) in scenarios::segmap::REACHED {
        let s = scenario(scenarios::all(), id);
        let o = run(&RunSpec::new(s, loom(s)));
        for p in *points {
            assert!(
                o.coverage.get(p).copied().unwrap_or(0) > 0,
                "{id} never reached {p}: {:?}",
                o.coverage
            );
        }
    }
}

/// Every nesting the segmap scenarios perform follows the declared table,
/// and every try-only exception is exercised.
#[test]
fn lock_order_proved() {
    let mut graph = LockGraph::default();
    for s in segmap().into_iter().filter(|s| s.expect == Expect::Pass) {
        let o = run(&RunSpec::new(s, loom(s)));
        graph.merge(&o.graph);
    }
    let (text, ok) = proof(&graph, &[&subsys::segmap::LOCK_ORDER]);
    println!("{text}");
    assert!(ok, "{text}");
    for (from, to) in [
        ("page", "segmap.slot"),
        ("page", "page"),
        ("segmap.slot", "page"),
        ("segmap.queue", "segmap.slot"),
        ("segmap.queue", "segmap.queue"),
        ("segmap.queue", "page"),
        ("segmap.slot", "segmap.queue"),
        ("segmap.slot", "segmap.chain"),
    ] {
        assert!(
            graph.edges.keys().any(|e| e.from == from && e.to == to),
            "{from} -> {to} never taken"
        );
    }
}

//! pcache (issue 14): every scenario meets its expectation under loom
//! (bounded), PCT and real threads; every mutant is caught by its check
//! under loom and PCT; every race window and counter of the seed is
//! reached; the lock order is proved.

use harness::testing::{assert_suite, loom_bound};
use harness::{run, Expect, RunSpec, Sched};
use model::lockdep::{proof, LockGraph};
use std::collections::BTreeSet;
use subsys::pcache::WINDOWS;

#[test]
fn every_pcache_scenario_and_mutant() {
    assert_suite(scenarios::pcache::SCENARIOS);
}

#[test]
fn every_race_window_is_reached() {
    let mut reached = BTreeSet::new();
    for s in scenarios::pcache::SCENARIOS {
        let s: &'static harness::Scenario = Box::leak(Box::new(*s));
        let sched = match loom_bound(s) {
            Some(bound) => Sched::Loom { bound, max: None },
            None => Sched::Pct {
                depth: s.pct_depth,
                iterations: 1000,
                seed: 1,
            },
        };
        reached.extend(run(&RunSpec::new(s, sched)).coverage.into_keys());
    }
    let missing: Vec<_> = WINDOWS
        .iter()
        .filter(|w| !reached.contains(w.point))
        .map(|w| format!("{} ({})", w.point, w.lines))
        .collect();
    assert!(missing.is_empty(), "windows never reached: {missing:?}");
}

/// Every nesting the passing pcache scenarios perform follows the declared
/// table and the kernel-wide order composed from it (the purge thread's
/// `seg_pasync_mtx` included), and the try-only exception is exercised.
#[test]
fn lock_order_proved() {
    let mut graph = LockGraph::default();
    for s in scenarios::pcache::SCENARIOS
        .iter()
        .filter(|s| s.expect == Expect::Pass)
    {
        let s: &'static harness::Scenario = Box::leak(Box::new(*s));
        let Some(bound) = loom_bound(s) else { continue };
        let o = run(&RunSpec::new(s, Sched::Loom { bound, max: None }));
        graph.merge(&o.graph);
    }
    for table in [&subsys::pcache::LOCK_ORDER, &subsys::order::KERNEL_ORDER] {
        let (text, ok) = proof(&graph, &[table]);
        assert!(ok, "{}: {text}", table.subsystem);
    }
    for (from, to) in [
        ("pcache.hmutex", "pcache.pmtx"),
        ("pcache.pmtx", "pcache.hmutex"),
        ("pcache.hmutex", "pcache.pmem_mtx"),
        ("pcache.pasync_mtx", "pcache.hmutex"),
    ] {
        assert!(
            graph.edges.keys().any(|e| e.from == from && e.to == to),
            "{from} -> {to} never taken"
        );
    }
}

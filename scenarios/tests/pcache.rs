//! pcache (issue 14): every scenario meets its expectation under loom
//! (bounded), PCT and real threads; every mutant is caught by its check
//! under loom and PCT; every race window and counter of the seed is
//! reached; the lock order is proved.

use harness::testing::{assert_suite, passing_lock_graph, reached_points};
use model::lockdep::proof;
use subsys::pcache::WINDOWS;

#[test]
fn every_pcache_scenario_and_mutant() {
    assert_suite(scenarios::pcache::SCENARIOS);
}

#[test]
fn every_race_window_is_reached() {
    let reached = reached_points(scenarios::pcache::SCENARIOS);
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
    let graph = passing_lock_graph(scenarios::pcache::SCENARIOS);
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

//! devmap (issue 15): every scenario meets its expectation under loom
//! (bounded), PCT and real threads; every mutant is caught by its check
//! under loom and PCT; every race window of the seed is reached; the lock
//! order is proved, alone and composed into the kernel-wide order.

use harness::testing::{assert_suite, passing_lock_graph, reached_points};
use model::lockdep::proof;
use subsys::devmap::WINDOWS;

#[test]
fn every_devmap_scenario_and_mutant() {
    assert_suite(scenarios::devmap::SCENARIOS);
}

#[test]
fn every_race_window_is_reached() {
    let reached = reached_points(scenarios::devmap::SCENARIOS);
    let missing: Vec<_> = WINDOWS
        .iter()
        .filter(|w| !reached.contains(w.point))
        .map(|w| format!("{} ({})", w.point, w.lines))
        .collect();
    assert!(missing.is_empty(), "windows never reached: {missing:?}");
}

/// Every nesting the passing devmap scenarios perform follows devmap's
/// table and the kernel-wide order (the x86 HAT's locks under devmap's
/// in `devmap/remap-vs-fault`), and the nestings the table's reasons name
/// are taken.
#[test]
fn lock_order_proved() {
    let graph = passing_lock_graph(scenarios::devmap::SCENARIOS);
    let (text, ok) = proof(&graph, &[&subsys::order::KERNEL_ORDER]);
    assert!(ok, "kernel: {text}");
    for (from, to) in [
        ("devmap.a_lock", "devmap.slock_lock"),
        ("devmap.a_lock", "devmap.devctx_lock"),
        ("devmap.a_lock", "devmap.devmap_slock"),
        ("devmap.devmapctx_lock", "devmap.devctx_lock"),
        ("devmap.dh_lock", "devmap.sdp_lock"),
        ("devmap.sdp_lock", "devmap.freemem_lock"),
        ("devmap.a_lock", "devmap.cookie_lock"),
        ("devmap.a_lock", "devmap.a_contents"),
        ("devmap.sdp_lock", "htable.bucket"),
    ] {
        assert!(
            graph.edges.keys().any(|e| e.from == from && e.to == to),
            "{from} -> {to} never taken"
        );
    }
}

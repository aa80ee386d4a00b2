//! pvn (issue 16): every scenario meets its expectation under loom
//! (bounded), PCT and real threads; every mutant is caught by its check
//! under loom and PCT; every race window and path of the seed is reached;
//! the lock order is proved.

use harness::testing::{assert_suite, passing_lock_graph, reached_points};
use model::lockdep::proof;
use subsys::pvn::WINDOWS;

#[test]
fn every_pvn_scenario_and_mutant() {
    assert_suite(scenarios::pvn::SCENARIOS);
}

#[test]
fn every_race_window_is_reached() {
    let reached = reached_points(scenarios::pvn::SCENARIOS);
    let missing: Vec<_> = WINDOWS
        .iter()
        .filter(|w| !reached.contains(w.point))
        .map(|w| format!("{} ({})", w.point, w.lines))
        .collect();
    assert!(missing.is_empty(), "windows never reached: {missing:?}");
}

/// Every nesting the passing pvn scenarios perform follows pvn's table
/// (the x86 scenario's htable nestings: the kernel-wide order), and the
/// kernel-wide order composed from it; and the exceptions are
/// exercised: the vnode page mutex before a page (page_lock's
/// drop-and-fail, page_trylock), a page and an I/O lock before a
/// neighbour (the kluster's tries).
#[test]
fn lock_order_proved() {
    let graph = passing_lock_graph(scenarios::pvn::SCENARIOS);
    // pvn's own table first, the kernel's for the HAT's nestings of the
    // x86 scenario; then the kernel's alone.
    let kernel = &subsys::order::KERNEL_ORDER;
    for tables in [&[&subsys::pvn::LOCK_ORDER, kernel][..], &[kernel][..]] {
        let (text, ok) = proof(&graph, tables);
        assert!(ok, "{}: {text}", tables[0].subsystem);
    }
    for (from, to) in [
        ("vnode.VVMLOCK", "page"),
        ("vnode.VVMLOCK", "vnode.vph_mutex"),
        ("page", "page.io"),
        ("page.io", "vnode.vph_mutex"),
        ("vnode.vph_mutex", "page"),
        ("page", "page"),
        ("page.io", "page"),
        ("page.io", "page.io"),
        ("page", "htable.hment"),
        ("htable.hment", "vnode.vph_mutex"),
    ] {
        assert!(
            graph.edges.keys().any(|e| e.from == from && e.to == to),
            "{from} -> {to} never taken"
        );
    }
}

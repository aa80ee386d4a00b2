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
    let windows: &[(&str, &[&str])] = &[
        (
            "segmap/reclaim-race",
            &[
                "segmap.get_reclaim",
                "segmap.get_nomtx",
                "segmap.tag_recheck_failed",
                "segmap.queue_flip",
                "segmap.get_reuse",
            ],
        ),
        ("segmap/lost-hashin", &["segmap.lost_hashin"]),
        (
            "segmap/inval-race",
            &[
                "segmap.rel_abort",
                "segmap.rel_hashout",
                "segmap.tag_recheck_failed",
                "segmap.get_use",
            ],
        ),
        (
            "segmap/shared-hit",
            &["segmap.get_reclaim", "segmap.get_use", "segmap.fault"],
        ),
        (
            "segmap/release-vs-flip",
            &["segmap.smapadd_role_swapped", "segmap.queue_flip"],
        ),
        (
            "segmap/nofree-wait",
            &[
                "segmap.get_nofree",
                "segmap.smapadd_signal",
                "segmap.busy_slot_wait",
                "segmap.releq_busy",
                "segmap.allocq_changed",
            ],
        ),
        (
            "segmap/stranded-waiter-fixed",
            &["segmap.get_nofree", "segmap.smapadd_signal"],
        ),
        (
            "segmap/two-colours",
            &[
                "segmap.miss_colour0",
                "segmap.miss_colour1",
                "segmap.rel_write",
                "segmap.rel_async",
                "segmap.rel_free",
                "segmap.rel_dontneed",
                "segmap.release",
            ],
        ),
        ("segmap/two-freelists", &["segmap.next_freelist"]),
        (
            "segmap/pagecreate-vs-reuse",
            &[
                "segmap.page_busy",
                "segmap.pagecreate_new",
                "segmap.free",
                "segmap.get_reuse",
            ],
        ),
        (
            "segmap/softlock",
            &[
                "segmap.hat_memload_lock",
                "segmap.hat_unlock",
                "segmap.pagecreate_new",
                "segmap.free_dirty",
            ],
        ),
        (
            "segmap/window-reuse",
            &[
                "segmap.access_fault",
                "segmap.get_reuse",
                "segmap.unload_shootdown",
                "segmap.free_dirty",
            ],
        ),
        (
            "segmap/inval-vs-access",
            &[
                "segmap.rel_hashout",
                "segmap.unload_shootdown",
                "segmap.hat_memload_loaded",
                "segmap.get_reclaim",
                "segmap.free",
                "mmu.hw-cas-raced",
            ],
        ),
        (
            "segmap/reuse-vs-remap",
            &["segmap.free_mapped", "segmap.free", "segmap.get_reuse"],
        ),
        (
            "segmap/kpm-reclaim-race",
            &[
                "segmap.get_reclaim",
                "segmap.kpm_fastpath",
                "segmap.tag_recheck_failed",
                "segmap.get_reuse",
                "segmap.kpm_mapout",
                "segmap.kpm_newpage",
                "segmap.kpm_pagecreate_addr",
                "segmap.kpm_softunlock",
            ],
        ),
        (
            "segmap/kpm-trylock",
            &[
                "segmap.kpm_pageunload",
                "segmap.kpm_page_locked",
                "segmap.kpm_kpe_gone",
            ],
        ),
        (
            "segmap/kpm-last-smap",
            &[
                "segmap.kpm_last_smap_hit",
                "segmap.kpm_last_smap_miss",
                "segmap.get_reuse",
                "segmap.kpm_mapout",
            ],
        ),
        (
            "segmap/kpm-shared-hit",
            &["segmap.get_use", "segmap.kpm_fastpath"],
        ),
        (
            "segmap/other-list-sleep-fixed",
            &[
                "segmap.colour_wake",
                "segmap.colour_rewalk",
                "segmap.get_nofree",
            ],
        ),
        (
            "segmap/kpm-fallbacks",
            &[
                "segmap.kpm_fast_busy",
                "segmap.kpm_lockproto",
                "segmap.kpm_getpage_failed",
            ],
        ),
        (
            "segmap/kpm-page-busy-retry",
            &["segmap.kpm_page_locked", "segmap.kpm_page_retry"],
        ),
        (
            "segmap/kpm-validkpme-fixed",
            &[
                "segmap.kpm_validkpme",
                "segmap.kpm_validkpme_wait",
                "segmap.kpm_pageunload",
            ],
        ),
    ];
    for (id, points) in windows {
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

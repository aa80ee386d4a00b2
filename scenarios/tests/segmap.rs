//! The segmap suite: every scenario under loom (exhaustive at its bound;
//! CI bound without `--cfg loom`), PCT and real threads; every mutant
//! caught with its own check under loom and PCT; the race windows reached;
//! the lock order proved. The findings' and mutants' schedules are pinned
//! in scenarios/replays/ (replayed by tests/replays.rs).

use harness::testing::{assert_suite, loom, pct};
use harness::{run, Expect, Outcome, RunSpec, Scenario};
use model::lockdep::{proof, LockGraph};
use std::collections::{BTreeMap, BTreeSet};
use subsys::segmap::windows::{self as w, Window};
use subsys::vm::windows as vm;

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

/// The windows each scenario is written to reach (coverage points; one is
/// the MMU model's).
const WRITTEN_FOR: &[(&str, &[&str])] = &[
    (
        "segmap/reclaim-race",
        &[
            w::GET_RECLAIM.point,
            w::GET_NOMTX.point,
            w::TAG_RECHECK_FAILED.point,
            w::QUEUE_FLIP.point,
            w::GET_REUSE.point,
        ],
    ),
    ("segmap/lost-hashin", &[w::LOST_HASHIN.point]),
    (
        "segmap/inval-race",
        &[
            w::REL_ABORT.point,
            w::REL_HASHOUT.point,
            w::TAG_RECHECK_FAILED.point,
            w::GET_USE.point,
        ],
    ),
    (
        "segmap/shared-hit",
        &[w::GET_RECLAIM.point, w::GET_USE.point, w::FAULT.point],
    ),
    (
        "segmap/release-vs-flip",
        &[w::SMAPADD_ROLE_SWAPPED.point, w::QUEUE_FLIP.point],
    ),
    (
        "segmap/nofree-wait",
        &[
            w::GET_NOFREE.point,
            w::SMAPADD_SIGNAL.point,
            w::BUSY_SLOT_WAIT.point,
            w::RELEQ_BUSY.point,
            w::ALLOCQ_CHANGED.point,
        ],
    ),
    (
        "segmap/stranded-waiter-fixed",
        &[w::GET_NOFREE.point, w::SMAPADD_SIGNAL.point],
    ),
    (
        "segmap/two-colours",
        &[
            w::MISS_COLOUR0.point,
            w::MISS_COLOUR1.point,
            w::REL_WRITE.point,
            w::REL_ASYNC.point,
            w::REL_FREE.point,
            w::REL_DONTNEED.point,
            w::RELEASE.point,
        ],
    ),
    ("segmap/two-freelists", &[w::NEXT_FREELIST.point]),
    (
        "segmap/pagecreate-vs-reuse",
        &[
            w::PAGE_BUSY.point,
            w::PAGECREATE_NEW.point,
            w::FREE.point,
            w::GET_REUSE.point,
        ],
    ),
    (
        "segmap/softlock",
        &[
            w::HAT_MEMLOAD_LOCK.point,
            w::HAT_UNLOCK.point,
            w::PAGECREATE_NEW.point,
            w::FREE_DIRTY.point,
        ],
    ),
    (
        "segmap/window-reuse",
        &[
            w::ACCESS_FAULT.point,
            w::GET_REUSE.point,
            vm::KMAP_UNLOAD_SHOOTDOWN.point,
            w::FREE_DIRTY.point,
        ],
    ),
    (
        "segmap/inval-vs-access",
        &[
            w::REL_HASHOUT.point,
            vm::KMAP_UNLOAD_SHOOTDOWN.point,
            w::HAT_MEMLOAD_LOADED.point,
            w::GET_RECLAIM.point,
            w::FREE.point,
            "mmu.hw-cas-raced",
        ],
    ),
    (
        "segmap/reuse-vs-remap",
        &[w::FREE_MAPPED.point, w::FREE.point, w::GET_REUSE.point],
    ),
    (
        "segmap/kpm-reclaim-race",
        &[
            w::GET_RECLAIM.point,
            w::KPM_FASTPATH.point,
            w::TAG_RECHECK_FAILED.point,
            w::GET_REUSE.point,
            w::KPM_MAPOUT.point,
            w::KPM_NEWPAGE.point,
            w::KPM_PAGECREATE_ADDR.point,
            w::KPM_SOFTUNLOCK.point,
        ],
    ),
    (
        "segmap/kpm-trylock",
        &[
            w::KPM_PAGEUNLOAD.point,
            w::KPM_PAGE_LOCKED.point,
            w::KPM_KPE_GONE.point,
        ],
    ),
    (
        "segmap/kpm-last-smap",
        &[
            w::KPM_LAST_SMAP_HIT.point,
            w::KPM_LAST_SMAP_MISS.point,
            w::GET_REUSE.point,
            w::KPM_MAPOUT.point,
        ],
    ),
    (
        "segmap/kpm-shared-hit",
        &[w::GET_USE.point, w::KPM_FASTPATH.point],
    ),
    (
        "segmap/other-list-sleep-fixed",
        &[
            w::COLOUR_WAKE.point,
            w::COLOUR_REWALK.point,
            w::GET_NOFREE.point,
        ],
    ),
    (
        "segmap/kpm-fallbacks",
        &[
            w::KPM_FAST_BUSY.point,
            w::KPM_LOCKPROTO.point,
            w::KPM_GETPAGE_FAILED.point,
        ],
    ),
    (
        "segmap/kpm-page-busy-retry",
        &[w::KPM_PAGE_LOCKED.point, w::KPM_PAGE_RETRY.point],
    ),
    (
        "segmap/kpm-validkpme-fixed",
        &[
            w::KPM_VALIDKPME.point,
            w::KPM_VALIDKPME_WAIT.point,
            w::KPM_PAGEUNLOAD.point,
        ],
    ),
    (
        "segmap/kpm-page-busy-flip",
        &[w::KPM_PAGE_LOCKED.point, w::KPM_FLIP_DELAY.point],
    ),
    (
        "segmap/kpm-inval-notkpm",
        &[w::KPM_INVAL_NOTKPM.point, w::HAT_UNLOAD_KPM_ADDR.point],
    ),
    (
        "segmap/kpm-inval-notkpm-fixed",
        &[w::KPM_INVAL_NOTKPM.point, w::HAT_UNLOAD.point],
    ),
];

/// Every segmap scenario under loom reaches the windows it is written for
/// ([`WRITTEN_FOR`]); together they reach every window of segmap and of
/// its kmap HAT but those declared unreachable, which none reaches; and
/// every segmap or kmap coverage point a run reports is a declared window.
#[test]
fn race_windows_reached() {
    let mut coverage = BTreeMap::new();
    for s in segmap() {
        coverage.insert(s.id, run(&RunSpec::new(s, loom(s))).coverage);
    }
    for (id, points) in WRITTEN_FOR {
        let c = &coverage[id];
        for p in *points {
            assert!(
                c.get(p).copied().unwrap_or(0) > 0,
                "{id} never reached {p}: {c:?}"
            );
        }
    }
    let reached: BTreeSet<&str> = coverage
        .values()
        .flat_map(|c| c.iter().filter(|(_, n)| **n > 0).map(|(p, _)| *p))
        .collect();
    let windows: Vec<&Window> = w::WINDOWS.iter().chain(vm::WINDOWS).collect();
    for win in &windows {
        let hit = reached.contains(win.point);
        match win.unreachable {
            None => assert!(hit, "{} ({}) never reached", win.point, win.lines),
            Some(why) => assert!(
                !hit,
                "{} reached, though declared unreachable: {why}",
                win.point
            ),
        }
    }
    for p in reached
        .iter()
        .filter(|p| p.starts_with("segmap.") || p.starts_with("kmap."))
    {
        assert!(
            windows.iter().any(|win| win.point == *p),
            "coverage point {p} is no declared window"
        );
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

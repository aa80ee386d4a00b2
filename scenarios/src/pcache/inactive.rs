//! `seg_pinactive` races: a duplicate whose tryenter of P fails (and the
//! async purge), and two inactives on one bucket.

use super::common::{async_purge, cache, finish, lock_unlock, req, run_threads, Body, BASE};
use harness::{Mutant, Scenario};
use model::check::{SYNC_LOCKORDER, SYNC_UNLOCKED};
use subsys::pcache::{Fixes, Memory, Pcache, PCACHE_J1, PCACHE_J3};

/// Main locks pages 0..1 of the segment, then 0..2, which caches a bigger
/// list over its first: at its pageunlock the small list is a duplicate.
/// Its `seg_pinactive` finds the bigger entry and tries P, which fails
/// while `seg_ppurge` of the segment holds P waiting for the bucket; it
/// drops B, takes P, retakes B and rescans, and finds the bigger entry
/// gone if the purge (or the async walk) took it meanwhile: it keeps its
/// own entry.
fn dup_body() {
    let pc = cache(Memory::Low, Fixes::default());
    let seg = pc.seg_alloc(false);
    let small = pc.pagelock(req(seg, 0, 1));
    lock_unlock(&pc, req(seg, 0, 2));
    // Age the bigger list once, so the racing walk may take it.
    pc.seg_ppurge_async(false);
    let bodies: Vec<(&str, Body)> = vec![
        (
            "inactive",
            Box::new(move |pc: &Pcache| pc.pageunlock(small)),
        ),
        (
            "purge",
            Box::new(move |pc: &Pcache| pc.seg_ppurge(seg, None, false)),
        ),
        ("pasync", async_purge()),
    ];
    run_threads(&pc, bodies);
    finish(&pc, &[(seg, None, false)]);
}

pub const DUP_TRY_FAILS: Scenario = Scenario {
    id: "pcache/dup-inactive-vs-async",
    summary: "seg_pinactive of a duplicate whose tryenter of P fails, racing seg_ppurge and the async purge",
    threads: 3,
    // Bound 3: 306,123 executions, 63 s.
    loom_bound: Some(2),
    mutants: &[
        Mutant {
            name: subsys::pcache::mutants::INACTIVE_BLOCKING_P,
            catches: SYNC_LOCKORDER,
            summary: "seg_pinactive enters P under B instead of trying it (vm_seg.c:696)",
        },
        Mutant {
            name: subsys::pcache::mutants::ASYNC_BLOCKING_P,
            catches: SYNC_LOCKORDER,
            summary: "the async walk enters P under B instead of trying it (vm_seg.c:1086)",
        },
        Mutant {
            name: subsys::pcache::mutants::INACTIVE_NO_RETAKE,
            catches: SYNC_UNLOCKED,
            summary: "after a failed tryenter seg_pinactive takes P but rescans without retaking B (vm_seg.c:699)",
        },
        Mutant {
            name: subsys::pcache::mutants::CHECKDUP_ACTIVE,
            catches: PCACHE_J1,
            summary: "seg_plookup_checkdup drops a smaller entry that is still active (vm_seg.c:439)",
        },
        Mutant {
            name: subsys::pcache::mutants::INACTIVE_NO_UNACCOUNT,
            catches: PCACHE_J3,
            summary: "seg_pinactive frees a duplicate without giving its pages back (vm_seg.c:717-725)",
        },
    ],
    body: dup_body,
    ..BASE
};

/// Two callers hold one cached list (an insert and a lookup hit) and hand
/// it back at once, on one bucket, while a third caches another list there.
fn two_body() {
    let pc = cache(Memory::Plenty, Fixes::default());
    let seg = pc.seg_alloc(false);
    let amp = pc.seg_alloc(true);
    let a = pc.pagelock(req(seg, 0, 1));
    let b = pc.pagelock(req(seg, 0, 1));
    assert!(b.hit, "the second pagelock hits the cached list");
    let bodies: Vec<(&str, Body)> = vec![
        ("inactive-a", Box::new(move |pc: &Pcache| pc.pageunlock(a))),
        ("inactive-b", Box::new(move |pc: &Pcache| pc.pageunlock(b))),
        (
            "amp",
            Box::new(move |pc: &Pcache| {
                let mut r = req(seg, 0, 1);
                r.amp = Some(amp);
                lock_unlock(pc, r);
            }),
        ),
    ];
    run_threads(&pc, bodies);
    finish(&pc, &[(seg, None, false), (seg, Some(amp), false)]);
}

pub const TWO_INACTIVE: Scenario = Scenario {
    id: "pcache/two-inactive-one-bucket",
    summary: "two seg_pinactive of one cached list on one bucket, and an anon map's insert there",
    threads: 3,
    mutants: &[Mutant {
        name: subsys::pcache::mutants::LOOKUP_NO_ACTIVE,
        catches: PCACHE_J1,
        summary: "seg_plookup hands out a list without raising p_active (vm_seg.c:505)",
    }],
    body: two_body,
    ..BASE
};

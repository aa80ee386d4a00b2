//! `seg_p_disable` racing insert and inactive (finding P1, PCACHE-J7).

use super::common::{cache, finish, lock_unlock, req, run_threads, Body, BASE};
use harness::{Expect, Mutant, Scenario};
use subsys::pcache::{Fixes, Memory, Pcache, PCACHE_J7};

/// DR's pre-delete disables the cache (and re-enables it after) while a
/// caller locks and unlocks a list of the segment (`insert`), or hands
/// back a list it holds (`!insert`).
fn body(fixes: Fixes, insert: bool) {
    let pc = cache(Memory::Plenty, fixes);
    let seg = pc.seg_alloc(false);
    let held = pc.pagelock(req(seg, 1, 1));
    if insert {
        pc.pageunlock(held);
        pc.seg_ppurge(seg, None, false);
    }
    let other: Body = if insert {
        Box::new(move |pc: &Pcache| lock_unlock(pc, req(seg, 0, 1)))
    } else {
        Box::new(move |pc: &Pcache| pc.pageunlock(held))
    };
    let bodies: Vec<(&str, Body)> = vec![
        (
            "dr",
            Box::new(|pc: &Pcache| {
                pc.seg_p_disable();
                pc.seg_p_enable();
            }),
        ),
        (if insert { "insert" } else { "inactive" }, other),
    ];
    run_threads(&pc, bodies);
    finish(&pc, &[(seg, None, false)]);
}

fn seed() {
    body(Fixes::default(), true);
}

/// Finding P1: DR and one insert.
pub const DISABLE_VS_INSERT: Scenario = Scenario {
    id: "pcache/disable-vs-insert",
    summary: "FINDING P1: seg_p_disable returns success while an insert that passed its unlocked test still caches",
    expect: Expect::Finding(&[PCACHE_J7]),
    body: seed,
    ..BASE
};

const FIX_P1: Fixes = Fixes {
    disable_recheck: true,
    reap_pending: false,
};

fn fixed() {
    body(FIX_P1, true);
}

pub const DISABLE_FIXED: Scenario = Scenario {
    id: "pcache/disable-vs-insert-fixed",
    summary:
        "seg_p_disable racing an insert, with the disable count re-read under seg_pmem_mtx (fix P1)",
    mutants: &[Mutant {
        name: subsys::pcache::mutants::INSERT_NO_RECHECK,
        catches: PCACHE_J7,
        summary: "fix P1 without the insert's re-test under seg_pmem_mtx",
    }],
    body: fixed,
    ..BASE
};

fn inactive() {
    body(Fixes::default(), false);
}

/// The seed as written: a list handed back while the cache is disabled
/// is freed at once (P taken up front, vm_seg.c:553-562), or stays if the
/// disable came after the test.
pub const DISABLE_VS_INACTIVE: Scenario = Scenario {
    id: "pcache/disable-vs-inactive",
    summary: "seg_p_disable racing seg_pinactive of a held list",
    body: inactive,
    ..BASE
};

//! `seg_p_disable` racing insert and inactive (finding P1, PCACHE-J7).

use super::common::{cache, finish, lock_unlock, req, run_threads, Body};
use harness::{Expect, Mutant, Scenario};
use subsys::pcache::{Fixes, Memory, Pcache, ORDER, PCACHE_J7};

/// DR's pre-delete disables the cache (and re-enables it after) while a
/// caller locks and unlocks a list of the segment, and, `with_inactive`,
/// another hands back a list it holds.
fn body(fixes: Fixes, with_inactive: bool) {
    let pc = cache(Memory::Plenty, fixes);
    let seg = pc.seg_alloc(false);
    let held = pc.pagelock(req(seg, 1, 1));
    if !with_inactive {
        pc.pageunlock(held);
        pc.seg_ppurge(seg, None, false);
    }
    let mut bodies: Vec<(&str, Body)> = vec![
        (
            "dr",
            Box::new(|pc: &Pcache| {
                pc.seg_p_disable();
                pc.seg_p_enable();
            }),
        ),
        (
            "insert",
            Box::new(move |pc: &Pcache| lock_unlock(pc, req(seg, 0, 1))),
        ),
    ];
    if with_inactive {
        bodies.push(("inactive", Box::new(move |pc: &Pcache| pc.pageunlock(held))));
    }
    run_threads(&pc, bodies);
    finish(&pc, &[(seg, None, false)]);
}

fn seed() {
    body(Fixes::default(), false);
}

/// Finding P1: DR and one insert.
pub const DISABLE_VS_INSERT: Scenario = Scenario {
    id: "pcache/disable-vs-insert",
    summary: "FINDING P1: seg_p_disable returns success while an insert that passed its unlocked test still caches",
    threads: 3,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Finding(&[PCACHE_J7]),
    mutants: &[],
    orders: &[&ORDER],
    params: &[],
    body: seed,
};

fn fixed() {
    body(
        Fixes {
            disable_recheck: true,
            ..Fixes::default()
        },
        true,
    );
}

pub const DISABLE_FIXED: Scenario = Scenario {
    id: "pcache/disable-vs-insert-fixed",
    summary: "seg_p_disable racing insert and inactive, with the disable count re-read under seg_pmem_mtx (fix P1)",
    threads: 4,
    loom_bound: Some(2),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[
        Mutant {
            name: "insert-no-recheck",
            catches: PCACHE_J7,
            summary: "fix P1 without the insert's re-test under seg_pmem_mtx",
        },
    ],
    orders: &[&ORDER],
    params: &[],
    body: fixed,
};

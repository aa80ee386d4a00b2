//! The async purge: second chance against a lookup hit, the active-list
//! handover while `seg_pathr_on`, and `seg_preap`'s wakeup (finding P2).

use super::common::{
    async_purge, cache, finish, lock_unlock, pasync_thread, req, run_threads, Body, BASE,
};
use harness::{Expect, Mutant, Scenario};
use model::check::SYNC_UNLOCKED;
use std::sync::Arc;
use subsys::pcache::{
    Fixes, Memory, Pcache, PcacheConfig, PCACHE_J1, PCACHE_J4, PCACHE_J5, PCACHE_REAP,
};

/// A cached inactive, referenced list; a caller looks it up and hands it
/// back while the async purge walks twice (the first walk clears the
/// reference, the second may take it).
fn second_chance_body() {
    let pc = cache(Memory::Low, Fixes::default());
    let seg = pc.seg_alloc(false);
    lock_unlock(&pc, req(seg, 0, 1));
    let bodies: Vec<(&str, Body)> = vec![
        (
            "lookup",
            Box::new(move |pc: &Pcache| lock_unlock(pc, req(seg, 0, 1))),
        ),
        (
            "pasync",
            Box::new(|pc: &Pcache| {
                pc.seg_ppurge_async(false);
                pc.seg_ppurge_async(false);
            }),
        ),
    ];
    run_threads(&pc, bodies);
    finish(&pc, &[(seg, None, false)]);
}

pub const SECOND_CHANCE: Scenario = Scenario {
    id: "pcache/second-chance",
    summary: "the async purge racing a lookup hit of a referenced entry (second chance)",
    mutants: &[Mutant {
        name: subsys::pcache::mutants::ASYNC_SKIP_ACTIVE_CHECK,
        catches: PCACHE_J1,
        summary: "the async walk takes active entries too (vm_seg.c:1069)",
    }],
    body: second_chance_body,
    ..BASE
};

/// While the async purge walks the list holding the bucket (seg_pathr_on),
/// a purge of the segment empties the bucket (`seg_premove_abuck` must
/// leave it to the walker) and an insert refills it (`seg_padd_abuck`
/// finds it still on the walker's list).
fn premove_body() {
    let pc = cache(Memory::Low, Fixes::default());
    let seg = pc.seg_alloc(false);
    lock_unlock(&pc, req(seg, 0, 1));
    let bodies: Vec<(&str, Body)> = vec![
        ("pasync", async_purge()),
        (
            "purge+insert",
            Box::new(move |pc: &Pcache| {
                pc.seg_ppurge(seg, None, false);
                lock_unlock(pc, req(seg, 1, 1));
            }),
        ),
    ];
    run_threads(&pc, bodies);
    finish(&pc, &[(seg, None, false)]);
}

pub const PREMOVE_WHILE_ATHR: Scenario = Scenario {
    id: "pcache/premove-while-athr",
    summary: "seg_premove_abuck and seg_padd_abuck on the bucket the async purge is walking (seg_pathr_on)",
    mutants: &[
        Mutant {
            name: subsys::pcache::mutants::PREMOVE_IGNORES_ATHR,
            catches: PCACHE_J5,
            summary: "seg_premove_abuck removes the bucket from the async thread's list while it walks it (vm_seg.c:404)",
        },
        Mutant {
            name: subsys::pcache::mutants::PADD_BOTH_LISTS,
            catches: PCACHE_J4,
            summary: "seg_padd_abuck adds a bucket still on the async thread's list to the current one too (vm_seg.c:322)",
        },
        Mutant {
            name: subsys::pcache::mutants::ADD_ABUCK_SKIP,
            catches: PCACHE_J4,
            summary: "seg_pinsert does not put a refilled bucket on an active list (vm_seg.c:900-903)",
        },
        Mutant {
            name: subsys::pcache::mutants::ATHR_NO_CLAIM,
            catches: SYNC_UNLOCKED,
            summary: "the async purge walks the other list without claiming seg_pathr_on (vm_seg.c:1039)",
        },
    ],
    body: premove_body,
    ..BASE
};

/// The purge thread (two wakeups, by signal or timeout) and pageout's
/// `seg_preap` with an entry cached.
fn preap_body(fixes: Fixes) {
    let pc = cache(Memory::Low, fixes);
    let seg = pc.seg_alloc(false);
    lock_unlock(&pc, req(seg, 0, 1));
    let (t, co) = pasync_thread(&pc, 2);
    pc.seg_preap();
    // Pageout's own purge may meet the purge thread's walk.
    pc.seg_ppurge_async(false);
    t.join();
    co.shutdown();
    finish(&pc, &[(seg, None, false)]);
}

fn preap_seed() {
    preap_body(Fixes::default());
}

/// Finding P2.
pub const PREAP_LOST: Scenario = Scenario {
    id: "pcache/preap-lost-wakeup",
    summary: "FINDING P2: seg_preap's cv_signal while the purge thread purges is lost; only the timeout purges",
    threads: 3,
    expect: Expect::Finding(&[PCACHE_REAP]),
    body: preap_seed,
    ..BASE
};

fn preap_fixed() {
    preap_body(Fixes {
        reap_pending: true,
        ..Fixes::default()
    });
}

pub const PREAP_FIXED: Scenario = Scenario {
    id: "pcache/preap-vs-async-fixed",
    summary: "seg_preap racing the purge thread, with the reap request recorded (fix P2)",
    threads: 3,
    mutants: &[Mutant {
        name: subsys::pcache::mutants::REAP_NO_PENDING,
        catches: PCACHE_REAP,
        summary: "fix P2 without the pending flag: the signal alone is lost again",
    }],
    body: preap_fixed,
    ..BASE
};

/// Three buckets on the active list, a purge quota of one page: the walk
/// stops after the first bucket it purges from and re-heads the list at
/// the next, while a caller hits the first bucket's list.
fn rehead_body() {
    let mut cfg = PcacheConfig::tiny();
    cfg.hash_win = 4;
    cfg.max_apurge = 1;
    cfg.memory = Memory::Low;
    let pc = Arc::new(Pcache::new(cfg));
    let seg = pc.seg_alloc(false);
    lock_unlock(&pc, req(seg, 0, 1));
    lock_unlock(&pc, req(seg, 1, 1));
    lock_unlock(&pc, req(seg, 2, 1));
    pc.seg_ppurge_async(false);
    let bodies: Vec<(&str, Body)> = vec![
        (
            "lookup",
            Box::new(move |pc: &Pcache| lock_unlock(pc, req(seg, 0, 1))),
        ),
        ("pasync", async_purge()),
    ];
    run_threads(&pc, bodies);
    finish(&pc, &[(seg, None, false)]);
}

pub const REHEAD: Scenario = Scenario {
    id: "pcache/async-rehead",
    summary: "the async walk stops early and re-heads the active list of three buckets, racing a lookup hit",
    body: rehead_body,
    ..BASE
};

/// The purge thread as the seed runs it (one wakeup, by timeout: nobody
/// signals), holding `seg_pasync_mtx` across its purge and callbacks,
/// while the segment is unmapped.
fn pasync_unmap_body() {
    let pc = cache(Memory::Low, Fixes::default());
    let seg = pc.seg_alloc(false);
    lock_unlock(&pc, req(seg, 0, 1));
    pc.seg_ppurge_async(false);
    let (t, co) = pasync_thread(&pc, 1);
    pc.seg_unmap(seg, None, false);
    t.join();
    co.shutdown();
    pc.check_quiescent();
}

pub const PASYNC_VS_UNMAP: Scenario = Scenario {
    id: "pcache/pasync-vs-unmap",
    summary: "seg_pasync_thread's timed wakeup and purge (seg_pasync_mtx held) racing seg_unmap of the segment",
    threads: 3,
    body: pasync_unmap_body,
    ..BASE
};

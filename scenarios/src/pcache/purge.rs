//! Purges racing the callers: `seg_ppurge` of the segment an insert is
//! caching into, a segment unmapped while the async purge holds its entry
//! on a private callback list, and `seg_ppurge_wiredpp` racing inactive.

use super::common::{async_purge, cache, finish, lock_unlock, req, run_threads, Body, BASE};
use harness::scenario::UNBOUNDED;
use harness::{Mutant, Scenario};
use model::check::MEM_UAF;
use subsys::pcache::{Fixes, Memory, Pcache, PCACHE_CB, PCACHE_J2, PCACHE_J3, PCACHE_J6};

/// One thread caches a list of the segment and hands it back while
/// another purges the segment; a third looks the list up.
fn insert_purge_body() {
    let pc = cache(Memory::Plenty, Fixes::default());
    let seg = pc.seg_alloc(false);
    // A bigger list at page 1 replaces the smaller one (checkdup).
    lock_unlock(&pc, req(seg, 1, 1));
    lock_unlock(&pc, req(seg, 1, 2));
    let bodies: Vec<(&str, Body)> = vec![
        (
            "insert",
            Box::new(move |pc: &Pcache| lock_unlock(pc, req(seg, 0, 1))),
        ),
        (
            "purge",
            Box::new(move |pc: &Pcache| pc.seg_ppurge(seg, None, false)),
        ),
    ];
    run_threads(&pc, bodies);
    finish(&pc, &[(seg, None, false)]);
}

pub const INSERT_VS_PURGE: Scenario = Scenario {
    id: "pcache/insert-vs-purge",
    summary: "seg_pinsert and seg_pinactive racing seg_ppurge of the same segment",
    mutants: &[
        Mutant {
            name: subsys::pcache::mutants::PLIST_KEEP,
            catches: PCACHE_J2,
            summary: "an unlink leaves the entry on its P-list (vm_seg.c:1333-1334)",
        },
        Mutant {
            name: subsys::pcache::mutants::RECLAIM_TWICE,
            catches: PCACHE_J2,
            summary: "seg_ppurge runs an entry's callback twice (vm_seg.c:1350)",
        },
        Mutant {
            name: subsys::pcache::mutants::CALLBACK_UNDER_BUCKET,
            catches: PCACHE_CB,
            summary: "seg_ppurge runs the callbacks before dropping P (vm_seg.c:1344-1346)",
        },
        Mutant {
            name: subsys::pcache::mutants::ACCOUNT_AFTER_LINK,
            catches: PCACHE_J3,
            summary: "seg_pinsert accounts its pages after linking the entry (vm_seg.c:831-840)",
        },
    ],
    body: insert_purge_body,
    ..BASE
};

/// The async purge unlinks the segment's inactive entry and drops P; the
/// segment is unmapped before the callback runs. segvn's unmap waits for
/// `softlockcnt` to drain, so the segment outlives the callback.
fn free_body() {
    let pc = cache(Memory::Low, Fixes::default());
    let seg = pc.seg_alloc(false);
    lock_unlock(&pc, req(seg, 0, 1));
    // Age it once: the next walk takes it.
    pc.seg_ppurge_async(false);
    let bodies: Vec<(&str, Body)> = vec![
        ("pasync", async_purge()),
        (
            "unmap",
            Box::new(move |pc: &Pcache| pc.seg_unmap(seg, None, false)),
        ),
    ];
    run_threads(&pc, bodies);
    pc.check_quiescent();
}

pub const FREE_WHILE_CALLBACK: Scenario = Scenario {
    id: "pcache/free-while-callback",
    summary: "a segment unmapped while its entry waits on the async purge's callback list",
    mutants: &[
        Mutant {
            name: subsys::pcache::mutants::UNMAP_NO_WAIT,
            catches: PCACHE_J6,
            summary: "seg_unmap frees the segment without waiting for softlockcnt to drain",
        },
        Mutant {
            name: subsys::pcache::mutants::UNMAP_NO_PURGE,
            catches: MEM_UAF,
            summary:
                "seg_unmap frees the segment without seg_ppurge or the wait: the async walk uses it",
        },
    ],
    body: free_body,
    ..BASE
};

/// A wired (segspt) list cached and held by two callers; one hands it
/// back while `seg_ppurge_wiredpp` purges its shadow list.
fn wiredpp_body() {
    let pc = cache(Memory::Plenty, Fixes::default());
    let seg = pc.seg_alloc(false);
    let mut r = req(seg, 0, 2);
    r.wired = true;
    let a = pc.pagelock(r);
    let b = pc.pagelock(r);
    assert!(b.hit, "the wired list is cached");
    pc.pageunlock(a);
    let pp = b.pp;
    let bodies: Vec<(&str, Body)> = vec![
        ("inactive", Box::new(move |pc: &Pcache| pc.pageunlock(b))),
        (
            "wiredpp",
            Box::new(move |pc: &Pcache| pc.seg_ppurge_wiredpp(pp)),
        ),
    ];
    run_threads(&pc, bodies);
    finish(&pc, &[(seg, None, true)]);
}

pub const WIREDPP_VS_INACTIVE: Scenario = Scenario {
    id: "pcache/wiredpp-vs-inactive",
    loom_bound: Some(UNBOUNDED),
    summary: "seg_ppurge_wiredpp racing seg_pinactive of the wired list",
    mutants: &[Mutant {
        name: subsys::pcache::mutants::WIREDPP_ACTIVE,
        catches: subsys::pcache::PCACHE_J1,
        summary: "seg_ppurge_wiredpp takes active entries too (vm_seg.c:1224)",
    }],
    body: wiredpp_body,
    ..BASE
};

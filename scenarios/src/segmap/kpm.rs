//! segmap with segkpm on: windows taken for reading or writing are kpm
//! addresses of locked pages, free slots keep a kpm mapping of their page
//! (kpme), and the allocator takes such a slot only with the page locked
//! (seg_map.c:1294-1322); a release finds its slot from the address
//! through the per-CPU last-slot hint (seg_map.c:2277-2332).

use super::common::{key, run_threads, use_window, Body, BASE, VP};
use harness::scenario::UNBOUNDED;
use harness::{Expect, Mutant, Scenario};
use model::check::{SYNC_DEADLOCK, SYNC_LOCKORDER};
use std::sync::Arc;
use subsys::segmap::{
    FaultType, Fixes, PageUniverse, SegRw, Segmap, SegmapConfig, KPM_BASE, SEGMAP_KPM,
    SEGMAP_KPM_GRAB, SEGMAP_KPM_MAP, SM_FAULT, SM_INVAL, SM_LOCKPROTO, SM_PAGECREATE,
};

/// A kpm segment of `npages` slots over a file of four blocks, with
/// `ncpus` CPUs.
pub(crate) fn kpm_segmap(npages: usize, ncpus: u32) -> Arc<Segmap> {
    kpm_segmap_fixed(npages, ncpus, Fixes::default())
}

/// As [`kpm_segmap`], with `fixes`.
pub(crate) fn kpm_segmap_fixed(npages: usize, ncpus: u32, fixes: Fixes) -> Arc<Segmap> {
    kpm_segmap_holes(npages, ncpus, fixes, 0)
}

/// As [`kpm_segmap_fixed`], with the blocks of `holes` (a bit per block)
/// holes of the file.
fn kpm_segmap_holes(npages: usize, ncpus: u32, fixes: Fixes, holes: u64) -> Arc<Segmap> {
    let mut cfg = SegmapConfig::new(npages);
    cfg.fixes = fixes;
    cfg.kpm = true;
    cfg.max_ncpus = ncpus;
    cfg.pages = PageUniverse {
        vnodes: 1,
        blocks: 4,
        holes,
    };
    Arc::new(Segmap::create(cfg))
}

/// A kpm read window on key `n`, released with `flags`.
pub(crate) fn use_kpm(sm: &Segmap, n: u64, flags: u32) {
    let a = sm.getmapflt(VP, key(n), 0x1000, SM_FAULT, SegRw::Read);
    sm.release(a, flags);
}

/// Two slots, both free and still kpm-mapping their pages, key 1 first
/// on the queue the allocator walks next, then key 3. Key 1's window goes
/// through the page-create path (then `pagecreate`, `pageunlock` and an
/// F_SOFTUNLOCK `segmap_fault` of a kpm address), key 3's through
/// VOP_GETPAGE. One window at a time: a
/// window holds its page lock, and page locks have no order among
/// themselves.
fn two_cached() -> Arc<Segmap> {
    let sm = kpm_segmap(2, 8);
    let a1 = sm.getmapflt(VP, key(1), 0x1000, SM_PAGECREATE, SegRw::Write);
    assert!(sm.pagecreate(a1, 0x1000, false), "key 1's page is new");
    sm.pageunlock(a1, 0x1000, SegRw::Write);
    sm.fault(a1, 0x1000, FaultType::SoftUnlock, SegRw::Write)
        .expect("F_SOFTUNLOCK of a kpm window");
    sm.release(a1, 0);
    use_kpm(&sm, 3, 0);
    sm
}

/// A reclaims key 1 through the kpm fast path (the free slot's kpme still
/// names the page); B needs a slot for key 2 and meets slot 1 first: it
/// takes it only with key 1's page locked, unmaps and frees that page.
fn reclaim_body() {
    let sm = two_cached();
    let bodies: Vec<(&'static str, Body)> = vec![
        ("hit", Box::new(|sm: &Segmap| use_kpm(sm, 1, 0))),
        ("alloc", Box::new(|sm: &Segmap| use_kpm(sm, 2, 0))),
    ];
    run_threads(&sm, bodies);
}

pub const KPM_RECLAIM_RACE: Scenario = Scenario {
    id: "segmap/kpm-reclaim-race",
    summary: "segkpm: a kpm hit on a free slot races its reuse, which must lock and unmap its page",
    mutants: &[Mutant {
        name: subsys::segmap::mutants::KPM_RELEASE_NO_UNLOCK,
        catches: SEGMAP_KPM,
        summary: "segmap_release of a kpm window leaves its page locked (seg_map.c:2109-2110)",
    }],
    body: reclaim_body,
    ..BASE
};

/// A thread that pages key `n` out: holds its page exclusive and removes
/// its kpm mappings (`Segmap::pageout`).
fn pageout_key(n: u64) -> (&'static str, Body) {
    (
        "pageout",
        Box::new(move |sm: &Segmap| {
            sm.pageout(VP, key(n));
        }),
    )
}

/// A pages key 1 out while B takes and releases a kpm window on key 2.
fn pageout_vs_alloc(sm: &Arc<Segmap>) {
    let bodies: Vec<(&'static str, Body)> = vec![
        pageout_key(1),
        ("alloc", Box::new(|sm: &Segmap| use_kpm(sm, 2, 0))),
    ];
    run_threads(sm, bodies);
}

/// Two cached slots, then [`pageout_vs_alloc`]: B meets slot 1 first,
/// whose kpme names key 1's page: it skips the slot while the page is
/// held, or finds the kpme gone once it has the page.
fn trylock_body() {
    pageout_vs_alloc(&two_cached());
}

pub const KPM_TRYLOCK: Scenario = Scenario {
    id: "segmap/kpm-trylock",
    loom_bound: Some(UNBOUNDED),
    summary: "segkpm: the allocator meets a free slot whose page a page-out holds exclusive",
    mutants: &[
        Mutant {
            name: subsys::segmap::mutants::KPM_SKIP_TRYLOCK,
            catches: SEGMAP_KPM_GRAB,
            summary: "get_free_smp takes a slot whose kpme page it did not lock (seg_map.c:1303)",
        },
        Mutant {
            name: subsys::segmap::mutants::KPM_KPE_NO_RECHECK,
            catches: SEGMAP_KPM_MAP,
            summary:
                "get_free_smp does not re-check the kpme once it has the page (seg_map.c:1316)",
        },
    ],
    body: trylock_body,
    ..BASE
};

/// One CPU, two slots. A takes a kpm window on key 1 and releases it
/// dropping the identity; B takes key 2, releases it, then takes key 3,
/// which may reuse key 2's slot. Both run on the same CPU, so A's release
/// may find the CPU's last slot pointing at B's slot, free or being reused.
fn last_smap_body() {
    let sm = kpm_segmap(2, 1);
    let bodies: Vec<(&'static str, Body)> = vec![
        ("release", Box::new(|sm: &Segmap| use_kpm(sm, 1, SM_INVAL))),
        (
            "reuse",
            Box::new(|sm: &Segmap| {
                use_kpm(sm, 2, 0);
                use_kpm(sm, 3, 0);
            }),
        ),
    ];
    run_threads(&sm, bodies);
}

pub const KPM_LAST_SMAP: Scenario = Scenario {
    id: "segmap/kpm-last-smap",
    summary:
        "segkpm: a release finds its slot while the CPU's last-slot hint names a slot being reused",
    loom_bound: Some(3),
    mutants: &[
        Mutant {
            name: subsys::segmap::mutants::KPM_LAST_SMAP_NO_RECHECK,
            catches: SEGMAP_KPM,
            summary: "get_smap_kpm trusts scpu_last_smap without checking its tag (seg_map.c:2305)",
        },
        Mutant {
            name: subsys::segmap::mutants::KPM_INVAL_NO_MAPOUT,
            catches: SEGMAP_KPM_MAP,
            summary:
                "an SM_INVAL release of a kpm window keeps the slot's kpm mapping (seg_map.c:2088)",
        },
    ],
    body: last_smap_body,
    ..BASE
};

/// `segmap/shared-hit` with segkpm on: key 1 cached and free; one thread
/// takes a kpm window on it, the other a segkmap window (`segmap_getmap`
/// is `SM_PAGECREATE` for `S_OTHER`, never kpm), so the two can share the
/// slot. (No rendezvous as in shared-hit: the kpm holder holds a page
/// lock, which the scenario's gate is not ordered against.)
fn shared_body() {
    let sm = kpm_segmap(2, 8);
    use_kpm(&sm, 1, 0);
    let bodies: Vec<(&'static str, Body)> = vec![
        ("kpm", Box::new(|sm: &Segmap| use_kpm(sm, 1, 0))),
        (
            "segkmap",
            Box::new(|sm: &Segmap| {
                let a = sm.getmap(VP, key(1));
                sm.release(a, 0);
            }),
        ),
    ];
    run_threads(&sm, bodies);
}

pub const KPM_SHARED_HIT: Scenario = Scenario {
    id: "segmap/kpm-shared-hit",
    summary: "segkpm: a kpm window and a segkmap window on one cached key (shared-hit's twin)",
    body: shared_body,
    ..BASE
};

/// One slot, free and kpm-mapping key 1's page. A pages key 1 out
/// (page exclusive); B needs a slot for key 2, finds the only free slot's
/// page locked, skips it (seg_map.c:1303-1314), finds the release queue
/// empty and sleeps (seg_map.c:1231-1256). A's page unlock wakes nobody.
fn page_busy_sleep(fixes: Fixes) {
    let sm = kpm_segmap_fixed(1, 8, fixes);
    use_kpm(&sm, 1, 0);
    pageout_vs_alloc(&sm);
}

fn page_busy_sleep_body() {
    page_busy_sleep(Fixes::default());
}

fn page_busy_sleep_fixed() {
    page_busy_sleep(Fixes::ALL);
}

/// Finding F4 (F2's shape under segkpm): an allocator skips the only free
/// slot because its kpm page is locked, sleeps, and nothing wakes it when
/// the page is unlocked.
pub const KPM_PAGE_BUSY_SLEEP: Scenario = Scenario {
    id: "segmap/kpm-page-busy-sleep",
    summary: "FINDING F4: an allocator skips a free slot whose kpm page is locked, sleeps, and is never woken",
    expect: Expect::Finding(&[SYNC_DEADLOCK]),
    body: page_busy_sleep_body,
    ..BASE
};

/// The same program with F4 fixed (`Fixes::page_locked_no_sleep`).
pub const KPM_PAGE_BUSY_RETRY: Scenario = Scenario {
    id: "segmap/kpm-page-busy-retry",
    summary: "segkpm: an allocator that skipped a free slot for its locked kpm page pauses and walks again instead of sleeping (F4 fixed)",
    body: page_busy_sleep_fixed,
    ..BASE
};

/// Three slots. Key 3's slot is left alone on the allocation queue with
/// its kpme naming key 3's page, and two slots (keys 2 and 1, segkmap
/// windows, no kpme) wait on the release queue. A pages key 3 out (page
/// exclusive) while B needs a slot for key 0: B skips key 3's slot for
/// its locked page (seg_map.c:1303-1314), finds the release queue full
/// and flips the queues after a pause (1260-1273), where F4's allocator,
/// with nothing released, sleeps.
fn page_busy_flip_body() {
    let sm = kpm_segmap(3, 8);
    use_window(&sm, 0, 0);
    use_kpm(&sm, 3, 0);
    // Key 2 takes the last slot the allocation queue had; key 1 flips the
    // queues and takes key 0's slot, leaving key 3's alone.
    let a2 = sm.getmap(VP, key(2));
    let a1 = sm.getmap(VP, key(1));
    sm.release(a2, 0);
    sm.release(a1, 0);
    let bodies: Vec<(&'static str, Body)> = vec![
        pageout_key(3),
        ("alloc", Box::new(|sm: &Segmap| use_kpm(sm, 0, 0))),
    ];
    run_threads(&sm, bodies);
}

pub const KPM_PAGE_BUSY_FLIP: Scenario = Scenario {
    id: "segmap/kpm-page-busy-flip",
    summary: "segkpm: an allocator skips a free slot whose kpm page a page-out holds and flips to the slots released meanwhile",
    body: page_busy_flip_body,
    ..BASE
};

/// One thread: key 1 cached with a valid kpme (a kpm window taken and
/// released), then a segkmap window on key 1 (`segmap_getmap`, never
/// kpm) released with SM_INVAL. The release unmaps the kpme with
/// `segkpm_mapout_validkpme`, which waits for the page lock holding the
/// slot mutex (seg_map.c:2096-2097).
fn validkpme_body() {
    let sm = kpm_segmap(1, 8);
    use_kpm(&sm, 1, 0);
    let a = sm.getmap(VP, key(1));
    sm.release(a, SM_INVAL);
    sm.check_quiescent();
}

/// Finding F5: the seed's segkpm release path nests a blocking page lock
/// inside the slot mutex, against its own order (page before slot). The
/// slot is unreferenced there, so no holder of that page waits for the
/// slot; reported, not fixed.
pub const KPM_VALIDKPME_ORDER: Scenario = Scenario {
    id: "segmap/kpm-validkpme-order",
    summary: "FINDING F5: segkpm_mapout_validkpme blocks on a page lock with the slot mutex held",
    threads: 1,
    loom_bound: Some(1),
    pct_depth: 1,
    expect: Expect::Finding(&[SYNC_LOCKORDER]),
    body: validkpme_body,
    ..BASE
};

/// Key 1 cached with a valid kpme, F5 fixed. A takes a segkmap window on
/// key 1 and releases it with SM_INVAL while B pages key 1 out (page
/// exclusive, clearing the kpme): A's release finds the page locked,
/// drops the slot mutex to wait for it, and unmaps the kpme only if the
/// page-out left it.
fn validkpme_fixed_body() {
    let sm = kpm_segmap_fixed(1, 8, Fixes::ALL);
    use_kpm(&sm, 1, 0);
    let bodies: Vec<(&'static str, Body)> = vec![
        ("inval", Box::new(|sm: &Segmap| use_window(sm, 1, SM_INVAL))),
        pageout_key(1),
    ];
    run_threads(&sm, bodies);
}

/// F5 fixed (`Fixes::validkpme_page_first`): the kpme's page is locked
/// before the slot mutex, so the release nests page -> slot only.
pub const KPM_VALIDKPME_FIXED: Scenario = Scenario {
    id: "segmap/kpm-validkpme-fixed",
    summary: "segkpm: an SM_INVAL release locks the kpme's page before the slot while a page-out holds it (F5 fixed)",
    mutants: &[
        Mutant {
            name: subsys::segmap::mutants::VALIDKPME_WAIT_UNDER_SLOT,
            catches: SYNC_LOCKORDER,
            summary: "fix F5 waits for the busy page with the slot mutex held (the seed's slot -> page nesting)",
        },
        Mutant {
            name: subsys::segmap::mutants::VALIDKPME_GIVE_UP,
            catches: SEGMAP_KPM_MAP,
            summary: "fix F5 goes on without the busy page: the release unmaps the kpme without its page lock",
        },
    ],
    body: validkpme_fixed_body,
    ..BASE
};

/// Two slots; key 1 cached with a valid kpme, block 2 a hole. A pages key
/// 1 out while B takes a kpm window on it: B's fast path meets the page
/// locked (seg_map.c:1840) and looks it up, waiting for the page-out.
/// Then main takes the two segkmap fallbacks of a kpm getmap: an
/// SM_LOCKPROTO read of the hole (seg_map.c:1921-1931) and a read past
/// the end of the file, whose VOP_GETPAGE fails (1901-1908).
fn fallbacks_body() {
    let sm = kpm_segmap_holes(2, 8, Fixes::default(), 1 << 2);
    use_kpm(&sm, 1, 0);
    let bodies: Vec<(&'static str, Body)> = vec![
        pageout_key(1),
        ("hit", Box::new(|sm: &Segmap| use_kpm(sm, 1, 0))),
    ];
    run_threads(&sm, bodies);
    for (n, forcefault) in [(2, SM_LOCKPROTO), (5, SM_FAULT)] {
        let a = sm.getmapflt(VP, key(n), 0x1000, forcefault, SegRw::Read);
        assert!(a < KPM_BASE, "key {n}: a segkmap window, not {a:#x}");
        sm.release(a, SM_INVAL);
    }
    sm.check_quiescent();
}

pub const KPM_FALLBACKS: Scenario = Scenario {
    id: "segmap/kpm-fallbacks",
    summary: "segkpm: a kpm hit waits for a page-out of its page; SM_LOCKPROTO on a hole and a read past EOF fall back to segkmap",
    body: fallbacks_body,
    ..BASE
};

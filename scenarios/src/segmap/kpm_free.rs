//! segkpm: the getmapflt fast path against a page-out that frees the page
//! (seg_map.c:1833-1850). The kpme is read with no lock; by the time its
//! page is locked a page-out may have unloaded and freed it, and the hit
//! must then look the page up by identity (finding it gone, read it in
//! again) instead of using the free page. No scenario freed a page under a
//! kpm hit; cargo-mutants found the check of PP_ISFREE removable
//! (MUTANTS.md).

use super::common::{key, VP};
use super::kpm::kpm_segmap;
use harness::{Expect, Mutant, Scenario};
use model::sync::spawn;
use subsys::segmap::{SegRw, LOCK_ORDER, SEGMAP_KPM, SM_FAULT};

/// One slot: main's kpm read window on key 0 leaves the slot cached with
/// its kpme on the page. Main hits key 0 again while a pager pages that
/// page out and frees it.
fn body() {
    let sm = kpm_segmap(1, 8);
    let a = sm.getmapflt(VP, key(0), 0x1000, SM_FAULT, SegRw::Read);
    sm.release(a, 0);
    let sm2 = sm.clone();
    let pager = spawn("pager", move || {
        sm2.pageout_free(VP, key(0));
    });
    let a = sm.getmapflt(VP, key(0), 0x1000, SM_FAULT, SegRw::Read);
    sm.release(a, 0);
    pager.join();
    sm.check_quiescent();
}

pub const KPM_HIT_VS_FREE: Scenario = Scenario {
    id: "segmap/kpm-hit-vs-free",
    summary: "segkpm: a kpm hit's fast path races a page-out that frees the kpme's page",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[Mutant {
        name: subsys::segmap::mutants::KPM_FASTPATH_FREE_PAGE,
        catches: SEGMAP_KPM,
        summary: "the fast path takes the kpme's page without checking that a page-out freed it (seg_map.c:1841)",
    }],
    orders: &[&LOCK_ORDER],
    params: &[],
    body,
};

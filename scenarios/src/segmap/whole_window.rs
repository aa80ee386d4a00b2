//! `segmap/softlock` over the whole window: both pages of a block at once.
//! With one page per call, the bitmap bit of a page at a non-zero offset
//! and the steps of the page loops of `segmap_pagecreate`,
//! `segmap_pageunlock` and `segmap_unlock` were never used; cargo-mutants
//! found them free to be wrong (MUTANTS.md).

use super::common::{key, segmap_with_pages, VP};
use harness::{Expect, Mutant, Scenario};
use model::check;
use model::check::SYNC_UNLOCKED;
use model::sync::spawn;
use subsys::segmap::{
    FaultType, Fixes, SegRw, Segmap, LOCK_ORDER, MAXBSIZE, PAGESIZE, SEGMAP_BITMAP,
    SEGMAP_PREFAULT, SM_WRITE,
};

/// One works on both pages of key 1's window, which are not in memory:
/// it creates them with `segmap_pagecreate` and unlocks them with
/// `segmap_pageunlock` (each new page's bit set, then cleared), or
/// soft-locks them with `segmap_fault(F_SOFTLOCK)` (reading them in if
/// needed) and soft-unlocks them; then it releases its window.
fn whole(sm: &Segmap, create: bool) {
    let w = sm.getmap(VP, key(1));
    if create {
        sm.pagecreate(w, MAXBSIZE, false);
        both_translated(sm, w, "segmap_pagecreate");
        sm.pageunlock(w, MAXBSIZE, SegRw::Write);
    } else {
        let locked = sm.fault(w, MAXBSIZE, FaultType::SoftLock, SegRw::Read);
        assert_eq!(locked, Ok(()));
        both_translated(sm, w, "segmap_fault(F_SOFTLOCK)");
        let unlocked = sm.fault(w, MAXBSIZE, FaultType::SoftUnlock, SegRw::Read);
        assert_eq!(unlocked, Ok(()));
    }
    sm.release(w, SM_WRITE);
}

/// [`SEGMAP_PREFAULT`] after `what` over the window at `w`: both its pages
/// are translated (the holder's reference keeps them so).
fn both_translated(sm: &Segmap, w: u64, what: &str) {
    check!(
        sm.translated(w) && sm.translated(w + PAGESIZE),
        SEGMAP_PREFAULT,
        "{what} of both pages of window {w:#x} left one untranslated"
    );
}

/// One slot (every freelist fix on: one slot for two threads is where
/// F1-F3 live) and key 1: a thread creates its pages while main
/// soft-locks them.
fn body() {
    let sm = segmap_with_pages(1, 1, 2, Fixes::ALL);
    let sm2 = sm.clone();
    let creator = spawn("creator", move || whole(&sm2, true));
    whole(&sm, false);
    creator.join();
    sm.check_quiescent();
}

pub const WHOLE_WINDOW: Scenario = Scenario {
    id: "segmap/whole-window",
    summary: "two holders of one window create and unlock, or soft-lock and soft-unlock, both its pages at once",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[
        Mutant {
            name: subsys::segmap::mutants::BITMAP_ONE_BIT,
            catches: SEGMAP_BITMAP,
            summary: "SMAP_BIT_MASK gives every page of a window bit 0 (seg_map.c:193)",
        },
        Mutant {
            name: subsys::segmap::mutants::PAGECREATE_FIRST_PAGE_ONLY,
            catches: SEGMAP_PREFAULT,
            summary: "segmap_pagecreate stops after the first page of its range (seg_map.c:1435)",
        },
        Mutant {
            name: subsys::segmap::mutants::SOFTUNLOCK_OFFSET_STUCK,
            catches: SYNC_UNLOCKED,
            summary: "segmap_unlock (F_SOFTUNLOCK) does not advance the page offset: the first page, already unlocked, is looked at again (seg_map.c:528)",
        },
    ],
    orders: &[&LOCK_ORDER],
    params: &[],
    body,
};

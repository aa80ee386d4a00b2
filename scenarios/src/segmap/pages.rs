//! Pages of a window: `segmap_pagecreate` creates a page and, holding its
//! lock, sets the slot's bitmap bit under the slot mutex (page before slot,
//! seg_map.c:1468); a reuse of another slot frees the old identity's pages
//! holding that slot's mutex, so it only tries their locks
//! (seg_map.c:1102). The two meet on one page. And the soft-lock protocol
//! of `segmap_fault` (seg_map.c:582-770, 486-571).

use super::common::{key, segmap_with_pages, BASE, VP};
use harness::{Mutant, Scenario};
use model::check::{SYNC_LOCKORDER, SYNC_UNLOCKED};
use model::sync::spawn;
use subsys::segmap::{FaultType, Fixes, SegRw, PAGESIZE, SEGMAP_BITMAP, SM_WRITE};

/// Two slots. Key 3 is cached on slot 1 with its first page in memory
/// (created, then unlocked), key 1 on slot 0; slot 1 is next to reuse.
/// A takes key 3 and creates-or-finds its first page, then unlocks it as
/// written; B needs a slot for key 2, reuses slot 1 unless A reclaimed it,
/// and tries to free key 3's pages.
fn body() {
    let sm = segmap_with_pages(2, 1, 4, Fixes::default());
    let a3 = sm.getmap(VP, key(3));
    let a1 = sm.getmap(VP, key(1));
    assert!(sm.pagecreate(a3, PAGESIZE, false), "key 3's page is new");
    sm.pageunlock(a3, PAGESIZE, SegRw::Other);
    sm.release(a3, 0);
    sm.release(a1, 0);
    let a = {
        let sm = sm.clone();
        spawn("create", move || {
            let w = sm.getmap(VP, key(3));
            sm.pagecreate(w, PAGESIZE, false);
            sm.pageunlock(w, PAGESIZE, SegRw::Write);
            sm.release(w, 0);
        })
    };
    let b = {
        let sm = sm.clone();
        spawn("reuse", move || {
            let w = sm.getmap(VP, key(2));
            sm.release(w, 0);
        })
    };
    a.join();
    b.join();
    sm.check_quiescent();
}

pub const PAGECREATE_VS_REUSE: Scenario = Scenario {
    id: "segmap/pagecreate-vs-reuse",
    summary: "a window's page created under its lock while another slot's reuse tries to free it",
    mutants: &[
        Mutant {
            name: subsys::segmap::mutants::PAGEFREE_BLOCKING,
            catches: SYNC_LOCKORDER,
            summary:
                "segmap_pagefree blocks on the page lock with the slot mutex held (seg_map.c:1102)",
        },
        Mutant {
            name: subsys::segmap::mutants::PAGEUNLOCK_KEEPS_BIT,
            catches: SEGMAP_BITMAP,
            summary:
                "segmap_pageunlock unlocks the page but leaves its bitmap bit (seg_map.c:1552-1554)",
        },
        Mutant {
            name: subsys::segmap::mutants::PAGECREATE_WRONG_BIT,
            catches: SEGMAP_BITMAP,
            summary: "segmap_pagecreate sets the neighbouring page's bit (seg_map.c:1460-1469)",
        },
    ],
    body,
    ..BASE
};

/// Two slots; key 1's first page is not in memory yet. Both threads take a
/// window on key 1: one soft-locks the page with `segmap_fault` (whose
/// `VOP_GETPAGE` reads it in if needed), the other with
/// `segmap_pagecreate(softlock)` (which creates it if needed, setting a
/// bitmap bit); each then soft-unlocks, which clears such a bit under the
/// slot mutex with the page lock held.
fn softlock_body() {
    let sm = segmap_with_pages(2, 1, 2, Fixes::default());
    let threads: Vec<_> = [false, true]
        .into_iter()
        .map(|create| {
            let sm = sm.clone();
            spawn("softlock", move || {
                let w = sm.getmap(VP, key(1));
                if create {
                    sm.pagecreate(w, PAGESIZE, true);
                } else {
                    let locked = sm.fault(w, PAGESIZE, FaultType::SoftLock, SegRw::Read);
                    assert_eq!(locked, Ok(()));
                }
                let unlocked = sm.fault(w, PAGESIZE, FaultType::SoftUnlock, SegRw::Write);
                assert_eq!(unlocked, Ok(()));
                sm.release(w, SM_WRITE);
            })
        })
        .collect();
    for t in threads {
        t.join();
    }
    sm.check_quiescent();
}

pub const SOFTLOCK: Scenario = Scenario {
    id: "segmap/softlock",
    summary: "two holders of one window soft-lock its page (fault F_SOFTLOCK, pagecreate) and soft-unlock it",
    mutants: &[
        Mutant {
            name: subsys::segmap::mutants::SOFTUNLOCK_KEEPS_BIT,
            catches: SEGMAP_BITMAP,
            summary: "segmap_unlock (F_SOFTUNLOCK) leaves the bit of a page segmap_pagecreate created (seg_map.c:563-566)",
        },
        Mutant {
            name: subsys::segmap::mutants::SOFTLOCK_DROPS_PAGE,
            catches: SYNC_UNLOCKED,
            summary: "F_SOFTLOCK unlocks the page it should keep locked, so F_SOFTUNLOCK looks it up without its lock (seg_map.c:536, 748-767)",
        },
    ],
    body: softlock_body,
    ..BASE
};

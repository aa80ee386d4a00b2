//! Coverage points: the race windows the seed's comments describe, the
//! seed's counters (`segmapcnt`, `scpu_*`), the branches the scenarios are
//! written to take and the fixes' own paths, each a [`Window`] constant
//! with its seed lines, marked with `model::cover(W.point)` where the port
//! reaches it. `scenarios/tests/segmap.rs` asserts that the segmap
//! scenarios reach every one but those whose `unreachable` says why none
//! can (and reach none of those).

pub use crate::vm::windows::Window;

const fn window(point: &'static str, lines: &'static str, what: &'static str) -> Window {
    Window {
        point,
        lines,
        what,
        unreachable: None,
    }
}

// segmap_getmapflt (seg_map.c:1599-1975).

pub const GETMAP: Window = window(
    "segmap.getmap",
    "seg_map.c:1641",
    "a segmap_getmapflt (the scpu_getmap counter)",
);
pub const MISS_COLOUR0: Window = window(
    "segmap.miss_colour0",
    "seg_map.c:1769-1772",
    "a miss allocates from a freelist of colour 0",
);
pub const MISS_COLOUR1: Window = window(
    "segmap.miss_colour1",
    "seg_map.c:1769-1772",
    "a miss allocates from a freelist of colour 1",
);
/// Indexed by colour.
pub const MISS_COLOUR: [Window; 2] = [MISS_COLOUR0, MISS_COLOUR1];
pub const LOST_HASHIN: Window = window(
    "segmap.lost_hashin",
    "seg_map.c:1785-1795",
    "another thread hashed the same (vp, off) in first: the new slot goes back",
);
pub const TAG_RECHECK_FAILED: Window = window(
    "segmap.tag_recheck_failed",
    "seg_map.c:1669-1674",
    "the slot found on the hash chain lost its tag before its mutex was taken",
);
pub const GET_RECLAIM: Window = window(
    "segmap.get_reclaim",
    "seg_map.c:1676-1731",
    "a hit on a free slot takes it off its queue (scpu_get_reclaim)",
);
pub const STOLEN: Window = Window {
    point: "segmap.stolen",
    lines: "seg_map.c:1727-1730",
    what: "a hit finds an unreferenced slot on no queue (smp_stolen)",
    unreachable: Some(
        "get_free_smp unlinks a slot with the slot mutex held (1283, 1329-1348), and the hit \
         holds it: an unreferenced slot off its queue is never seen there (SEGMAP-I3, I7)",
    ),
};
pub const GET_USE: Window = window(
    "segmap.get_use",
    "seg_map.c:1732-1734",
    "a hit on a referenced slot shares it (smp_get_use)",
);

// The kpm parts of segmap_getmapflt and segmap_pagecreate_kpm.

pub const KPM_FASTPATH: Window = window(
    "segmap.kpm_fastpath",
    "seg_map.c:1833-1890",
    "a hit whose kpme names the page returns its kpm address without VOP_GETPAGE",
);
pub const KPM_FAST_BUSY: Window = window(
    "segmap.kpm_fast_busy",
    "seg_map.c:1840-1850",
    "the fast path finds the kpme's page locked and looks the page up instead",
);
pub const KPM_GETPAGE_FAILED: Window = window(
    "segmap.kpm_getpage_failed",
    "seg_map.c:1896-1908",
    "VOP_GETPAGE fails: the caller gets the segkmap window",
);
pub const KPM_LOCKPROTO: Window = window(
    "segmap.kpm_lockproto",
    "seg_map.c:1921-1931",
    "SM_LOCKPROTO on a page of a hole (less than PROT_ALL): the segkmap window",
);
pub const KPM_FAULT: Window = window(
    "segmap.kpm_fault",
    "seg_map.c:1933-1950",
    "a kpm window after VOP_GETPAGE (scpu_fault)",
);
pub const KPM_PAGECREATE: Window = window(
    "segmap.kpm_pagecreate",
    "seg_map.c:2213-2271",
    "segmap_pagecreate_kpm: the kpm window of a page the caller will write",
);
pub const KPM_NEWPAGE: Window = window(
    "segmap.kpm_newpage",
    "seg_map.c:2224-2247",
    "segmap_pagecreate_kpm creates the page and flags SM_KPM_NEWPAGE",
);

// grab_smp, get_free_smp and segmap_smapadd.

pub const GET_REUSE: Window = window(
    "segmap.get_reuse",
    "seg_map.c:1130-1139",
    "a free slot with an identity is reused: hashed out and unloaded (scpu_get_reuse)",
);
pub const SMAPADD_ROLE_SWAPPED: Window = window(
    "segmap.smapadd_role_swapped",
    "seg_map.c:942-954",
    "the queues swapped roles between the release's unlocked read and its lock",
);
pub const SMAPADD_WAKE: Window = window(
    "segmap.smapadd_wake",
    "seg_map.c:966-973",
    "a release into an empty queue saw sm_want set",
);
pub const SMAPADD_SIGNAL: Window = window(
    "segmap.smapadd_signal",
    "seg_map.c:974-977",
    "sm_want still set under freeq[0]: the release signals a waiter",
);
pub const GET_NOMTX: Window = window(
    "segmap.get_nomtx",
    "seg_map.c:1283-1292",
    "the allocator skips a free slot whose mutex is held (the get_nomtx kstat)",
);
pub const ALLOCQ_CHANGED: Window = window(
    "segmap.allocq_changed",
    "seg_map.c:1205-1214",
    "the allocation queue toggled while the allocator looked at it",
);
pub const RELEQ_BUSY: Window = window(
    "segmap.releq_busy",
    "seg_map.c:1215-1229",
    "the release queue's mutex was held: drop the allocation queue and retry",
);
pub const NEXT_FREELIST: Window = window(
    "segmap.next_freelist",
    "seg_map.c:1231-1246",
    "this freelist is empty: try the next one of the colour",
);
pub const GET_NOFREE: Window = window(
    "segmap.get_nofree",
    "seg_map.c:1247-1259",
    "every freelist of the colour is empty: sleep on sm_free_cv (smp_get_nofree)",
);
pub const QUEUE_FLIP: Window = window(
    "segmap.queue_flip",
    "seg_map.c:1260-1273",
    "slots wait on the release queue: the queues swap roles",
);
pub const KPM_FLIP_DELAY: Window = window(
    "segmap.kpm_flip_delay",
    "seg_map.c:1269-1272",
    "the flip after a slot was skipped for its locked kpm page pauses first",
);
pub const KPM_PAGE_LOCKED: Window = window(
    "segmap.kpm_page_locked",
    "seg_map.c:1303-1314",
    "the allocator skips a free slot whose kpme page it cannot lock",
);
pub const KPM_KPE_GONE: Window = window(
    "segmap.kpm_kpe_gone",
    "seg_map.c:1316-1319",
    "the kpme lost its page before the allocator locked it",
);
pub const BUSY_SLOT_WAIT: Window = window(
    "segmap.busy_slot_wait",
    "seg_map.c:1283-1292, 1247-1259",
    "fix F2: a skipped slot's mutex was held; wait for its holder instead of sleeping",
);
pub const KPM_PAGE_RETRY: Window = window(
    "segmap.kpm_page_retry",
    "seg_map.c:1303-1314, 1269-1272",
    "fix F4: a skipped slot's kpm page was locked; pause and walk again instead of sleeping",
);
pub const COLOUR_REWALK: Window = window(
    "segmap.colour_rewalk",
    "seg_map.c:1240-1258",
    "fix F3: a slot of the colour was freed during the walk; walk again instead of sleeping",
);
pub const COLOUR_WAKE: Window = window(
    "segmap.colour_wake",
    "seg_map.c:956-978, 1240-1258",
    "fix F3: a release signals a waiter on another freelist of its colour",
);

// segmap_pagefree (seg_map.c:1094-1117).

pub const PAGE_BUSY: Window = window(
    "segmap.page_busy",
    "seg_map.c:1102-1103",
    "a page of the reused block is locked: segmap_pagefree leaves it",
);
pub const FREE_MAPPED: Window = window(
    "segmap.free_mapped",
    "seg_map.c:1106-1108",
    "page_release keeps a page still mapped elsewhere (PGREL_NOTREL, smp_free_notfree)",
);
pub const FREE_DIRTY: Window = window(
    "segmap.free_dirty",
    "seg_map.c:1109-1111",
    "page_release of a modified page (PGREL_MOD, smp_free_dirty)",
);
pub const FREE: Window = window(
    "segmap.free",
    "seg_map.c:1112-1114",
    "page_release frees a clean page (PGREL_CLEAN, smp_free)",
);

// The HAT calls on kas and a CPU's access through a window.

pub const HAT_MEMLOAD: Window = window(
    "segmap.hat_memload",
    "seg_map.c:765, 1480",
    "hat_memload of a window page",
);
pub const HAT_MEMLOAD_LOCK: Window = window(
    "segmap.hat_memload_lock",
    "seg_map.c:765, 1472-1480",
    "hat_memload with HAT_LOAD_LOCK (F_SOFTLOCK, or a page segmap_pagecreate created)",
);
pub const HAT_MEMLOAD_LOADED: Window = window(
    "segmap.hat_memload_loaded",
    "seg_map.c:765, 1480; htable.c:2101-2134",
    "the PTE already mapped the page (another holder's fault loaded it)",
);
pub const HAT_UNLOAD: Window = window(
    "segmap.hat_unload",
    "seg_map.c:1169-1179, 2100-2101",
    "hat_unload of a segkmap window",
);
pub const HAT_UNLOAD_KPM_ADDR: Window = window(
    "segmap.hat_unload_kpm_addr",
    "seg_map.c:2091",
    "hat_unload of a kpm address (the kpm SM_INVAL release of a slot also used through segkmap)",
);
pub const HAT_UNLOCK: Window = window(
    "segmap.hat_unlock",
    "seg_map.c:527, 1556",
    "hat_unlock of a soft-locked window page",
);
pub const ACCESS_FAULT: Window = window(
    "segmap.access_fault",
    "seg_map.c:582-770",
    "a CPU's access through a window found no translation and faulted into segmap_fault",
);

// The kpm HAT stand-ins and get_smap_kpm.

pub const KPM_MAPIN: Window = window(
    "segmap.kpm_mapin",
    "seg_map.c:1874, 1942",
    "hat_kpm_mapin fills the slot's kpme",
);
pub const KPM_MAPOUT: Window = window(
    "segmap.kpm_mapout",
    "seg_map.c:1155, 2088",
    "hat_kpm_mapout clears the slot's kpme",
);
pub const KPM_PAGEUNLOAD: Window = window(
    "segmap.kpm_pageunload",
    "seg_map.c:1864-1869",
    "a page-out holds the page exclusive and removes its kpm mappings (hat_pageunload)",
);
pub const KPM_LAST_SMAP_HIT: Window = window(
    "segmap.kpm_last_smap_hit",
    "seg_map.c:2302-2306",
    "the CPU's last slot is the kpm address's slot",
);
pub const KPM_LAST_SMAP_MISS: Window = window(
    "segmap.kpm_last_smap_miss",
    "seg_map.c:2307-2325",
    "the CPU's last slot is another: look the slot up on the hash chain",
);
pub const KPM_VALIDKPME: Window = window(
    "segmap.kpm_validkpme",
    "seg_map.c:2096-2097",
    "an SM_INVAL release through segkmap unmaps the slot's valid kpme",
);
pub const KPM_VALIDKPME_WAIT: Window = window(
    "segmap.kpm_validkpme_wait",
    "seg_map.c:2096-2097",
    "fix F5: the kpme's page is busy; the release waits for it with the slot mutex dropped",
);

// The kpm branches of segmap_release, segmap_pagecreate and segmap_fault.

pub const KPM_INVAL_NOTKPM: Window = window(
    "segmap.kpm_inval_notkpm",
    "seg_map.c:2089-2092",
    "the kpm SM_INVAL release of a slot also released through segkmap unloads translations",
);
pub const KPM_PAGECREATE_ADDR: Window = window(
    "segmap.kpm_pagecreate_addr",
    "seg_map.c:1395-1415",
    "segmap_pagecreate of a kpm window reports SM_KPM_NEWPAGE",
);
pub const KPM_SOFTUNLOCK: Window = window(
    "segmap.kpm_softunlock",
    "seg_map.c:640-658",
    "F_SOFTUNLOCK of a kpm window marks its page",
);

// segmap_pagecreate, segmap_fault.

pub const PAGECREATE: Window = window(
    "segmap.pagecreate",
    "seg_map.c:1417",
    "segmap_pagecreate of a segkmap window (scpu_pagecreate)",
);
pub const PAGECREATE_NEW: Window = window(
    "segmap.pagecreate_new",
    "seg_map.c:1437-1472",
    "segmap_pagecreate creates a page and keeps it exclusive, its bitmap bit set",
);
pub const FAULT: Window = window(
    "segmap.fault",
    "seg_map.c:678",
    "segmap_fault of a segkmap window (scpu_fault)",
);

// segmap_release (seg_map.c:1977-2123).

pub const REL_WRITE: Window = window(
    "segmap.rel_write",
    "seg_map.c:2046-2047",
    "a release with SM_WRITE (smp_rel_write)",
);
pub const REL_ASYNC: Window = window(
    "segmap.rel_async",
    "seg_map.c:2048-2051",
    "a release with SM_ASYNC (smp_rel_async)",
);
pub const REL_ABORT: Window = window(
    "segmap.rel_abort",
    "seg_map.c:2052-2059",
    "a release with SM_INVAL or SM_DESTROY (smp_rel_abort)",
);
pub const REL_FREE: Window = window(
    "segmap.rel_free",
    "seg_map.c:2065-2068",
    "the last holder's release with SM_FREE (smp_rel_free)",
);
pub const REL_DONTNEED: Window = window(
    "segmap.rel_dontneed",
    "seg_map.c:2069-2072",
    "the last holder's release with SM_DONTNEED (smp_rel_dontneed)",
);
pub const RELEASE: Window = window(
    "segmap.release",
    "seg_map.c:2074-2076",
    "a release without flags (scpu_release)",
);
pub const REL_HASHOUT: Window = window(
    "segmap.rel_hashout",
    "seg_map.c:2085-2102",
    "the last SM_INVAL/SM_DESTROY release drops the identity and unloads the window",
);
pub const VOP_PUTPAGE: Window = window(
    "segmap.vop_putpage",
    "seg_map.c:2115-2117",
    "the release calls VOP_PUTPAGE (the stand-in)",
);

/// Every segmap window.
pub const WINDOWS: &[Window] = &[
    GETMAP,
    MISS_COLOUR0,
    MISS_COLOUR1,
    LOST_HASHIN,
    TAG_RECHECK_FAILED,
    GET_RECLAIM,
    STOLEN,
    GET_USE,
    KPM_FASTPATH,
    KPM_FAST_BUSY,
    KPM_GETPAGE_FAILED,
    KPM_LOCKPROTO,
    KPM_FAULT,
    KPM_PAGECREATE,
    KPM_NEWPAGE,
    GET_REUSE,
    SMAPADD_ROLE_SWAPPED,
    SMAPADD_WAKE,
    SMAPADD_SIGNAL,
    GET_NOMTX,
    ALLOCQ_CHANGED,
    RELEQ_BUSY,
    NEXT_FREELIST,
    GET_NOFREE,
    QUEUE_FLIP,
    KPM_FLIP_DELAY,
    KPM_PAGE_LOCKED,
    KPM_KPE_GONE,
    BUSY_SLOT_WAIT,
    KPM_PAGE_RETRY,
    COLOUR_REWALK,
    COLOUR_WAKE,
    PAGE_BUSY,
    FREE_MAPPED,
    FREE_DIRTY,
    FREE,
    HAT_MEMLOAD,
    HAT_MEMLOAD_LOCK,
    HAT_MEMLOAD_LOADED,
    HAT_UNLOAD,
    HAT_UNLOAD_KPM_ADDR,
    HAT_UNLOCK,
    ACCESS_FAULT,
    KPM_MAPIN,
    KPM_MAPOUT,
    KPM_PAGEUNLOAD,
    KPM_LAST_SMAP_HIT,
    KPM_LAST_SMAP_MISS,
    KPM_VALIDKPME,
    KPM_VALIDKPME_WAIT,
    KPM_INVAL_NOTKPM,
    KPM_PAGECREATE_ADDR,
    KPM_SOFTUNLOCK,
    PAGECREATE,
    PAGECREATE_NEW,
    FAULT,
    REL_WRITE,
    REL_ASYNC,
    REL_ABORT,
    REL_FREE,
    REL_DONTNEED,
    RELEASE,
    REL_HASHOUT,
    VOP_PUTPAGE,
];

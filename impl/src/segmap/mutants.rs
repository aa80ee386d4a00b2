//! segmap's mutants: the bugs its scenarios prove the checks catch, one
//! typed name each (`model::mutant(NAME)` where the bug is injected, and
//! the `harness::Mutant` declarations of the scenarios that catch it), so
//! a misspelt mutant does not compile. [`ALL`] lists them for the test that
//! every one is declared by a scenario.

/// SMAP_BIT_MASK gives every page of a window bit 0 (seg_map.c:193)
pub const BITMAP_ONE_BIT: &str = "bitmap-one-bit";

/// get_free_smp blocks on the release queue mutex instead of trying it
/// (seg_map.c:1216)
pub const BLOCKING_RELEQ_ENTER: &str = "blocking-releq-enter";

/// get_free_smp blocks on the slot mutex instead of trying it
/// (seg_map.c:1283)
pub const BLOCKING_SLOT_ENTER: &str = "blocking-slot-enter";

/// fix F3 without the waiter's re-check of the colour's free count: a free
/// between its scan of the other list and its sleep is missed
pub const COLOUR_NO_RECHECK: &str = "colour-no-recheck";

/// fix F3 without the release's wakeup of the colour's other lists: F3
/// again
pub const COLOUR_NO_WAKE: &str = "colour-no-wake";

/// fix F3 waking one other list of the colour (the one before the freeing
/// list), not all of them: the same as all of them with two lists a colour,
/// F3 again with more
pub const COLOUR_WAKE_ONE_LIST: &str = "colour-wake-one-list";

/// the queue flip makes the release queue the allocation queue but not the
/// reverse (seg_map.c:1265-1266)
pub const FLIP_ONE_SIDED: &str = "flip-one-sided";

/// the queue flip stores sm_allocq/sm_releq after dropping both queue
/// mutexes (seg_map.c:1265-1268)
pub const FLIP_UNLOCKED: &str = "flip-unlocked";

/// a woken waiter does not lower sm_want (seg_map.c:1256)
pub const FORGET_WANT_DECREMENT: &str = "forget-want-decrement";

/// grab_smp re-tags the slot without hat_unload of its window
/// (seg_map.c:1177-1179)
pub const GRAB_SKIP_UNLOAD: &str = "grab-skip-unload";

/// SMAP_HASHFUNC leaves the vnode's address out: a key's chain comes from
/// its offset alone (seg_map.c:260-264)
pub const HASH_OFFSET_ONLY: &str = "hash-offset-only";

/// segmap_hashout does not clear the tag (seg_map.c:1085-1086)
pub const HASHOUT_KEEPS_TAG: &str = "hashout-keeps-tag";

/// the SM_INVAL release hashes the slot out without hat_unload of its
/// window (seg_map.c:2099-2101)
pub const INVAL_SKIP_UNLOAD: &str = "inval-skip-unload";

/// SM_INVAL hashes the slot out although other holders remain
/// (seg_map.c:2081-2086)
pub const INVAL_WHILE_HELD: &str = "inval-while-held";

/// an SM_INVAL release of a kpm window keeps the slot's kpm mapping
/// (seg_map.c:2088)
pub const KPM_INVAL_NO_MAPOUT: &str = "kpm-inval-no-mapout";

/// a kpm getmap ANDs its SM_*_DATA flags into the slot's instead of ORing
/// them, so a write window's release never marks its page modified
/// (seg_map.c:1742-1748, 2017-2018)
pub const KPM_DATA_FLAGS_AND: &str = "kpm-data-flags-and";

/// the getmapflt kpm fast path takes the kpme's page without checking
/// that a page-out has not freed it meanwhile (seg_map.c:1841)
pub const KPM_FASTPATH_FREE_PAGE: &str = "kpm-fastpath-free-page";

/// get_free_smp does not re-check the kpme once it has the page
/// (seg_map.c:1316)
pub const KPM_KPE_NO_RECHECK: &str = "kpm-kpe-no-recheck";

/// get_smap_kpm trusts scpu_last_smap without checking its tag
/// (seg_map.c:2305)
pub const KPM_LAST_SMAP_NO_RECHECK: &str = "kpm-last-smap-no-recheck";

/// segmap_release of a kpm window leaves its page locked
/// (seg_map.c:2109-2110)
pub const KPM_RELEASE_NO_UNLOCK: &str = "kpm-release-no-unlock";

/// get_free_smp takes a slot whose kpme page it did not lock
/// (seg_map.c:1303)
pub const KPM_SKIP_TRYLOCK: &str = "kpm-skip-trylock";

/// the loser does not give its slot back (seg_map.c:1790)
pub const LOST_HASHIN_LEAK: &str = "lost-hashin-leak";

/// segmap_pagefree's page_release asks the kmap stand-in's mapping count
/// (which only that HAT keeps) instead of the segment's HAT, and frees a
/// page the user still maps
pub const PAGE_MAPPED_KMAP_COUNT: &str = "page-mapped-kmap-count";

/// segmap_pagecreate stops after the first page of its range
/// (seg_map.c:1435)
pub const PAGECREATE_FIRST_PAGE_ONLY: &str = "pagecreate-first-page-only";

/// segmap_pagecreate sets the neighbouring page's bit (seg_map.c:1460-1469)
pub const PAGECREATE_WRONG_BIT: &str = "pagecreate-wrong-bit";

/// segmap_pagefree blocks on the page lock with the slot mutex held
/// (seg_map.c:1102)
pub const PAGEFREE_BLOCKING: &str = "pagefree-blocking";

/// segmap_pageunlock unlocks the page but leaves its bitmap bit
/// (seg_map.c:1552-1554)
pub const PAGEUNLOCK_KEEPS_BIT: &str = "pageunlock-keeps-bit";

/// smapadd sets SM_QNDX_ZERO from a second read of sm_releq, not from the
/// queue it locks (seg_map.c:949-954)
pub const QNDX_REREAD: &str = "qndx-reread";

/// a reclaim of a free slot does not count its new user (seg_map.c:1735)
pub const RECLAIM_NO_REF: &str = "reclaim-no-ref";

/// a reclaimed free slot is not taken off its queue (seg_map.c:1694-1726)
pub const RECLAIM_NO_UNLINK: &str = "reclaim-no-unlink";

/// a hit increments sm_refcnt after dropping the slot mutex
/// (seg_map.c:1735, 1749)
pub const REFCNT_UNLOCKED: &str = "refcnt-unlocked";

/// release frees the slot when its count drops to 1, not 0 (seg_map.c:2081)
pub const RELEASE_EARLY_FREE: &str = "release-early-free";

/// page_release frees a page a window still maps (hat_page_is_mapped
/// ignored), while a CPU translates to it
pub const RELEASE_FREES_MAPPED: &str = "release-frees-mapped";

/// smapadd re-checks sm_want and signals under the release queue's mutex,
/// not freeq[0] (seg_map.c:974-977)
pub const SIGNAL_UNDER_RELEQ: &str = "signal-under-releq";

/// segmap_hashin does not search the chain again under its mutex
/// (seg_map.c:1010-1013)
pub const SKIP_LOST_HASHIN: &str = "skip-lost-hashin";

/// vrfy_smp does not re-check the tag under the slot mutex (seg_map.c:1671)
pub const SKIP_TAG_RECHECK: &str = "skip-tag-recheck";

/// a released slot goes to the head of the release queue, so the newest is
/// reused first (seg_map.c:980-983)
pub const SMAPADD_AT_HEAD: &str = "smapadd-at-head";

/// segmap_unlock (F_SOFTUNLOCK) does not advance the page offset, so a
/// range of several pages finds its first page again (seg_map.c:528)
pub const SOFTUNLOCK_OFFSET_STUCK: &str = "softunlock-offset-stuck";

/// F_SOFTLOCK unlocks the page it should keep locked, so F_SOFTUNLOCK looks
/// it up without its lock (seg_map.c:536, 748-767)
pub const SOFTLOCK_DROPS_PAGE: &str = "softlock-drops-page";

/// segmap_unlock (F_SOFTUNLOCK) leaves the bit of a page segmap_pagecreate
/// created (seg_map.c:563-566)
pub const SOFTUNLOCK_KEEPS_BIT: &str = "softunlock-keeps-bit";

/// segmap_release tests SM_DESTROY inverted: every release but a destroy
/// passes B_INVAL|B_TRUNC to VOP_PUTPAGE (seg_map.c:2056-2057)
pub const PUTPAGE_DESTROY_INVERTED: &str = "putpage-destroy-inverted";

/// use_segmap_range subtracts the offset within the block from the window
/// address instead of adding it, so the prefault misses the page asked for
/// (seg_map.c:1955-1972)
pub const PREFAULT_OFFSET_NEGATED: &str = "prefault-offset-negated";

/// get_free_smp takes the head slot without moving the head
/// (seg_map.c:1329-1332)
pub const UNLINK_FORGET_HEAD: &str = "unlink-forget-head";

/// fix F5 goes on without the busy page: the release unmaps the kpme
/// without its page lock
pub const VALIDKPME_GIVE_UP: &str = "validkpme-give-up";

/// fix F5 waits for the busy page with the slot mutex held (the seed's slot
/// -> page nesting)
pub const VALIDKPME_WAIT_UNDER_SLOT: &str = "validkpme-wait-under-slot";

/// get_free_smp walks the colour's freelists downward from the rotor, not
/// upward (seg_map.c:1240)
pub const WALK_LISTS_DOWNWARD: &str = "walk-lists-downward";

/// smapadd reads sm_want before taking the release queue mutex
/// (seg_map.c:966)
pub const WANT_BEFORE_RELEQ: &str = "want-before-releq";

/// Every mutant of segmap.
pub const ALL: &[&str] = &[
    BITMAP_ONE_BIT,
    BLOCKING_RELEQ_ENTER,
    BLOCKING_SLOT_ENTER,
    COLOUR_NO_RECHECK,
    COLOUR_NO_WAKE,
    COLOUR_WAKE_ONE_LIST,
    FLIP_ONE_SIDED,
    FLIP_UNLOCKED,
    FORGET_WANT_DECREMENT,
    GRAB_SKIP_UNLOAD,
    HASH_OFFSET_ONLY,
    HASHOUT_KEEPS_TAG,
    INVAL_SKIP_UNLOAD,
    INVAL_WHILE_HELD,
    KPM_INVAL_NO_MAPOUT,
    KPM_DATA_FLAGS_AND,
    KPM_FASTPATH_FREE_PAGE,
    KPM_KPE_NO_RECHECK,
    KPM_LAST_SMAP_NO_RECHECK,
    KPM_RELEASE_NO_UNLOCK,
    KPM_SKIP_TRYLOCK,
    LOST_HASHIN_LEAK,
    PAGE_MAPPED_KMAP_COUNT,
    PAGECREATE_FIRST_PAGE_ONLY,
    PAGECREATE_WRONG_BIT,
    PAGEFREE_BLOCKING,
    PAGEUNLOCK_KEEPS_BIT,
    PREFAULT_OFFSET_NEGATED,
    PUTPAGE_DESTROY_INVERTED,
    QNDX_REREAD,
    RECLAIM_NO_REF,
    RECLAIM_NO_UNLINK,
    REFCNT_UNLOCKED,
    RELEASE_EARLY_FREE,
    RELEASE_FREES_MAPPED,
    SIGNAL_UNDER_RELEQ,
    SKIP_LOST_HASHIN,
    SKIP_TAG_RECHECK,
    SMAPADD_AT_HEAD,
    SOFTLOCK_DROPS_PAGE,
    SOFTUNLOCK_KEEPS_BIT,
    SOFTUNLOCK_OFFSET_STUCK,
    UNLINK_FORGET_HEAD,
    VALIDKPME_GIVE_UP,
    VALIDKPME_WAIT_UNDER_SLOT,
    WALK_LISTS_DOWNWARD,
    WANT_BEFORE_RELEQ,
];

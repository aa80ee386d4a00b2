//! segmap's lock order as one table (seg_map.c:228-251).

use super::state::{CHAIN, QUEUE, SLOT};
use crate::vm::page::PAGE;
use model::lockdep::{Exception, LockOrder, Nesting};

/// The nestings against segmap's ranks (shared with the kernel-wide
/// order, `crate::order::KERNEL_ORDER`).
pub(crate) const EXCEPTIONS: &[Exception] = &[
        Exception {
            held: SLOT,
            taken: PAGE,
            nesting: Nesting::TryOnly,
            why: "segmap_pagefree tries the old identity's pages with the slot locked (seg_map.c:1102, 1181); with segkpm get_free_smp tries a free slot's kpme page (seg_map.c:1303)",
        },
        Exception {
            held: QUEUE,
            taken: PAGE,
            nesting: Nesting::TryOnly,
            why: "with segkpm, get_free_smp tries a free slot's kpme page with the allocation queue and the slot locked (seg_map.c:1303)",
        },
        Exception {
            held: QUEUE,
            taken: SLOT,
            nesting: Nesting::TryOnly,
            why: "get_free_smp tries each slot of the locked allocation queue (seg_map.c:1283, 244-246)",
        },
        Exception {
            held: PAGE,
            taken: PAGE,
            nesting: Nesting::Blocking,
            why: "a range of one window's pages is locked in ascending offset order, each kept while the next is taken: the VOP_GETPAGE page list of segmap_fault (seg_map.c:706-710, 721-768; F_SOFTLOCK keeps them) and the new pages of segmap_pagecreate (1437-1472); every segmap path that holds several pages of a block takes them upward, and none waits for a lower page of it",
        },
        Exception {
            held: QUEUE,
            taken: QUEUE,
            nesting: Nesting::TryOnly,
            why: "get_free_smp tries the release queue while holding the allocation queue; their roles swap (seg_map.c:1216)",
        },
];

/// Page lock before slot (`segmap_pagecreate` seg_map.c:1468,
/// `segmap_pageunlock` 1552, `segmap_unlock` 563), slot before hash chain
/// or free queue (seg_map.c:234-236); chains and queues never nest with
/// each other.
///
/// A page, then another page of the same window, blocking: a range of a
/// window's pages is locked upward, each kept while the next is taken
/// (`segmap_fault`'s page list, `segmap_pagecreate`; seg_map.c:706-768,
/// 1437-1472), and no segmap path wants a lower page of a block while it
/// holds a higher one.
///
/// Four nestings go against the ranks, by try only:
/// * a slot, then a page: `segmap_pagefree`, called by grab_smp with the
///   slot locked, uses `page_lookup_nowait` (seg_map.c:1102); with segkpm,
///   the allocator tries the page a free slot's kpme names (seg_map.c:1303);
/// * a free queue, then a slot: the allocator walks a locked queue and
///   tries each slot (seg_map.c:1283; documented at 244-246);
/// * a free queue, then a page: that kpme page try happens with the
///   allocation queue still locked (seg_map.c:1303, 1347);
/// * a free queue, then the other queue of the same freelist: the two swap
///   roles, so neither order is fixed and the second is tried
///   (seg_map.c:1216).
///
/// Not in the table: with segkpm, a release through a segkmap address
/// that drops the identity unmaps the slot's kpme with
/// `segkpm_mapout_validkpme`, which waits for the page lock with the slot
/// mutex held (seg_map.c:2096-2097). The slot is then unreferenced, and
/// only a holder of a window on it could hold its kpme page and want its
/// mutex, so no deadlock through segmap is known there; one entry per pair
/// cannot say "blocking only there", and the nesting is reported as
/// finding F5 (`segmap/kpm-validkpme-order`). With
/// `Fixes::validkpme_page_first` the release takes that page before the
/// slot mutex, or tries it under it (`segmap/kpm-validkpme-fixed`), and
/// the table holds as it is.
pub static LOCK_ORDER: LockOrder = LockOrder {
    subsystem: "segmap",
    ranks: &[&[PAGE], &[SLOT], &[CHAIN, QUEUE]],
    exceptions: EXCEPTIONS,
};

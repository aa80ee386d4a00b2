//! segmap's lock order as one table (seg_map.c:228-251).

use super::state::{CHAIN, QUEUE, SLOT};
use model::lockdep::{Exception, LockOrder, Nesting};

/// Slot before hash chain or free queue (seg_map.c:234-236); chains and
/// queues never nest with each other. The page lock comes before the slot
/// (`segmap_pagecreate`, `segmap_pageunlock`, the kpm paths) and joins the
/// table when the page lock primitive lands.
///
/// Two nestings go against the ranks, by try only:
/// * a free queue, then a slot: the allocator walks a locked queue and
///   tries each slot (seg_map.c:1283; documented at 244-246);
/// * a free queue, then the other queue of the same freelist: the two swap
///   roles, so neither order is fixed and the second is tried
///   (seg_map.c:1216).
pub static LOCK_ORDER: LockOrder = LockOrder {
    subsystem: "segmap",
    ranks: &[&[SLOT], &[CHAIN, QUEUE]],
    exceptions: &[
        Exception {
            held: QUEUE,
            taken: SLOT,
            nesting: Nesting::TryOnly,
            why: "get_free_smp tries each slot of the locked allocation queue (seg_map.c:1283, 244-246)",
        },
        Exception {
            held: QUEUE,
            taken: QUEUE,
            nesting: Nesting::TryOnly,
            why: "get_free_smp tries the release queue while holding the allocation queue; their roles swap (seg_map.c:1216)",
        },
    ],
};

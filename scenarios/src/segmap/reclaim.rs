//! A hit racing an allocation for the same slot: the windows of
//! seg_map.c:238-246 (lookup, drop the chain mutex, lock the slot, check the
//! tag again), 1664-1731 (reclaim of a free slot) and 1283-1292 (the
//! allocator try-locks slots in reversed order and skips busy ones).

use super::common::{key, run_threads, segmap, use_window, BASE, VP};
use harness::{Mutant, Scenario};
use model::check::SYNC_LOCKORDER;
use subsys::segmap::{Fixes, Segmap, SEGMAP_I3, SEGMAP_TAG};

/// Two slots: key 1 on slot 1 and key 3 on slot 0, both free, with slot 1
/// at the head of the release queue. A reclaims key 1; B needs a slot for
/// key 2 and walks the queue starting at slot 1.
fn body() {
    let sm = segmap(2, Fixes::default());
    let a1 = sm.getmap(VP, key(1));
    let a3 = sm.getmap(VP, key(3));
    sm.release(a1, 0);
    sm.release(a3, 0);
    run_threads(
        &sm,
        vec![
            ("hit", Box::new(|sm: &Segmap| use_window(sm, 1, 0))),
            ("alloc", Box::new(|sm: &Segmap| use_window(sm, 2, 0))),
        ],
    );
}

pub const RECLAIM_RACE: Scenario = Scenario {
    id: "segmap/reclaim-race",
    summary: "a hit reclaims a free slot while an allocation walks the freelist over it",
    mutants: &[
        Mutant {
            name: subsys::segmap::mutants::SKIP_TAG_RECHECK,
            catches: SEGMAP_TAG,
            summary: "vrfy_smp does not re-check the tag under the slot mutex (seg_map.c:1671)",
        },
        Mutant {
            name: subsys::segmap::mutants::RECLAIM_NO_UNLINK,
            catches: SEGMAP_I3,
            summary: "a reclaimed free slot is not taken off its queue (seg_map.c:1694-1726)",
        },
        Mutant {
            name: subsys::segmap::mutants::BLOCKING_SLOT_ENTER,
            catches: SYNC_LOCKORDER,
            summary: "get_free_smp blocks on the slot mutex instead of trying it (seg_map.c:1283)",
        },
    ],
    body,
    ..BASE
};

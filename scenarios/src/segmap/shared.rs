//! Two threads hold windows on the same cached key at once: the reclaim of
//! a free slot and the hit on a referenced one (seg_map.c:1676-1735).

use super::common::{key, segmap, Gate, BASE, VP};
use harness::{Mutant, Scenario};
use model::check::SYNC_UNLOCKED;
use model::sync::spawn;
use std::sync::Arc;
use subsys::segmap::{Fixes, SegRw, SEGMAP_REFCNT, SM_FAULT};

/// A 4K page within a MAXBSIZE block.
const PAGE: u64 = 0x1000;

/// Two slots, key 1 cached and free. Each thread takes a window on key 1
/// and keeps it until the other has one too, so both references overlap.
/// The second thread asks for the second page of the block with a
/// prefault (`SM_FAULT`), whose `segmap_fault` reads the tag unlocked (the
/// file has no page in memory here, so its `VOP_GETPAGE` fails, which the
/// prefault ignores).
fn body() {
    let sm = segmap(2, Fixes::default());
    let a = sm.getmap(VP, key(1));
    sm.release(a, 0);
    let gate = Arc::new(Gate::new());
    let threads: Vec<_> = [false, true]
        .into_iter()
        .map(|prefault| {
            let (sm, gate) = (sm.clone(), gate.clone());
            spawn("hit", move || {
                let a = if prefault {
                    sm.getmapflt(VP, key(1) + PAGE, PAGE, SM_FAULT, SegRw::Read)
                } else {
                    sm.getmap(VP, key(1))
                };
                gate.arrive_and_wait(2);
                sm.release(a, 0);
            })
        })
        .collect();
    for t in threads {
        t.join();
    }
    sm.check_quiescent();
}

pub const SHARED_HIT: Scenario = Scenario {
    id: "segmap/shared-hit",
    summary: "two threads hold windows on one cached key at once (reclaim, then hit)",
    mutants: &[
        Mutant {
            name: subsys::segmap::mutants::RECLAIM_NO_REF,
            catches: SEGMAP_REFCNT,
            summary: "a reclaim of a free slot does not count its new user (seg_map.c:1735)",
        },
        Mutant {
            name: subsys::segmap::mutants::REFCNT_UNLOCKED,
            catches: SYNC_UNLOCKED,
            summary:
                "a hit increments sm_refcnt after dropping the slot mutex (seg_map.c:1735, 1749)",
        },
    ],
    body,
    ..BASE
};

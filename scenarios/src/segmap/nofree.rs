//! More getmaps than slots: one thread waits for a free slot (sm_want and
//! sm_free_cv, seg_map.c:1231-1259 against 956-978), and finding F2.

use super::common::{run_threads, segmap, use_window, BASE};
use harness::{Expect, Mutant, Scenario};
use model::check::{SYNC_DEADLOCK, SYNC_LOCKORDER, SYNC_UNLOCKED};
use subsys::segmap::{Fixes, Segmap, SEGMAP_I8};

/// One slot, two threads with different keys. Main uses the slot once
/// first, so that the queues have flipped once and the waiter finds the
/// release queue at `sm_freeq[1]` (the one it drops before sleeping).
fn body(fixes: Fixes) {
    let sm = segmap(1, fixes);
    use_window(&sm, 0, 0);
    run_threads(
        &sm,
        vec![
            ("a", Box::new(|sm: &Segmap| use_window(sm, 1, 0))),
            ("b", Box::new(|sm: &Segmap| use_window(sm, 2, 0))),
        ],
    );
}

fn seed_body() {
    body(Fixes::default());
}

fn fixed_body() {
    body(Fixes {
        busy_slot_no_sleep: true,
        ..Fixes::default()
    });
}

/// Finding F2 (see `subsys::segmap`'s freelist module): as the seed is
/// written, the second thread can sleep for ever although the slot is free.
pub const BUSY_SLOT_SLEEP: Scenario = Scenario {
    id: "segmap/busy-slot-sleep",
    summary: "FINDING F2: an allocator skips the slot its releaser still locks, sleeps, and is never woken",
    expect: Expect::Finding(&[SYNC_DEADLOCK]),
    body: seed_body,
    ..BASE
};

/// The same program with F2 fixed: every interleaving completes.
pub const NOFREE_WAIT: Scenario = Scenario {
    id: "segmap/nofree-wait",
    summary: "two threads, one slot: one waits on sm_free_cv for the other's release (F2 fixed)",
    mutants: &[
        Mutant {
            name: subsys::segmap::mutants::SIGNAL_UNDER_RELEQ,
            catches: SYNC_DEADLOCK,
            summary: "smapadd re-checks sm_want and signals under the release queue's mutex, not freeq[0] (seg_map.c:974-977)",
        },
        Mutant {
            name: subsys::segmap::mutants::WANT_BEFORE_RELEQ,
            catches: SYNC_UNLOCKED,
            summary: "smapadd reads sm_want before taking the release queue mutex (seg_map.c:966)",
        },
        Mutant {
            name: subsys::segmap::mutants::FORGET_WANT_DECREMENT,
            catches: SEGMAP_I8,
            summary: "a woken waiter does not lower sm_want (seg_map.c:1256)",
        },
        Mutant {
            name: subsys::segmap::mutants::BLOCKING_RELEQ_ENTER,
            catches: SYNC_LOCKORDER,
            summary: "get_free_smp blocks on the release queue mutex instead of trying it (seg_map.c:1216)",
        },
    ],
    body: fixed_body,
    ..BASE
};

//! A release racing a queue flip: segmap_smapadd reads which queue is the
//! release queue with no lock (seg_map.c:949-953) while an allocator swaps
//! the roles (seg_map.c:1265-1266).

use super::common::{key, run_threads, segmap, use_window, BASE, VP};
use harness::{Mutant, Scenario};
use model::check::SYNC_UNLOCKED;
use subsys::segmap::{Fixes, Segmap, SEGMAP_I3, SEGMAP_I5};

/// Two slots. Main holds key 1 and has released key 3, so the allocation
/// queue is empty and the release queue holds one slot. A releases key 1
/// while B allocates for key 2, which flips the queues.
fn body() {
    let sm = segmap(2, Fixes::default());
    let a1 = sm.getmap(VP, key(1));
    let a3 = sm.getmap(VP, key(3));
    sm.release(a3, 0);
    run_threads(
        &sm,
        vec![
            (
                "release",
                Box::new(move |sm: &Segmap| {
                    sm.release(a1, 0);
                }),
            ),
            ("alloc", Box::new(|sm: &Segmap| use_window(sm, 2, 0))),
        ],
    );
}

pub const RELEASE_VS_FLIP: Scenario = Scenario {
    id: "segmap/release-vs-flip",
    summary: "a release reads the release queue unlocked while an allocation flips the queues",
    mutants: &[
        Mutant {
            name: subsys::segmap::mutants::QNDX_REREAD,
            catches: SEGMAP_I3,
            summary: "smapadd sets SM_QNDX_ZERO from a second read of sm_releq, not from the queue it locks (seg_map.c:949-954)",
        },
        Mutant {
            name: subsys::segmap::mutants::FLIP_ONE_SIDED,
            catches: SEGMAP_I5,
            summary: "the queue flip makes the release queue the allocation queue but not the reverse (seg_map.c:1265-1266)",
        },
        Mutant {
            name: subsys::segmap::mutants::FLIP_UNLOCKED,
            catches: SYNC_UNLOCKED,
            summary: "the queue flip stores sm_allocq/sm_releq after dropping both queue mutexes (seg_map.c:1265-1268)",
        },
    ],
    body,
    ..BASE
};

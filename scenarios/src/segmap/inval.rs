//! Two holders of one window; each release drops the identity
//! (SM_INVAL, SM_DESTROY), racing the other's lookup: seg_map.c:2081-2104
//! against 1664-1735.

use super::common::{key, run_threads, segmap, use_window, BASE, VP};
use harness::{Mutant, Scenario};
use subsys::segmap::{
    Fixes, Segmap, SEGMAP_GRAB, SEGMAP_I2, SEGMAP_I6, SM_DESTROY, SM_INVAL, SM_WRITE,
};

fn body() {
    let sm = segmap(2, Fixes::default());
    let a = sm.getmap(VP, key(1));
    sm.release(a, 0);
    run_threads(
        &sm,
        vec![
            ("inval", Box::new(|sm: &Segmap| use_window(sm, 1, SM_INVAL))),
            (
                "destroy",
                Box::new(|sm: &Segmap| use_window(sm, 1, SM_DESTROY | SM_WRITE)),
            ),
        ],
    );
}

pub const INVAL_RACE: Scenario = Scenario {
    id: "segmap/inval-race",
    summary:
        "two threads take the cached key 1; each release invalidates it while the other looks it up",
    mutants: &[
        Mutant {
            name: subsys::segmap::mutants::INVAL_WHILE_HELD,
            catches: SEGMAP_I6,
            summary:
                "SM_INVAL hashes the slot out although other holders remain (seg_map.c:2081-2086)",
        },
        Mutant {
            name: subsys::segmap::mutants::RELEASE_EARLY_FREE,
            catches: SEGMAP_GRAB,
            summary: "release frees the slot when its count drops to 1, not 0 (seg_map.c:2081)",
        },
        Mutant {
            name: subsys::segmap::mutants::HASHOUT_KEEPS_TAG,
            catches: SEGMAP_I2,
            summary: "segmap_hashout does not clear the tag (seg_map.c:1085-1086)",
        },
    ],
    body,
    ..BASE
};

//! Two threads miss on the same key at once: the lost hashin of
//! seg_map.c:1006-1013 and 1785-1795.

use super::common::{run_threads, segmap, use_window, BASE};
use harness::{Mutant, Scenario};
use subsys::segmap::{Fixes, Segmap, SEGMAP_I1, SEGMAP_I4, SEGMAP_I7};

fn body() {
    let sm = segmap(2, Fixes::default());
    run_threads(
        &sm,
        vec![
            ("miss-a", Box::new(|sm: &Segmap| use_window(sm, 1, 0))),
            ("miss-b", Box::new(|sm: &Segmap| use_window(sm, 1, 0))),
        ],
    );
}

pub const LOST_HASHIN: Scenario = Scenario {
    id: "segmap/lost-hashin",
    summary: "two threads miss on the same key; the second hashin loses and uses the first's slot",
    mutants: &[
        Mutant {
            name: subsys::segmap::mutants::SKIP_LOST_HASHIN,
            catches: SEGMAP_I1,
            summary: "segmap_hashin does not search the chain again under its mutex (seg_map.c:1010-1013)",
        },
        Mutant {
            name: subsys::segmap::mutants::LOST_HASHIN_LEAK,
            catches: SEGMAP_I7,
            summary: "the loser does not give its slot back (seg_map.c:1790)",
        },
        Mutant {
            name: subsys::segmap::mutants::UNLINK_FORGET_HEAD,
            catches: SEGMAP_I4,
            summary: "get_free_smp takes the head slot without moving the head (seg_map.c:1329-1332)",
        },
    ],
    body,
    ..BASE
};

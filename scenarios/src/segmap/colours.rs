//! Two colours and two freelists of one colour: freelist choice by colour
//! and per-CPU rotor (seg_map.c:1769-1772), and the step to the next
//! freelist of the same colour when one is empty (seg_map.c:1240-1246).

use super::common::{run_threads, use_window, BASE};
use harness::Scenario;
use std::sync::Arc;
use subsys::segmap::{Segmap, SegmapConfig, SM_ASYNC, SM_DONTNEED, SM_FREE, SM_WRITE};

/// Four slots in two colours (slots 0 and 2 colour 0, 1 and 3 colour 1).
/// A maps a key of each colour, B one of colour 1; the releases between
/// them pass every release flag that does not drop the identity.
fn colours_body() {
    let mut cfg = SegmapConfig::new(4);
    cfg.ncolor = 2;
    let sm = Arc::new(Segmap::create(cfg));
    run_threads(
        &sm,
        vec![
            (
                "a",
                Box::new(|sm: &Segmap| {
                    use_window(sm, 1, SM_WRITE | SM_ASYNC);
                    use_window(sm, 2, SM_FREE | SM_DONTNEED);
                }),
            ),
            ("b", Box::new(|sm: &Segmap| use_window(sm, 3, SM_DONTNEED))),
        ],
    );
}

pub const TWO_COLOURS: Scenario = Scenario {
    id: "segmap/two-colours",
    summary: "keys of both colours on two colour freelists",
    body: colours_body,
    ..BASE
};

/// Two slots on two freelists of one colour. Each thread's CPU rotor
/// starts at freelist 1, so the second thread there finds it empty and
/// moves on to freelist 0.
fn freelists_body() {
    let mut cfg = SegmapConfig::new(2);
    cfg.nfreelist = 2;
    let sm = Arc::new(Segmap::create(cfg));
    run_threads(
        &sm,
        vec![
            ("a", Box::new(|sm: &Segmap| use_window(sm, 1, 0))),
            ("b", Box::new(|sm: &Segmap| use_window(sm, 2, 0))),
        ],
    );
}

pub const TWO_FREELISTS: Scenario = Scenario {
    id: "segmap/two-freelists",
    summary: "two freelists of one colour: an empty list sends the allocator to the next",
    body: freelists_body,
    ..BASE
};

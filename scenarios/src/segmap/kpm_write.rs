//! segkpm: a write through a kpm window leaves no MOD bit in a PTE segmap
//! unloads; the getmap records SM_WRITE_DATA in the slot (seg_map.c:1742-
//! 1748, 1803-1809) and the release marks the page modified from it
//! (seg_map.c:2017-2018). Property: kpm writes are never lost.

use super::common::{key, run_threads, Body, BASE, VP};
use super::kpm::{kpm_segmap, use_kpm};
use harness::{Mutant, Scenario};
use subsys::segmap::{SegRw, Segmap, SEGMAP_MODLOST, SM_FAULT, SM_WRITE};

/// A kpm write window on key `n`: store, release with SM_WRITE.
fn write_kpm(sm: &Segmap, n: u64) {
    let a = sm.getmapflt(VP, key(n), 0x1000, SM_FAULT, SegRw::Write);
    sm.access(a, true).expect("a kpm window never faults");
    sm.release(a, SM_WRITE);
}

/// Two slots (one per colour), two CPUs. A writes key 1 through a kpm
/// window; B reads key 3, of the same colour, which takes the slot of key 1
/// and frees its page once A is done with
/// it (segmap_pagefree, seg_map.c:1094-1117): freed clean, or still cached
/// but not modified at the end, A's write is lost (SEGMAP-MODLOST).
fn body() {
    let sm = kpm_segmap(2, 2);
    let bodies: Vec<(&'static str, Body)> = vec![
        ("writer", Box::new(|sm: &Segmap| write_kpm(sm, 1))),
        ("reader", Box::new(|sm: &Segmap| use_kpm(sm, 3, 0))),
    ];
    run_threads(&sm, bodies);
}

pub const KPM_WRITE: Scenario = Scenario {
    id: "segmap/kpm-write",
    summary: "segkpm: a kpm write window's page is modified when the slot is reused",
    mutants: &[Mutant {
        name: subsys::segmap::mutants::KPM_DATA_FLAGS_AND,
        catches: SEGMAP_MODLOST,
        summary: "a kpm getmap ANDs its SM_*_DATA flags into the slot's (seg_map.c:1742-1748)",
    }],
    body,
    ..BASE
};

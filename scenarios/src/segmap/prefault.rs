//! A window asked for at a non-zero offset within its block: the prefault
//! of `segmap_getmapflt` (seg_map.c:1955-1972) faults in the page at that
//! offset of the slot's window, not the block's first page nor another
//! slot's.

use super::common::{key, run_threads, segmap_with_pages, use_window, Body, BASE, VP};
use harness::{Mutant, Scenario};
use model::check;
use subsys::segmap::{Fixes, SegRw, Segmap, PAGESIZE, SEGMAP_PREFAULT, SM_FAULT};

/// A prefaulted read window on the second page of key `n`; the page is
/// translated before any access ([`SEGMAP_PREFAULT`]: the slot is new,
/// one getmap per key).
fn prefault_second_page(sm: &Segmap, n: u64) {
    let a = sm.getmapflt(VP, key(n) + PAGESIZE, PAGESIZE, SM_FAULT, SegRw::Read);
    check!(
        sm.translated(a + PAGESIZE),
        SEGMAP_PREFAULT,
        "getmapflt(off {:#x}, SM_FAULT) returned window {a:#x} without its page translated",
        key(n) + PAGESIZE
    );
    sm.release(a, 0);
}

/// Two slots over a file of four blocks. A prefaults the second page of
/// key 1 while B uses key 0.
fn body() {
    let sm = segmap_with_pages(2, 1, 4, Fixes::default());
    let bodies: Vec<(&'static str, Body)> = vec![
        (
            "prefault",
            Box::new(|sm: &Segmap| prefault_second_page(sm, 1)),
        ),
        ("other", Box::new(|sm: &Segmap| use_window(sm, 0, 0))),
    ];
    run_threads(&sm, bodies);
}

pub const PREFAULT_OFFSET: Scenario = Scenario {
    id: "segmap/prefault-offset",
    summary: "a prefaulted window at a non-zero offset within its block has that page translated",
    mutants: &[Mutant {
        name: subsys::segmap::mutants::PREFAULT_OFFSET_NEGATED,
        catches: SEGMAP_PREFAULT,
        summary: "the prefault subtracts the offset within the block (seg_map.c:1955-1972)",
    }],
    body,
    ..BASE
};

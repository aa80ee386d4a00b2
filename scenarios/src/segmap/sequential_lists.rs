//! `segmap/sequential` on several freelists and hash chains: one thread's
//! getmaps and releases, each slot as the sequential model predicts, where
//! the model decides which freelist a miss takes from (the CPU's rotor for
//! the key's colour, then that colour's lists upward from it,
//! seg_map.c:1231-1246, 1769-1772), and each key on the chain
//! `SMAP_HASHFUNC` names (I2, seg_map.c:260-264). With one freelist and one
//! or two chains neither the walk's order, the colours nor the hash could
//! be seen; cargo-mutants found a walk run downward and three wrong hashes
//! surviving every scenario (MUTANTS.md).

use super::sequential::{refine, SeqOp};
use harness::{Expect, Mutant, Scenario};
use model::check::fail;
use subsys::segmap::{Segmap, SegmapConfig, LOCK_ORDER, SEGMAP_I2, SEGMAP_SPEC};
use SeqOp::{Get, Release};

/// Four slots, slot i on freelist i, of one colour. Four misses take
/// lists 1, 2, 3, 0 (the rotor); keys 2 and 4 are released (lists 2 and
/// 0 free); the fifth miss starts at list 1, empty, and must take list 2,
/// the next one up, not list 0 below it.
const WALK: &[SeqOp] = &[
    Get(1),
    Get(2),
    Get(3),
    Get(4),
    Release(1, 0),
    Release(2, 0),
    Get(5),
    Get(2),
    Get(4),
];

/// Four slots on two freelists of each of two colours (colour c: lists c
/// and c + 2; key n has colour n & 1). Odd and even keys take their own
/// colour's lists, by each colour's rotor; when a colour's lists are empty
/// a miss of it would sleep (the model skips it) though the other colour's
/// lists have slots.
const COLOURS: &[SeqOp] = &[
    Get(1),
    Get(2),
    Get(3),
    Release(0, 0),
    Get(4),
    Get(5),
    Get(7),
    Release(2, 0),
    Get(6),
    Get(8),
    Get(9),
];

fn on_lists(nfreelist: u32, ncolor: u32, program: &[SeqOp]) {
    let mut cfg = SegmapConfig::new(4);
    cfg.nfreelist = nfreelist;
    cfg.ncolor = ncolor;
    // 256 chains: the keys spread over them as SMAP_HASHFUNC says (I2),
    // the vnode address's terms included (a vnode is 0x200 bytes, so with
    // fewer chains `vp >> 3` and `vp >> 6` add a multiple of the size).
    cfg.hashsz = Some(256);
    let sm = Segmap::create(cfg);
    if let Err(e) = refine(&sm, program) {
        fail(
            SEGMAP_SPEC,
            format!("{nfreelist} freelists of each of {ncolor} colours: {e}"),
        );
    }
    sm.check_quiescent();
}

fn body() {
    on_lists(4, 1, WALK);
    on_lists(2, 2, COLOURS);
}

pub const SEQUENTIAL_LISTS: Scenario = Scenario {
    id: "segmap/sequential-lists",
    summary: "one thread on four freelists, then on two colours, with 256 hash chains: every miss takes the freelist the sequential model predicts, every key sits on its SMAP_HASHFUNC chain",
    threads: 1,
    loom_bound: Some(1),
    pct_depth: 1,
    expect: Expect::Pass,
    mutants: &[
        Mutant {
            name: subsys::segmap::mutants::WALK_LISTS_DOWNWARD,
            catches: SEGMAP_SPEC,
            summary: "get_free_smp walks the colour's freelists downward from the rotor (seg_map.c:1240)",
        },
        Mutant {
            name: subsys::segmap::mutants::HASH_OFFSET_ONLY,
            catches: SEGMAP_I2,
            summary: "SMAP_HASHFUNC leaves the vnode's address out (seg_map.c:260-264)",
        },
    ],
    orders: &[&LOCK_ORDER],
    params: &[],
    body,
};

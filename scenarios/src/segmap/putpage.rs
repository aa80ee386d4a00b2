//! What `segmap_release` asks of the file system: the stand-in
//! `VOP_PUTPAGE` gets, for each release flag, the flags the seed passes
//! (seg_map.c:2045-2076), and is not called for 0 or SM_DONTNEED alone
//! (seg_map.c:2115-2120). Property: VOP_PUTPAGE receives the seed's flags
//! for each release flag.

use super::common::{key, run_threads, segmap, Body, BASE, VP};
use harness::{Mutant, Scenario};
use model::check;
use subsys::segmap::{
    Fixes, Segmap, B_ASYNC, B_DONTNEED, B_FREE, B_INVAL, B_TRUNC, SEGMAP_PUTPAGE, SM_ASYNC,
    SM_DESTROY, SM_DONTNEED, SM_FREE, SM_INVAL, SM_WRITE,
};

/// (release flags, holders left, the `VOP_PUTPAGE` bflags the seed passes
/// or `None` for no call), from seg_map.c:2045-2076 and 2115-2120.
const TABLE: &[(u32, u32, Option<u32>)] = &[
    (0, 0, None),
    (SM_DONTNEED, 0, None),
    (SM_WRITE, 0, Some(0)),
    (SM_ASYNC, 0, Some(B_ASYNC)),
    (SM_INVAL, 0, Some(B_INVAL)),
    (SM_DESTROY, 0, Some(B_INVAL | B_TRUNC)),
    (SM_FREE, 0, Some(B_FREE)),
    (SM_WRITE | SM_DONTNEED, 0, Some(B_DONTNEED)),
    // seg_map.c:2060-2073: FREE and DONTNEED only for the last holder.
    (SM_FREE | SM_DONTNEED, 1, Some(0)),
];

/// Each row of [`TABLE`] on key `n`: take `1 + holders` windows, release
/// one with the row's flags and compare the putpage log, then release the
/// others.
fn release_each_flag(sm: &Segmap, n: u64) {
    for &(flags, holders, want) in TABLE {
        let a = sm.getmap(VP, key(n));
        for _ in 0..holders {
            sm.getmap(VP, key(n));
        }
        let before = sm.putpages().len();
        sm.release(a, flags);
        let got: Vec<u32> = sm.putpages()[before..].iter().map(|&(_, _, b)| b).collect();
        let last = sm.putpages().last().copied();
        check!(
            got == want.into_iter().collect::<Vec<_>>()
                && (want.is_none() || last.map(|(v, o, _)| (v, o)) == Some((VP.tag(), key(n)))),
            SEGMAP_PUTPAGE,
            "segmap_release(flags {flags:#x}, {holders} other holders) called VOP_PUTPAGE with {got:#x?} (last {last:x?}), the seed passes {want:#x?}"
        );
        for _ in 0..holders {
            sm.release(a, 0);
        }
    }
}

/// Two slots, one thread running [`TABLE`] on key 1 (the flags are a
/// function of the release alone; a second thread would only multiply
/// the interleavings of one log).
fn body() {
    let sm = segmap(2, Fixes::default());
    let bodies: Vec<(&'static str, Body)> =
        vec![("releases", Box::new(|sm: &Segmap| release_each_flag(sm, 1)))];
    run_threads(&sm, bodies);
}

pub const PUTPAGE_FLAGS: Scenario = Scenario {
    id: "segmap/putpage-flags",
    summary: "VOP_PUTPAGE gets the seed's flags for each segmap_release flag",
    threads: 2,
    mutants: &[Mutant {
        name: subsys::segmap::mutants::PUTPAGE_DESTROY_INVERTED,
        catches: SEGMAP_PUTPAGE,
        summary: "segmap_release tests SM_DESTROY inverted (seg_map.c:2056-2057)",
    }],
    body,
    ..BASE
};

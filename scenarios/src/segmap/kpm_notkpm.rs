//! segkpm: a slot used through both its segkmap window and a kpm window.
//! A segkmap release marks the slot SM_NOTKPM_RELEASED (seg_map.c:2035),
//! so that whoever drops its identity also unloads the segkmap window's
//! translations: grab_smp (1163-1172) or the last SM_INVAL/SM_DESTROY
//! release of a kpm window (2089-2092), which passes the kpm address.

use super::common::{key, BASE, VP};
use super::kpm::{kpm_segmap_fixed, use_kpm};
use harness::{Expect, Scenario};
use subsys::segmap::{Fixes, SEGMAP_XLATE, SM_INVAL};

/// One slot, one thread. Key 1 through the segkmap window (`segmap_getmap`
/// is never kpm, 1643-1646): a write faults its page in, and the
/// translation stays after the release. Then a kpm window on key 1 (the
/// slot still caches it), released with SM_INVAL: the identity goes, and
/// `hat_unload` is given an address. Then key 2 reuses the slot through
/// its segkmap window and reads through it.
fn body(fixes: Fixes) {
    let sm = kpm_segmap_fixed(1, 8, fixes);
    let a = sm.getmap(VP, key(1));
    sm.access(a, true)
        .expect("a write through the segkmap window");
    sm.release(a, 0);
    use_kpm(&sm, 1, SM_INVAL);
    let b = sm.getmap(VP, key(2));
    sm.access(b, false)
        .expect("a read through the segkmap window");
    sm.release(b, 0);
    sm.check_quiescent();
}

fn seed_body() {
    body(Fixes::default());
}

fn fixed_body() {
    body(Fixes::ALL);
}

/// Finding F6: the kpm SM_INVAL release unloads the kpm address
/// (seg_map.c:2091) where the segkmap window's translations are the ones
/// left: the slot loses its identity while its window still maps key 1's
/// page, and with SM_NOTKPM_RELEASED cleared, grab_smp does not unload it
/// when the slot is reused.
pub const KPM_INVAL_NOTKPM: Scenario = Scenario {
    id: "segmap/kpm-inval-notkpm",
    summary: "FINDING F6: a kpm SM_INVAL release unloads the kpm address, leaving the slot's segkmap translation behind",
    threads: 1,
    loom_bound: Some(1),
    pct_depth: 1,
    expect: Expect::Finding(&[SEGMAP_XLATE]),
    body: seed_body,
    ..BASE
};

/// F6 fixed (`Fixes::notkpm_unload_window`): the release unloads the
/// slot's segkmap window, as grab_smp does (seg_map.c:1169-1171).
pub const KPM_INVAL_NOTKPM_FIXED: Scenario = Scenario {
    id: "segmap/kpm-inval-notkpm-fixed",
    summary: "segkpm: a kpm SM_INVAL release of a slot also used through segkmap unloads the segkmap window (F6 fixed)",
    threads: 1,
    loom_bound: Some(1),
    pct_depth: 1,
    body: fixed_body,
    ..BASE
};

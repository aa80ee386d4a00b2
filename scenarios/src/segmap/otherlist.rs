//! A waiter sleeps on the last freelist of its colour it tried
//! (seg_map.c:1240-1258); a slot freed to another freelist of that colour
//! does not wake it: finding F3, and its fix.

use super::common::{key, BASE, VP};
use harness::{Expect, Mutant, Scenario};
use model::check::SYNC_DEADLOCK;
use model::sync::spawn;
use std::sync::Arc;
use subsys::segmap::{Fixes, Segmap, SegmapConfig};

/// Two slots on two freelists of one colour (slot i on freelist i). Main
/// holds both; the waiter's rotor starts at freelist 1, finds both lists
/// empty and sleeps on freelist 0. Main frees its slot of freelist 1 and,
/// still holding the other window, waits for the waiter.
fn body(fixes: Fixes) {
    let mut cfg = SegmapConfig::new(2);
    cfg.nfreelist = 2;
    cfg.fixes = fixes;
    let sm = Arc::new(Segmap::create(cfg));
    let on1 = sm.getmap(VP, key(1));
    let on0 = sm.getmap(VP, key(2));
    assert_eq!(
        (Segmap::addr_slot(on1), Segmap::addr_slot(on0)),
        (1, 0),
        "main's rotor"
    );
    let sm2 = sm.clone();
    let waiter = spawn("waiter", move || {
        let a = sm2.getmap(VP, key(3));
        sm2.release(a, 0);
    });
    sm.release(on1, 0);
    waiter.join();
    sm.release(on0, 0);
    sm.check_quiescent();
}

/// F1 and F2 fixed, so the hang is neither of theirs.
fn f1_f2_fixed() {
    body(Fixes {
        every_release_wakes: true,
        busy_slot_no_sleep: true,
        ..Fixes::default()
    });
}

/// Finding F3, with F1 and F2 fixed.
pub const OTHER_LIST_SLEEP: Scenario = Scenario {
    id: "segmap/other-list-sleep",
    summary:
        "FINDING F3: a waiter sleeps on one freelist while a slot is freed to another of its colour",
    threads: 2,
    expect: Expect::Finding(&[SYNC_DEADLOCK]),
    body: f1_f2_fixed,
    ..BASE
};

fn all_fixed() {
    body(Fixes::ALL);
}

/// The same program with F3 fixed too (`Fixes::colour_wakeup`).
pub const OTHER_LIST_SLEEP_FIXED: Scenario = Scenario {
    id: "segmap/other-list-sleep-fixed",
    summary: "a slot freed to another freelist of the waiter's colour wakes it (F1, F2 and F3 fixed)",
    threads: 2,
    mutants: &[
        Mutant {
            name: subsys::segmap::mutants::COLOUR_NO_RECHECK,
            catches: SYNC_DEADLOCK,
            summary: "fix F3 without the waiter's re-check of the colour's free count: a free between its scan of the other list and its sleep is missed",
        },
        Mutant {
            name: subsys::segmap::mutants::COLOUR_NO_WAKE,
            catches: SYNC_DEADLOCK,
            summary: "fix F3 without the release's wakeup of the colour's other lists: F3 again",
        },
    ],
    body: all_fixed,
    ..BASE
};

//! Two threads wait for a slot and two slots are released: finding F1
//! (seg_map.c:956-985, one wakeup per release into an empty queue).

use super::common::{key, segmap, Gate, BASE, VP};
use harness::{Expect, Scenario};
use model::check::SYNC_DEADLOCK;
use model::sync::spawn;
use std::sync::Arc;
use subsys::segmap::Fixes;

/// Two slots, both held by main. Two threads each need a window and hold
/// it until the other has one too (as two threads that each hold a window
/// while waiting on the other would). Main then releases both slots.
fn body(fixes: Fixes) {
    let sm = segmap(2, fixes);
    let a1 = sm.getmap(VP, key(1));
    let a2 = sm.getmap(VP, key(2));
    let gate = Arc::new(Gate::new());
    let waiters: Vec<_> = [3, 4]
        .into_iter()
        .map(|n| {
            let (sm, gate) = (sm.clone(), gate.clone());
            spawn("waiter", move || {
                let a = sm.getmap(VP, key(n));
                gate.arrive_and_wait(2);
                sm.release(a, 0);
            })
        })
        .collect();
    sm.release(a1, 0);
    sm.release(a2, 0);
    for w in waiters {
        w.join();
    }
    sm.check_quiescent();
}

fn f2_fixed() {
    body(Fixes {
        busy_slot_no_sleep: true,
        ..Fixes::default()
    });
}

fn both_fixed() {
    body(Fixes {
        busy_slot_no_sleep: true,
        every_release_wakes: true,
        ..Fixes::default()
    });
}

/// Finding F1, shown with F2 fixed (so the hang is not F2's).
pub const STRANDED_WAITER: Scenario = Scenario {
    id: "segmap/stranded-waiter",
    summary: "FINDING F1: two waiters, two releases, one wakeup: a waiter sleeps while a slot is free (F2 fixed)",
    loom_bound: Some(2),
    expect: Expect::Finding(&[SYNC_DEADLOCK]),
    body: f2_fixed,
    ..BASE
};

/// The same program with F1 and F2 fixed.
pub const STRANDED_WAITER_FIXED: Scenario = Scenario {
    id: "segmap/stranded-waiter-fixed",
    summary: "two waiters, two releases: every release wakes a waiter (F1 and F2 fixed)",
    loom_bound: Some(2),
    body: both_fixed,
    ..BASE
};

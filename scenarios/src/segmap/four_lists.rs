//! Fix F3 with four freelists of one colour: a slot freed to any of them
//! wakes a waiter asleep on any other (cargo-mutants found that with the
//! two lists of `other-list-sleep-fixed` a wakeup of one neighbour is
//! indistinguishable from a wakeup of all; MUTANTS.md).

use super::common::{key, VP};
use harness::{Expect, Mutant, Scenario};
use model::check::SYNC_DEADLOCK;
use model::sync::{retry, spawn};
use std::sync::Arc;
use subsys::segmap::{Fixes, Segmap, SegmapConfig, LOCK_ORDER};

/// Four slots on four freelists of one colour (slot i on freelist i).
/// Main holds all four windows; the waiter's rotor starts at freelist 1,
/// it finds all four lists empty and sleeps on freelist 0. Once it sleeps,
/// main frees its slot of freelist 2, neither the waiter's list nor a
/// neighbour of it, and waits for the waiter with the other three held.
fn body() {
    let mut cfg = SegmapConfig::new(4);
    cfg.nfreelist = 4;
    cfg.fixes = Fixes::ALL;
    let sm = Arc::new(Segmap::create(cfg));
    let held: Vec<u64> = (1..=4).map(|n| sm.getmap(VP, key(n))).collect();
    assert_eq!(
        held.iter()
            .map(|&a| Segmap::addr_slot(a))
            .collect::<Vec<_>>(),
        [1, 2, 3, 0],
        "main's rotor"
    );
    let sm2 = sm.clone();
    let waiter = spawn("waiter", move || {
        let a = sm2.getmap(VP, key(5));
        sm2.release(a, 0);
    });
    // Every list of the colour is empty until the waiter sleeps: a free
    // before that is the F3 re-walk that other-list-sleep-fixed explores.
    while sm.sleepers(0) == 0 {
        retry();
    }
    sm.release(held[1], 0);
    waiter.join();
    for &a in [held[0], held[2], held[3]].iter() {
        sm.release(a, 0);
    }
    sm.check_quiescent();
}

/// A release wakes the waiters of every other freelist of its colour.
pub const FOUR_LISTS_WAKE: Scenario = Scenario {
    id: "segmap/four-lists-wake",
    summary: "four freelists of one colour: a slot freed to one wakes a waiter asleep on another (F3 fixed)",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[Mutant {
        name: subsys::segmap::mutants::COLOUR_WAKE_ONE_LIST,
        catches: SYNC_DEADLOCK,
        summary: "fix F3 waking only the list before the freeing one: the waiter two lists away sleeps on",
    }],
    orders: &[&LOCK_ORDER],
    params: &[],
    body,
};

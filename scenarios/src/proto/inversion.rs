//! Lock inversion, the shape of `get_free_smp` (seg_map.c:1283): one thread
//! holds a slot and wants the freelist; the other holds the freelist and
//! wants the slot. Only a try makes the reversed order safe.

use harness::{Expect, Mutant, Scenario};
use model::check::{SYNC_DEADLOCK, SYNC_LOCKORDER, SYNC_MISUSE};
use model::lockdep::{Exception, LockOrder, Nesting};
use model::sync::{retry, spawn, KMutex};
use std::sync::Arc;

const SLOT: &str = "proto.slot";
const FREELIST: &str = "proto.freelist";

/// Slot before freelist; the reverse only by a try.
pub static ORDER: LockOrder = LockOrder {
    subsystem: "proto",
    ranks: &[&[SLOT], &[FREELIST]],
    exceptions: &[Exception {
        held: FREELIST,
        taken: SLOT,
        nesting: Nesting::TryOnly,
        why: "the freelist walk try-locks slots (seg_map.c:1283, 244-246)",
    }],
};

struct Locks {
    slot: KMutex,
    freelist: KMutex,
}

fn locks() -> Arc<Locks> {
    Arc::new(Locks {
        slot: KMutex::tried(SLOT, 0),
        freelist: KMutex::new(FREELIST, 0),
    })
}

/// A: slot then freelist, in order.
fn in_order(l: &Locks) {
    l.slot.enter();
    l.freelist.enter();
    l.freelist.exit();
    l.slot.exit();
}

fn tryenter_body() {
    let l = locks();
    let l2 = l.clone();
    let a = spawn("in-order", move || in_order(&l2));
    // B: freelist, then a try of the slot; on failure back off and retry.
    loop {
        l.freelist.enter();
        let got = if model::mutant("blocking-enter") {
            l.slot.enter();
            true
        } else {
            l.slot.tryenter()
        };
        if got {
            l.slot.exit();
            l.freelist.exit();
            break;
        }
        if model::mutant("exit-unowned") {
            // Releases the slot its try did not get.
            l.slot.exit();
        }
        l.freelist.exit();
        retry();
    }
    a.join();
}

pub const TRYENTER: Scenario = Scenario {
    id: "proto/tryenter-inversion",
    summary: "slot->freelist vs freelist->tryenter(slot) with back-off: no deadlock",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[
        Mutant {
            name: "blocking-enter",
            catches: SYNC_DEADLOCK,
            summary: "the reversed acquisition blocks instead of trying",
        },
        Mutant {
            name: "exit-unowned",
            catches: SYNC_MISUSE,
            summary: "the back-off path releases the slot its failed try never got",
        },
    ],
    orders: &[&ORDER],
    params: &[],
    body: tryenter_body,
};

fn enter_body() {
    let l = locks();
    let l2 = l.clone();
    let a = spawn("in-order", move || in_order(&l2));
    l.freelist.enter();
    l.slot.enter();
    l.slot.exit();
    l.freelist.exit();
    a.join();
}

pub const ENTER: Scenario = Scenario {
    id: "proto/enter-inversion",
    summary: "slot->freelist vs freelist->slot with enter: deadlock (negative control)",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Control(&[SYNC_DEADLOCK, SYNC_LOCKORDER]),
    mutants: &[],
    orders: &[&ORDER],
    params: &[],
    body: enter_body,
};

fn apart_body() {
    let l = locks();
    // A takes slot->freelist and finishes before B starts freelist->slot:
    // the two never overlap, so no execution deadlocks.
    let l2 = l.clone();
    let a = spawn("in-order", move || in_order(&l2));
    a.join();
    l.freelist.enter();
    l.slot.enter();
    l.slot.exit();
    l.freelist.exit();
}

pub const APART: Scenario = Scenario {
    id: "proto/order-inversion-apart",
    summary:
        "A->B then, never overlapping, B->A: no deadlock, cycle still reported (negative control)",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 2,
    expect: Expect::Control(&[SYNC_LOCKORDER]),
    mutants: &[],
    orders: &[&ORDER],
    params: &[],
    body: apart_body,
};

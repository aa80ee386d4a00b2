//! Object lifetime against the arena's checks: a published object that
//! threads look up and pin under a lock, use outside it, and reap.
//!
//! The shape of a kmem-allocated structure found through a locked table
//! (an htable on its hash chain, htable.c:1267-1334 look-up with a hold,
//! 1159-1261 release and free): a look-up takes a reference while the
//! table lock keeps the object published; the reaper unpublishes it under
//! the lock, waits until the references taken before that are dropped,
//! and frees it. Two workers each look up, use, and try to reap, so
//! exactly one of them frees.

use harness::{Expect, Mutant, Scenario};
use model::check::{MEM_DOUBLE_FREE, MEM_FREE_HELD, MEM_UAF};
use model::kernel::{Arena, Handle};
use model::lockdep::LockOrder;
use model::sync::{retry, spawn, AtomicU32, AtomicU64, KMutex, Ordering};
use std::sync::Arc;

const TABLE: &str = "proto.table";

/// A single lock.
pub static ORDER: LockOrder = LockOrder {
    subsystem: "proto-uaf",
    ranks: &[&[TABLE]],
    exceptions: &[],
};

/// The object: its fields are facade primitives.
struct Obj {
    /// (a) uses so far.
    uses: AtomicU32,
}

struct World {
    arena: Arena<Obj>,
    /// (c) the table lock.
    lock: KMutex,
    /// (L) the published object's handle bits; 0 once reaped.
    slot: AtomicU64,
    /// (a) references taken by look-ups and not yet dropped: the
    /// program's own count, which the reaper waits on. Each is also
    /// declared to the arena with `hold`, for the free-while-held check.
    pins: AtomicU32,
}

fn world() -> Arc<World> {
    let w = World {
        arena: Arena::new("proto.obj", 1),
        lock: KMutex::new(TABLE, 0),
        slot: AtomicU64::new("proto.slot", 0, 0),
        pins: AtomicU32::new("proto.pins", 0, 0),
    };
    let h = w.arena.alloc(Obj {
        uses: AtomicU32::new("proto.uses", 0, 0),
    });
    w.slot.store(h.to_bits(), Ordering::Relaxed);
    Arc::new(w)
}

/// Looks the object up, uses it, then tries to reap it.
fn worker(w: &World) {
    let pin = !model::mutant("use-after-free");
    w.lock.enter();
    let h = Handle::from_bits(w.slot.load(Ordering::Relaxed));
    if let (Some(h), true) = (h, pin) {
        w.pins.fetch_add(1, Ordering::AcqRel);
        w.arena.hold(h);
    }
    w.lock.exit();
    if let Some(h) = h {
        w.arena.get(h).uses.fetch_add(1, Ordering::Relaxed);
        if pin {
            w.arena.release(h);
            w.pins.fetch_sub(1, Ordering::AcqRel);
        }
    }
    reap(w);
}

/// Unpublishes the object under the lock; whoever unpublished it waits
/// for the pins taken before that to drain, then frees it.
fn reap(w: &World) {
    let bits = if model::mutant("double-free") {
        // Decides on a value read without the lock: both workers may see
        // the object and both free it.
        let seen = w.slot.load(Ordering::Relaxed);
        w.lock.enter();
        w.slot.store(0, Ordering::Relaxed);
        w.lock.exit();
        seen
    } else {
        w.lock.enter();
        let seen = w.slot.swap(0, Ordering::Relaxed);
        w.lock.exit();
        seen
    };
    let Some(h) = Handle::from_bits(bits) else {
        model::cover("proto.uaf.reaped-by-other");
        return;
    };
    if !model::mutant("free-held") {
        // No new pin can start: the object is unpublished.
        while w.pins.load(Ordering::Acquire) != 0 {
            model::cover("proto.uaf.reaper-waits");
            retry();
        }
    }
    w.arena.free(h);
}

fn body() {
    let w = world();
    let w2 = w.clone();
    let t = spawn("worker", move || worker(&w2));
    worker(&w);
    t.join();
}

pub const USE_AFTER_FREE: Scenario = Scenario {
    id: "proto/use-after-free",
    summary: "look up + pin under a lock, use outside it, reap after pins drain: no UAF, one free",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[
        Mutant {
            name: "use-after-free",
            catches: MEM_UAF,
            summary:
                "look-ups take no reference, so the other worker may free the object under a use",
        },
        Mutant {
            name: "double-free",
            catches: MEM_DOUBLE_FREE,
            summary:
                "the reaper decides on the slot read before taking the lock: both workers free",
        },
        Mutant {
            name: "free-held",
            catches: MEM_FREE_HELD,
            summary: "the reaper frees without waiting for references taken before it unpublished",
        },
    ],
    orders: &[&ORDER],
    params: &[],
    body,
};

//! The page I/O lock (`page_io_lock`, `page_io_trylock`, `page_io_wait`):
//! holders exclude each other, and a waiter returns only after the unlock.

use super::inside;
use super::pagelock::{IO, ORDER};
use harness::scenario::UNBOUNDED;
use harness::{Expect, Mutant, Scenario};
use model::check::SYNC_MISUSE;
use model::sync::{spawn, AtomicU32, IoLock, Ordering, RwMode};
use std::sync::Arc;

/// Two threads take the I/O lock (one by a try); they never overlap. A
/// third waits for it without taking it, and must see the holder's work.
/// Both outcomes of the try are covered.
fn io_lock_body() {
    let io = Arc::new(IoLock::new(IO, 0));
    let count = Arc::new(AtomicU32::new("prim.inside", 0, 0));
    let done = Arc::new(AtomicU32::new("prim.done", 0, 0));
    io.page_io_lock();
    let (io2, c2, d2) = (io.clone(), count.clone(), done.clone());
    let waiter = spawn("io-wait", move || {
        io2.page_io_wait();
        assert_eq!(d2.load(Ordering::Relaxed), 1, "page_io_wait returned early");
        if io2.page_io_trylock() {
            model::cover("prim.io-lock.trylock-ok");
            inside(&c2, RwMode::Writer);
            io2.page_io_unlock();
        } else {
            model::cover("prim.io-lock.trylock-failed");
        }
    });
    done.store(1, Ordering::Relaxed);
    io.page_io_unlock();
    io.page_io_lock();
    assert!(io.page_io_locked());
    inside(&count, RwMode::Writer);
    io.page_io_unlock();
    if model::mutant("io-unlock-twice") {
        io.page_io_unlock();
    }
    waiter.join();
}

pub const IO_LOCK: Scenario = Scenario {
    id: "prim/io-lock",
    summary: "page_io_lock excludes page_io_trylock; page_io_wait waits for the unlock",
    threads: 2,
    loom_bound: Some(UNBOUNDED),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[Mutant {
        name: "io-unlock-twice",
        catches: SYNC_MISUSE,
        summary: "page_io_unlock of an unlocked I/O lock",
    }],
    orders: &[&ORDER],
    params: &[],
    body: io_lock_body,
};

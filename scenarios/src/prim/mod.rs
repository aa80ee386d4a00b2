//! Primitive scenarios: each proves one kernel primitive of the facade
//! beyond mutex and condvar (rwlock, page lock, page I/O lock, callouts,
//! timed condvar wait) right, or one check able to fail. Scenarios whose
//! point is that an outcome is *possible* mark each outcome with a
//! `prim.<scenario>.<outcome>` coverage point; the tests assert that loom
//! reached every one of them.

mod callout;
mod iolock;
mod pagelock;
mod rwlock;
mod timedwait;

use harness::Scenario;
use model::sync::{retry, AtomicU32, Ordering, RwMode};

/// The prim scenarios.
pub const SCENARIOS: &[Scenario] = &[
    rwlock::EXCLUSION,
    rwlock::MUTEX_ABBA,
    rwlock::WRITER_PREFERENCE,
    rwlock::RECURSIVE_READ,
    rwlock::READER_MUTEX_WRITER,
    rwlock::DOWNGRADE_UPGRADE,
    pagelock::DROPS_MUTEX,
    pagelock::TRYUPGRADE,
    iolock::IO_LOCK,
    callout::UNTIMEOUT_CANCELS,
    callout::UNTIMEOUT_WAITS,
    callout::SELF_UNTIMEOUT,
    timedwait::TIMED_WAIT,
    timedwait::TIMED_WAIT_ALONE,
    timedwait::PASSES_SIGNAL,
];

/// Spins (with the retry hint) until `a` is non-zero.
fn await_set(a: &AtomicU32) {
    while a.load(Ordering::Acquire) == 0 {
        retry();
    }
}

/// What a writer adds to an occupancy counter; a reader adds 1.
const WRITER: u32 = 100;

/// Counts the caller in and out of `count` and panics if anyone inside
/// excludes it: a writer must be alone, a reader must share only with
/// readers.
fn inside(count: &AtomicU32, mode: RwMode) {
    let add = if mode == RwMode::Writer { WRITER } else { 1 };
    let before = count.fetch_add(add, Ordering::Relaxed);
    let ok = match mode {
        RwMode::Writer => before == 0,
        RwMode::Reader => before < WRITER,
    };
    assert!(ok, "exclusion broken: {before} inside");
    count.fetch_sub(add, Ordering::Relaxed);
}

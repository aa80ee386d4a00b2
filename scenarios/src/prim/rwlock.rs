//! `krwlock_t`: writers exclude everyone, a waiting writer shuts out new
//! readers, downgrade and tryupgrade, and the inversions that deadlock
//! through a shared hold.

use super::{await_set, inside};
use harness::{Expect, Mutant, Scenario};
use model::check::{PANIC, SYNC_DEADLOCK, SYNC_LOCKORDER, SYNC_MISUSE};
use model::lockdep::LockOrder;
use model::sync::{spawn, AtomicU32, KMutex, KRwLock, Ordering, RwMode};
use std::sync::Arc;

const RW: &str = "prim.rw";
const MTX: &str = "prim.mutex";

/// The rwlock before the mutex.
pub static ORDER: LockOrder = LockOrder {
    subsystem: "prim-rw",
    ranks: &[&[RW], &[MTX]],
    exceptions: &[],
};

fn exclusion_body() {
    let rw = Arc::new(KRwLock::new(RW, 0));
    let count = Arc::new(AtomicU32::new("prim.inside", 0, 0));
    let (rw2, c2) = (rw.clone(), count.clone());
    let w = spawn("writer", move || {
        let mode = if model::mutant("writer-enters-as-reader") {
            RwMode::Reader
        } else {
            RwMode::Writer
        };
        rw2.enter(mode);
        inside(&c2, RwMode::Writer);
        rw2.exit();
    });
    let (rw3, c3) = (rw.clone(), count.clone());
    let w2 = spawn("writer", move || {
        rw3.enter(RwMode::Writer);
        inside(&c3, RwMode::Writer);
        rw3.exit();
        if model::mutant("exit-twice") {
            rw3.exit();
        }
    });
    rw.enter(RwMode::Reader);
    inside(&count, RwMode::Reader);
    rw.exit();
    w.join();
    w2.join();
}

pub const EXCLUSION: Scenario = Scenario {
    id: "prim/rw-exclusion",
    summary: "two writers and a reader: writers exclude everyone",
    threads: 3,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[
        Mutant {
            name: "writer-enters-as-reader",
            catches: PANIC,
            summary: "a writer enters as reader: it overlaps the reader",
        },
        Mutant {
            name: "exit-twice",
            catches: SYNC_MISUSE,
            summary: "rw_exit of a lock the thread no longer holds",
        },
    ],
    orders: &[&ORDER],
    params: &[],
    body: exclusion_body,
};

fn mutex_abba_body() {
    let rw = Arc::new(KRwLock::new(RW, 0));
    let m = Arc::new(KMutex::new(MTX, 0));
    let (rw2, m2) = (rw.clone(), m.clone());
    let t = spawn("mutex-first", move || {
        m2.enter();
        rw2.enter(RwMode::Reader);
        rw2.exit();
        m2.exit();
    });
    rw.enter(RwMode::Writer);
    m.enter();
    m.exit();
    rw.exit();
    t.join();
}

pub const MUTEX_ABBA: Scenario = Scenario {
    id: "prim/rw-mutex-abba",
    summary: "rwlock->mutex vs mutex->rwlock (negative control)",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Control(&[SYNC_DEADLOCK, SYNC_LOCKORDER]),
    mutants: &[],
    orders: &[&ORDER],
    params: &[],
    body: mutex_abba_body,
};

/// The main thread holds the lock as reader throughout; a writer blocks
/// on it; a second reader's tryenter then fails although only readers
/// hold the lock. Whether the reader comes before the writer blocks is
/// the scheduler's choice: both outcomes are covered.
fn writer_preference_body() {
    let rw = Arc::new(KRwLock::new(RW, 0));
    rw.enter(RwMode::Reader);
    let rw2 = rw.clone();
    let w = spawn("writer", move || {
        rw2.enter(RwMode::Writer);
        assert!(rw2.write_held() && !rw2.read_held());
        rw2.exit();
    });
    let rw3 = rw.clone();
    let r = spawn("reader", move || {
        if rw3.tryenter(RwMode::Reader) {
            model::cover("prim.rw-pref.reader-admitted");
            rw3.exit();
        } else {
            model::cover("prim.rw-pref.reader-refused");
        }
    });
    r.join();
    assert!(rw.read_held() && !rw.write_held());
    rw.exit();
    w.join();
}

pub const WRITER_PREFERENCE: Scenario = Scenario {
    id: "prim/rw-writer-preference",
    summary: "a waiting writer makes tryenter(Reader) fail on a read-locked rwlock",
    threads: 3,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[],
    orders: &[&ORDER],
    params: &[],
    body: writer_preference_body,
};

fn recursive_read_body() {
    let rw = Arc::new(KRwLock::new(RW, 0));
    rw.enter(RwMode::Reader);
    let rw2 = rw.clone();
    let w = spawn("writer", move || {
        rw2.enter(RwMode::Writer);
        rw2.exit();
    });
    rw.enter(RwMode::Reader);
    rw.exit();
    rw.exit();
    w.join();
}

pub const RECURSIVE_READ: Scenario = Scenario {
    id: "prim/rw-recursive-read",
    summary: "re-entering as reader deadlocks once a writer waits (negative control)",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Control(&[SYNC_DEADLOCK, SYNC_LOCKORDER]),
    mutants: &[],
    orders: &[&ORDER],
    params: &[],
    body: recursive_read_body,
};

/// The case of the `rwlock.c` big theory comment: a reader that then takes
/// a mutex, and a mutex holder that then reads, deadlock only once a third
/// thread blocks as writer in between. The cycle goes through a shared
/// hold: the mutex holder waits for the rwlock, whose (only) holder waits
/// for the mutex.
fn reader_mutex_writer_body() {
    let rw = Arc::new(KRwLock::new(RW, 0));
    let m = Arc::new(KMutex::new(MTX, 0));
    let (rw2, m2) = (rw.clone(), m.clone());
    let t = spawn("mutex-then-read", move || {
        m2.enter();
        rw2.enter(RwMode::Reader);
        rw2.exit();
        m2.exit();
    });
    let rw3 = rw.clone();
    let w = spawn("writer", move || {
        rw3.enter(RwMode::Writer);
        rw3.exit();
    });
    rw.enter(RwMode::Reader);
    m.enter();
    m.exit();
    rw.exit();
    t.join();
    w.join();
}

pub const READER_MUTEX_WRITER: Scenario = Scenario {
    id: "prim/rw-reader-mutex-writer",
    summary: "read->mutex vs mutex->read deadlocks behind a waiting writer (negative control)",
    threads: 3,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Control(&[SYNC_DEADLOCK, SYNC_LOCKORDER]),
    mutants: &[],
    orders: &[&ORDER],
    params: &[],
    body: reader_mutex_writer_body,
};

/// Downgrade lets a reader in; tryupgrade fails while it shares the lock
/// and succeeds once the caller is the only reader.
fn downgrade_upgrade_body() {
    let rw = Arc::new(KRwLock::new(RW, 0));
    let entered = Arc::new(AtomicU32::new("prim.entered", 0, 0));
    let leave = Arc::new(AtomicU32::new("prim.leave", 0, 0));
    rw.enter(RwMode::Writer);
    assert!(rw.write_held() && !rw.read_held());
    let (rw2, e2, l2) = (rw.clone(), entered.clone(), leave.clone());
    let r = spawn("reader", move || {
        rw2.enter(RwMode::Reader);
        e2.store(1, Ordering::Release);
        await_set(&l2);
        rw2.exit();
    });
    rw.downgrade();
    assert!(rw.read_held() && !rw.write_held());
    await_set(&entered);
    assert!(!rw.tryupgrade(), "tryupgrade with another reader");
    leave.store(1, Ordering::Release);
    r.join();
    assert!(rw.tryupgrade(), "tryupgrade as the only reader");
    assert!(rw.write_held());
    if model::mutant("tryupgrade-unheld") {
        rw.exit();
        rw.tryupgrade();
    }
    rw.exit();
    assert!(!rw.lock_held());
}

pub const DOWNGRADE_UPGRADE: Scenario = Scenario {
    id: "prim/rw-downgrade-upgrade",
    summary: "downgrade admits a reader; tryupgrade fails with another reader",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[Mutant {
        name: "tryupgrade-unheld",
        catches: SYNC_MISUSE,
        summary: "rw_tryupgrade by a thread that does not hold the lock",
    }],
    orders: &[&ORDER],
    params: &[],
    body: downgrade_upgrade_body,
};

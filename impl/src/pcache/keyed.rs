//! pcache state with its lock key made executable.
//!
//! Two kinds of cells. A [`Keyed`] value (a chain, a P-list, an entry's
//! `p_active`) is only ever touched under its lock, so it needs no backend
//! primitive: the mutex orders the accesses, as with `model::sync::Locked`.
//! A [`Count`] is a word the seed also reads with no lock on purpose
//! (`seg_plocked`, `seg_plocked_window`, `seg_pdisabled`, a bucket's
//! emptiness): a model atomic, so the explorers see those unlocked reads,
//! with a ghost copy for checks. Both check their key on every access: a
//! read needs one of the named locks held, a write all of them, else
//! `SYNC-UNLOCKED`. Checks read the ghost (`peek`), which adds no
//! scheduling point.

use model::check::{fail, SYNC_UNLOCKED};
use model::sync::{AtomicU64, KMutex, Ordering};
use std::sync::atomic::{AtomicU64 as GhostU64, Ordering as GhostOrdering};
use std::sync::Mutex;

fn names(locks: &[&KMutex]) -> String {
    let v: Vec<String> = locks.iter().map(|m| format!("{m:?}")).collect();
    v.join(", ")
}

#[track_caller]
fn need_one(what: &str, locks: &[&KMutex]) {
    if !locks.iter().any(|m| m.held()) {
        fail(
            SYNC_UNLOCKED,
            format!("{what} read holding none of [{}]", names(locks)),
        );
    }
}

#[track_caller]
fn need_all(what: &str, locks: &[&KMutex]) {
    if let Some(m) = locks.iter().find(|m| !m.held()) {
        fail(
            SYNC_UNLOCKED,
            format!("{what} written without {m:?} (key: [{}])", names(locks)),
        );
    }
}

/// A value touched only under its lock.
pub(crate) struct Keyed<T> {
    what: &'static str,
    value: Mutex<T>,
}

impl<T: Clone> Keyed<T> {
    pub(crate) fn new(what: &'static str, v: T) -> Self {
        Keyed {
            what,
            value: Mutex::new(v),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, T> {
        self.value.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A read with at least one of `locks` held.
    #[track_caller]
    pub(crate) fn read(&self, locks: &[&KMutex]) -> T {
        need_one(self.what, locks);
        self.lock().clone()
    }

    /// A change with every one of `locks` held.
    #[track_caller]
    pub(crate) fn with<R>(&self, locks: &[&KMutex], f: impl FnOnce(&mut T) -> R) -> R {
        need_all(self.what, locks);
        f(&mut self.lock())
    }

    /// An access by the one thread that owns the value by protocol, with
    /// no lock: the async purge thread's list while `seg_pathr_on` (the
    /// caller checks that), `seg_pahcur` read by the only thread that
    /// writes it (vm_seg.c:360, 1042), or a field of an entry already
    /// unlinked onto the caller's private list.
    pub(crate) fn owned<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        f(&mut self.lock())
    }

    /// The value, for checks only.
    pub(crate) fn peek(&self) -> T {
        self.lock().clone()
    }
}

/// A counter or flag the seed also reads unlocked (a hint).
pub(crate) struct Count {
    cell: AtomicU64,
    ghost: GhostU64,
}

impl Count {
    pub(crate) fn new(class: &'static str, index: u32, v: u64) -> Self {
        Count {
            cell: AtomicU64::new(class, index, v),
            ghost: GhostU64::new(v),
        }
    }

    /// The seed's unlocked read.
    #[track_caller]
    pub(crate) fn hint(&self) -> u64 {
        self.cell.load(Ordering::Relaxed)
    }

    /// A read with one of `locks` held.
    #[track_caller]
    pub(crate) fn read(&self, locks: &[&KMutex]) -> u64 {
        need_one(&format!("{:?}", self.cell), locks);
        self.cell.load(Ordering::Relaxed)
    }

    /// A write with every one of `locks` held.
    #[track_caller]
    pub(crate) fn write(&self, v: u64, locks: &[&KMutex]) {
        need_all(&format!("{:?}", self.cell), locks);
        self.cell.store(v, Ordering::Relaxed);
        self.ghost.store(v, GhostOrdering::SeqCst);
    }

    /// For checks only.
    pub(crate) fn peek(&self) -> u64 {
        self.ghost.load(GhostOrdering::SeqCst)
    }
}

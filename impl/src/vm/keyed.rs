//! Shared state that is not a word (a list, a flag of an entry, a small
//! struct) touched only under its lock, with its key made executable.
//!
//! A [`Keyed`] value (pcache's chains, P-lists, active lists, an entry's
//! `p_active`) is not a word, and differs from one on purpose: it is only
//! ever touched under its lock, so it needs no backend primitive (the
//! mutex orders the accesses, as with `model::sync::Locked`), and a model
//! atomic there would add scheduling points that no seed read needs, and
//! change the loom execution counts. Unlike `Locked`, its key may name
//! several locks (a P-list is written under P and B), and the one thread
//! that owns it by protocol reaches it with no lock ([`Keyed::owned`]).
//! The key checks are the word's (`need_one`, `need_all`): a read needs
//! one of the named locks held, a write all of them, else `SYNC-UNLOCKED`.

use super::word::{need_all, need_one};
use model::sync::KMutex;
use std::sync::Mutex;

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

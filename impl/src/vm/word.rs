//! One word of shared VM state (segmap's slot fields, a page's hash state,
//! pcache's counters), as the model sees it and as checks see it, with its
//! lock key made executable.
//!
//! Every field the seed's threads read to decide what to do lives in a
//! model atomic (`cell`), so loom's DPOR sees each access: fields guarded by
//! a mutex are plain `Relaxed` accesses made inside the critical section
//! (the mutex orders them), and the seed's deliberate unlocked reads are
//! `Relaxed` loads of the same cell ([`Word::hint`]). A ghost copy
//! (`ghost`, a std atomic) is written in the same step as the cell and read
//! only by checks: reading it adds no scheduling point and no dependency.
//! Under loom and shuttle one model thread runs at a time and no
//! scheduling point separates the two writes, so the ghost always equals
//! the latest value of the cell; under real threads it may lag, which is
//! why checks that run while other threads are active are skipped on the
//! std backend.
//!
//! Lock keys: segmap's keys are richer than "one mutex per field" (the tag
//! may be read under the slot mutex or the chain mutex; queue links are
//! written under the queue mutex, or set to NULL under the slot mutex
//! alone), so each access names the locks the field's key requires for
//! it: [`Word::read`] needs one of them held, [`Word::write`] all of them.
//! An access without them is a `SYNC-UNLOCKED` violation, which makes the
//! keys in the field docs executable, like `model::sync::Locked`.
//! [`need_one`] and [`need_all`] are those key checks, for state that is
//! not a word.

use model::check::{fail, SYNC_UNLOCKED};
use model::sync::{AtomicU64, KMutex, Ordering};
use std::sync::atomic::{AtomicU64 as GhostU64, Ordering as GhostOrdering};

pub(crate) struct Word {
    cell: AtomicU64,
    ghost: GhostU64,
    /// Whether the seed reads the word with no lock anywhere
    /// ([`Word::hinted`]); a [`Word::locked`] word is touched only with
    /// its key held.
    hinted: bool,
}

fn names(locks: &[&KMutex]) -> String {
    locks
        .iter()
        .map(|m| format!("{m:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A read of `what` needs one of `locks` held, else `SYNC-UNLOCKED`.
#[track_caller]
pub(crate) fn need_one(what: impl std::fmt::Display, locks: &[&KMutex]) {
    if !locks.iter().any(|m| m.held()) {
        fail(
            SYNC_UNLOCKED,
            format!("{what} read holding none of [{}]", names(locks)),
        );
    }
}

/// A write of `what` needs every one of `locks` held, else
/// `SYNC-UNLOCKED`.
#[track_caller]
pub(crate) fn need_all(what: impl std::fmt::Display, locks: &[&KMutex]) {
    if let Some(m) = locks.iter().find(|m| !m.held()) {
        fail(
            SYNC_UNLOCKED,
            format!("{what} written without {m:?} (key: [{}])", names(locks)),
        );
    }
}

impl Word {
    /// A word of class `class` (a trace name such as `segmap.sm_refcnt`)
    /// for instance `index`, initially `v`, that every access reads or
    /// writes with its key held (or before it is shared): the seed never
    /// reads it unlocked, so [`Word::hint`] of it is a violation.
    pub(crate) fn locked(class: &'static str, index: u32, v: u64) -> Self {
        Self::with(class, index, v, false)
    }

    /// A word the seed also reads with no lock on purpose ([`Word::hint`]),
    /// or writes unlocked (a per-CPU word).
    pub(crate) fn hinted(class: &'static str, index: u32, v: u64) -> Self {
        Self::with(class, index, v, true)
    }

    fn with(class: &'static str, index: u32, v: u64, hinted: bool) -> Self {
        Word {
            cell: if hinted || !model::exec::reduced() {
                AtomicU64::new(class, index, v)
            } else {
                AtomicU64::unscheduled(class, index, v)
            },
            ghost: GhostU64::new(v),
            hinted,
        }
    }

    /// A read the seed makes with no lock on purpose: a hint re-checked
    /// later under a lock, or a holder's read of state its reference pins.
    /// Only for a [`Word::hinted`] word.
    #[track_caller]
    pub(crate) fn hint(&self) -> u64 {
        if !self.hinted {
            fail(
                SYNC_UNLOCKED,
                format!(
                    "{:?} read with no lock, but it is declared locked (Word::locked)",
                    self.cell
                ),
            );
        }
        self.cell.load(Ordering::Relaxed)
    }

    /// A read with at least one of `locks` held.
    #[track_caller]
    pub(crate) fn read(&self, locks: &[&KMutex]) -> u64 {
        need_one(format_args!("{:?}", self.cell), locks);
        self.cell.load(Ordering::Relaxed)
    }

    /// A write with every one of `locks` held (none: the word is not yet
    /// shared, or is per-CPU and written unlocked by the seed).
    #[track_caller]
    pub(crate) fn write(&self, v: u64, locks: &[&KMutex]) {
        need_all(format_args!("{:?}", self.cell), locks);
        self.cell.store(v, Ordering::Relaxed);
        self.ghost.store(v, GhostOrdering::SeqCst);
    }

    /// The C `x++` / `x--` of a field, with `locks` held: a read and a
    /// separate write, as the C code does.
    #[track_caller]
    pub(crate) fn add(&self, delta: i64, locks: &[&KMutex]) -> u64 {
        let v = if locks.is_empty() {
            self.hint()
        } else {
            self.read(locks)
        }
        .wrapping_add_signed(delta);
        self.write(v, locks);
        v
    }

    /// The ghost copy: for checks only, never for decisions.
    pub(crate) fn peek(&self) -> u64 {
        self.ghost.load(GhostOrdering::SeqCst)
    }
}

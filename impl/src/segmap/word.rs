//! One word of shared segmap state, as the model sees it and as checks see
//! it.
//!
//! Every field the seed's threads read to decide what to do lives in a
//! model atomic (`cell`), so loom's DPOR sees each access: fields guarded by
//! a mutex are plain `Relaxed` accesses made inside the critical section
//! (the mutex orders them), and the seed's unlocked hint reads are `Relaxed`
//! loads of the same cell. A ghost copy (`ghost`, a std atomic) is written
//! in the same step as the cell and read only by checks: reading it adds no
//! scheduling point and no dependency, so invariant checks do not change
//! what the checkers explore. Under loom and shuttle only one model thread
//! runs at a time and no scheduling point separates the two writes, so the
//! ghost always equals the latest value of the cell; under real threads it
//! may lag, which is why checks that run while other threads are active
//! are skipped on the std backend.

use model::sync::{AtomicU64, Ordering};
use std::sync::atomic::{AtomicU64 as GhostU64, Ordering as GhostOrdering};

pub(crate) struct Word {
    cell: AtomicU64,
    ghost: GhostU64,
}

impl std::fmt::Debug for Word {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}={:#x}", self.cell, self.peek())
    }
}

impl Word {
    /// A word of class `class` (a trace name such as `segmap.sm_refcnt`)
    /// for instance `index`, initially `v`.
    pub(crate) fn new(class: &'static str, index: u32, v: u64) -> Self {
        Word {
            cell: AtomicU64::new(class, index, v),
            ghost: GhostU64::new(v),
        }
    }

    /// A modelled read (a scheduling point under loom and shuttle).
    #[track_caller]
    pub(crate) fn get(&self) -> u64 {
        self.cell.load(Ordering::Relaxed)
    }

    /// A modelled write; the ghost copy follows in the same step.
    #[track_caller]
    pub(crate) fn set(&self, v: u64) {
        self.cell.store(v, Ordering::Relaxed);
        self.ghost.store(v, GhostOrdering::SeqCst);
    }

    /// The C `x++` / `x--` of a field: a read and a separate write, so that
    /// a port that forgets the lock loses updates as the C code would.
    #[track_caller]
    pub(crate) fn add(&self, delta: i64) -> u64 {
        let v = self.get().wrapping_add_signed(delta);
        self.set(v);
        v
    }

    /// The ghost copy: for checks only, never for decisions.
    pub(crate) fn peek(&self) -> u64 {
        self.ghost.load(GhostOrdering::SeqCst)
    }
}

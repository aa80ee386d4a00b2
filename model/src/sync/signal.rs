//! Pending signals ("interrupts") of model threads, for `cv_wait_sig`.
//!
//! A signal is posted by another model thread (the scenario's stand-in for
//! `psignal`), so when it arrives is explored like any other step. The
//! table is modelled state, not ghost state: whether a waiter sees the
//! signal decides what it does next.

use super::kcondvar::CvShared;
use super::monitor::Monitor;
use crate::exec::{self, Exec, Tid};
use crate::trace::{ObjName, Op};
use std::panic::Location;
use std::sync::Arc;

#[derive(Default)]
struct Slot {
    pending: bool,
    /// The condvar the thread sleeps on in `wait_sig`, to wake it.
    sleeping_on: Option<Arc<CvShared>>,
}

/// Per-execution table of pending signals, indexed by thread id.
pub(crate) struct SignalTable(Monitor<Vec<Slot>>);

impl std::fmt::Debug for SignalTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SignalTable")
    }
}

fn slot(v: &mut Vec<Slot>, tid: Tid) -> &mut Slot {
    if v.len() <= tid {
        v.resize_with(tid + 1, Slot::default);
    }
    &mut v[tid]
}

impl SignalTable {
    /// The table of execution `exec` (created on its first use there).
    pub(crate) fn of(exec: &Exec) -> Arc<SignalTable> {
        exec.local(|| SignalTable(Monitor::new(Vec::new())))
    }

    /// Whether `tid` has a signal pending.
    pub(crate) fn pending(&self, tid: Tid) -> bool {
        self.0.with(|v| (slot(v, tid).pending, false))
    }

    /// Records that `tid` sleeps on `cv` (or no longer sleeps).
    pub(crate) fn sleep_on(&self, tid: Tid, cv: Option<Arc<CvShared>>) {
        self.0.with(|v| {
            slot(v, tid).sleeping_on = cv;
            ((), false)
        });
    }
}

/// Posts a signal to model thread `target`: its current or next
/// `wait_sig` returns "interrupted". The signal stays pending (as an
/// unhandled signal does until the thread returns to user mode).
#[track_caller]
pub fn post_signal(target: Tid) {
    let Some(exec) = exec::current() else { return };
    let sleeping = SignalTable::of(&exec).0.with(|v| {
        let s = slot(v, target);
        s.pending = true;
        (s.sleeping_on.clone(), false)
    });
    exec.event(
        exec::tid(),
        Op::PostSignal,
        ObjName {
            kind: "thread",
            class: "signal",
            index: target as u32,
        },
        target as u64,
        0,
        Location::caller(),
    );
    if let Some(cv) = sleeping {
        cv.wake_all();
    }
}

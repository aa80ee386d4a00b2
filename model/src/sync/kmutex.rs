//! `kmutex_t`: an adaptive kernel mutex with an owner.

use super::lockobj::LockObj;
use super::monitor::Monitor;
use crate::check::{fail, SYNC_DEADLOCK};
use crate::exec::{self, ObjId, Tid};
use crate::lockdep::How;
use crate::trace::{ObjName, Op};
use std::panic::Location;

/// A mutant of the reduction itself: the exit of a tried mutex is no
/// scheduling point either. Unsound (a `mutex_tryenter` observes whether
/// the mutex is held); `scenarios/tests/reduction.rs` shows that it loses
/// finding F2.
pub const UNSOUND_TRIED_EXIT: &str = "unsound-tried-exit";

#[derive(Default)]
struct State {
    owner: Option<Tid>,
    waiters: u32,
}

/// A kernel mutex (`mutex_enter` / `mutex_tryenter` / `mutex_exit` /
/// `MUTEX_HELD`). Instances of one *class* (all segmap slot mutexes, say)
/// share a lock-order rank; `index` tells instances apart in reports.
///
/// Backend mapping: an owner word inside a backend monitor. `enter` waits
/// on the monitor's condvar while another thread owns the mutex; `tryenter`
/// never waits (loom's own `try_lock` is not used, GUIDE trap 1). Deviation
/// from illumos: no adaptive spinning (it changes no outcome), and `exit`
/// by a non-owner or a recursive `enter` is a [`SYNC_MISUSE`](crate::check::SYNC_MISUSE) violation
/// where illumos would panic.
pub struct KMutex {
    st: Monitor<State>,
    lock: LockObj,
    /// Whether some thread takes it with `mutex_tryenter` ([`KMutex::tried`]).
    tried: bool,
}

impl std::fmt::Debug for KMutex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.lock.name)
    }
}

impl KMutex {
    /// A mutex no thread takes with `mutex_tryenter`.
    pub fn new(class: &'static str, index: u32) -> Self {
        Self::with(class, index, false)
    }

    /// A mutex some thread takes with `mutex_tryenter`. A try observes
    /// whether the mutex is held, so this mutex's `mutex_exit` is always a
    /// scheduling point (the exit of a mutex nobody tries is one only when
    /// it wakes a waiter, see [`KMutex::exit`]); `tryenter` of a mutex
    /// made with [`KMutex::new`] is a [`SYNC_MISUSE`](crate::check::SYNC_MISUSE)
    /// violation, so the declaration cannot be forgotten.
    pub fn tried(class: &'static str, index: u32) -> Self {
        Self::with(class, index, true)
    }

    fn with(class: &'static str, index: u32, tried: bool) -> Self {
        KMutex {
            st: Monitor::new(State::default()),
            lock: LockObj::new("mutex", class, index),
            tried,
        }
    }

    pub fn name(&self) -> ObjName {
        self.lock.name
    }

    pub(crate) fn id(&self) -> ObjId {
        self.lock.id
    }

    /// `mutex_enter`: blocks until the mutex is free, then owns it.
    #[track_caller]
    pub fn enter(&self) {
        let site = Location::caller();
        let me = exec::tid();
        if self.owner() == Some(me) {
            let what = format!("recursive mutex_enter of {}", self.lock.name);
            self.lock.misuse(me, &what);
        }
        self.acquire(me, site);
        self.lock.event(me, Op::Enter, 0, site);
    }

    /// Validates the order, waits for the mutex, owns it and records the
    /// hold (shared by `enter` and the re-acquisition after a wait).
    ///
    /// One critical section decides, waits and grants, as a kernel mutex
    /// does: a second one on contention would give loom a scheduling point
    /// the C code does not have, and more executions to explore.
    fn acquire(&self, me: Tid, site: &'static Location<'static>) {
        self.lock.order(me, How::Blocking, site);
        let mut waited = false;
        let r = self.st.wait_until(|s| match s.owner {
            None => {
                s.owner = Some(me);
                if waited {
                    s.waiters -= 1;
                    self.lock.granted(me, false, site);
                } else {
                    self.lock.hold(me, false, How::Blocking, site);
                }
                Some(Ok(()))
            }
            Some(_) if !waited => {
                waited = true;
                s.waiters += 1;
                self.lock.register(me);
                self.lock.cycle(me).map(|cycle| {
                    s.waiters -= 1;
                    Err(cycle)
                })
            }
            Some(_) => None,
        });
        if let Err(cycle) = r {
            fail(SYNC_DEADLOCK, cycle);
        }
    }

    /// `mutex_tryenter`: owns the mutex if it is free; never blocks.
    #[track_caller]
    pub fn tryenter(&self) -> bool {
        let site = Location::caller();
        let me = exec::tid();
        if !self.tried {
            let what = format!(
                "mutex_tryenter of {}, declared as never tried (KMutex::new, not KMutex::tried)",
                self.lock.name
            );
            self.lock.misuse(me, &what);
        }
        let got = self.st.with(|s| match s.owner {
            None => {
                s.owner = Some(me);
                (true, false)
            }
            Some(_) => (false, false),
        });
        self.lock.tried(me, got, false, 0, site);
        got
    }

    /// `mutex_exit`: releases the mutex, which the caller must own.
    #[track_caller]
    pub fn exit(&self) {
        let site = Location::caller();
        let me = exec::tid();
        self.release(me, "mutex_exit of");
        self.lock.event(me, Op::Exit, 0, site);
    }

    fn release(&self, me: Tid, what: &str) {
        self.lock.release(me, what);
        let release = |s: &mut State| {
            s.owner = None;
            ((), s.waiters > 0)
        };
        if self.tried && !crate::exec::mutant(UNSOUND_TRIED_EXIT) {
            self.st.with(release);
        } else {
            // No scheduling point unless it wakes a waiter: the exit of a
            // mutex nobody tries commutes with every step of another
            // thread but the wakeup of one that waits for it (a thread
            // that would block on it later finds it free, the same as if
            // it had come first); `Monitor::with_unscheduled`.
            self.st.with_unscheduled(release);
        }
    }

    /// `MUTEX_HELD`: whether the calling thread owns the mutex. Reads the
    /// ghost holder list, so an assertion adds no scheduling point.
    pub fn held(&self) -> bool {
        self.owner() == Some(exec::tid())
    }

    /// The owning thread, if any (ghost state; no scheduling point).
    pub fn owner(&self) -> Option<Tid> {
        match self.lock.holds() {
            Some(h) => h.first().map(|&(t, _)| t),
            None => self.st.with(|s| (s.owner, false)),
        }
    }

    /// Releases for a wait that drops the mutex (a condvar wait, or a
    /// `page_lock` that must block); traced as part of that wait.
    /// The trace shows it as an `exit` after the wait's event.
    #[track_caller]
    pub(crate) fn release_for_wait(&self, me: Tid, what: &str) {
        self.release(me, what);
        self.lock.event(me, Op::Exit, 0, Location::caller());
    }

    /// Re-acquires after such a wait (an `enter` in the trace).
    pub(crate) fn reacquire(&self, me: Tid, site: &'static Location<'static>) {
        self.acquire(me, site);
        self.lock.event(me, Op::Enter, 0, site);
    }
}

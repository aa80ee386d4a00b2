//! The one place where the sync facade touches a backend's blocking
//! primitives: a mutex-protected value with a condition variable.
//!
//! Every kernel primitive (kmutex, kcondvar, rwlock, page lock, callouts,
//! join) is a small state machine inside a `Monitor`, so each has one
//! implementation whatever the backend. loom's own `try_lock` is never used:
//! it reports false deadlocks (loom issue #376, GUIDE trap 1); a try
//! operation here is a short critical section that never blocks on the
//! protected state.

use crate::exec::{self, Backend};

// Sized by shuttle's variant; boxing would add an allocation to every
// primitive of every execution, and only one variant is ever live per run.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Monitor<T> {
    Std(std::sync::Mutex<T>, std::sync::Condvar),
    Loom(loom::sync::Mutex<T>, loom::sync::Condvar),
    Shuttle(shuttle::sync::Mutex<T>, shuttle::sync::Condvar),
}

/// The backend of the calling execution (std outside any model).
pub(crate) fn backend() -> Backend {
    exec::backend().unwrap_or(Backend::Std)
}

impl<T> Monitor<T> {
    pub(crate) fn new(value: T) -> Self {
        match backend() {
            Backend::Std => Monitor::Std(std::sync::Mutex::new(value), std::sync::Condvar::new()),
            Backend::Loom => {
                Monitor::Loom(loom::sync::Mutex::new(value), loom::sync::Condvar::new())
            }
            Backend::Shuttle => Monitor::Shuttle(
                shuttle::sync::Mutex::new(value),
                shuttle::sync::Condvar::new(),
            ),
        }
    }

    /// Runs `f` on the state; wakes all waiters if `f` says so.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut T) -> (R, bool)) -> R {
        macro_rules! go {
            ($m:expr, $cv:expr) => {{
                let mut g = $m.lock().unwrap_or_else(|e| e.into_inner());
                let (r, wake) = f(&mut g);
                drop(g);
                if wake {
                    $cv.notify_all();
                }
                r
            }};
        }
        match self {
            Monitor::Std(m, cv) => go!(m, cv),
            Monitor::Loom(m, cv) => go!(m, cv),
            Monitor::Shuttle(m, cv) => go!(m, cv),
        }
    }

    /// [`Monitor::with`] for an operation whose moment does not matter to
    /// any other thread unless it wakes one (a `mutex_exit` with no
    /// waiter): under loom it takes the monitor with no scheduling point
    /// when it is free (`try_lock_unscheduled`, vendor/loom/VMSPEC-PATCH.md),
    /// so the operation commutes with the other threads' steps instead of
    /// being explored against each of them; the lock's release still
    /// orders the caller's earlier accesses before the next holder's. The
    /// wakeup, when `f` asks for one, is a scheduling point as before.
    pub(crate) fn with_unscheduled<R>(&self, f: impl FnOnce(&mut T) -> (R, bool)) -> R {
        let Monitor::Loom(m, cv) = self else {
            return self.with(f);
        };
        if !exec::reduced() {
            return self.with(f);
        }
        let mut g = match m.try_lock_unscheduled() {
            Some(g) => g,
            None => m.lock().unwrap_or_else(|e| e.into_inner()),
        };
        let (r, wake) = f(&mut g);
        drop(g);
        if wake {
            cv.notify_all();
        }
        r
    }

    /// Waits until `f` returns `Some`, re-running it after every wakeup of
    /// the monitor; `f` runs with the state locked.
    pub(crate) fn wait_until<R>(&self, mut f: impl FnMut(&mut T) -> Option<R>) -> R {
        macro_rules! go {
            ($m:expr, $cv:expr) => {{
                let mut g = $m.lock().unwrap_or_else(|e| e.into_inner());
                loop {
                    if let Some(r) = f(&mut g) {
                        return r;
                    }
                    g = $cv.wait(g).unwrap_or_else(|e| e.into_inner());
                }
            }};
        }
        match self {
            Monitor::Std(m, cv) => go!(m, cv),
            Monitor::Loom(m, cv) => go!(m, cv),
            Monitor::Shuttle(m, cv) => go!(m, cv),
        }
    }
}

//! A flag bit used as a sleeping lock: illumos' `VVMLOCK` in `v_flag`,
//! set and cleared under `v_lock` and waited for on `v_cv`
//! (vm_pvn.c:768-783, 981-984). The caller's protocol does the locking
//! with a [`super::KMutex`] and a [`super::KCondvar`]; this object only
//! tells lockdep and the reports that the flag is held, and by whom, so
//! that the locks taken under it are ordered after it and a thread that
//! waits for the flag while holding one of them is a lock-order
//! violation.

use super::lockobj::LockObj;
use crate::exec;
use crate::lockdep::How;
use crate::trace::Op;
use std::panic::Location;

/// The lock-order and report identity of a flag used as a lock.
pub struct FlagLock {
    lock: LockObj,
}

impl std::fmt::Debug for FlagLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.lock.name)
    }
}

impl FlagLock {
    pub fn new(class: &'static str, index: u32) -> Self {
        FlagLock {
            lock: LockObj::new("flag", class, index),
        }
    }

    /// The caller has set the flag (after waiting for it to clear, as its
    /// protocol does): validated as a blocking acquisition against the
    /// locks the caller holds, and recorded as held by it.
    #[track_caller]
    pub fn taken(&self) {
        let site = Location::caller();
        let me = exec::tid();
        self.lock.order(me, How::Blocking, site);
        self.lock.hold(me, false, How::Blocking, site);
        self.lock.event(me, Op::Enter, 0, site);
    }

    /// The caller has cleared the flag it set.
    #[track_caller]
    pub fn cleared(&self) {
        let site = Location::caller();
        let me = exec::tid();
        self.lock.release(me, "clear of flag");
        self.lock.event(me, Op::Exit, 0, site);
    }

    /// Whether some thread holds the flag (ghost; `false` outside a
    /// model).
    pub fn held(&self) -> bool {
        self.lock.holds().is_some_and(|h| !h.is_empty())
    }
}

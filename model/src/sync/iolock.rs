//! The page I/O lock (`p_iolock_state`), illumos `vm/page_lock.c`.

use super::lockobj::LockObj;
use super::monitor::Monitor;
use crate::exec::{self, Tid};
use crate::lockdep::How;
use crate::trace::{ObjName, Op};
use std::panic::Location;

/// Under the I/O lock's monitor (the model's `pio_mutex`).
#[derive(Default)]
struct State {
    /// `PAGE_IO_INUSE`.
    inuse: bool,
}

/// A page's I/O lock (`page_io_lock`, `page_io_trylock`, `page_io_unlock`,
/// `page_io_wait`, `page_io_locked`): held while the page is under I/O, by
/// the thread that starts the I/O; the seeds release it when the I/O is
/// done (vm_pvn.c:313, seg_map.c:1447) and wait for it without taking it
/// (vm_pvn.c:878).
///
/// Backend mapping: the in-use flag in a backend monitor; `page_io_unlock`
/// wakes every waiter, which re-checks the flag (the C code's
/// `cv_broadcast` and `while` loop).
///
/// Any thread may unlock it, as in illumos, where I/O completion does: the
/// ghost hold of the thread that locked it is released. Unlocking an
/// unlocked I/O lock is a `SYNC-MISUSE` violation (illumos does not
/// check). `page_io_wait` is ordered like an acquisition of the lock (a
/// thread that waits for it while holding a lock its holder needs
/// deadlocks), but holds nothing afterwards.
pub struct IoLock {
    st: Monitor<State>,
    lock: LockObj,
}

impl std::fmt::Debug for IoLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.lock.name)
    }
}

impl IoLock {
    pub fn new(class: &'static str, index: u32) -> Self {
        IoLock {
            st: Monitor::new(State::default()),
            lock: LockObj::new("iolock", class, index),
        }
    }

    pub fn name(&self) -> ObjName {
        self.lock.name
    }

    /// `page_io_lock`: blocks until the I/O lock is free, then holds it.
    #[track_caller]
    pub fn page_io_lock(&self) {
        let site = Location::caller();
        let me = exec::tid();
        self.lock.order(me, How::Blocking, site);
        if self.take_or_register(me) {
            self.lock.hold(me, false, How::Blocking, site);
        } else {
            self.lock.wait(me, &self.st, |s| {
                if s.inuse {
                    return None;
                }
                s.inuse = true;
                self.lock.granted(me, false, site);
                Some(())
            });
        }
        self.lock.event(me, Op::Enter, 0, site);
    }

    /// Takes the lock if free; otherwise registers `me` as waiting for it.
    fn take_or_register(&self, me: Tid) -> bool {
        self.st.with(|s| {
            if s.inuse {
                self.lock.register(me);
                return (false, false);
            }
            s.inuse = true;
            (true, false)
        })
    }

    /// `page_io_trylock`: holds the I/O lock if it is free; never blocks.
    #[track_caller]
    pub fn page_io_trylock(&self) -> bool {
        let site = Location::caller();
        let me = exec::tid();
        let got = self.st.with(|s| {
            let ok = !s.inuse;
            if ok {
                s.inuse = true;
            }
            (ok, false)
        });
        self.lock.tried(me, got, false, 0, site);
        got
    }

    /// `page_io_unlock`: releases the I/O lock (taken by any thread) and
    /// wakes its waiters.
    #[track_caller]
    pub fn page_io_unlock(&self) {
        let site = Location::caller();
        let me = exec::tid();
        if let Some(holds) = self.lock.holds() {
            let Some(&(holder, _)) = holds.first() else {
                let what = format!("page_io_unlock of {} not locked", self.lock.name);
                self.lock.misuse(me, &what);
            };
            self.lock.release(holder, "page_io_unlock of");
        }
        let was = self
            .st
            .with(|s| (std::mem::replace(&mut s.inuse, false), true));
        if !was {
            let what = format!("page_io_unlock of {} not locked", self.lock.name);
            self.lock.misuse(me, &what);
        }
        self.lock.event(me, Op::Exit, 0, site);
    }

    /// Hands the caller's hold to thread `to`, the thread that will
    /// complete the I/O and unlock it (as [`super::PageLock::page_give`]):
    /// only the lock-order and deadlock bookkeeping changes, since any
    /// thread may unlock an I/O lock. A caller that does not hold it is a
    /// `SYNC-MISUSE` violation.
    #[track_caller]
    pub fn page_io_give(&self, to: Tid) {
        let site = Location::caller();
        let me = exec::tid();
        if self.lock.mode_of(me).is_none() && self.lock.holds().is_some() {
            let what = format!("page_io_give of {} it does not hold", self.lock.name);
            self.lock.misuse(me, &what);
        }
        self.lock.transfer(me, to, 0, site);
    }

    /// `page_io_wait`: blocks until the I/O lock is free, without taking
    /// it.
    #[track_caller]
    pub fn page_io_wait(&self) {
        let site = Location::caller();
        let me = exec::tid();
        self.lock.order(me, How::Blocking, site);
        let free = self.st.with(|s| {
            if s.inuse {
                self.lock.register(me);
            }
            (!s.inuse, false)
        });
        if !free {
            self.lock.wait(me, &self.st, |s| (!s.inuse).then_some(()));
        }
        self.lock.event(me, Op::LockWait, 0, site);
    }

    /// Whether the calling thread holds the I/O lock (ghost, for
    /// assertions; `page_iolock_assert` with an owner, which illumos does
    /// not record). `false` outside a model.
    pub fn held(&self) -> bool {
        self.lock.mode_of(exec::tid()).is_some()
    }

    /// Whether the I/O lock is held, for assertions: the ghost holders in
    /// a model (no scheduling point), the monitor's state outside one.
    pub fn locked(&self) -> bool {
        match self.lock.holds() {
            Some(h) => !h.is_empty(),
            None => self.st.with(|s| (s.inuse, false)),
        }
    }

    /// `page_io_locked`: whether the I/O lock is held. The seeds decide on
    /// it without a lock (vm_pvn.c:841), so it reads the modelled state
    /// (a scheduling point), not the ghost holders.
    pub fn page_io_locked(&self) -> bool {
        self.st.with(|s| (s.inuse, false))
    }
}

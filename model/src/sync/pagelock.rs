//! The page lock (`p_selock`): shared/exclusive, with illumos
//! `vm/page_lock.c` semantics, including the `page_lock` that drops a
//! mutex, waits, and fails.

use super::kmutex::KMutex;
use super::lockobj::LockObj;
use super::monitor::Monitor;
use crate::exec::{self, Tid};
use crate::lockdep::{self, How};
use crate::trace::{ObjName, Op, MODE_EXCL, MODE_SHARED};
use std::panic::Location;

/// How a page is locked (`se_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Se {
    /// `SE_SHARED`.
    Shared,
    /// `SE_EXCL`.
    Excl,
}

impl Se {
    fn shared(self) -> bool {
        self == Se::Shared
    }

    fn code(self) -> u64 {
        match self {
            Se::Shared => MODE_SHARED,
            Se::Excl => MODE_EXCL,
        }
    }
}

/// All fields are under the page lock's monitor (the model's `pse_mutex`).
#[derive(Default)]
struct State {
    /// The exclusive holder (`p_selock < 0`).
    excl: Option<Tid>,
    /// The shared holders, one entry per hold (`p_selock > 0`).
    sharers: Vec<Tid>,
    /// How many times `p_cv` was broadcast: at every unlock that leaves
    /// the page unlocked, and at every downgrade.
    broadcasts: u64,
    /// Threads in the mutex-dropping wait of `page_lock`, woken by the
    /// next broadcast whatever the page's state then.
    sleepers: Vec<Tid>,
}

impl State {
    fn admits(&self, se: Se) -> bool {
        match se {
            Se::Shared => self.excl.is_none(),
            Se::Excl => self.excl.is_none() && self.sharers.is_empty(),
        }
    }

    fn take(&mut self, me: Tid, se: Se) {
        match se {
            Se::Shared => self.sharers.push(me),
            Se::Excl => self.excl = Some(me),
        }
    }
}

/// A page's shared/exclusive lock (`page_lock`, `page_trylock`,
/// `page_tryupgrade`, `page_downgrade`, `page_unlock`, `PAGE_LOCKED`,
/// `PAGE_SHARED`, `PAGE_EXCL`).
///
/// `page_lock(se, Some(m))` is the seeds' way to wait for a page while
/// holding the mutex that found it (vm_pvn.c:909): if the lock is not
/// free for `se`, it drops `m`, sleeps until the next wakeup of the page's
/// condition variable, takes `m` again and returns `false` *without* the
/// page lock, because the page may have changed identity meanwhile; the
/// caller must look the page up again. That wakeup comes from the next
/// unlock that leaves the page unlocked, or from a downgrade, and the
/// waiter returns even if another thread has locked the page again since.
///
/// Backend mapping: holders, a broadcast count and the sleepers in a
/// backend monitor. The mutex-dropping wait waits for the broadcast count
/// to change (a condvar wakeup, not a state predicate), so no wakeup the
/// C code would deliver is lost to a thread that relocks quickly.
///
/// Lock order: with a mutex given, the acquisition counts as a try with
/// respect to that mutex (it never blocks holding it) and as blocking with
/// respect to every other held lock.
///
/// Deviations from illumos: `page_lock(se, None)` retries after every
/// wakeup until it gets the lock and returns `true`, where illumos returns
/// 0 after one wait (the retry loop every such caller needs is folded in);
/// no `SE_EWANTED` / `page_lock_es` writer preference, no reclaim, no
/// retired or deleted pages; pages have no identity here (the caller
/// models `p_vnode` / `p_offset`). Unlocks, upgrades and downgrades by a
/// thread that does not hold the lock in the required mode are
/// `SYNC-MISUSE` violations (illumos records no owner for shared holds and
/// panics only on an unlocked page).
pub struct PageLock {
    st: Monitor<State>,
    lock: LockObj,
}

impl std::fmt::Debug for PageLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.lock.name)
    }
}

impl PageLock {
    pub fn new(class: &'static str, index: u32) -> Self {
        PageLock {
            st: Monitor::new(State::default()),
            lock: LockObj::new("page", class, index),
        }
    }

    pub fn name(&self) -> ObjName {
        self.lock.name
    }

    /// Wakes every thread sleeping on the page's condition variable
    /// (inside the critical section of an unlock or downgrade).
    fn broadcast(&self, s: &mut State) {
        s.broadcasts += 1;
        for t in s.sleepers.drain(..) {
            self.lock.unregister(t);
        }
    }

    /// `page_lock`: locks the page in mode `se`. Without a mutex it blocks
    /// until it gets the lock and returns `true`. With mutex `m` (held by
    /// the caller) it returns `true` with the lock if it is free now;
    /// otherwise it drops `m`, waits for the page's next wakeup, takes `m`
    /// again and returns `false` without the lock.
    #[track_caller]
    pub fn page_lock(&self, se: Se, m: Option<&KMutex>) -> bool {
        let site = Location::caller();
        let me = exec::tid();
        let Some(m) = m else {
            self.lock.order(me, How::Blocking, site);
            self.lock_blocking(me, se, site);
            self.lock.event(me, Op::Enter, se.code(), site);
            return true;
        };
        if !m.held() {
            let what = format!("page_lock of {} with {m:?}, not held", self.lock.name);
            self.lock.misuse(me, &what);
        }
        if let Some(e) = &self.lock.exec {
            lockdep::acquire_dropping(e, me, self.lock.name, m.id(), site);
        }
        let seen = self.st.with(|s| {
            if s.admits(se) {
                s.take(me, se);
                return (None, false);
            }
            (Some(s.broadcasts), false)
        });
        let Some(seen) = seen else {
            self.lock.hold(me, se.shared(), How::Blocking, site);
            self.lock.event(me, Op::Enter, se.code(), site);
            return true;
        };
        // The C code drops the mutex holding `pse` and then sleeps, so a
        // wakeup in between is not lost: here the broadcast count taken
        // above stands for `pse`. The thread counts as waiting for the
        // page only once the mutex is dropped, and only if no broadcast
        // has woken it already.
        m.release_for_wait(me, "page_lock dropping");
        self.lock.event(me, Op::LockWait, se.code(), site);
        self.st.with(|s| {
            if s.broadcasts == seen {
                s.sleepers.push(me);
                self.lock.register(me);
            }
            ((), false)
        });
        self.lock
            .wait(me, &self.st, |s| (s.broadcasts != seen).then_some(()));
        m.reacquire(me, site);
        self.lock.event(me, Op::EnterFail, se.code(), site);
        false
    }

    fn lock_blocking(&self, me: Tid, se: Se, site: &'static Location<'static>) {
        let got = self.st.with(|s| {
            if s.admits(se) {
                s.take(me, se);
                return (true, false);
            }
            self.lock.register(me);
            (false, false)
        });
        if got {
            self.lock.hold(me, se.shared(), How::Blocking, site);
            return;
        }
        self.lock.wait(me, &self.st, |s| {
            if !s.admits(se) {
                return None;
            }
            s.take(me, se);
            self.lock.granted(me, se.shared(), site);
            Some(())
        });
    }

    /// `page_trylock`: locks the page in mode `se` if it is free for it
    /// now; never blocks.
    #[track_caller]
    pub fn page_trylock(&self, se: Se) -> bool {
        let site = Location::caller();
        let me = exec::tid();
        let got = self.st.with(|s| {
            let ok = s.admits(se);
            if ok {
                s.take(me, se);
            }
            (ok, false)
        });
        self.lock.tried(me, got, se.shared(), se.code(), site);
        got
    }

    /// `page_tryupgrade`: turns the caller's shared lock into an exclusive
    /// one if it is the only sharer; never blocks.
    #[track_caller]
    pub fn page_tryupgrade(&self) -> bool {
        let site = Location::caller();
        let me = exec::tid();
        let got = self.st.with(|s| {
            if !s.sharers.contains(&me) {
                return (None, false);
            }
            let ok = s.sharers.len() == 1;
            if ok {
                s.sharers.clear();
                s.excl = Some(me);
            }
            (Some(ok), false)
        });
        let Some(got) = got else {
            let what = format!("page_tryupgrade of {} not held shared", self.lock.name);
            self.lock.misuse(me, &what);
        };
        if got {
            self.lock.set_mode(me, false);
        }
        let op = if got { Op::UpgradeOk } else { Op::UpgradeFail };
        self.lock.event(me, op, 0, site);
        got
    }

    /// `page_downgrade`: turns the caller's exclusive lock into a shared
    /// one and wakes the page's waiters.
    #[track_caller]
    pub fn page_downgrade(&self) {
        let site = Location::caller();
        let me = exec::tid();
        let ok = self.st.with(|s| {
            if s.excl != Some(me) {
                return (false, false);
            }
            s.excl = None;
            s.sharers.push(me);
            self.broadcast(s);
            (true, true)
        });
        if !ok {
            let what = format!("page_downgrade of {} not held exclusive", self.lock.name);
            self.lock.misuse(me, &what);
        }
        self.lock.set_mode(me, true);
        self.lock.event(me, Op::Downgrade, 0, site);
    }

    /// `page_unlock`: releases the caller's lock; wakes the page's waiters
    /// if that leaves the page unlocked.
    #[track_caller]
    pub fn page_unlock(&self) {
        let site = Location::caller();
        let me = exec::tid();
        self.lock.release(me, "page_unlock of");
        let se = self.st.with(|s| {
            let se = if s.excl == Some(me) {
                s.excl = None;
                Se::Excl
            } else if let Some(i) = s.sharers.iter().position(|&t| t == me) {
                s.sharers.swap_remove(i);
                Se::Shared
            } else {
                return (None, false);
            };
            let free = s.excl.is_none() && s.sharers.is_empty();
            if free {
                self.broadcast(s);
            }
            (Some(se), free)
        });
        let Some(se) = se else {
            let what = format!("page_unlock of {} it does not hold", self.lock.name);
            self.lock.misuse(me, &what);
        };
        self.lock.event(me, Op::Exit, se.code(), site);
    }

    /// `page_unlock` by another thread: hands the caller's hold, in its
    /// mode, to thread `to`, which will release it. The seeds start an
    /// asynchronous write with its pages locked and unlock them when it
    /// completes, on the completion thread (vm_pvn.c:392-395, 548-549);
    /// illumos keeps no owner for a page lock, the model does, so the
    /// issuer hands its hold to the thread that completes the I/O. A
    /// caller that does not hold the lock is a `SYNC-MISUSE` violation.
    #[track_caller]
    pub fn page_give(&self, to: Tid) {
        let site = Location::caller();
        let me = exec::tid();
        let se = self.st.with(|s| {
            if s.excl == Some(me) {
                s.excl = Some(to);
                return (Some(Se::Excl), false);
            }
            if let Some(i) = s.sharers.iter().position(|&t| t == me) {
                s.sharers[i] = to;
                return (Some(Se::Shared), false);
            }
            (None, false)
        });
        let Some(se) = se else {
            let what = format!("page_give of {} it does not hold", self.lock.name);
            self.lock.misuse(me, &what);
        };
        self.lock.transfer(me, to, se.code(), site);
    }

    /// The holders with their modes (ghost state in a model, so assertions
    /// add no scheduling point; the monitor's state outside one).
    fn holds(&self) -> Vec<(Tid, bool)> {
        self.lock.holds().unwrap_or_else(|| {
            self.st.with(|s| {
                let h = s.excl.iter().map(|&t| (t, false));
                (
                    h.chain(s.sharers.iter().map(|&t| (t, true))).collect(),
                    false,
                )
            })
        })
    }

    /// `PAGE_LOCKED`: locked in either mode by any thread.
    pub fn locked(&self) -> bool {
        !self.holds().is_empty()
    }

    /// `PAGE_SHARED`: locked shared by any thread.
    pub fn shared(&self) -> bool {
        self.holds().iter().any(|&(_, shared)| shared)
    }

    /// `PAGE_EXCL`: locked exclusively by any thread.
    pub fn excl(&self) -> bool {
        self.holds().iter().any(|&(_, shared)| !shared)
    }

    /// Whether the calling thread holds the lock, in either mode (illumos
    /// keeps no such record; for the model's assertions).
    pub fn held(&self) -> bool {
        let me = exec::tid();
        self.holds().iter().any(|&(t, _)| t == me)
    }
}

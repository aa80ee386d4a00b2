//! The softlock objects: `devmap_softlock_init` (seg_dev.c:2908-2940),
//! `devmap_softlock_rele` (2947-2991), `devmap_softlock_enter`
//! (1250-1284) and `devmap_softlock_exit` (1286-1312).
//!
//! `softlocked` works like a reader/writer lock over the device instance
//! (and its `devmap_access`): one F_SOFTLOCK at a time (negative count),
//! or any number of F_INVAL/F_PROT (positive count). Waits are
//! `cv_wait_sig`, so a signal ends them with EINTR; exits wake one waiter
//! with `cv_signal` when the count reaches zero.

use super::checks::DEVMAP_K2;
use super::mutants::*;
use super::order::SOFTLOCK;
use super::state::{Devmap, FaultType, Softlock, EINTR};
use super::windows::*;
use crate::vm::keyed::Keyed;
use model::check::fail;
use model::kernel::Handle;
use model::sync::{KCondvar, KMutex, Wakeup};
use model::{cover, exec, mutant, seed};

impl Devmap {
    /// `devmap_softlock_init` (2908-2940): the softlock of (`dev`, `id`)
    /// from the global list, created if absent, with one more reference.
    pub(crate) fn devmap_softlock_init(&self, dev: u32, id: u32) -> Handle {
        let _f = exec::call("devmap_softlock_init", "seg_dev.c:2908");
        self.slock_mtx.enter();
        let found = self.slist.read(&[&self.slock_mtx]).into_iter().find(|&h| {
            let s = self.slock(h);
            s.key == (dev, id)
        });
        let h = match found {
            Some(h) => h,
            None => {
                seed("seg_dev.c:2924");
                let n = self.ghost.g().sl_refs.len() as u32;
                let lock = KMutex::new(SOFTLOCK, n);
                let h = self.softlocks.alloc(Softlock {
                    key: (dev, id),
                    lock,
                    cv: KCondvar::new("devmap.slock_cv", n),
                    softlocked: Keyed::new("devmap.softlocked", 0),
                    refcnt: Keyed::new("devmap.slock_refcnt", 0),
                });
                self.slist.with(&[&self.slock_mtx], |l| l.insert(0, h));
                h
            }
        };
        let s = self.slock(h);
        s.lock.enter();
        if !mutant(SOFTLOCK_INIT_NO_REF) {
            s.refcnt.with(&[&s.lock], |r| *r += 1);
        }
        *self.ghost.g().sl_refs.entry(h).or_default() += 1;
        s.lock.exit();
        self.slock_mtx.exit();
        h
    }

    /// `devmap_softlock_rele` (2947-2991): drops a handle's reference;
    /// the last one wakes a waiter, unlinks the softlock and frees it.
    pub(crate) fn devmap_softlock_rele(&self, h: Handle) {
        let _f = exec::call("devmap_softlock_rele", "seg_dev.c:2947");
        self.slock_mtx.enter();
        let s = self.slock(h);
        s.lock.enter();
        let r = s.refcnt.with(&[&s.lock], |r| {
            if *r == 0 {
                fail(
                    DEVMAP_K2,
                    format!("devmap_softlock_rele of softlock {h:?} with refcnt 0"),
                );
            }
            *r -= 1;
            *r
        });
        {
            let mut g = self.ghost.g();
            let refs = g.sl_refs.entry(h).or_default();
            *refs = refs.saturating_sub(1);
        }
        if r == 0 || mutant(SOFTLOCK_RELE_FREES_EARLY) {
            seed("seg_dev.c:2967");
            s.softlocked.with(&[&s.lock], |v| *v = 0);
            s.cv.signal();
            self.slist
                .with(&[&self.slock_mtx], |l| l.retain(|&x| x != h));
            s.lock.exit();
            self.k2_free(h, false);
            self.ghost.g().sl_refs.remove(&h);
            self.softlocks.free(h);
        } else {
            s.lock.exit();
        }
        self.slock_mtx.exit();
    }

    /// `devmap_softlock_enter` (1250-1284): waits until the fault may
    /// proceed and takes `npages` as `ty`; `Err(EINTR)` if a signal ended
    /// the wait.
    pub(crate) fn devmap_softlock_enter(
        &self,
        slock: Option<Handle>,
        npages: u64,
        ty: FaultType,
    ) -> Result<(), i32> {
        if npages == 0 {
            return Ok(());
        }
        let _f = exec::call("devmap_softlock_enter", "seg_dev.c:1250");
        let h = slock.expect("devmap_softlock_enter: pages but no softlock");
        let s = self.slock(h);
        s.lock.enter();
        let blocks = |v: i64| match ty {
            FaultType::SoftLock => v != 0 && !mutant(SOFTLOCK_ENTER_NO_WAIT),
            _ => v < 0 && !mutant(INVAL_ENTER_IGNORES_SOFTLOCK),
        };
        while blocks(s.softlocked.read(&[&s.lock])) {
            seed(if ty == FaultType::SoftLock {
                "seg_dev.c:1261"
            } else {
                "seg_dev.c:1272"
            });
            cover(if ty == FaultType::SoftLock {
                SOFTLOCK_WAITS
            } else {
                INVAL_WAITS
            });
            *self.ghost.g().sl_waiters.entry(h).or_default() += 1;
            let w = s.cv.wait_sig(&s.lock);
            *self.ghost.g().sl_waiters.entry(h).or_default() -= 1;
            if w == Wakeup::Interrupted {
                cover(ENTER_INTERRUPTED);
                s.lock.exit();
                return Err(EINTR);
            }
        }
        s.softlocked.with(&[&s.lock], |v| {
            if ty == FaultType::SoftLock {
                *v -= npages as i64;
            } else {
                *v += npages as i64;
            }
        });
        self.k1_enter(h, npages, ty);
        s.lock.exit();
        Ok(())
    }

    /// `devmap_softlock_exit` (1286-1312): gives back `npages` taken as
    /// `ty`; the exit that brings the count to zero wakes a waiter.
    pub(crate) fn devmap_softlock_exit(&self, slock: Option<Handle>, npages: u64, ty: FaultType) {
        let Some(h) = slock else { return };
        let _f = exec::call("devmap_softlock_exit", "seg_dev.c:1286");
        let s = self.slock(h);
        s.lock.enter();
        let v = s.softlocked.read(&[&s.lock]);
        self.k1_exit(h, v, npages, ty);
        let now = if ty == FaultType::SoftLock {
            v + npages as i64
        } else {
            v - npages as i64
        };
        s.softlocked.with(&[&s.lock], |x| *x = now);
        if now == 0 && !mutant(SOFTLOCK_EXIT_NO_SIGNAL) {
            seed(if ty == FaultType::SoftLock {
                "seg_dev.c:1299"
            } else {
                "seg_dev.c:1306"
            });
            cover(EXIT_WAKES);
            if self.cfg.fixes.softlock_broadcast {
                s.cv.broadcast();
            } else {
                s.cv.signal();
            }
        }
        s.lock.exit();
    }
}

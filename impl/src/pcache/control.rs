//! The purge thread and its controls: `seg_preap` (vm_seg.c:1499-1519),
//! `seg_pasync_thread` (1525-1554), `seg_p_enable` (1706-1713) and
//! `seg_p_disable` (1721-1750).
//!
//! Finding P2. `seg_preap` (pageout, memory low) wakes the purge thread
//! with a bare `cv_signal`, with no state and without `seg_pasync_mtx`.
//! The thread holds `seg_pasync_mtx` across its purge (1544-1551) and
//! sleeps again unconditionally, so a reap issued while it purges, or
//! between its wakeup and its next sleep, wakes nobody: the next purge
//! waits for the timeout (`segpcache_reap_ticks`, a second). The promise
//! of the wakeup, "a purge starts after this reap", is checked as
//! PCACHE-REAP when the thread goes to sleep. Fix (`Fixes::reap_pending`):
//! the request is recorded under `seg_pasync_mtx`, the thread does not
//! sleep while one is pending, and it drops the mutex around the purge so
//! that pageout never waits for a purge to take it.
//!
//! Finding P1. `seg_p_disable` promises that on success the cache holds
//! nothing until `seg_p_enable` (1715-1719); `seg_pinsert` tests
//! `seg_pdisabled` once, unlocked (824), and then accounts and links its
//! entry, so an insert that passed the test before the disable lands after
//! the disable saw `seg_plocked == 0` and returned success (PCACHE-J7).
//! Fix (`Fixes::disable_recheck`): the insert re-tests under
//! `seg_pmem_mtx` and the disable reads `seg_plocked` under it.

use super::checks::PCACHE_REAP;
use super::windows::*;
use super::Pcache;
use model::check::fail;
use model::sync::{retry, Callouts, Wakeup};

impl Pcache {
    /// `seg_preap`: pageout asks the purge thread to run.
    pub fn seg_preap(&self) {
        model::seed("vm_seg.c:1505");
        if self.plocked_window.hint() == 0 {
            return;
        }
        if self.pdisabled.hint() != 0 {
            return;
        }
        if self.cfg.fixes.reap_pending {
            self.pasync_mtx.enter();
            if !model::mutant(super::mutants::REAP_NO_PENDING) {
                self.reap_pending.with(&[&self.pasync_mtx], |p| *p = true);
            }
            self.note_reap();
            self.pasync_cv.signal();
            self.pasync_mtx.exit();
        } else {
            self.note_reap();
            model::seed("vm_seg.c:1518");
            self.pasync_cv.signal();
        }
        model::cover(PREAP_SIGNALS);
    }

    /// Ghost: a reap request the purge thread can only see by checking
    /// state, because it is awake and will not see the signal (one sent
    /// before the thread first sleeps, which the kernel's boot order rules
    /// out, is not counted).
    fn note_reap(&self) {
        let mut g = self.g();
        if g.athr_awake {
            g.reap_req += 1;
        }
    }

    /// `seg_pasync_thread`, bounded to `rounds` wakeups for the explorers
    /// (the seed loops forever). Each wakeup, by `cv_signal` or by its
    /// timeout (the callout on `co`), purges unless the cache is disabled.
    pub fn seg_pasync_thread(&self, co: &Callouts, rounds: usize) {
        let a = &self.pasync_mtx;
        a.enter();
        for _ in 0..rounds {
            let pending = self.cfg.fixes.reap_pending && self.reap_pending.read(&[a]);
            if !pending {
                {
                    let g = self.g();
                    if g.reap_req > g.reap_served {
                        let (req, seen) = (g.reap_req, g.reap_served);
                        drop(g);
                        fail(
                            PCACHE_REAP,
                            format!("the pcache purge thread goes back to sleep with {} seg_preap wakeup(s) lost: only its timeout will purge", req - seen),
                        );
                    }
                }
                model::seed("vm_seg.c:1547");
                self.g().athr_awake = false;
                let how = self.pasync_cv.timed_wait(a, co);
                self.g().athr_awake = true;
                match how {
                    Wakeup::TimedOut => model::cover(ASYNC_TIMED_OUT),
                    _ => model::cover(ASYNC_SIGNALLED),
                }
            }
            if self.cfg.fixes.reap_pending {
                self.reap_pending.with(&[a], |p| *p = false);
            }
            {
                let mut g = self.g();
                g.reap_served = g.reap_req;
            }
            if self.pdisabled.hint() == 0 {
                if self.cfg.fixes.reap_pending {
                    a.exit();
                    self.seg_ppurge_async(false);
                    a.enter();
                } else {
                    self.seg_ppurge_async(false);
                }
            }
        }
        self.g().athr_awake = false;
        a.exit();
    }

    /// `seg_p_enable`: undoes one `seg_p_disable`.
    pub fn seg_p_enable(&self) {
        let d = &self.pcache_mtx;
        d.enter();
        let n = self.pdisabled.read(&[d]);
        assert!(n != 0, "vm_seg.c:1710: seg_p_enable while enabled");
        {
            let mut g = self.g();
            g.clean = g.clean.saturating_sub(1);
        }
        self.pdisabled.write(n - 1, &[d]);
        d.exit();
        self.after_op();
    }

    /// `seg_p_disable`: disables caching and tries to empty the cache;
    /// true (SEGP_SUCCESS) if it did. The seed's `delay()` between passes
    /// is a yield.
    pub fn seg_p_disable(&self) -> bool {
        let d = &self.pcache_mtx;
        d.enter();
        let n = self.pdisabled.read(&[d]);
        self.pdisabled.write(n + 1, &[d]);
        d.exit();
        let mut stall = 0;
        loop {
            let locked = self.disable_plocked();
            if locked == 0 {
                break;
            }
            self.seg_ppurge_async(true);
            let now = self.disable_plocked();
            if now == locked {
                stall += 1;
                if stall > self.cfg.stall_threshold {
                    model::cover(DISABLE_STALLS);
                    self.after_op();
                    return false;
                }
            } else {
                stall = 0;
            }
            if now != 0 {
                retry();
            }
        }
        model::cover(DISABLE_EMPTIES);
        self.g().clean += 1;
        self.after_op();
        true
    }

    /// `seg_plocked` as `seg_p_disable` reads it: unlocked in the seed,
    /// under `seg_pmem_mtx` with fix P1.
    fn disable_plocked(&self) -> u64 {
        if self.cfg.fixes.disable_recheck {
            self.pmem_mtx.enter();
            let v = self.plocked.read(&[&self.pmem_mtx]);
            self.pmem_mtx.exit();
            v
        } else {
            self.plocked.hint()
        }
    }
}

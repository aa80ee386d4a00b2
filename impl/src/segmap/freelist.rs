//! The freelists: `segmap_smapadd` (seg_map.c:927-986), `grab_smp`
//! (seg_map.c:1124-1183) and `get_free_smp` (seg_map.c:1185-1362).
//!
//! Each freelist has two queues, an allocation queue and a release queue,
//! so that allocating and releasing threads mostly take different
//! mutexes. When the allocation queue runs dry, an allocator swaps the two
//! roles ("queue flip"). Slots on a queue form a circular doubly linked
//! ring through `sm_next`/`sm_prev`; `smq_free` is the ring's head.
//!
//! # Finding F2: a thread sleeps for a slot that is free
//!
//! `segmap_release` calls `segmap_smapadd` with the slot mutex held and
//! drops it only afterwards (seg_map.c:2104-2107; the lost-hashin path does
//! the same, 1790-1791). `segmap_smapadd` decides whether to wake a waiter
//! from `sm_want` while it links the slot (seg_map.c:966). An allocator
//! that runs in between finds the slot on its queue, fails to try-lock it
//! (the releaser still holds it), skips it as "being reclaimed"
//! (seg_map.c:1283-1289), finds the other queue empty and goes to sleep
//! (seg_map.c:1231-1256). Its `sm_want++` comes after the releaser's
//! snapshot, so nobody signals it: the slot is free, nobody holds a window
//! on it, and the allocator sleeps until some later release happens to
//! find the release queue empty. The comment at seg_map.c:962-964 assumes
//! that a waiter arriving after the snapshot saw the slot gone; here it
//! only saw it busy. Two threads and one slot reach it (scenario
//! `segmap/busy-slot-sleep`). [`Fixes::busy_slot_no_sleep`](crate::segmap::Fixes::busy_slot_no_sleep) keeps the seed's
//! walk but does not sleep after skipping a busy slot: it waits for the
//! slot's holder (enter and exit its mutex, holding nothing, as
//! seg_map.c:1227-1228 does for a busy queue) and starts over.
//!
//! # Finding F1: one wakeup for two releases
//!
//! `segmap_smapadd` looks at `sm_want` only when the slot it frees is the
//! first on an empty release queue (seg_map.c:956-978); a release into a
//! non-empty queue never signals, and `cv_signal` wakes one waiter. When
//! two threads wait on a freelist and two slots are released before the
//! first woken waiter runs, the first release signals and the second does
//! not: one waiter takes a slot and the other sleeps on with a free slot on
//! its freelist, until some later release finds the release queue empty. If
//! the threads that would release next wait for the sleeper, nobody ever
//! does (scenario `segmap/stranded-waiter`, which runs with F2 fixed to
//! show that F1 is a separate defect). [`Fixes::every_release_wakes`](crate::segmap::Fixes::every_release_wakes) reads
//! `sm_want` on every release (under the queue mutex, as the seed does for
//! an empty queue) and signals whenever it is non-zero.
//!
//! # Finding F3: a waiter sleeps on the wrong freelist
//!
//! With several freelists per colour, an allocator that finds them all
//! empty sleeps on the last one it tried (seg_map.c:1240-1258), and a slot
//! freed to another list of the colour signals only that list's cv: the
//! waiter sleeps while a slot it may use is free (`segmap/other-list-sleep`).
//! [`Fixes::colour_wakeup`](crate::segmap::Fixes::colour_wakeup) has two
//! parts, each needed (mutants `colour-no-wake`, `colour-no-recheck`): a
//! release signals waiters on every other list of its colour, and an
//! allocator re-reads a per-colour count of frees, holding the queue
//! mutexes of the list it sleeps on, and walks again if it moved since
//! the walk began. A free after that re-read finds the waiter's
//! `sm_want` raised when it gets the list's `freeq[0]`, which the waiter
//! holds until it sleeps.
//!
//! # Finding F4: F2's shape under segkpm
//!
//! The allocator skips a free slot whose kpm page it cannot lock
//! (seg_map.c:1303-1314) and may then sleep as in F2; the page's unlock
//! wakes no segmap waiter (`segmap/kpm-page-busy-sleep`).
//! [`Fixes::page_locked_no_sleep`](crate::segmap::Fixes::page_locked_no_sleep)
//! pauses and walks again instead, the seed's own answer to a page-locked
//! skip when it flips the queues (seg_map.c:1269-1272). It does not wait
//! for the page: the allocator may hold kpm pages of its own, and page
//! locks have no order among themselves.

use super::checks::{SEGMAP_GRAB, SEGMAP_I4};
use super::consts::*;
use super::kpm::KpmTry;
use super::windows::{
    ALLOCQ_CHANGED, BUSY_SLOT_WAIT, COLOUR_REWALK, COLOUR_WAKE, GET_NOFREE, GET_NOMTX, GET_REUSE,
    KPM_FLIP_DELAY, KPM_PAGE_RETRY, NEXT_FREELIST, QUEUE_FLIP, RELEQ_BUSY, SMAPADD_ROLE_SWAPPED,
    SMAPADD_SIGNAL, SMAPADD_WAKE,
};
use super::Segmap;
use model::check::SYNC_MISUSE;
use model::sync::Retries;
use model::{check, cover, seed};
use std::sync::atomic::Ordering::SeqCst;

/// What a fixed `get_free_smp` does instead of sleeping (fixes F2-F4).
enum Instead {
    /// Fix F2: wait for the holder of this free slot's mutex.
    SlotHolder(usize),
    /// Fix F3: a slot was freed to the colour during the walk; fix F4: a
    /// free slot's kpm page was locked. Walk again (the retry pauses).
    Rewalk,
}

impl Segmap {
    /// `segmap_smapadd` (seg_map.c:927-986): put the unreferenced, locked
    /// slot `smp` at the tail of its freelist's release queue, and wake a
    /// thread waiting for a slot if the queue was empty.
    pub(crate) fn smapadd(&self, smp: usize) {
        let _f = model::exec::call("segmap_smapadd", "seg_map.c:927");
        let s = &self.smap[smp];
        check!(
            s.mtx.held(),
            SYNC_MISUSE,
            "segmap_smapadd: slot {smp} not locked"
        );
        // seg_map.c:936-939; and a slot already on a queue must not be
        // linked in a second time.
        self.check_refcnt(smp, "segmap_smapadd");
        check!(
            s.refcnt.peek() == 0 && s.holders.load(SeqCst) == 0,
            SEGMAP_GRAB,
            "segmap_smapadd: slot {smp} freed with refcnt {} and {} holders",
            s.refcnt.peek(),
            s.holders.load(SeqCst)
        );
        check!(
            s.next.peek() == NIL && s.prev.peek() == NIL,
            SEGMAP_GRAB,
            "segmap_smapadd: slot {smp} is already on a free queue"
        );
        let sm = &self.free[s.free_ndx];
        // seg_map.c:949-953: which queue is the release queue is read with
        // no lock; the roles may swap before the queue mutex is ours. That
        // is harmless because the slot goes on the queue actually locked,
        // and SM_QNDX_ZERO records that queue, not its current role.
        seed("seg_map.c:949");
        let releq = sm.releq.hint() as usize;
        let named = if model::mutant(super::mutants::QNDX_REREAD) {
            // Wrong: records the role as re-read later, which can name the
            // other queue if the roles swapped in between.
            sm.releq.hint() as usize
        } else {
            releq
        };
        let sl = [&s.mtx];
        let flags = s.flags.read(&sl);
        if named == 0 {
            s.flags.write(flags | SM_QNDX_ZERO, &sl);
        } else {
            s.flags.write(flags & !SM_QNDX_ZERO, &sl);
        }
        let q = &sm.freeq[releq];
        let qm = [&q.mtx];
        // Wrong (mutant): sm_want read before the queue mutex is taken.
        let early_want =
            model::mutant(super::mutants::WANT_BEFORE_RELEQ).then(|| sm.want.read(&qm));
        q.mtx.enter();
        if sm.releq.peek() as usize != releq {
            // The window of seg_map.c:942-948: the roles swapped after the
            // unlocked read; the slot still goes on the queue it locked.
            cover(SMAPADD_ROLE_SWAPPED.point);
        }
        let head = q.head.read(&qm);
        let was_empty = head == NIL;
        // The slot's own links leave NULL: queue and slot mutex (both held).
        let linking = [&q.mtx, &s.mtx];
        if was_empty {
            // seg_map.c:959.
            q.head.write(smp as u64, &qm);
            s.next.write(smp as u64, &linking);
            s.prev.write(smp as u64, &linking);
        } else {
            // seg_map.c:980-983: insert before the head, i.e. at the tail.
            let h = &self.smap[head as usize];
            let tail = h.prev.read(&qm);
            s.next.write(head, &linking);
            s.prev.write(tail, &linking);
            h.prev.write(smp as u64, &qm);
            self.smap[tail as usize].next.write(smp as u64, &qm);
            if model::mutant(super::mutants::SMAPADD_AT_HEAD) {
                // Wrong policy: the slot just freed is reused first.
                q.head.write(smp as u64, &qm);
            }
        }
        if self.fixes.colour_wakeup {
            // Fix F3: counted in the critical section that links the slot,
            // so an allocator that walked this queue before the link reads
            // the old count first and sees the new one before it sleeps.
            self.colour_frees[self.colour_of(s.free_ndx)].fetch_add(1, SeqCst);
        }
        if !was_empty && !self.fixes.every_release_wakes {
            q.mtx.exit();
            self.wake_colour(s.free_ndx);
            return;
        }
        // seg_map.c:966: a waiter raises sm_want holding both queue mutexes,
        // after it found both queues empty. Reading it while this queue
        // mutex is still held orders the read against any such waiter: it
        // either saw the slot just linked (and does not wait) or its
        // increment is visible here. The seed reasons that a waiter raising
        // sm_want later found the queue empty again, so someone else took
        // this slot; finding F2 shows it may only have found it busy.
        let want = early_want.unwrap_or_else(|| sm.want.read(&qm));
        q.mtx.exit();
        if want != 0 {
            cover(SMAPADD_WAKE.point);
            // seg_map.c:974-977: take freeq[0], the cv's mutex, so that a
            // waiter between raising sm_want (under both queue mutexes) and
            // sleeping (which drops freeq[1] first, seg_map.c:1253-1254)
            // has gone to sleep; re-check sm_want, which a thread woken
            // meanwhile lowers.
            let cvq = if model::mutant(super::mutants::SIGNAL_UNDER_RELEQ) {
                // Wrong: any queue mutex of the list may read sm_want, but
                // only freeq[0] closes the waiter's window; under freeq[1]
                // the signal can come first and be lost.
                &sm.freeq[releq]
            } else {
                &sm.freeq[0]
            };
            seed("seg_map.c:974");
            cvq.mtx.enter();
            if sm.want.read(&[&cvq.mtx]) != 0 {
                cover(SMAPADD_SIGNAL.point);
                sm.cv.signal();
            }
            cvq.mtx.exit();
        }
        self.wake_colour(s.free_ndx);
    }

    /// The colour of freelist `ndx` (lists of one colour are `ncolor`
    /// apart, seg_map.c:1240).
    fn colour_of(&self, ndx: usize) -> usize {
        ndx % self.ncolor
    }

    /// Fix F3, after `smapadd` linked a slot into freelist `ndx` and
    /// dropped the queue mutex (the slot mutex still held: slot -> queue
    /// is ranked): signal a waiter on every other freelist of the colour.
    /// Each list's `sm_want` is read under its `freeq[0]`, the mutex its
    /// waiters hold from their re-check of `colour_frees` until they
    /// sleep: a waiter whose re-check missed this slot's count is asleep
    /// by the time that mutex is ours, and is signalled.
    fn wake_colour(&self, ndx: usize) {
        if !self.fixes.colour_wakeup || model::mutant(super::mutants::COLOUR_NO_WAKE) {
            return;
        }
        if model::mutant(super::mutants::COLOUR_WAKE_ONE_LIST) {
            // Wrong: only the list before this one; equal to all of them
            // when the colour has two lists.
            let other = &self.free[ndx.wrapping_sub(self.ncolor) & self.freemsk];
            other.freeq[0].mtx.enter();
            if other.want.read(&[&other.freeq[0].mtx]) != 0 {
                other.cv.signal();
            }
            other.freeq[0].mtx.exit();
            return;
        }
        let mut other = (ndx + self.ncolor) & self.freemsk;
        while other != ndx {
            let sm = &self.free[other];
            let q0 = &sm.freeq[0];
            q0.mtx.enter();
            if sm.want.read(&[&q0.mtx]) != 0 {
                cover(COLOUR_WAKE.point);
                sm.cv.signal();
            }
            q0.mtx.exit();
            other = (other + self.ncolor) & self.freemsk;
        }
    }

    /// `grab_smp` (seg_map.c:1124-1183): the slot, locked and off every
    /// queue, loses its old identity, its translations (with segkpm, its
    /// kpm mapping of page `pp`, which get_free_smp locked) and (if
    /// possible) its pages.
    pub(crate) fn grab_smp(&self, smp: usize, pp: Option<usize>) {
        let _f = model::exec::call("grab_smp", "seg_map.c:1124");
        let s = &self.smap[smp];
        check!(s.mtx.held(), SYNC_MISUSE, "grab_smp: slot {smp} not locked");
        // seg_map.c:1128, and its refinement: nobody holds a window on it.
        self.check_refcnt(smp, "grab_smp");
        check!(
            s.refcnt.peek() == 0 && s.holders.load(SeqCst) == 0,
            SEGMAP_GRAB,
            "grab_smp: slot {smp} taken for reuse with refcnt {} and {} holders",
            s.refcnt.peek(),
            s.holders.load(SeqCst)
        );
        let sl = [&s.mtx];
        let vp = s.vp.read(&sl);
        if vp != 0 {
            let off = s.off.read(&sl);
            cover(GET_REUSE.point);
            seed("seg_map.c:1139");
            self.hashout(smp);
            if self.kpm {
                self.grab_kpm(smp, pp);
            } else {
                // seg_map.c:1175-1179: every tagged slot on a freelist was
                // released through its segkmap address.
                let flags = s.flags.read(&sl);
                check!(
                    flags & SM_NOTKPM_RELEASED != 0,
                    SEGMAP_GRAB,
                    "grab_smp: slot {smp} reused without having been released"
                );
                s.flags.write(flags & !SM_NOTKPM_RELEASED, &sl);
                if !model::mutant(super::mutants::GRAB_SKIP_UNLOAD) {
                    seed("seg_map.c:1177");
                    self.hat_unload(Self::slot_addr(smp), MAXBSIZE);
                }
                self.check_xlate(smp, "grab_smp after hat_unload");
            }
            // seg_map.c:1181, slot mutex still held.
            self.pagefree(vp, off);
        }
    }

    /// `get_free_smp` (seg_map.c:1185-1362): a slot from freelist
    /// `free_ndx` (or another list of the same colour), returned locked,
    /// off its queue and without identity. Sleeps when every list of the
    /// colour is empty.
    pub(crate) fn get_free_smp(&self, start_ndx: usize) -> usize {
        let _f = model::exec::call("get_free_smp", "seg_map.c:1185");
        let end_ndx = start_ndx;
        let mut free_ndx = start_ndx;
        let mut sm = &self.free[free_ndx];
        // Fix F2 only: the first slot of a walk that found every slot busy.
        let mut busy = None;
        // segkpm: a slot was skipped because its page was locked.
        let mut page_locked = false;
        // Fix F3 only: the colour's free count before this walk.
        let colour = self.colour_of(start_ndx);
        let mut frees = self.colour_frees_before_walk(colour);
        let mut retries = Retries::new();
        'retry_queue: loop {
            // seg_map.c:1200-1201: the role is read with no lock, then
            // re-checked below once the queue is locked.
            seed("seg_map.c:1200");
            let allocq_i = sm.allocq.hint() as usize;
            let allocq = &sm.freeq[allocq_i];
            allocq.mtx.enter();
            let am = [&allocq.mtx];
            let first = allocq.head.read(&am);
            if first != NIL {
                // seg_map.c:1280-1292: walk the ring trying each slot mutex.
                // Here the queue mutex is held and the slot mutex is wanted:
                // the reverse of the order (slot, then queue) that releases
                // and reclaims use, so only a try is safe (seg_map.c:244-246).
                let mut smp = first;
                loop {
                    let s = &self.smap[smp as usize];
                    seed("seg_map.c:1283");
                    let got = if model::mutant(super::mutants::BLOCKING_SLOT_ENTER) {
                        s.mtx.enter();
                        true
                    } else {
                        s.mtx.tryenter()
                    };
                    // seg_map.c:1294-1322: with segkpm, a slot still mapping
                    // a page is taken only with that page locked.
                    let kpm = if got && self.kpm {
                        self.kpm_try_slot(smp as usize)
                    } else {
                        KpmTry::Take(None)
                    };
                    match (got, kpm) {
                        (true, KpmTry::Take(pp)) => {
                            self.take_from_queue(sm, allocq_i, first, smp as usize, pp);
                            return smp as usize;
                        }
                        (true, KpmTry::Skip) => {
                            // seg_map.c:1304-1314.
                            smp = s.next.read(&am);
                            s.mtx.exit();
                            page_locked = true;
                            if smp == first {
                                break;
                            }
                            continue;
                        }
                        (false, _) => {}
                    }
                    // A thread holding this slot mutex is reclaiming it (the
                    // seed's assumption), or still releasing it (F2): skip
                    // it. Counted as the seed's unused "get_nomtx" kstat.
                    cover(GET_NOMTX.point);
                    smp = s.next.read(&am);
                    if smp == first {
                        busy = Some(first as usize);
                        break;
                    }
                }
            }
            // skip_queue (seg_map.c:1205-1214): the allocation queue is
            // empty or every slot on it was busy. If the roles swapped
            // since the unlocked read, start over with the new queue.
            if sm.allocq.read(&am) as usize != allocq_i {
                cover(ALLOCQ_CHANGED.point);
                allocq.mtx.exit();
                retries.again();
                continue 'retry_queue;
            }
            // seg_map.c:1215-1230: queue mutexes have no fixed order (their
            // roles swap), so the second one is only tried. On failure,
            // drop ours and wait for the holder by taking and dropping its
            // mutex, then start over.
            let releq_i = sm.releq.read(&am) as usize;
            let releq = &sm.freeq[releq_i];
            seed("seg_map.c:1216");
            let got = if model::mutant(super::mutants::BLOCKING_RELEQ_ENTER) {
                releq.mtx.enter();
                true
            } else {
                releq.mtx.tryenter()
            };
            if !got {
                cover(RELEQ_BUSY.point);
                allocq.mtx.exit();
                releq.mtx.enter();
                releq.mtx.exit();
                retries.again();
                continue 'retry_queue;
            }
            let both = [&allocq.mtx, &releq.mtx];
            if releq.head.read(&[&releq.mtx]) == NIL {
                // seg_map.c:1231-1246: this freelist is empty; try the next
                // one of the same colour.
                free_ndx = if model::mutant(super::mutants::WALK_LISTS_DOWNWARD) {
                    free_ndx.wrapping_sub(self.ncolor) & self.freemsk
                } else {
                    (free_ndx + self.ncolor) & self.freemsk
                };
                if free_ndx != end_ndx {
                    cover(NEXT_FREELIST.point);
                    releq.mtx.exit();
                    allocq.mtx.exit();
                    sm = &self.free[free_ndx];
                    retries.again();
                    continue 'retry_queue;
                }
                // The fixes of F2, F4 and F3: instead of sleeping, wait for
                // what made a free slot unusable, or walk again.
                let instead = if let (true, Some(b)) = (self.fixes.busy_slot_no_sleep, busy.take())
                {
                    // Fix F2: a skipped slot is free but its mutex was held.
                    cover(BUSY_SLOT_WAIT.point);
                    Some(Instead::SlotHolder(b))
                } else if self.fixes.page_locked_no_sleep && std::mem::take(&mut page_locked) {
                    // Fix F4: a skipped slot is free but its kpm page was
                    // locked, and that page's unlock wakes no segmap waiter.
                    // Pause and walk again, as the seed does when it flips
                    // the queues after such a skip (seg_map.c:1269-1272),
                    // rather than wait for the page: the caller may hold
                    // kpm pages of its own, and page locks have no order.
                    cover(KPM_PAGE_RETRY.point);
                    Some(Instead::Rewalk)
                } else if self.fixes.colour_wakeup
                    && !model::mutant(super::mutants::COLOUR_NO_RECHECK)
                {
                    // Fix F3: a slot freed to another list of the colour
                    // since this walk began is not seen by its scan; if the
                    // count moved, walk the lists again. A free after this
                    // read signals us (`wake_colour`).
                    let now = self.colour_frees[colour].load(SeqCst);
                    (now != frees).then(|| {
                        cover(COLOUR_REWALK.point);
                        frees = now;
                        Instead::Rewalk
                    })
                } else {
                    None
                };
                if let Some(instead) = instead {
                    releq.mtx.exit();
                    allocq.mtx.exit();
                    self.wait_instead(instead);
                    // Walk again from the first list, as after a wakeup
                    // (the slot may be on any list of the colour).
                    sm = &self.free[free_ndx];
                    retries.again();
                    continue 'retry_queue;
                }
                // seg_map.c:1251-1259: every list of the colour is empty:
                // sleep on this one. sm_want is raised with both queue
                // mutexes held, so a release either ran before (and left a
                // slot we would have seen, unless its mutex was still held:
                // finding F2) or sees the raised count.
                cover(GET_NOFREE.point);
                seed("seg_map.c:1252");
                sm.want.add(1, &both);
                sm.waiting.fetch_add(1, SeqCst);
                sm.freeq[1].mtx.exit();
                sm.cv.wait(&sm.freeq[0].mtx);
                sm.waiting.fetch_sub(1, SeqCst);
                if !model::mutant(super::mutants::FORGET_WANT_DECREMENT) {
                    sm.want.add(-1, &[&sm.freeq[0].mtx]);
                }
                sm.freeq[0].mtx.exit();
                sm = &self.free[free_ndx];
                frees = self.colour_frees_before_walk(colour);
                retries.again();
                continue 'retry_queue;
            }
            // seg_map.c:1260-1273: slots wait on the release queue: swap
            // the roles (both queue mutexes held) and start over.
            cover(QUEUE_FLIP.point);
            if page_locked {
                // seg_map.c:1269-1272: the seed pauses (delay) before
                // retrying after a slot's page was busy; the model's
                // retry yields.
                cover(KPM_FLIP_DELAY.point);
                page_locked = false;
            }
            seed("seg_map.c:1265");
            if model::mutant(super::mutants::FLIP_UNLOCKED) {
                // Wrong: the two role words change after both mutexes are
                // dropped, so others can see them half swapped.
                allocq.mtx.exit();
                releq.mtx.exit();
                sm.allocq.write(releq_i as u64, &both);
                sm.releq.write(allocq_i as u64, &both);
            } else {
                sm.allocq.write(releq_i as u64, &both);
                if !model::mutant(super::mutants::FLIP_ONE_SIDED) {
                    sm.releq.write(allocq_i as u64, &both);
                }
                allocq.mtx.exit();
                releq.mtx.exit();
            }
            retries.again();
        }
    }

    /// What a fixed `get_free_smp` waits for, holding nothing, before it
    /// walks the lists again.
    fn wait_instead(&self, instead: Instead) {
        match instead {
            Instead::SlotHolder(b) => {
                self.smap[b].mtx.enter();
                self.smap[b].mtx.exit();
            }
            Instead::Rewalk => {}
        }
    }

    /// Fix F3: the colour's free count as a walk starts (nothing read
    /// without the fix, so the seed's schedules stay as they are).
    fn colour_frees_before_walk(&self, colour: usize) -> u64 {
        if self.fixes.colour_wakeup {
            self.colour_frees[colour].load(SeqCst)
        } else {
            0
        }
    }

    /// seg_map.c:1324-1359: with queue `q` of `sm` and slot `smp` locked,
    /// `first` being the head seen when the walk started, unlink `smp`,
    /// drop the queue mutex, and grab the slot (with segkpm page `pp`
    /// locked shared, if the slot maps one).
    fn take_from_queue(
        &self,
        sm: &super::state::SmFree,
        q: usize,
        first: u64,
        smp: usize,
        pp: Option<usize>,
    ) {
        let allocq = &sm.freeq[q];
        let am = [&allocq.mtx];
        let s = &self.smap[smp];
        seed("seg_map.c:1329");
        if first == smp as u64 && !model::mutant(super::mutants::UNLINK_FORGET_HEAD) {
            check!(
                allocq.head.peek() == first,
                SEGMAP_I4,
                "get_free_smp: head of queue moved during the walk"
            );
            allocq.head.write(s.next.read(&am), &am);
        }
        if allocq.head.read(&am) == smp as u64 {
            // seg_map.c:1338-1342: it was the only slot on the queue.
            allocq.head.write(NIL, &am);
        } else {
            // seg_map.c:1344-1345.
            let (prev, next) = (s.prev.read(&am), s.next.read(&am));
            self.smap[prev as usize].next.write(next, &am);
            self.smap[next as usize].prev.write(prev, &am);
        }
        allocq.mtx.exit();
        // seg_map.c:1348: off every queue; its links go NULL under the slot
        // mutex alone (nobody reaches it through a queue any more).
        let sl = [&s.mtx];
        s.prev.write(NIL, &sl);
        s.next.write(NIL, &sl);
        self.grab_smp(smp, pp);
    }
}

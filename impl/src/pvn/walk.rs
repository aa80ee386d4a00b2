//! `pvn_vplist_dirty` (vm_pvn.c:739-986): the marker-page walk of a
//! vnode's page ring.

use super::ghost::Walk;
use super::mutants;
use super::state::{Pvn, B_ASYNC, B_FREE, B_INVAL, B_TRUNC, EAGAIN};
use super::windows::*;
use crate::vm::vplist::{Entry, Marker, Slot};
use model::sync::{went_round, Se};
use model::{cover, exec, mutant, seed};
use std::collections::{BTreeMap, BTreeSet};

impl Pvn {
    /// `pvn_vplist_dirty(vp, off, putapage, flags, cred)`: writes back,
    /// frees or invalidates (`flags`) every page of the file at offset
    /// `off` or above, with the putapage stand-in; returns the first error
    /// (`EAGAIN` for an asynchronous caller that finds another walk in
    /// progress).
    #[track_caller]
    pub fn pvn_vplist_dirty(&self, off: u64, flags: u32) -> i32 {
        let _f = exec::call("pvn_vplist_dirty", "vm_pvn.c:739");
        let vn = &self.vn;
        // vm_pvn.c:758-759: an unlocked look.
        if vn.no_pages_hint() {
            return 0;
        }
        // 768-783: one walker per vnode.
        vn.v_lock.enter();
        if vn.vvmlock_set() && flags & B_ASYNC != 0 {
            cover(ASYNC_EAGAIN);
            vn.v_lock.exit();
            self.after_op();
            return EAGAIN;
        }
        while vn.vvmlock_set() {
            cover(VVMLOCK_WAITS);
            vn.v_cv.wait(&vn.v_lock);
        }
        if vn.no_pages_hint() {
            cover(EMPTIED_WHILE_WAITING);
            vn.v_lock.exit();
            return 0;
        }
        if !mutant(mutants::WALK_NO_VVMLOCK) {
            vn.set_vvmlock(true);
        }
        self.walk_begins(flags, off);
        vn.v_lock.exit();
        vn.vvmlock.taken();
        // 789-794.
        let (end, mark) = self.markers();
        // 800-803.
        vn.vphm.enter();
        let mut err = 0;
        if vn.ring(|r| r.is_empty()) {
            cover(EMPTY_UNDER_VPHM);
        } else {
            // 808-809: both markers at the tail, `end` last.
            vn.ring(|r| {
                let tail = r.tail_slot();
                r.add(tail, mark);
                r.add(Slot::After(mark), end);
            });
            err = self.walk(off, flags, mark, end);
            // 971-972.
            if !mutant(mutants::EXIT_KEEPS_MARKERS) {
                vn.ring(|r| {
                    r.sub(mark);
                    r.sub(end);
                });
            }
        }
        // 974-985.
        vn.vphm.exit();
        vn.v_lock.enter();
        vn.set_vvmlock(false);
        let w = self.walk_ends();
        vn.vvmlock.cleared();
        if !mutant(mutants::EXIT_NO_BROADCAST) {
            vn.v_cv.broadcast();
        }
        vn.v_lock.exit();
        self.check_synced(&w, err);
        self.after_op();
        err
    }

    /// The loop of 810-970, the vnode page mutex held on entry and exit.
    fn walk(&self, off: u64, flags: u32, mark: Entry, end: Entry) -> i32 {
        let vn = &self.vn;
        let mut err = 0;
        loop {
            went_round();
            let (head, pp) = vn.ring(|r| (r.head(), r.prev(mark)));
            // 816-817: the async write-back stops at the head.
            let stop_at_head = if mutant(mutants::WALK_STOP_AT_HEAD) {
                true
            } else {
                flags == B_ASYNC
            };
            if stop_at_head && head == Some(mark) {
                cover(ASYNC_STOPS_AT_HEAD);
                break;
            }
            // 822-823: every page passed.
            if pp == end {
                cover(MARKER_MEETS_END);
                break;
            }
            let Entry::Page(pp) = pp else {
                // Another walker's marker: only one walker may hold
                // VVMLOCK (V3); with the check off the walk cannot go on.
                model::check::fail(
                    super::checks::PVN_V3,
                    format!(
                        "walker {} meets another walker's marker {pp:?}",
                        exec::tid()
                    ),
                );
            };
            // 826-829.
            let where_to_move = vn.ring(|r| {
                if head == Some(Entry::Page(pp)) {
                    Slot::Head
                } else {
                    Slot::After(r.prev(Entry::Page(pp)))
                }
            });
            // 839-882: a VMODSORT vnode keeps its modified pages at the
            // tail; a plain write-back may stop at the first clean page.
            if vn.modsort && flags & (B_INVAL | B_FREE | B_TRUNC) == 0 {
                if self.clean_and_idle(pp) {
                    seed("vm_pvn.c:841");
                    if self.cfg.fixes.exit_at_tail_only
                        && !mutant(mutants::EXIT_IGNORES_MOVED)
                        && vn.ring(|r| r.tail() != Some(end))
                    {
                        // Fix V2: pages were moved behind the end marker;
                        // pass this clean page and go round to them.
                        cover(MODSORT_EXIT_DEFERRED);
                        self.move_marker(mark, where_to_move, pp);
                        continue;
                    }
                    cover(MODSORT_EXIT);
                    self.check_clean_to_head(pp);
                    self.mark_early_exit();
                    break;
                } else if flags & B_ASYNC == 0 && !self.hat.hat_ismod(pp) {
                    // 871-881: clean but under I/O; a synchronous caller
                    // waits for it and looks again.
                    cover(MODSORT_IO_WAIT);
                    vn.vphm.exit();
                    self.pages.page(pp).io.page_io_wait();
                    vn.vphm.enter();
                    self.neighbour_changed(pp);
                    continue;
                }
            }
            // 888-892.
            if self.offset(pp) < off {
                cover(BELOW_OFFSET);
                self.move_marker(mark, where_to_move, pp);
                continue;
            }
            // 898.
            let se = if flags & (B_INVAL | B_FREE) != 0 {
                Se::Excl
            } else {
                Se::Shared
            };
            let page = &self.pages.page(pp).lock;
            if flags & B_INVAL != 0 || flags & B_ASYNC == 0 {
                // 904-916: drops the mutex to wait, and fails.
                if !page.page_lock(se, Some(&vn.vphm)) {
                    cover(PAGE_LOCK_DROPS);
                    self.neighbour_changed(pp);
                    if mutant(mutants::WALK_SKIPS_BUSY)
                        && vn.ring(|r| r.prev(mark)) == Entry::Page(pp)
                    {
                        let past = vn.ring(|r| match r.head() {
                            Some(h) if h == Entry::Page(pp) => Slot::Head,
                            _ => Slot::After(r.prev(Entry::Page(pp))),
                        });
                        vn.ring(|r| {
                            r.sub(mark);
                            r.add(past, mark);
                        });
                    }
                    continue;
                }
                if !mutant(mutants::MARKER_MOVED_LATE) {
                    self.move_marker(mark, where_to_move, pp);
                }
            } else {
                // 917-932.
                self.move_marker(mark, where_to_move, pp);
                let got = if mutant(mutants::WALK_TRYLOCK_BLOCKS) {
                    page.page_lock(se, None)
                } else {
                    page.page_trylock(se)
                };
                if !got {
                    cover(TRYLOCK_SKIPS);
                    continue;
                }
            }
            // 941-954.
            if self.pages.is_free(pp) {
                if flags & B_INVAL == 0 {
                    cover(FREE_SKIPPED);
                    page.page_unlock();
                    continue;
                }
                cover(FREE_DESTROYED);
                self.check_marker_passed(mark, pp);
                vn.vphm.exit();
                self.page_destroy_free(pp);
                vn.vphm.enter();
                continue;
            }
            // 963-969.
            self.check_marker_passed(mark, pp);
            vn.vphm.exit();
            if self.pvn_getdirty(pp, flags) {
                cover(WALK_WRITES);
                let error = self.putapage(pp, flags);
                if err == 0 {
                    err = error;
                }
            }
            vn.vphm.enter();
            if mutant(mutants::MARKER_MOVED_LATE) && flags & B_ASYNC == 0 {
                self.move_marker(mark, where_to_move, pp);
            }
            self.neighbour_changed(pp);
        }
        self.walk_visited();
        err
    }

    /// 841: `!hat_ismod(pp) && !page_io_locked(pp)`, in the seed's order
    /// (MOD first), or with the I/O lock first (the rejected fix).
    fn clean_and_idle(&self, pp: usize) -> bool {
        let io = &self.pages.page(pp).io;
        if mutant(mutants::MODSORT_EXIT_IGNORES_IO) {
            return !self.hat.hat_ismod(pp);
        }
        // The order of the two reads is the point (each is a scheduling
        // point); the first that says "busy" decides.
        if self.cfg.fixes.exit_iolock_first {
            if io.page_io_locked() {
                return false;
            }
            !self.hat.hat_ismod(pp)
        } else {
            if self.hat.hat_ismod(pp) {
                return false;
            }
            !io.page_io_locked()
        }
    }

    /// `page_vpsub(&vp->v_pages, mark); page_vpadd(where_to_move, mark)`:
    /// the marker goes right before page `pp` (ghost: the walk passed it).
    fn move_marker(&self, mark: Entry, where_to_move: Slot, pp: usize) {
        let epoch = self.vn.ring(|r| {
            r.sub(mark);
            r.add(where_to_move, mark);
            r.epoch(pp)
        });
        let incarnation = self.pages.page(pp).incarnation();
        let me = exec::tid();
        let then = {
            let mut g = self.g();
            let w = g.walks.get_mut(&me).expect("a walk in progress");
            w.processed.insert(pp, incarnation);
            w.at_start.get(&pp).copied()
        };
        match then {
            Some((e, i)) if i == incarnation => {
                if e < epoch {
                    cover(PASSES_MOVED);
                }
            }
            _ => cover(PASSES_CREATED),
        }
    }

    /// Ghost: if the caller is a walker, it processes page `pp` (held
    /// locked) in its `pvn_getdirty`.
    pub(crate) fn walk_processes(&self, pp: usize) {
        let incarnation = self.pages.page(pp).incarnation();
        if let Some(w) = self.g().walks.get_mut(&exec::tid()) {
            w.processed.insert(pp, incarnation);
        }
    }

    /// The two markers (`kmem_cache_alloc(marker_cache)`, 789-794): `end`
    /// and `mark`, owned by the caller.
    fn markers(&self) -> (Entry, Entry) {
        let me = exec::tid();
        let mut g = self.g();
        let id = g.next_marker;
        g.next_marker += 2;
        let end = Marker { id, owner: me };
        let mark = Marker {
            id: id + 1,
            owner: me,
        };
        let w = g.walks.get_mut(&me).expect("a walk in progress");
        w.marks = Some((mark, end));
        (Entry::Marker(end), Entry::Marker(mark))
    }

    /// Ghost: the caller set `VVMLOCK` (V3: nobody else holds it).
    fn walk_begins(&self, flags: u32, off: u64) {
        let me = exec::tid();
        let ring = self.vn.peek_ring();
        let mut g = self.g();
        if let Some((&other, _)) = g.walks.iter().next() {
            drop(g);
            model::check::fail(
                super::checks::PVN_V3,
                format!("walker {me} sets VVMLOCK while walker {other} holds it"),
            );
        }
        let start = g.tick();
        let at_start = ring
            .pages()
            .map(|p| (p, (ring.epoch(p), self.pages.page(p).incarnation())))
            .collect();
        g.walks.insert(
            me,
            Walk {
                flags,
                off,
                start,
                marks: None,
                processed: BTreeMap::new(),
                at_start,
                early_exit: false,
                left_locked: BTreeSet::new(),
            },
        );
    }

    /// Ghost: the caller cleared `VVMLOCK`; its walk record.
    fn walk_ends(&self) -> Walk {
        self.g()
            .walks
            .remove(&exec::tid())
            .expect("a walk in progress")
    }

    fn mark_early_exit(&self) {
        if let Some(w) = self.g().walks.get_mut(&exec::tid()) {
            w.early_exit = true;
        }
    }

    /// V1 at the end of the loop.
    fn walk_visited(&self) {
        let w = self.g().walks.get(&exec::tid()).cloned();
        if let Some(w) = w {
            self.check_visited(&w);
        }
    }

    /// Coverage: page `pp`, next to the marker when the walk dropped the
    /// vnode page mutex for it, left the ring (was destroyed) meanwhile;
    /// the walk goes on from the marker.
    fn neighbour_changed(&self, pp: usize) {
        if !self.vn.peek_ring().contains(Entry::Page(pp)) {
            cover(NEIGHBOUR_DESTROYED);
        }
    }
}

//! The pvn checks: V1-V6 of SEED-MAP section 4, with their CHECKS.md ids.
//!
//! Each is checked where its promise is made (an event check, on ghost
//! state, at the step that makes it), after every pvn operation
//! ([`At::Step`], each part only for pages no lock covers at that moment)
//! and at the end of every scenario ([`At::Quiescent`]). The checks read
//! only ghost state (the ghost copies of the ring, `p_nrm`, the PTEs, the
//! locks' ghost holders and [`super::ghost::Ghost`]): they add no
//! scheduling point. On real threads only the end check runs; the run
//! parameter `checks=end` turns the step checks off.

use super::ghost::Walk;
use super::state::{Pvn, B_ASYNC, B_FORCE, B_TRUNC};
use crate::vm::page::{P_MOD, P_REF};
use crate::vm::vplist::{Entry, VM_VPLIST};
use model::check::{fail, SYNC_MISUSE};
use std::collections::BTreeSet;

/// V1: a walk that is not the async write-back (`flags == B_ASYNC`) and
/// did not stop at a clean page of a `VMODSORT` vnode has processed every
/// page that has stayed in place on the ring since it began (its marker
/// passed the page, or its `pvn_getdirty` handled it in a kluster); and a
/// synchronous write-back (no `B_ASYNC`, `B_TRUNC`, `B_FORCE`) that
/// returns 0 leaves every write made before it began, to a page in its
/// range, on disk (fsync's promise), wherever the page moved meanwhile,
/// but for pages that `B_INVAL` or `B_FREE` left alone because they were
/// locked in memory. The seed's comment (721-733) also promises a visit to
/// every page inserted at either end during the walk: once the marker has
/// gone round past the end marker, a page moved or created at either end
/// is not visited (see CHECKS.md); the outcome part is what such a page's
/// data relies on.
pub const PVN_V1: &str = "PVN-V1";
/// V2: the walk moves its marker past a page before it drops the vnode
/// page mutex to process that page.
pub const PVN_V2: &str = "PVN-V2";
/// V3: at most one walker per vnode (`VVMLOCK`); every exit clears it,
/// takes its markers off the ring and broadcasts `v_cv`. (Markers moved
/// by another thread than their walker: `VM-VPLIST`; a waiter never
/// woken: `SYNC-DEADLOCK`.)
pub const PVN_V3: &str = "PVN-V3";
/// V4: no lost dirty data. Every write a CPU lands through a mapping ends
/// in a write-back that started after it and completed, or with MOD set
/// (in `p_nrm` or a PTE); no write lands on a free or destroyed page; a
/// page is freed only with no translation, MOD clear, its writes on disk
/// and `p_lckcnt`/`p_cowcnt` zero (and by `pvn_write_done` only with REF
/// clear too), and destroyed only with its writes on disk unless the
/// caller discards them (`B_TRUNC`, or a failed `B_INVAL | B_FORCE`).
pub const PVN_V4: &str = "PVN-V4";
/// V5: at most one I/O per page at a time, started with the page's I/O
/// lock held, which stays held until the I/O completes; at rest every I/O
/// lock is released.
pub const PVN_V5: &str = "PVN-V5";
/// V6: when a walk of a `VMODSORT` vnode stops at a clean page, that page
/// and every page from it to the head are clean.
pub const PVN_V6: &str = "PVN-V6";

/// Where the invariants are checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    Quiescent,
    Step,
}

impl Pvn {
    pub(crate) fn after_op(&self) {
        if self.each_op {
            self.check_invariants(At::Step);
        }
    }

    /// Every invariant at the end of a scenario (all threads joined, the
    /// I/O actor drained).
    pub fn check_quiescent(&self) {
        self.check_invariants(At::Quiescent);
        self.hat.check_quiescent();
    }

    pub fn check_invariants(&self, at: At) {
        let quiet = at == At::Quiescent;
        if quiet {
            self.check_all_free();
        }
        let ring = self.vn.peek_ring();
        let g = self.g();
        let walks: Vec<&Walk> = g.walks.values().collect();
        if walks.len() > 1 {
            fail(
                PVN_V3,
                format!("{} walkers hold VVMLOCK at once", walks.len()),
            );
        }
        if self.vn.peek_vvmlock() == walks.is_empty() {
            fail(
                PVN_V3,
                format!(
                    "VVMLOCK is {} with {} walk(s) in progress",
                    self.vn.peek_vvmlock(),
                    walks.len()
                ),
            );
        }
        let live: BTreeSet<_> = walks
            .iter()
            .filter_map(|w| w.marks)
            .flat_map(|(m, e)| [m, e])
            .collect();
        for e in ring.entries() {
            if let Entry::Marker(m) = e {
                if !live.contains(m) {
                    fail(
                        PVN_V3,
                        format!("marker {} of thread {} left on the ring", m.id, m.owner),
                    );
                }
            }
        }
        let vphm_free = self.vn.vphm.owner().is_none();
        let on_ring: BTreeSet<usize> = ring.pages().collect();
        for pp in 0..self.pages.count() {
            let p = self.pages.page(pp);
            let (hashed, free) = self.pages.peek_state(pp);
            let idle = !p.lock.locked() && !p.io.locked();
            if idle && vphm_free && hashed != on_ring.contains(&pp) {
                fail(
                    VM_VPLIST,
                    format!(
                        "page {pp}: hashed {hashed}, on the ring {}",
                        on_ring.contains(&pp)
                    ),
                );
            }
            // V4 where no operation is under way on the page.
            let modified = self.pages.peek_nrm(pp) & P_MOD != 0 || self.hat.peek_modified(pp);
            let safe = g.written_back(pp) || (!free && modified);
            if hashed && idle && !safe {
                fail(
                    PVN_V4,
                    format!(
                        "page {pp} (free {free}) has a write (tick {}) that is neither on disk (tick {}) nor marked modified",
                        g.last_write[pp], g.on_disk[pp]
                    ),
                );
            }
        }
        // V5: I/Os in flight hold their pages' I/O locks.
        for (id, io) in &g.in_flight {
            for &pp in &io.pages {
                if !self.pages.page(pp).io.locked() {
                    fail(
                        PVN_V5,
                        format!("page {pp} of I/O {id} in flight without its I/O lock"),
                    );
                }
            }
        }
        if quiet && !g.in_flight.is_empty() {
            fail(
                PVN_V5,
                format!("I/Os still in flight at rest: {:?}", g.in_flight),
            );
        }
    }

    /// At rest: no lock held, `VVMLOCK` clear, every I/O lock released.
    fn check_all_free(&self) {
        for m in [&self.vn.v_lock, &self.vn.vphm, &self.pages.pstruct] {
            if let Some(t) = m.owner() {
                fail(
                    SYNC_MISUSE,
                    format!("{m:?} still held by thread {t} at the end"),
                );
            }
        }
        for pp in 0..self.pages.count() {
            let p = self.pages.page(pp);
            if p.lock.locked() {
                fail(SYNC_MISUSE, format!("page {pp} still locked at the end"));
            }
            if p.io.locked() {
                fail(PVN_V5, format!("page {pp}'s I/O lock never released"));
            }
        }
        if self.vn.peek_vvmlock() {
            fail(PVN_V3, "VVMLOCK still set at the end");
        }
    }

    /// V4, as page `pp` (held exclusive, unmapped) is about to be freed;
    /// `by_write_done`: `pvn_write_done`'s free after its REF/MOD check.
    pub(crate) fn check_freed(&self, pp: usize, by_write_done: bool) {
        let nrm = self.pages.peek_nrm(pp);
        let (lck, cow) = self.pages.peek_lockcounts(pp);
        let xlat = self.hat.translations(self.va(pp));
        let g = self.g();
        let why = if !xlat.is_empty() {
            Some(format!("still translated ({xlat:?})"))
        } else if nrm & P_MOD != 0 {
            Some("with MOD set".to_string())
        } else if by_write_done && nrm & P_REF != 0 {
            Some("by pvn_write_done with REF set (someone used it during the I/O)".to_string())
        } else if lck != 0 || cow != 0 {
            Some(format!("locked in memory (p_lckcnt {lck}, p_cowcnt {cow})"))
        } else if !g.written_back(pp) {
            Some(format!(
                "with a write (tick {}) not on disk (tick {})",
                g.last_write[pp], g.on_disk[pp]
            ))
        } else {
            None
        };
        drop(g);
        if let Some(why) = why {
            fail(
                PVN_V4,
                format!("page {pp} freed by thread {} {why}", model::exec::tid()),
            );
        }
    }

    /// V4, as page `pp` (held exclusive, its translations just unloaded)
    /// loses its identity; `discard`: the caller throws its data away.
    pub(crate) fn check_destroyed(&self, pp: usize, discard: bool) {
        let xlat = self.hat.translations(self.va(pp));
        let (lck, cow) = self.pages.peek_lockcounts(pp);
        if lck != 0 || cow != 0 {
            fail(
                PVN_V4,
                format!("page {pp} destroyed locked in memory (p_lckcnt {lck}, p_cowcnt {cow})"),
            );
        }
        let mut g = self.g();
        let lost = !discard && !g.written_back(pp);
        let msg = format!(
            "page {pp} destroyed by thread {} with a write (tick {}) not on disk (tick {})",
            model::exec::tid(),
            g.last_write[pp],
            g.on_disk[pp]
        );
        g.forget(pp);
        drop(g);
        if !xlat.is_empty() {
            fail(
                PVN_V4,
                format!("page {pp} destroyed while still translated ({xlat:?})"),
            );
        }
        if lost {
            fail(PVN_V4, msg);
        }
    }

    /// V5 as `pvn_getdirty` goes on to sync and write page `pp`: the
    /// caller holds its I/O lock (nobody else does).
    pub(crate) fn check_io_held(&self, pp: usize) {
        if !self.pages.page(pp).io.held() && model::exec::in_model() {
            fail(
                PVN_V5,
                format!(
                    "pvn_getdirty of page {pp} by thread {} goes on without its I/O lock",
                    model::exec::tid()
                ),
            );
        }
    }

    /// V2: the marker is right before page `pp` as the walk drops the
    /// vnode page mutex to process it.
    pub(crate) fn check_marker_passed(&self, mark: Entry, pp: usize) {
        let ring = self.vn.peek_ring();
        if !ring.contains(mark) || ring.next(mark) != Entry::Page(pp) {
            fail(
                PVN_V2,
                format!(
                    "walker {} drops the vnode page mutex to process page {pp} with its marker not past it: {:?}",
                    model::exec::tid(),
                    ring.entries()
                ),
            );
        }
    }

    /// V1 (visit) at the end of walk `w`'s loop, the vnode page mutex
    /// held.
    pub(crate) fn check_visited(&self, w: &Walk) {
        if w.flags == B_ASYNC || w.early_exit {
            return;
        }
        let ring = self.vn.peek_ring();
        for pp in ring.pages() {
            let incarnation = self.pages.page(pp).incarnation();
            // Only a page that stayed in place since the walk began (see
            // the doc above).
            if w.at_start.get(&pp) != Some(&(ring.epoch(pp), incarnation)) {
                continue;
            }
            if w.processed.get(&pp) != Some(&incarnation) {
                fail(
                    PVN_V1,
                    format!(
                        "walk of thread {} (flags {:#x}) ends without processing page {pp}, in place on the ring since the walk began (identity {incarnation}; processed in {:?}); the ring {:?}",
                        model::exec::tid(),
                        w.flags,
                        w.processed.get(&pp),
                        ring.entries()
                    ),
                );
            }
        }
    }

    /// V1 (outcome) as synchronous walk `w` returns `err`.
    pub(crate) fn check_synced(&self, w: &Walk, err: i32) {
        if err != 0 || w.flags & (B_ASYNC | B_TRUNC | B_FORCE) != 0 {
            return;
        }
        let g = self.g();
        for pp in 0..self.pages.count() {
            let t = g.last_write[pp];
            if t == 0 || t > w.start || g.written_back(pp) || self.offset(pp) < w.off {
                continue;
            }
            if w.left_locked.contains(&pp) {
                continue;
            }
            let msg = format!(
                "pvn_vplist_dirty (flags {:#x}) of thread {} returned 0, but page {pp}'s write at tick {t}, before the walk began (tick {}), is not on disk (tick {}); the walk processed {:?}{}; the ring now {:?}",
                w.flags,
                model::exec::tid(),
                w.start,
                g.on_disk[pp],
                w.processed,
                if w.early_exit { " and stopped at a clean page" } else { "" },
                self.vn.peek_ring().entries()
            );
            drop(g);
            fail(PVN_V1, msg);
        }
    }

    /// V6 at a `VMODSORT` early exit at page `pp`: it and every page from
    /// it to the head are clean (the seed's DEBUG loop, 848-868, starts one
    /// before `pp`).
    pub(crate) fn check_clean_to_head(&self, pp: usize) {
        let ring = self.vn.peek_ring();
        let mut e = Entry::Page(pp);
        loop {
            if let Entry::Page(p) = e {
                if self.pages.peek_nrm(p) & P_MOD != 0 {
                    fail(
                        PVN_V6,
                        format!(
                            "walk of thread {} stops at clean page {pp}, but page {p} from there to the head is modified: {:?}",
                            model::exec::tid(),
                            ring.entries()
                        ),
                    );
                }
            }
            if Some(e) == ring.head() {
                break;
            }
            e = ring.prev(e);
        }
    }
}

/// One page of the file as the sequential reference model sees it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageView {
    /// In memory (hashed, on the ring).
    pub present: bool,
    /// On the cachelist.
    pub free: bool,
    /// Modified (`p_nrm` or a PTE).
    pub dirty: bool,
    /// Translated by the HAT.
    pub mapped: bool,
    /// Write-backs that completed without error.
    pub writes: u32,
}

impl Pvn {
    /// Ghost: every page of the file, for refinement checks.
    pub fn view(&self) -> Vec<PageView> {
        let g = self.g();
        (0..self.cfg.npages as usize)
            .map(|pp| {
                let (present, free) = self.pages.peek_state(pp);
                PageView {
                    present,
                    free: present && free,
                    dirty: present
                        && (self.pages.peek_nrm(pp) & P_MOD != 0 || self.hat.peek_modified(pp)),
                    mapped: !self.hat.translations(self.va(pp)).is_empty(),
                    writes: g.writes[pp],
                }
            })
            .collect()
    }
}

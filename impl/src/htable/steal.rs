//! Stealing and reaping: `htable_steal_active`, `move_victim`,
//! `htable_steal`, `htable_reap` (htable.c:431-754).

use super::checks::HTABLE_H8;
use super::ghost::Listed;
use super::hat::{Hat, HAT_FREEING, HAT_SHARED, HAT_UNLOAD, HAT_VICTIM};
use super::ht::{Htable, HTABLE_SHARED_PFN};
use super::ids::{HatId, Ht};
use super::windows;
use super::world::World;
use model::check;
use model::machine::pte::pte_valid;
use model::sync::Ordering::Relaxed;

impl World {
    /// `htable_steal_active` (435-532): scans the hat's buckets from a
    /// rotating start for idle leaf tables with at most `threshold` valid
    /// entries, unmaps them with the bucket mutex dropped, and takes those
    /// still idle and empty when the mutex is back. At most one per bucket
    /// visit; the parent's hold is released after the bucket mutex.
    fn htable_steal_active(
        &self,
        hat: &Hat,
        cnt: u32,
        threshold: u32,
        stolen: &mut u32,
        list: &mut Vec<Ht>,
    ) {
        let n = self.cfg.hash as usize;
        // With one bucket the seed's rotation cannot change the start, and
        // the counter is not read.
        let h_start = if n == 1 {
            0
        } else {
            self.h_seed.fetch_add(1, Relaxed) as usize % n
        };
        let mut h = h_start;
        loop {
            let mut higher = None;
            model::seed("htable.c:448");
            self.htable_enter(h);
            let mut cur = self.chain(hat, h).first().copied();
            while let Some(ht) = cur {
                let t = self.ht(ht);
                let id = t.id.get();
                // Can we rule out reaping? (454-458; the identity tests
                // first: they read no shared counter, and the expression
                // has no side effects.)
                if id.flags & HTABLE_SHARED_PFN != 0
                    || id.level > 0
                    || t.busy.load(Relaxed) != 0
                    || u32::from(t.valid.load(Relaxed)) > threshold
                    || t.lock_cnt.load(Relaxed) != 0
                {
                    cur = self.chain_next(hat, h, ht);
                    continue;
                }
                // A hold keeps it from disappearing while the bucket mutex
                // is dropped: hat_pte_unmap takes the page's mapping-list
                // mutex, and hat_pageunload holds that one when it takes a
                // bucket mutex (461-467).
                model::seed("htable.c:466");
                self.busy_inc(ht, &t);
                let keep = model::mutant(super::mutants::STEAL_UNMAP_UNDER_BUCKET);
                if !keep {
                    self.htable_exit(h);
                }
                // Unmap everything, as long as nobody else holds or locks
                // it (unlocked hints, 473-482).
                model::seed("htable.c:473");
                let mut e = 0;
                while e < self.ptes()
                    && t.valid.load(Relaxed) > 0
                    && t.busy.load(Relaxed) == 1
                    && t.lock_cnt.load(Relaxed) == 0
                {
                    let pte = self.x86pte_get(ht, e);
                    if pte_valid(pte) {
                        model::cover(windows::STEAL_UNMAPS);
                        self.hat_pte_unmap(ht, e, HAT_UNLOAD, pte, true);
                    }
                    e += 1;
                }
                // Re-check with the mutex (484-494). While it was dropped a
                // thread may have taken a hold (htable_lookup for a new
                // mapping, htable_acquire from hat_pageunload), installed a
                // mapping (its valid count only rises after the PTE is set,
                // so its hold is what we see first) or locked an entry;
                // stealing then would pull a live table from under it. The
                // unlocked loop above only stops early; this decides.
                model::seed("htable.c:489");
                if !keep {
                    self.htable_enter(h);
                }
                let Some((busy, valid, locked)) = self.steal_recheck(&t) else {
                    model::cover(windows::STEAL_GAVE_UP);
                    self.busy_dec(ht, &t);
                    cur = self.chain_next(hat, h, ht);
                    continue;
                };
                // Steal it: unlink and unhash (496-524).
                model::seed("htable.c:499");
                self.h2_last_hold(ht, busy, valid, locked, "htable_steal_active");
                self.h4_covered(ht, valid, &id);
                let hi = id.parent.expect("htable_steal_active: no parent");
                self.unlink_ptp(hi, ht, id.vaddr);
                if !model::mutant(super::mutants::STEAL_NO_UNHASH) {
                    self.hashout(hat, h, ht);
                }
                self.drop_ht(ht);
                self.hold_ht(hi);
                self.ghost
                    .set_listed(ht, Some(Listed::Stolen(model::exec::tid())));
                list.insert(0, ht);
                *stolen += 1;
                higher = Some(hi);
                model::cover("htable.steal_active.stole");
                break;
            }
            self.htable_exit(h);
            if higher.is_some() {
                self.htable_release(higher);
            }
            h = (h + 1) % n;
            if !(*stolen < cnt && h != h_start) {
                break;
            }
        }
    }

    /// `htable_steal_active`'s re-check under the bucket mutex (490-491):
    /// the counts (busy, valid, locked) if the table may be stolen (busy 1,
    /// nothing valid or locked), `None` to give up. Each count is read only
    /// if the tests before it pass, as in the seed; the H2 check after the
    /// steal uses the values read here. The `steal-no-recheck` mutant reads
    /// all three and never gives up.
    fn steal_recheck(&self, t: &Htable) -> Option<(u32, u16, u32)> {
        let test = !model::mutant(super::mutants::STEAL_NO_RECHECK);
        let busy = t.busy.load(Relaxed);
        if test && busy != 1 {
            return None;
        }
        let valid = t.valid.load(Relaxed);
        if test && valid != 0 {
            return None;
        }
        let locked = t.lock_cnt.load(Relaxed);
        if test && locked != 0 {
            return None;
        }
        Some((busy, valid, locked))
    }

    /// `move_victim` (537-561): the hat goes to the end of the hat list
    /// (`hat_list_lock` held).
    fn move_victim(&self, hid: HatId) {
        let mut l = self.hat_list.get(&self.hat_list_lock);
        l.retain(|&x| x != hid);
        l.push(hid);
    }

    /// The hat after `hid` on the hat list (`hat->hat_next`;
    /// `hat_list_lock` held).
    fn hat_next(&self, hid: HatId) -> Option<HatId> {
        let l = self.hat_list.get(&self.hat_list_lock);
        let i = l.iter().position(|&x| x == hid)?;
        l.get(i + 1).copied()
    }

    /// `htable_steal` (567-707): takes up to `cnt` htables from the user
    /// hats: their cached ones first, then (later passes) idle tables with
    /// growing valid counts. Each hat is marked HAT_VICTIM while it is
    /// worked on, so that it is not freed meanwhile; a reaper forgets the
    /// hat in the tables it took before clearing the mark.
    pub(crate) fn htable_steal(&self, cnt: u32, reap: bool) -> Vec<Ht> {
        let _f = model::exec::call("htable_steal", "htable.c:567");
        let passes = self.cfg.steal_passes.clamp(1, self.ptes());
        let mut list: Vec<Ht> = Vec::new();
        let mut stolen = 0;
        self.dont_cache.fetch_add(1, Relaxed);
        let mut pass = 0;
        while pass <= passes && stolen < cnt {
            let threshold = pass * self.ptes() / passes;
            model::seed("htable.c:593");
            self.hat_list_lock.enter();
            let mut cur = self.hat_list.get(&self.hat_list_lock).first().copied();
            loop {
                // Skip hats already being stolen from, ISM dummies and
                // hats being freed (598-616).
                let skip = HAT_VICTIM
                    | HAT_SHARED
                    | if model::mutant(super::mutants::STEAL_FREEING_HAT) {
                        0
                    } else {
                        HAT_FREEING
                    };
                let mut victim = None;
                while let Some(h) = cur {
                    let hat = self.hat(h);
                    if hat.flags() & skip == 0 {
                        victim = Some((h, hat));
                        break;
                    }
                    model::cover(windows::STEAL_SKIPS);
                    cur = self.hat_next(h);
                }
                let Some((hid, hat)) = victim else { break };
                model::seed("htable.c:622");
                // The mark keeps as_free() from freeing the hat under us
                // (618-623). The flags it returns serve the H8 check below
                // (they change only under hat_list_lock, which is held).
                let flags = if model::mutant(super::mutants::STEAL_NO_VICTIM) {
                    hat.flags()
                } else {
                    hat.flags.fetch_or(HAT_VICTIM, Relaxed)
                };
                // A hat being freed keeps its stale PTEs (hat_pte_unmap only
                // reads them once HAT_FREEING is set, 604-608).
                check!(
                    flags & HAT_FREEING == 0,
                    HTABLE_H8,
                    "thread {} steals from hat {}, which hat_free_start marked HAT_FREEING",
                    model::exec::tid(),
                    hid.0
                );
                if let Some(other) = self.ghost.victim(hid) {
                    check::fail(
                        HTABLE_H8,
                        format!(
                            "thread {} steals from hat {} while thread {other} does",
                            model::exec::tid(),
                            hid.0
                        ),
                    );
                }
                self.hat_list_lock.exit();
                model::seed("htable.c:628");
                // The hat's cached htables (628-636).
                self.hat_enter(&hat);
                while stolen < cnt {
                    let Some(ht) = self.cached_pop(&hat) else {
                        break;
                    };
                    self.ghost
                        .set_listed(ht, Some(Listed::Stolen(model::exec::tid())));
                    list.insert(0, ht);
                    stolen += 1;
                    model::cover("htable.steal.cached");
                }
                self.hat_exit(&hat);
                if pass != 0 && stolen < cnt {
                    self.htable_steal_active(&hat, cnt, threshold, &mut stolen, &mut list);
                }
                // A reaper forgets the hat now, while HAT_VICTIM still
                // keeps it alive (645-666): htable_free would otherwise
                // look at a hat that may be freed by then.
                model::seed("htable.c:651");
                if reap && !model::mutant(super::mutants::REAP_NO_FORGET) {
                    self.forget_hat(&list, hid);
                }
                model::seed("htable.c:668");
                self.hat_list_lock.enter();
                if stolen == cnt && pass >= 1 && cnt == 1 {
                    let last = self.hat_list.get(&self.hat_list_lock).last().copied();
                    if last != Some(hid) {
                        self.move_victim(hid);
                    }
                }
                model::seed("htable.c:690");
                // The hat may go away once the lock is dropped (686-694).
                // One read-modify-write both tests and clears the mark (the
                // seed's read and write are under hat_list_lock, as here).
                if reap {
                    self.h8_forgotten(&list, hid);
                }
                let flags = hat.flags.fetch_and(!HAT_VICTIM, Relaxed);
                if flags & HAT_VICTIM != 0 || model::mutant(super::mutants::STEAL_NO_VICTIM) {
                    self.ghost.unvictim(hid);
                    if model::mutant(super::mutants::STEAL_SIGNAL) {
                        // Wakes one waiter, perhaps one waiting for
                        // another hat (693).
                        self.hat_list_cv.signal();
                    } else if !model::mutant(super::mutants::STEAL_NO_BROADCAST) {
                        self.hat_list_cv.broadcast();
                    }
                }
                cur = self.hat_next(hid);
            }
            self.hat_list_lock.exit();
            pass += 1;
        }
        self.dont_cache.fetch_sub(1, Relaxed);
        list
    }

    /// Forgets `hid` in the tables a reaper took from it (651-666).
    fn forget_hat(&self, list: &[Ht], hid: HatId) {
        for &ht in list {
            let t = self.ht(ht);
            let Some(h) = t.id.get().hat else { continue };
            debug_assert_eq!(h, hid);
            model::cover(windows::REAP_FORGETS);
            t.id.update(|i| i.hat = None);
        }
    }

    /// H8 when a reaper clears HAT_VICTIM: no table it took still names
    /// the hat.
    #[track_caller]
    fn h8_forgotten(&self, list: &[Ht], hid: HatId) {
        for &ht in list {
            let named = self.htables.get(ht.0).id.get().hat;
            check!(
                named != Some(hid),
                HTABLE_H8,
                "thread {} clears HAT_VICTIM on hat {} while the reaped htable {} still names it",
                model::exec::tid(),
                hid.0,
                ht.0
            );
        }
    }

    /// `htable_reap` (714-754): the kmem reclaim callback: steals at least
    /// ten htables (a twentieth of the page tables, bounded by a twentieth
    /// of memory), frees them, trims the reserve.
    pub fn htable_reap(&self) {
        let _f = model::exec::call("htable_reap", "htable.c:714");
        model::cover("htable.hs_reap_attempts");
        let physmem = self.cfg.pages + self.cfg.ptables;
        // MAX(MIN(physmem / 20, active_ptables / 20), 10) (729): with
        // physmem / 20 at most 10 (every model machine) the count of
        // active tables cannot change the result and is not read.
        let reap_cnt = if physmem / 20 <= 10 {
            10
        } else {
            (physmem / 20)
                .min(self.active_ptables.load(Relaxed) / 20)
                .max(10)
        };
        self.dont_cache.fetch_add(1, Relaxed);
        model::seed("htable.c:740");
        let list = self.htable_steal(reap_cnt, true);
        for ht in list {
            model::cover("htable.hs_reaped");
            self.ghost.set_listed(ht, None);
            self.htable_free(ht);
        }
        self.dont_cache.fetch_sub(1, Relaxed);
        self.htable_adjust_reserve();
    }
}

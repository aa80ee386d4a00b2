//! The hat_i86.c / hment.c stand-ins htable.c calls or races with: pages
//! and their mapping lists (`x86_hm_enter`, `hment_*`), `hat_memload`
//! (`hati_load_common` + `hati_pte_map`), `hat_unload` of one page,
//! `hat_pte_unmap`, `hat_pageunload` (`hati_page_unmap`),
//! `hati_page_clrwrt` / `hati_update_pte`, `hati_sync_pte_to_page`, and the
//! CPUs' accesses.

use super::hat::{HAT_LOAD_LOCK, HAT_LOAD_SHARE, HAT_SHARED, HAT_UNLOAD_UNLOCK};
use super::ht::LPAGE_ERROR;
use super::ids::{HatId, Ht};
use super::pte::pte_equiv;
use super::world::World;
use crate::vm::hat::{HAT_SYNC_STOPON_MOD, HAT_SYNC_ZERORM};
use crate::vm::page::{Page, PageId, P_MOD, P_REF};
use model::machine::pte::{make_pte, pte_pfn, pte_valid, PT_MOD, PT_REF, PT_USER, PT_WRITABLE};
use model::machine::Fault;
use model::sync::{retry, Ordering::Relaxed};

impl World {
    /// `hat_memload` for a page-size mapping (`hati_load_common`,
    /// `hati_pte_map`): finds or creates the leaf table, installs the PTE
    /// under the page's mapping-list mutex, adds the hment and counts the
    /// entry. `flags`: [`HAT_LOAD_LOCK`], [`HAT_LOAD_SHARE`].
    pub fn hat_memload(&self, hat: HatId, va: u64, page: PageId, writable: bool, flags: u32) {
        if flags & HAT_LOAD_SHARE != 0 {
            // An unlocked `|=` in the seed, by the only thread loading
            // the ISM segment.
            self.hat(hat).flags.fetch_or(HAT_SHARED, Relaxed);
        }
        let lock = flags & HAT_LOAD_LOCK != 0;
        let ht = match self.htable_lookup(hat, va, 0) {
            Some(ht) => ht,
            None => self.htable_create(hat, va, 0, None),
        };
        let entry = self.va2entry(va, 0);
        let flags = PT_USER | if writable { PT_WRITABLE } else { 0 };
        let pte = make_pte(self.page(page).pfn, flags);
        self.hati_pte_map(ht, entry, page, pte, lock);
        self.htable_release(Some(ht));
    }

    /// `hati_pte_map` (hat_i86.c).
    fn hati_pte_map(&self, ht: Ht, entry: u32, page: PageId, pte: u64, lock: bool) {
        let t = self.ht(ht);
        let pp = self.page(page);
        if lock {
            t.lock_cnt.fetch_add(1, Relaxed);
        }
        pp.mlist.enter();
        let old = self.x86pte_set(ht, entry, pte);
        if old != LPAGE_ERROR && !pte_equiv(pte, old) {
            if !pte_valid(old) {
                pp.hments.get(&pp.mlist).push((ht.0, entry));
                pp.mlist.exit();
                if !model::mutant(super::mutants::MEMLOAD_NO_COUNT) {
                    t.valid.fetch_add(1, Relaxed);
                }
                return;
            }
            // A remap may change only permission bits, never the frame.
            assert_eq!(
                pte_pfn(old),
                pte_pfn(pte),
                "hati_pte_map: remap of a consistent mapping"
            );
        }
        pp.mlist.exit();
    }

    /// `hat_pte_unmap` (hat_i86.c): invalidates the entry under the page's
    /// mapping-list mutex (retrying if it changed), syncs REF/MOD to the
    /// page, removes the hment and uncounts the entry. While the hat is
    /// being freed the entry is only read, not cleared (the reason
    /// `htable_steal` skips freeing hats, htable.c:604-608).
    pub(crate) fn hat_pte_unmap(&self, ht: Ht, entry: u32, flags: u32, old_pte: u64, tlb: bool) {
        let t = self.ht(ht);
        let id = t.id.get();
        let hat = self.hat(id.hat.expect("hat_pte_unmap: htable without a hat"));
        if flags & HAT_UNLOAD_UNLOCK != 0 {
            t.lock_cnt.fetch_sub(1, Relaxed);
        }
        let mut old_pte = old_pte;
        let mut held = None;
        while pte_valid(old_pte) {
            let pfn = pte_pfn(old_pte);
            let Some(pp) = self.page_of(pfn) else {
                self.hat_devunmap(ht, entry, old_pte, hat.freeing(), tlb);
                return;
            };
            pp.mlist.enter();
            old_pte = if hat.freeing() {
                self.x86pte_get(ht, entry)
            } else {
                self.x86pte_inval(ht, entry, old_pte, tlb)
            };
            if pte_valid(old_pte) && pte_pfn(old_pte) == pfn {
                held = Some(pp);
                break;
            }
            // Someone (hat_pageunload) unmapped or remapped it meanwhile.
            model::cover(super::windows::UNMAP_RACED);
            pp.mlist.exit();
            retry();
        }
        let Some(pp) = held else { return };
        self.hati_sync_pte_to_page(pp, old_pte);
        pp.hments.get(&pp.mlist).retain(|&h| h != (ht.0, entry));
        pp.mlist.exit();
        t.valid.fetch_sub(1, Relaxed);
    }

    /// `hat_pte_unmap` of a device frame (devmap's `hat_devload`): no
    /// `page_t`, so no mapping-list mutex, no hment and no REF/MOD to
    /// sync; the entry is invalidated if it still maps the frame (or only
    /// read while the hat is freeing) and uncounted.
    fn hat_devunmap(&self, ht: Ht, entry: u32, old_pte: u64, freeing: bool, tlb: bool) {
        if freeing {
            return;
        }
        let found = self.x86pte_inval(ht, entry, old_pte, tlb);
        if pte_valid(found) && pte_pfn(found) == pte_pfn(old_pte) {
            self.ht(ht).valid.fetch_sub(1, Relaxed);
        }
    }

    /// `hat_devload` (hat_i86.c) of one page of device frame `pfn`:
    /// `hati_load_common` with no `page_t`, so `hati_pte_map` takes no
    /// mapping-list mutex and adds no hment. `flags`: [`HAT_LOAD_LOCK`].
    /// A valid entry mapping another frame is a `PANIC` (hati_pte_map
    /// changes a frame only for `HAT_LOAD_REMAP`, which devmap never
    /// passes).
    pub fn hat_devload(&self, hat: HatId, va: u64, pfn: u64, flags: u32) {
        let ht = match self.htable_lookup(hat, va, 0) {
            Some(ht) => ht,
            None => self.htable_create(hat, va, 0, None),
        };
        let entry = self.va2entry(va, 0);
        let pte = make_pte(pfn, PT_USER | PT_WRITABLE);
        let t = self.ht(ht);
        if flags & HAT_LOAD_LOCK != 0 {
            t.lock_cnt.fetch_add(1, Relaxed);
        }
        let old = self.x86pte_set(ht, entry, pte);
        if old != LPAGE_ERROR && !pte_equiv(pte, old) {
            if !pte_valid(old) {
                t.valid.fetch_add(1, Relaxed);
            } else if pte_pfn(old) != pfn {
                model::check::fail(
                    model::check::PANIC,
                    format!(
                        "hat_devload at {va:#x}: the PTE mapped frame {:#x}, not {pfn:#x} (hati_pte_map: remap without HAT_LOAD_REMAP)",
                        pte_pfn(old)
                    ),
                );
            }
        }
        self.htable_release(Some(ht));
    }

    /// `hat_unlock` (hat_i86.c) of `npages` pages from `va`: the lock
    /// `HAT_LOAD_LOCK` counted on each page's table is dropped.
    pub fn hat_unlock(&self, hat: HatId, va: u64, npages: u64) {
        for p in 0..npages {
            let v = va + p * super::world::MMU_PAGESIZE;
            if let Some(ht) = self.htable_lookup(hat, v, 0) {
                self.ht(ht).lock_cnt.fetch_sub(1, Relaxed);
                self.htable_release(Some(ht));
            }
        }
    }

    /// `hat_pageunload` (`hati_pageunload`, `hati_page_unmap`): removes
    /// every mapping of `page`. Each one is reached from its hment, held by
    /// `htable_acquire` under the mapping-list mutex (hment -> bucket), and
    /// invalidated with a shootdown.
    pub fn hat_pageunload(&self, page: PageId) {
        let pp = self.page(page);
        loop {
            pp.mlist.enter();
            let first = pp.hments.get(&pp.mlist).first().map(|&(h, e)| (Ht(h), e));
            let Some((ht, entry)) = first else {
                pp.mlist.exit();
                return;
            };
            self.htable_acquire(ht);
            let old = self.x86pte_inval(ht, entry, 0, true);
            assert_eq!(pte_pfn(old), pp.pfn, "x86pte_inval() failure");
            let t = self.ht(ht);
            t.valid.fetch_sub(1, Relaxed);
            self.hati_sync_pte_to_page(pp, old);
            pp.hments.get(&pp.mlist).retain(|&h| h != (ht.0, entry));
            pp.mlist.exit();
            self.htable_release(Some(ht));
        }
    }

    /// `hati_page_clrwrt` (hat_i86.c): write-protects every mapping of
    /// `page`, clearing REF/MOD (synced to the page) with
    /// `hati_update_pte`, which uses `x86pte_update`.
    pub fn hati_page_clrwrt(&self, page: PageId) {
        let pp = self.page(page);
        pp.mlist.enter();
        let hments = pp.hments.get(&pp.mlist).clone();
        for (h, entry) in hments {
            let ht = Ht(h);
            let mut old = self.x86pte_get(ht, entry);
            while pte_pfn(old) == pp.pfn && old & PT_WRITABLE != 0 {
                let new = old & !(PT_REF | PT_MOD | PT_WRITABLE);
                old = self.hati_update_pte(ht, entry, old, new);
                if old == 0 {
                    break;
                }
                retry();
            }
        }
        pp.mlist.exit();
    }

    /// `hat_pagesync(pp, flags)` (hat_i86.c): under the page's
    /// mapping-list mutex, each mapping's REF/MOD go to the page, cleared
    /// in the PTE by `hati_update_pte` (with its shootdown) under
    /// `HAT_SYNC_ZERORM`, only read otherwise; with
    /// `HAT_SYNC_STOPON_MOD` it returns at once for a page already
    /// modified (without `ZERORM`) and stops at the first mapping that
    /// made it so. Returns the page's REF/MOD.
    pub fn hat_pagesync(&self, page: PageId, flags: u32) -> u32 {
        let _f = model::exec::call("hat_pagesync", "hat_i86.c (stand-in)");
        let pp = self.page(page);
        let zerorm = flags & HAT_SYNC_ZERORM != 0;
        let stop_on_mod = flags & HAT_SYNC_STOPON_MOD != 0;
        if !zerorm && stop_on_mod && pp.nrm.load(Relaxed) & P_MOD != 0 {
            return pp.nrm.load(Relaxed) & (P_REF | P_MOD);
        }
        pp.mlist.enter();
        let hments = pp.hments.get(&pp.mlist).clone();
        for (h, entry) in hments {
            let ht = Ht(h);
            let mut old = self.x86pte_get(ht, entry);
            while old & (PT_REF | PT_MOD) != 0 {
                if !zerorm {
                    self.hati_sync_pte_to_page(pp, old);
                    break;
                }
                let new = old & !(PT_REF | PT_MOD);
                old = self.hati_update_pte(ht, entry, old, new);
                if old == 0 {
                    break;
                }
                retry();
            }
            if stop_on_mod && pp.nrm.load(Relaxed) & P_MOD != 0 {
                break;
            }
        }
        pp.mlist.exit();
        pp.nrm.load(Relaxed) & (P_REF | P_MOD)
    }

    /// `hati_update_pte` (hat_i86.c): `x86pte_update`, then the old
    /// REF/MOD go to the page. Returns 0 on success, else the entry found.
    fn hati_update_pte(&self, ht: Ht, entry: u32, expected: u64, new: u64) -> u64 {
        let mut rm = 0;
        let mut new = new;
        if expected & (PT_MOD | PT_REF) != 0 {
            if expected & PT_MOD != 0 {
                rm |= P_MOD;
            }
            if expected & PT_REF != 0 {
                rm |= P_REF;
            }
            new &= !(PT_MOD | PT_REF);
        }
        let replaced = self.x86pte_update(ht, entry, expected, new);
        if replaced != expected {
            return replaced;
        }
        if rm != 0 {
            let pp = self
                .page_of(pte_pfn(expected))
                .expect("hati_update_pte: no page_t");
            pp.setattr(rm);
        }
        0
    }

    /// `hati_sync_pte_to_page` (hat_i86.c): the PTE's REF/MOD into
    /// `p_nrm` (mapping-list mutex held).
    fn hati_sync_pte_to_page(&self, pp: &Page, pte: u64) {
        pp.sync_pte(pte);
    }

    /// CPU `cpu` reads or writes `va` (a CPU actor's step): the machine's
    /// access (the pages it writes are remembered for H6 by the world's
    /// write observer, [`World::observe_writes`]).
    pub fn cpu_access(&self, cpu: usize, va: u64, write: bool) -> Result<u64, Fault> {
        self.mmu.access(cpu, va, write)
    }

    /// Remembers, for H6, each frame a CPU writes, with the identity its
    /// page has, at the step the write lands (the machine's write
    /// observer: a record taken after the access returned could follow a
    /// write-back that already cleared the page's MOD).
    pub(crate) fn observe_writes(w: &std::sync::Arc<World>) {
        let me = std::sync::Arc::downgrade(w);
        w.mmu.observe_writes(Box::new(move |_, pfn| {
            if let Some(w) = me.upgrade() {
                let incarnation = w.page_of(pfn).map_or(0, |p| p.incarnation());
                w.ghost.wrote(pfn, incarnation);
            }
        }));
    }
}

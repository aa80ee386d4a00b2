//! Page-table entry access through an htable: `x86pte_get`, `x86pte_set`,
//! `x86pte_cas`, `x86pte_inval`, `x86pte_update`, `x86pte_zero`
//! (htable.c:1922-2474). Entries are the machine's [`model::machine::Pte`]
//! atomics: software changes them only by compare-and-swap, racing the
//! MMU's REF/MOD updates.

use super::checks::{HTABLE_H5, HTABLE_H6};
use super::hat::{Hat, HAT_FREEING};
use super::ht::{Ident, LPAGE_ERROR};
use super::ids::Ht;
use super::windows;
use super::world::World;
use model::check;
use model::machine::pte::{
    pte_valid, same_frame, PT_MOD, PT_PAGESIZE, PT_REF, PT_REFMOD, PT_WRITABLE,
};
use model::machine::{Demap, PageTable};
use model::sync::retry;
use std::sync::Arc;

/// `PTE_EQUIV`: equal but for REF and MOD.
pub(crate) fn pte_equiv(a: u64, b: u64) -> bool {
    (a | PT_REFMOD) == (b | PT_REFMOD)
}

impl World {
    /// `x86pte_access_pagetable` / `x86pte_mapin` (1927-2006): the table
    /// behind `id`. With kpm (amd64) no lock is needed; through the
    /// per-CPU window (`cfg.pwin`) the calling CPU's `hci_mutex` is held
    /// until [`World::x86pte_release_pagetable`]. A use of the page: a
    /// freed page-table page is a MEM-UAF.
    #[track_caller]
    pub(crate) fn x86pte_access_pagetable(&self, id: &Ident) -> Arc<PageTable> {
        if self.cfg.pwin {
            self.hci[model::exec::tid() % self.hci.len()].enter();
        }
        self.mmu
            .table(id.pfn.expect("x86pte_access_pagetable: PFN_INVALID"))
    }

    /// `x86pte_release_pagetable` / `x86pte_mapout` (2011-2047).
    #[track_caller]
    pub(crate) fn x86pte_release_pagetable(&self) {
        if self.cfg.pwin {
            self.hci[model::exec::tid() % self.hci.len()].exit();
        }
    }

    /// `htable_e2va` (1853-1871): the address entry `entry` maps.
    pub(crate) fn e2va(&self, id: &Ident, entry: u32) -> u64 {
        id.vaddr + (u64::from(entry) << self.level_shift(id.level))
    }

    /// `htable_va2entry` (1839-1847).
    pub(crate) fn va2entry(&self, va: u64, level: u32) -> u32 {
        self.mmu.va2entry(va, level) as u32
    }

    /// `x86pte_get` (2052-2066).
    pub fn x86pte_get(&self, ht: Ht, entry: u32) -> u64 {
        let id = self.ht(ht).id.get();
        let pt = self.x86pte_access_pagetable(&id);
        let pte = pt.pte(entry as usize).load();
        self.x86pte_release_pagetable();
        pte
    }

    /// `x86pte_set` (2078-2154): installs `new`, keeping REF/MOD when the
    /// frame stays the same; shoots down the old translation if it may be
    /// cached (its REF bit is set). Returns the old entry, or
    /// [`LPAGE_ERROR`].
    pub fn x86pte_set(&self, ht: Ht, entry: u32, new: u64) -> u64 {
        let _f = model::exec::call("x86pte_set", "htable.c:2078");
        let id = self.ht(ht).id.get();
        let addr = self.e2va(&id, entry);
        let hat = self.hat(id.hat.expect("x86pte_set: htable without a hat"));
        let pt = self.x86pte_access_pagetable(&id);
        let ptep = pt.pte(entry as usize);
        let _op = self
            .mmu
            .operation(addr, self.level_size(id.level), "x86pte_set");
        model::seed("htable.c:2101");
        let old;
        let installed;
        loop {
            let prev = ptep.load();
            let mut n = new;
            // Same frame: the hardware's REF/MOD stay (2101-2105).
            if pte_valid(n)
                && same_frame(prev, new)
                && !model::mutant(super::mutants::SET_DROP_REFMOD)
            {
                n |= prev & PT_REFMOD;
            }
            // Someone installed this mapping already (2111-2120): only the
            // local TLB would be flushed; software threads are not CPUs in
            // the model, so there is nothing to do.
            if prev == n {
                model::cover("htable.x86pte_set.already");
                self.x86pte_release_pagetable();
                return new;
            }
            // A large page over a link to a lower table (2126-2129).
            if id.level > 0
                && pte_valid(prev)
                && prev & PT_PAGESIZE == 0
                && !model::mutant(super::mutants::LPAGE_NO_LINK_CHECK)
            {
                self.x86pte_release_pagetable();
                return LPAGE_ERROR;
            }
            let found = ptep.cas(prev, n);
            if found == prev {
                old = found;
                installed = n;
                break;
            }
            // The MMU set REF/MOD between the load and the CAS.
            model::cover(windows::SET_HW_RACE);
            retry();
        }
        model::seed("htable.c:2147");
        // The old entry can be cached only if the MMU set its REF bit
        // (2147-2148).
        if old & PT_REF != 0 && !model::mutant(super::mutants::SET_NO_INVAL) {
            model::cover(windows::SET_INVAL);
            self.hat_tlb_inval(&hat, Demap::Va(addr));
        }
        if old & PT_REF != 0 {
            self.h5_only(&hat, &id, entry, Some(installed), "x86pte_set");
        }
        self.x86pte_release_pagetable();
        old
    }

    /// `x86pte_cas` (2162-2208): no shootdown; for links between tables.
    pub(crate) fn x86pte_cas(&self, id: &Ident, entry: u32, old: u64, new: u64) -> u64 {
        let pt = self.x86pte_access_pagetable(id);
        let found = pt.pte(entry as usize).cas(old, new);
        self.x86pte_release_pagetable();
        found
    }

    /// `x86pte_inval` (2218-2280): clears the entry if it still maps
    /// `expect`'s frame (any frame for `expect == 0`), retrying while the
    /// MMU sets REF/MOD; with `tlb`, shoots down a translation that may be
    /// cached. Returns the entry it replaced (or found).
    pub fn x86pte_inval(&self, ht: Ht, entry: u32, expect: u64, tlb: bool) -> u64 {
        let _f = model::exec::call("x86pte_inval", "htable.c:2218");
        let id = self.ht(ht).id.get();
        let pt = self.x86pte_access_pagetable(&id);
        let ptep = pt.pte(entry as usize);
        let mut op = self.mmu.operation(
            self.e2va(&id, entry),
            self.level_size(id.level),
            "x86pte_inval",
        );
        model::seed("htable.c:2265");
        let oldpte = loop {
            let oldpte = ptep.load();
            if expect != 0 && !same_frame(oldpte, expect) {
                self.x86pte_release_pagetable();
                return oldpte;
            }
            if model::mutant(super::mutants::INVAL_PLAIN_STORE) {
                // A read-then-store: REF/MOD set in between are lost.
                ptep.store(0);
                break oldpte;
            }
            if ptep.cas(oldpte, 0) == oldpte {
                break oldpte;
            }
            model::cover(windows::INVAL_HW_RACE);
            retry();
        };
        model::seed("htable.c:2273");
        // REF alone means a CPU may cache the entry (it read through it);
        // the mutant decides on MOD alone, and the point check below sits
        // inside the same `if`: the outcome check of `op` is what sees it.
        let cacheable = if model::mutant(super::mutants::INVAL_MOD_ONLY) {
            PT_MOD
        } else {
            PT_REFMOD
        };
        if let (true, Some(pfn)) = (tlb, id.pfn) {
            op.invalidated(pfn, entry, oldpte);
        }
        if tlb && oldpte & cacheable != 0 {
            let hat = self.hat(id.hat.expect("x86pte_inval: htable without a hat"));
            if !model::mutant(super::mutants::INVAL_NO_TLB) {
                model::cover(windows::INVAL_INVAL);
                self.hat_tlb_inval(&hat, Demap::Va(self.e2va(&id, entry)));
            }
            self.h5_only(&hat, &id, entry, None, "x86pte_inval");
        }
        self.x86pte_release_pagetable();
        oldpte
    }

    /// `x86pte_update` (2285-2328): replaces `expect` with `new`; on
    /// success shoots down the entry, and if that removed write permission
    /// and MOD, re-checks MOD: a write through a stale translation may have
    /// set it before the shootdown finished, and then write permission is
    /// given back and the update reported as failed. Returns the entry
    /// found (`expect` on success).
    pub fn x86pte_update(&self, ht: Ht, entry: u32, expect: u64, new: u64) -> u64 {
        let _f = model::exec::call("x86pte_update", "htable.c:2285");
        let id = self.ht(ht).id.get();
        let pt = self.x86pte_access_pagetable(&id);
        let ptep = pt.pte(entry as usize);
        let _op = self.mmu.operation(
            self.e2va(&id, entry),
            self.level_size(id.level),
            "x86pte_update",
        );
        model::seed("htable.c:2301");
        let mut found = ptep.cas(expect, new);
        let clears_write =
            (expect & (PT_WRITABLE | PT_MOD)) == PT_WRITABLE && (new & (PT_WRITABLE | PT_MOD)) == 0;
        if found == expect {
            let hat = self.hat(id.hat.expect("x86pte_update: htable without a hat"));
            model::seed("htable.c:2304");
            if !model::mutant(super::mutants::UPDATE_NO_INVAL) {
                model::cover(windows::UPDATE_INVAL);
                self.hat_tlb_inval(&hat, Demap::Va(self.e2va(&id, entry)));
            }
            self.h5_only(&hat, &id, entry, Some(new), "x86pte_update");
            model::seed("htable.c:2314");
            if clears_write
                && !model::mutant(super::mutants::UPDATE_NO_RECHECK)
                && ptep.load() & PT_MOD != 0
            {
                model::cover(windows::UPDATE_STALE_WRITE);
                loop {
                    let f = ptep.load();
                    found = ptep.cas(f, f | PT_WRITABLE);
                    if found & PT_WRITABLE != 0 {
                        break;
                    }
                    retry();
                }
            }
        }
        if found == expect && clears_write {
            // H6: success means no write landed through a stale entry
            // (after the shootdown none can land any more).
            let now = ptep.load();
            check!(
                now & PT_MOD == 0,
                HTABLE_H6,
                "x86pte_update by thread {} reported success at write-protecting va {:#x} ({expect:#x} -> {new:#x}), but a write through a stale translation set MOD: {now:#x}",
                model::exec::tid(),
                self.e2va(&id, entry)
            );
        }
        self.x86pte_release_pagetable();
        found
    }

    /// `x86pte_zero` (2424-2474): plain stores on a table nobody can
    /// reach yet.
    pub(crate) fn x86pte_zero(&self, ht: Ht, entry: u32, count: u32) {
        let id = self.ht(ht).id.get();
        let pt = self.x86pte_access_pagetable(&id);
        for e in entry..entry + count {
            pt.pte(e as usize).store(0);
        }
        self.x86pte_release_pagetable();
    }

    /// H5 after a shootdown of entry `entry` of `id`'s table: every leaf
    /// translation still cached from it must have been filled from the
    /// entry now installed (`now`; `None`: nothing may be cached).
    #[track_caller]
    fn h5_only(&self, hat: &Hat, id: &Ident, entry: u32, now: Option<u64>, what: &str) {
        let flags = hat.flags();
        if flags & HAT_FREEING != 0 || !self.reaches_cpus(hat, flags) {
            return;
        }
        let Some(pfn) = id.pfn else { return };
        for (cached, why) in self.mmu.cached_leaves(pfn, entry) {
            let fresh = now.is_some_and(|n| pte_equiv(cached, n));
            check!(
                fresh,
                HTABLE_H5,
                "after {what} and its shootdown by thread {}, {why}",
                model::exec::tid()
            );
        }
    }
}

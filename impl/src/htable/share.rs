//! Shared (ISM) page tables, the hat_i86.c stand-ins that use
//! `htable_create`'s `shared` argument: `hat_share` and `hat_unshare`.

use super::checks::HTABLE_H5;
use super::ht::HTABLE_SHARED_PFN;
use super::ids::HatId;
use super::world::World;
use model::check;
use model::machine::Demap;
use model::sync::Ordering::Relaxed;

impl World {
    /// `hat_share` (hat_i86.c): for each ISM table `htable_walk` finds in
    /// [`ism_va`, `ism_va + len`), `hat` gets a table of its own at the
    /// matching address that uses the ISM table's page (`htable_create`
    /// with `shared`, htable.c:1345-1460), counted like it. Deviation: a
    /// table that cannot be shared (misaligned, partial, or the top) is
    /// skipped, not copied mapping by mapping.
    pub fn hat_share(&self, hat: HatId, va: u64, ism: HatId, ism_va: u64, len: u64) {
        let e_ism_addr = ism_va + len;
        let mut ism_addr = ism_va;
        let mut ism_ht = None;
        while ism_addr < e_ism_addr {
            self.htable_walk(ism, &mut ism_ht, &mut ism_addr, e_ism_addr);
            let Some(iht) = ism_ht else { break };
            let iid = self.ht(iht).id.get();
            let l = iid.level;
            let vaddr = va + (ism_addr - ism_va);
            let next = iid.vaddr + self.level_size(l + 1);
            let existing = self.htable_lookup(hat, vaddr, l);
            let ht = match existing {
                Some(ht) if self.ht(ht).id.get().flags & HTABLE_SHARED_PFN != 0 => Some(ht),
                Some(ht) => {
                    self.htable_release(Some(ht));
                    None
                }
                None if l == self.top_level()
                    || ism_addr != iid.vaddr
                    || vaddr & (self.level_size(l + 1) - 1) != 0
                    || e_ism_addr - ism_addr < self.level_size(l + 1) =>
                {
                    None
                }
                None => Some(self.htable_create(hat, vaddr, l, Some(iht))),
            };
            if let Some(ht) = ht {
                let t = self.ht(ht);
                assert_eq!(t.id.get().shares, Some(iht), "shared from the wrong place");
                // A plain store in the seed, with the hold on `ht`.
                t.valid.store(self.ht(iht).valid.load(Relaxed), Relaxed);
                self.htable_release(Some(ht));
            }
            ism_addr = next;
            self.htable_release(ism_ht.take());
        }
        if ism_ht.is_some() {
            self.htable_release(ism_ht);
        }
    }

    /// `hat_unshare` (hat_i86.c) of the leaf table at `va`: its count is
    /// zeroed so that `htable_release` unlinks and frees it and drops its
    /// pin on the ISM table (1212-1220, 1255-1259); then one shootdown of
    /// everything.
    pub fn hat_unshare(&self, hat: HatId, va: u64) {
        // Until the shootdown of everything at the end, CPUs may still
        // translate through the unlinked shared table.
        let _op = self
            .mmu
            .operation(va & self.level_mask(1), self.level_size(1), "hat_unshare");
        let mut unshared = None;
        if let Some(ht) = self.htable_lookup(hat, va, 0) {
            let t = self.ht(ht);
            let id = t.id.get();
            if id.flags & HTABLE_SHARED_PFN != 0 {
                t.valid.store(0, Relaxed);
                unshared = id.pfn;
            }
            self.htable_release(Some(ht));
        }
        let h = self.hat(hat);
        if let (false, Some(page)) = (h.freeing(), unshared) {
            if !model::mutant(super::mutants::UNSHARE_NO_DEMAP) {
                self.hat_tlb_inval(&h, Demap::All);
            }
            // H5: the one on-CPU hat no longer reaches the ISM page.
            if h.on_cpu {
                if let Some(why) = self.mmu.cached_through(page) {
                    check::fail(
                        HTABLE_H5,
                        format!(
                            "after hat_unshare of va {va:#x} by thread {}, {why}",
                            model::exec::tid()
                        ),
                    );
                }
            }
        }
    }
}

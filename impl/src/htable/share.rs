//! Shared (ISM) page tables, the hat_i86.c stand-ins that use
//! `htable_create`'s `shared` argument: `hat_share` and `hat_unshare`,
//! for one leaf table.

use super::ht::HTABLE_SHARED_PFN;
use super::world::{HatId, World};
use super::HTABLE_H5;
use model::check;
use model::machine::Demap;
use model::sync::Ordering::Relaxed;

impl World {
    /// `hat_share` (hat_i86.c) for the leaf table at `ism_va` of the ISM
    /// hat `ism`: `hat` gets a table of its own at `va` that uses the ISM
    /// table's page (`htable_create` with `shared`, htable.c:1345-1460),
    /// counted like it. Deviations: the ISM table is found by
    /// `htable_lookup` (the seed walks with `htable_walk`); a table that
    /// cannot be shared is not copied mapping by mapping.
    #[track_caller]
    pub fn hat_share(&self, hat: HatId, va: u64, ism: HatId, ism_va: u64) {
        let Some(ism_ht) = self.htable_lookup(ism, ism_va, 0) else {
            return;
        };
        let ht = match self.htable_lookup(hat, va, 0) {
            Some(ht) if self.ht(ht).id.get().flags & HTABLE_SHARED_PFN != 0 => Some(ht),
            Some(ht) => {
                self.htable_release(Some(ht));
                None
            }
            None => Some(self.htable_create(hat, va, 0, Some(ism_ht))),
        };
        if let Some(ht) = ht {
            let t = self.ht(ht);
            assert_eq!(
                t.id.get().shares,
                Some(ism_ht),
                "shared from the wrong place"
            );
            // A plain store in the seed, with the hold on `ht`.
            let n = self.ht(ism_ht).valid.load(Relaxed);
            t.valid.store(n, Relaxed);
            self.htable_release(Some(ht));
        }
        self.htable_release(Some(ism_ht));
    }

    /// `hat_unshare` (hat_i86.c) of the leaf table at `va`: its count is
    /// zeroed so that `htable_release` unlinks and frees it and drops its
    /// pin on the ISM table (1212-1220, 1255-1259); then one shootdown of
    /// everything.
    #[track_caller]
    pub fn hat_unshare(&self, hat: HatId, va: u64) {
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
            if !model::mutant("unshare-no-demap") {
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

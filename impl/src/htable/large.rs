//! A large-page load (`hati_load_common` at `level > 0`, hat_i86.c):
//! only as far as `x86pte_set`'s refusal to put a large page over a link
//! to a lower table (htable.c:2126-2129), which the caller then handles by
//! loading small pages (not modelled).

use super::ht::LPAGE_ERROR;
use super::ids::HatId;
use super::world::World;
use crate::vm::page::PageId;
use model::machine::pte::{make_pte, pte_valid, PT_PAGESIZE, PT_USER, PT_WRITABLE};
use model::sync::Ordering::Relaxed;

impl World {
    /// Tries to map `page`'s frame as a level-`level` large page at `va`
    /// (`level > 0`) under the page's mapping-list mutex. Returns `false`
    /// when `x86pte_set` refused it ([`LPAGE_ERROR`]: the entry links a
    /// lower table). An installed large page is counted and has its hment,
    /// as `hati_pte_map` does.
    pub fn hat_memload_large(&self, hat: HatId, va: u64, page: PageId, level: u32) -> bool {
        assert!(level > 0, "hat_memload_large: level 0 is a small page");
        let ht = match self.htable_lookup(hat, va, level) {
            Some(ht) => ht,
            None => self.htable_create(hat, va, level, None),
        };
        let entry = self.va2entry(va, level);
        let pp = self.page(page);
        let pte = make_pte(pp.pfn, PT_USER | PT_WRITABLE | PT_PAGESIZE);
        pp.mlist.enter();
        let old = self.x86pte_set(ht, entry, pte);
        let installed = old != LPAGE_ERROR;
        if installed && !pte_valid(old) {
            pp.hments.get(&pp.mlist).push((ht.0, entry));
            self.ht(ht).valid.fetch_add(1, Relaxed);
        }
        pp.mlist.exit();
        self.htable_release(Some(ht));
        installed
    }
}

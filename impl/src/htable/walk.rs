//! Walking a hat's tables: `htable_scan` and `htable_walk`
//! (htable.c:1576-1752), and `hat_unload_callback`'s walking loop.

use super::hat::HAT_UNLOAD_UNMAP;
use super::ids::{HatId, Ht};
use super::world::{World, MMU_PAGESIZE as PAGESIZE};
use model::machine::pte::{pte_valid, PT_PAGESIZE};

/// `PTE_ISPAGE(pte, level)`: a valid entry that maps a page (not a link).
fn pte_ispage(pte: u64, level: u32) -> bool {
    pte_valid(pte) && (level == 0 || pte & PT_PAGESIZE != 0)
}

impl World {
    /// `HTABLE_LAST_PAGE(ht)`: the last page-aligned address `ht` maps.
    fn last_page(&self, vaddr: u64, level: u32) -> u64 {
        if level == self.top_level() {
            (self.level_size(level) << self.cfg.mmu.entry_bits) - PAGESIZE
        } else {
            vaddr - PAGESIZE + (u64::from(self.ptes()) << self.level_shift(level))
        }
    }

    /// `htable_scan` (1591-1644): the first valid entry of `ht` at or
    /// after `*va` and below `eaddr`, or 0 with `*va` at the next address
    /// not examined. The seed reads each entry's low byte without any
    /// lock (a racy read of a word software and hardware change).
    fn htable_scan(&self, ht: Ht, va: &mut u64, eaddr: u64) -> u64 {
        let id = self.ht(ht).id.get();
        let pgsize = self.level_size(id.level);
        let mut v = *va & self.level_mask(id.level);
        let mut e = self.va2entry(v, id.level);
        model::seed("htable.c:1614");
        let pt = self.x86pte_access_pagetable(&id);
        let end = self.ptes();
        while !pte_valid(pt.pte(e as usize).load()) {
            v += pgsize;
            if v >= eaddr {
                break;
            }
            e += 1;
            if e == end {
                break;
            }
        }
        let found = if v < eaddr && e != end {
            pt.pte(e as usize).load()
        } else {
            0
        };
        self.x86pte_release_pagetable();
        *va = v;
        found
    }

    /// `htable_walk` (1655-1752): the first page mapped at or after `*va`
    /// below `eaddr`, with its htable held in `*htp`; a held `*htp` on
    /// entry is scanned first and released if it has nothing more. No
    /// large pages are mapped, so the lowest level with a table is 0.
    pub(crate) fn htable_walk(
        &self,
        hat: HatId,
        htp: &mut Option<Ht>,
        va: &mut u64,
        eaddr: u64,
    ) -> u64 {
        let mut v = *va;
        if let Some(prev) = htp.take() {
            let id = self.ht(prev).id.get();
            if v <= self.last_page(id.vaddr, id.level) {
                let pte = self.htable_scan(prev, &mut v, eaddr);
                if pte_ispage(pte, id.level) {
                    *va = v;
                    *htp = Some(prev);
                    return pte;
                }
            }
            self.htable_release(Some(prev));
        }
        let max_mapped_level = 0;
        while v < eaddr && v >= *va {
            model::seed("htable.c:1721");
            for l in 0..=self.top_level() {
                if let Some(ht) = self.htable_lookup(hat, v, l) {
                    let pte = self.htable_scan(ht, &mut v, eaddr);
                    if pte_ispage(pte, l) {
                        *va = v;
                        *htp = Some(ht);
                        return pte;
                    }
                    self.htable_release(Some(ht));
                    break;
                }
                // No table here: skip to the next table of this level.
                if l >= max_mapped_level {
                    v = (v & self.level_mask(l + 1)) + self.level_size(l + 1);
                    if v >= eaddr {
                        break;
                    }
                }
            }
        }
        *va = 0;
        0
    }

    /// `hat_unload` of a range (`hat_unload_callback`'s walk, without
    /// callbacks): each mapped page found by `htable_walk` is unmapped with
    /// `hat_pte_unmap`; one page goes the single-page way.
    pub fn hat_unload(&self, hat: HatId, addr: u64, len: u64, flags: u32) {
        if len == PAGESIZE {
            if let Some((ht, entry, old)) = self.htable_getpte(hat, addr, 0) {
                if pte_valid(old) {
                    self.hat_pte_unmap(ht, entry, flags, old, true);
                }
                self.htable_release(Some(ht));
            }
            return;
        }
        let eaddr = addr + len;
        let mut v = addr;
        let mut ht = None;
        while v < eaddr {
            let old = self.htable_walk(hat, &mut ht, &mut v, eaddr);
            let Some(t) = ht else { break };
            let id = self.ht(t).id.get();
            let entry = self.va2entry(v, id.level);
            self.hat_pte_unmap(t, entry, flags | HAT_UNLOAD_UNMAP, old, true);
            v += self.level_size(id.level);
        }
        if ht.is_some() {
            self.htable_release(ht);
        }
    }
}

//! The kmap stand-in HAT (the smaller of the two behind [`Hat`]): the
//! kernel's translations of a fixed range on the model's MMU, through
//! illumos' "kmap" fast path (hat_i86.c, not a seed: `hat_memload` ->
//! `hat_kmap_load` -> `hati_pte_map` -> `x86pte_set`; `hat_unload` ->
//! `hat_kmap_unload` -> `hat_pte_unmap` -> `x86pte_inval`), whose page
//! tables are allocated once at boot and never freed:
//!
//! * one kernel address space; its page tables are built by
//!   [`KHat::new`], linked once and never unlinked, and cover exactly the
//!   range (the MMU model has at most 64 pages of address space);
//! * `hat_memload` installs a writable PTE for the page by CAS, as
//!   `x86pte_set` does (htable.c:2101-2134): an entry that already maps
//!   the page keeps its REF/MOD and nothing changes (`PTE_EQUIV`);
//! * `hat_unload` reads the PTE (`GET_PTE`), clears it by CAS, retrying
//!   while the MMU sets REF/MOD (`x86pte_inval`, htable.c:2265-2272),
//!   shoots the address down on every CPU if the old entry could be cached
//!   (REF or MOD set, htable.c:2273-2274), syncs REF/MOD into the page
//!   (`hati_sync_pte_to_page`) and only then uncounts the page's mapping;
//! * `hat_unlock` does nothing: the kernel's translations are always
//!   locked and hat_i86.c does not count their locks (`hati_pte_map`
//!   counts `HAT_LOAD_LOCK` only for a hat other than `kas`);
//! * `hat_probe` reads the PTE;
//! * for devmap (`crate::devmap`), the range is also the one address
//!   space its processes map device frames in: `hat_devload` installs a
//!   device frame by the same CAS (no mapping count: no `page_t`),
//!   `hat_unload_range` unloads page by page as `hat_unload` does (no
//!   REF/MOD to sync for a device frame), `hat_unlock` does nothing.
//!
//! Deviations: no hment list and no mapping-list mutex (`x86_hm_enter`):
//! the page's mapping list is a count (`super::page`), and the range's PTEs
//! are changed only by the segment's protocol, which serialises a load and
//! an unload of one page (segmap: a holder loads, the slot-mutex holder
//! with refcnt 0 unloads); so the stand-in takes no lock. No
//! `ht_valid_cnt` (the tables are never freed), no `PT_GLOBAL`, no
//! `PT_NOCONSIST` mappings. For all of that, use the x86 HAT.
//!
//! Ghost state: the frame each PTE was last given by software (REF and
//! MOD, which only the MMU adds, are not mirrored), for checks, which must
//! not add scheduling points.

use super::hat::{is_device_pfn, Hat, Loaded};
use super::hat::{HAT_SYNC_STOPON_MOD, HAT_SYNC_ZERORM};
use super::page::{Pages, PFN_BASE, P_MOD, P_REF};
use super::param::PAGESIZE;
use super::windows::{KMAP_UNLOAD_HW_RACE, KMAP_UNLOAD_SHOOTDOWN};
use model::check::{fail, PANIC};
use model::kernel::Handle;
use model::machine::pte::{make_pte, make_ptp, pte_pfn, pte_valid, same_frame};
use model::machine::pte::{PT_MOD, PT_REFMOD, PT_WRITABLE};
use model::machine::{Demap, Fault, Mmu, MmuConfig, PageTable};
use model::sync::{retry, Ordering::Relaxed};
use model::{cover, seed};
use std::sync::atomic::{AtomicU64 as GhostU64, Ordering::SeqCst};
use std::sync::Arc;

/// One page's PTE.
struct Kpte {
    /// (c) the leaf table holding it, and its index there.
    table: Arc<PageTable>,
    handle: Handle,
    index: usize,
    /// (g) the frame software last installed, `NO_FRAME` when invalid.
    frame: GhostU64,
}

const NO_FRAME: u64 = u64::MAX;

/// The kmap HAT: the machine and the PTE of each page of the range.
pub struct KHat {
    /// (c) the machine.
    mmu: Arc<Mmu>,
    /// (c) the PTE of page `i` of the range.
    ptes: Vec<Kpte>,
    /// (c) the pages it maps.
    pages: Arc<Pages>,
}

/// The smallest machine shape whose address space holds `pages` pages:
/// levels and log2 entries per table.
fn shape(pages: u64) -> (u32, u32) {
    match pages {
        0..=2 => (1, 1),
        3..=4 => (1, 2),
        5..=16 => (2, 2),
        17..=64 => (3, 2),
        _ => fail(
            PANIC,
            format!("{pages} kmap pages exceed the MMU model's 64"),
        ),
    }
}

impl KHat {
    /// The kernel page tables for a range of `npages` pages from machine
    /// address 0 on a machine of `cpus` CPUs with one-entry TLBs (the
    /// boot-time `hat_kmap_init`): every table the range needs, linked,
    /// all PTEs invalid.
    pub fn new(npages: u64, cpus: usize, pages: Arc<Pages>) -> Self {
        let (levels, entry_bits) = shape(npages);
        let per = 1u64 << entry_bits;
        // Tables per level below the top: enough to cover the range.
        let mut tables = 1;
        let mut span = per;
        for _ in 1..levels {
            tables += npages.div_ceil(span) as usize;
            span *= per;
        }
        let mmu = Mmu::new(MmuConfig {
            levels,
            entry_bits,
            cpus,
            tlb_entries: 1,
            psc_entries: 1,
            tables,
        });
        let ptes = (0..npages)
            .map(|p| {
                let va = p * PAGESIZE;
                let (handle, table) = Self::leaf_table(&mmu, va);
                let index = mmu.va2entry(va, 0);
                Kpte {
                    table,
                    handle,
                    index,
                    frame: GhostU64::new(NO_FRAME),
                }
            })
            .collect();
        KHat { mmu, ptes, pages }
    }

    /// The leaf table covering `va`, allocating and linking the tables on
    /// the way down if this is the first page under them.
    fn leaf_table(mmu: &Mmu, va: u64) -> (Handle, Arc<PageTable>) {
        let mut h = mmu.top();
        let mut t = mmu.table(h);
        for level in (1..mmu.config().levels).rev() {
            let link = t.pte(mmu.va2entry(va, level));
            let e = link.load();
            h = if pte_valid(e) {
                Handle::from_bits(pte_pfn(e)).expect("a link names a table")
            } else {
                let child = mmu.alloc_table(level - 1);
                link.cas(0, make_ptp(child));
                child
            };
            t = mmu.table(h);
        }
        (h, t)
    }

    fn kpte(&self, va: u64) -> &Kpte {
        &self.ptes[(va / PAGESIZE) as usize]
    }

    /// `hat_pte_unmap` of one page (hat_i86.c), with `x86pte_inval`'s
    /// loop (htable.c:2265-2274); a page's REF/MOD go to its `page_t`, a
    /// device frame has none.
    #[track_caller]
    fn unload_one(&self, va: u64) {
        let k = self.kpte(va);
        let pte = k.table.pte(k.index);
        let mut old = pte.load();
        seed("htable.c:2265");
        loop {
            if !pte_valid(old) {
                return;
            }
            let found = pte.cas(old, 0);
            if found == old {
                break;
            }
            // The MMU set REF or MOD since the read.
            cover(KMAP_UNLOAD_HW_RACE.point);
            old = found;
            retry();
        }
        k.frame.store(NO_FRAME, SeqCst);
        seed("htable.c:2273");
        if old & PT_REFMOD != 0 && !model::mutant(super::mutants::UNLOAD_NO_SHOOTDOWN) {
            cover(KMAP_UNLOAD_SHOOTDOWN.point);
            self.mmu.hat_tlb_inval(Demap::Va(va));
        }
        if is_device_pfn(pte_pfn(old)) {
            // A device frame: no page_t to sync into or uncount.
            return;
        }
        let pp = self.pages.pfn_index(pte_pfn(old));
        if !model::mutant(super::mutants::UNLOAD_DROPS_MOD) {
            self.pages.page(pp).sync_pte(old);
        }
        self.pages.map_count(pp, false);
    }
}

impl Hat for KHat {
    fn mmu(&self) -> &Mmu {
        &self.mmu
    }

    fn base(&self) -> u64 {
        0
    }

    #[track_caller]
    fn hat_memload(&self, va: u64, pp: usize) -> Loaded {
        self.hat_memload_prot(va, pp, true)
    }

    /// `hat_pte_unmap` of one page (hat_i86.c), with `x86pte_inval`'s
    /// loop (htable.c:2265-2274).
    #[track_caller]
    fn hat_unload(&self, va: u64) {
        self.unload_one(va);
    }

    #[track_caller]
    fn hat_probe(&self, va: u64) -> bool {
        let k = self.kpte(va);
        pte_valid(k.table.pte(k.index).load())
    }

    fn hat_page_is_mapped(&self, pp: usize) -> bool {
        self.pages.kmap_mapped(pp)
    }

    #[track_caller]
    fn access(&self, cpu: usize, va: u64, write: bool) -> Result<u64, Fault> {
        self.mmu.access(cpu, va, write)
    }

    fn translations(&self, va: u64) -> Vec<(u64, String)> {
        let k = self.kpte(va);
        let mut v = Vec::new();
        let f = k.frame.load(SeqCst);
        if f != NO_FRAME {
            v.push((f, "its PTE".to_string()));
        }
        for (pte, why) in self.mmu.cached_leaves(k.handle, k.index as u32) {
            v.push((pte_pfn(pte), why));
        }
        v
    }

    fn modified_in_pte(&self, pfn: u64) -> bool {
        self.ptes.iter().any(|k| {
            let e = k.table.pte(k.index).load();
            pte_valid(e) && pte_pfn(e) == pfn && e & PT_MOD != 0
        })
    }

    fn check_quiescent(&self) {}

    /// The kmap range is the one address space of this machine: devmap's
    /// processes get disjoint parts of it.
    fn user_range(&self) -> (u64, u64) {
        (0, self.ptes.len() as u64)
    }

    /// `hat_devload` through the kmap path: the PTE installed by CAS, as
    /// `hat_memload` does, with no mapping count (no `page_t`). The lock
    /// of `HAT_LOAD_LOCK` is not counted (see the module doc).
    #[track_caller]
    fn hat_devload(&self, va: u64, pfn: u64, _lock: bool) {
        let k = self.kpte(va);
        let pte = k.table.pte(k.index);
        let new = make_pte(pfn, PT_WRITABLE);
        seed("htable.c:2101");
        loop {
            let prev = pte.load();
            if pte_valid(prev) {
                if !same_frame(prev, new) {
                    fail(
                        PANIC,
                        format!(
                            "hat_devload at {va:#x}: the PTE maps frame {:#x}, not {pfn:#x} (hati_pte_map: remap without HAT_LOAD_REMAP)",
                            pte_pfn(prev)
                        ),
                    );
                }
                return;
            }
            if pte.cas(prev, new) == prev {
                k.frame.store(pfn, SeqCst);
                return;
            }
            retry();
        }
    }

    #[track_caller]
    fn hat_unload_range(&self, va: u64, npages: u64) {
        for p in 0..npages {
            self.unload_one(va + p * PAGESIZE);
        }
    }

    /// Nothing: the stand-in counts no locks.
    fn hat_unlock(&self, _va: u64, _npages: u64) {}

    fn pages(&self) -> &Pages {
        &self.pages
    }

    #[track_caller]
    fn hat_memload_prot(&self, va: u64, pp: usize, writable: bool) -> Loaded {
        let k = self.kpte(va);
        let pte = k.table.pte(k.index);
        let pfn = PFN_BASE + pp as u64;
        let new = make_pte(pfn, if writable { PT_WRITABLE } else { 0 });
        seed("htable.c:2101");
        loop {
            let prev = pte.load();
            if pte_valid(prev) {
                if !same_frame(prev, new) {
                    return Loaded::Other(pte_pfn(prev));
                }
                if !writable || prev & PT_WRITABLE != 0 {
                    return Loaded::Already;
                }
                // The same frame with write permission added; REF/MOD
                // stay (htable.c:2127-2130).
                if pte.cas(prev, prev | PT_WRITABLE) == prev {
                    return Loaded::Already;
                }
            } else if pte.cas(prev, new) == prev {
                k.frame.store(pfn, SeqCst);
                break;
            }
            retry();
        }
        self.pages.map_count(pp, true);
        Loaded::New
    }

    /// Every PTE of the range that maps page `pp` (the stand-in keeps no
    /// hments: it reads its PTEs).
    #[track_caller]
    fn hat_pageunload(&self, pp: usize) {
        let _f = model::exec::call("hat_pageunload", "hat_i86.c (stand-in)");
        for i in self.mapping(pp) {
            self.hat_unload(i as u64 * PAGESIZE);
        }
    }

    #[track_caller]
    fn hat_pagesync(&self, pp: usize, flags: u32) -> u32 {
        let _f = model::exec::call("hat_pagesync", "hat_i86.c (stand-in)");
        let p = self.pages.page(pp);
        let zerorm = flags & HAT_SYNC_ZERORM != 0;
        let stop_on_mod = flags & HAT_SYNC_STOPON_MOD != 0;
        if !zerorm && stop_on_mod && p.nrm.load(Relaxed) & P_MOD != 0 {
            return p.nrm.load(Relaxed) & (P_REF | P_MOD);
        }
        for i in self.mapping(pp) {
            let pte = self.ptes[i].table.pte(self.ptes[i].index);
            let mut old = pte.load();
            while pte_valid(old) && pte_pfn(old) == p.pfn && old & PT_REFMOD != 0 {
                if !zerorm {
                    p.sync_pte(old);
                    break;
                }
                old = self.update(i, old, old & !PT_REFMOD);
                if old == 0 {
                    break;
                }
                retry();
            }
            if stop_on_mod && p.nrm.load(Relaxed) & P_MOD != 0 {
                break;
            }
        }
        p.nrm.load(Relaxed) & (P_REF | P_MOD)
    }

    fn peek_modified(&self, pp: usize) -> bool {
        self.peek_mod(pp)
    }

    #[track_caller]
    fn hat_page_clrwrt(&self, pp: usize) {
        let pfn = self.pages.page(pp).pfn;
        for i in self.mapping(pp) {
            let pte = self.ptes[i].table.pte(self.ptes[i].index);
            let mut old = pte.load();
            while pte_valid(old) && pte_pfn(old) == pfn && old & PT_WRITABLE != 0 {
                old = self.update(i, old, old & !(PT_REFMOD | PT_WRITABLE));
                if old == 0 {
                    break;
                }
                retry();
            }
        }
    }
}

impl KHat {
    fn peek_mod(&self, pp: usize) -> bool {
        let pfn = self.pages.page(pp).pfn;
        self.ptes.iter().any(|k| {
            let e = k.table.pte(k.index).peek();
            pte_valid(e) && pte_pfn(e) == pfn && e & PT_MOD != 0
        })
    }

    /// The indexes of the range's PTEs that map page `pp` (modelled reads).
    fn mapping(&self, pp: usize) -> Vec<usize> {
        let pfn = self.pages.page(pp).pfn;
        (0..self.ptes.len())
            .filter(|&i| {
                let e = self.ptes[i].table.pte(self.ptes[i].index).load();
                pte_valid(e) && pte_pfn(e) == pfn
            })
            .collect()
    }

    /// `hati_update_pte` of PTE `i` (`x86pte_update`'s CAS and shootdown,
    /// htable.c:2301-2304, then the old REF/MOD into the page): 0 on
    /// success, else the entry found. No re-check of MOD after removing
    /// write permission (htable.c:2306-2324): with the checked hardware
    /// update nothing can set it; the x86 HAT has the re-check.
    fn update(&self, i: usize, old: u64, new: u64) -> u64 {
        let k = &self.ptes[i];
        let found = k.table.pte(k.index).cas(old, new);
        if found != old {
            return found;
        }
        if !model::mutant(super::mutants::UPDATE_NO_SHOOTDOWN) {
            self.mmu.hat_tlb_inval(Demap::Va(i as u64 * PAGESIZE));
        }
        self.pages
            .page(self.pages.pfn_index(pte_pfn(old)))
            .sync_pte(old);
        0
    }
}

//! The kernel hat's tables: `htable_attach` (htable.c:1467-1574) adopts
//! the boot program's page tables, and `hat_alloc` copies the kernel's
//! top-level entries into every new hat with `x86pte_copy` (2336-2381).
//! The copy is not atomic and reads the kernel's entries without a lock:
//! it is correct only because the kernel's top-level entries never change
//! after boot (the boot tables cover the whole kernel range and are never
//! released, 1569-1573). HTABLE-H10 checks the result.

use super::checks::HTABLE_H10;
use super::ids::{HatId, Ht};
use super::world::World;
use model::check;
use model::kernel::Handle;
use model::machine::pte::{make_ptp, pte_valid, ptp_child, PT_PAGESIZE};
use model::sync::Ordering::Relaxed;

impl World {
    /// The kernel hat (`kas.a_hat`), if the world has one.
    pub fn kas(&self) -> Option<HatId> {
        self.kas.get().copied()
    }

    /// `kernelbase`: the upper half of the modelled address space.
    pub fn kernelbase(&self) -> u64 {
        let top = self.top_level();
        u64::from(self.ptes() / 2) << self.level_shift(top)
    }

    /// Boot (in `World::new`, before any thread): the boot program built a
    /// top table whose kernel-range entries link leaf tables; the kernel
    /// hat adopts them with `htable_attach`, its htables from the reserve
    /// (`htable_initial_reserve`). The mutant `kernel-tables-on-demand`
    /// boots with no kernel leaf table: kernel mappings then create (and
    /// link at the top level) their table later.
    pub(crate) fn kas_boot(&self) {
        let top_level = self.top_level();
        let kb = self.kernelbase();
        let on_demand = model::mutant(super::mutants::KERNEL_TABLES_ON_DEMAND);
        let top = self.mmu.alloc_table(top_level);
        let leaves = if on_demand { 0 } else { self.ptes() / 2 };
        for i in 0..leaves {
            let leaf = self.mmu.alloc_table(top_level - 1);
            let e = self.va2entry(kb, top_level) + i;
            self.mmu.table(top).pte(e as usize).swap(make_ptp(leaf));
        }
        self.htable_initial_reserve(1 + leaves);
        let kas = self.hat_struct(false, true);
        let _ = self.kas.set(kas);
        self.htable_attach(kas, 0, top_level, None, top);
    }

    /// `htable_attach` (1467-1574): an htable from the reserve for the
    /// existing page table `pfn`, hashed, with its valid entries counted
    /// and its lower tables attached in turn. A table that maps only
    /// below `kernelbase` is released; the kernel's are held for good.
    fn htable_attach(&self, hid: HatId, base: u64, level: u32, parent: Option<Ht>, pfn: Handle) {
        let ht = self
            .htable_get_reserve()
            .expect("htable_attach: reserve empty");
        let hat = self.hat(hid);
        if level == self.top_level() {
            hat.top.update(|t| *t = Some(ht));
        }
        let t = self.ht(ht);
        t.id.update(|i| {
            *i = super::ht::Ident {
                hat: Some(hid),
                vaddr: base,
                level,
                flags: 0,
                pfn: Some(pfn),
                parent,
                shares: None,
            }
        });
        t.busy.store(1, Relaxed);
        t.lock_cnt.store(0, Relaxed);
        t.valid.store(0, Relaxed);
        self.hold_ht(ht);
        if let Some(p) = parent {
            // The child's hold on its parent (1497-1498; at boot, with no
            // other thread, the seed takes no lock either).
            let pt = self.ht(p);
            pt.busy.fetch_add(1, Relaxed);
        }
        model::seed("htable.c:1500");
        let h = self.hash(&hat, base, level);
        self.htable_enter(h);
        self.hashin(&hat, h, ht);
        self.htable_exit(h);
        model::seed("htable.c:1549");
        let pt = self.mmu.table(pfn);
        let mut va = base;
        for e in 0..self.ptes() {
            let pte = pt.pte(e as usize).load();
            if pte_valid(pte) {
                t.valid.fetch_add(1, Relaxed);
                let page = level == 0 || pte & PT_PAGESIZE != 0;
                if !page {
                    let child = ptp_child(pte).expect("htable_attach: bad link");
                    self.htable_attach(hid, va, level - 1, Some(ht), child);
                }
            }
            va += self.level_size(level);
        }
        model::seed("htable.c:1572");
        if level == self.top_level() {
            // This hold is the hat's on its top table.
            self.drop_ht(ht);
        } else if va < self.kernelbase() {
            self.htable_release(Some(ht));
        }
    }

    /// `x86pte_copy` (2336-2381): copies `count` entries from `entry` on
    /// of `src` into `dest`, one by one and not atomically. `dest` is not
    /// linked or hashed anywhere a CPU or another thread could reach.
    fn x86pte_copy(&self, src: Ht, dest: Ht, entry: u32, count: u32) {
        let did = self.ht(dest).id.get();
        let sid = self.ht(src).id.get();
        let d = self.x86pte_access_pagetable(&did);
        let s = self
            .mmu
            .table(sid.pfn.expect("x86pte_copy: source without a page"));
        model::seed("htable.c:2378");
        for e in entry..entry + count {
            let pte = s.pte(e as usize).load();
            d.pte(e as usize).swap(pte);
        }
        self.x86pte_release_pagetable();
    }

    /// `hat_alloc`'s copy of the kernel range into the new top table
    /// `top` (hat_i86.c: the source found with `htable_lookup` in the
    /// kernel hat, held across the copy).
    pub(crate) fn copy_kernel_range(&self, top: Ht) {
        let Some(kas) = self.kas() else { return };
        let level = self.top_level();
        let kb = self.kernelbase();
        let src = self
            .htable_lookup(kas, kb, level)
            .expect("hat_alloc: the kernel hat has no top table");
        let start = self.va2entry(kb, level);
        self.x86pte_copy(src, top, start, self.ptes() - start);
        self.htable_release(Some(src));
        model::cover(super::windows::KERNEL_COPY);
    }

    /// Whether entry `e` of a top-level table is in the kernel range.
    pub(crate) fn kernel_entry(&self, level: u32, e: u32) -> bool {
        self.kas().is_some()
            && level == self.top_level()
            && u64::from(e) << self.level_shift(level) >= self.kernelbase()
    }

    /// H10 at rest: entry `e` (kernel range) of the top table of user hat
    /// `hid` is the kernel hat's.
    pub(crate) fn h10_kernel_entry(&self, hid: HatId, e: u32, pte: u64) {
        let Some(kas) = self.kas() else { return };
        let Some(ktop) = self.hat(kas).top.get() else {
            return;
        };
        let kid = self.ht(ktop).id.get();
        let kpt = self.x86pte_access_pagetable(&kid);
        let want = kpt.pte(e as usize).load();
        self.x86pte_release_pagetable();
        check!(
            pte == want,
            HTABLE_H10,
            "hat {}'s top-level entry {e} (kernel range, va {:#x}) is {pte:#x}, the kernel hat's is {want:#x}",
            hid.0,
            u64::from(e) << self.level_shift(self.top_level())
        );
    }
}

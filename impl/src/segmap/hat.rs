//! The HAT segmap calls with segkpm off, for the kernel address space
//! only, on the model's MMU (`model::machine`): `hat_memload`,
//! `hat_unload`, `hat_unlock` and `hat_probe` of the segkmap windows, and
//! the CPU accesses a window's holder makes through them.
//!
//! illumos reaches segkmap's PTEs through its "kmap" fast path
//! (hat_i86.c, not a seed: `hat_memload` -> `hat_kmap_load` ->
//! `hati_pte_map` -> `x86pte_set`; `hat_unload` -> `hat_kmap_unload` ->
//! `hat_pte_unmap` -> `x86pte_inval`), whose page tables are allocated
//! once at boot and never freed. The port keeps that shape:
//!
//! * one kernel address space; its page tables are built by
//!   [`KHat::new`], linked once and never unlinked, and cover exactly the
//!   windows. Window byte `SEGKMAP_BASE + x` is MMU address `x` (the MMU
//!   model has at most 64 pages of address space);
//! * `hat_memload` installs a writable PTE for the page by CAS, as
//!   `x86pte_set` does (htable.c:2101-2134): an entry that already maps
//!   the page keeps its REF/MOD and nothing changes (`PTE_EQUIV`); an
//!   entry that maps another page is a [`SEGMAP_XLATE`] violation
//!   (`hati_pte_map` panics on a change of frame without
//!   `HAT_LOAD_REMAP`; in segmap it can only be a translation an unload
//!   missed);
//! * `hat_unload` reads each PTE (`GET_PTE`), clears it by CAS, retrying
//!   while the MMU sets REF/MOD (`x86pte_inval`, htable.c:2265-2272),
//!   shoots the address down on every CPU if the old entry could be cached
//!   (REF or MOD set, htable.c:2273-2274), syncs REF/MOD into the page
//!   (`hati_sync_pte_to_page`) and only then uncounts the page's mapping;
//! * `hat_unlock` does nothing: the kernel's translations are always
//!   locked and hat_i86.c does not count their locks (`hati_pte_map`
//!   counts `HAT_LOAD_LOCK` only for a hat other than `kas`, and
//!   `hat_unlock` returns at once for `kas`), so `HAT_LOAD_LOCK` changes
//!   nothing here either;
//! * `hat_probe` reads the PTE.
//!
//! Deviations: no hment list and no mapping-list mutex (`x86_hm_enter`):
//! the page's mapping list is a count (see `super::page`), its `p_nrm` an
//! atomic OR, and a window's PTE is changed only by holders of the window
//! (`hat_memload`, which cannot race an unload: that needs refcnt 0) or by
//! the thread that holds the slot mutex with refcnt 0 (`hat_unload`); so
//! the port takes no HAT lock and `super::LOCK_ORDER` is unchanged. No
//! `ht_valid_cnt` (the tables are never freed), no `PT_GLOBAL`, no
//! `PT_NOCONSIST` mappings.
//!
//! Ghost state: the frame each window PTE was last given by software (REF
//! and MOD, which only the MMU adds, are not mirrored), for the
//! [`SEGMAP_XLATE`] checks, which must not add scheduling points.

use super::checks::{SEGMAP_MODLOST, SEGMAP_XLATE};
use super::consts::*;
use super::page::PFN_BASE;
use super::Segmap;
use model::check::{fail, PANIC};
use model::exec;
use model::kernel::Handle;
use model::machine::pte::{make_pte, make_ptp, pte_pfn, pte_valid, same_frame};
use model::machine::pte::{PT_MOD, PT_REFMOD, PT_WRITABLE};
use model::machine::{Demap, Fault, Mmu, MmuConfig, PageTable};
use model::sync::{retry, Retries};
use model::{check, cover, seed};
use std::sync::atomic::{AtomicU64 as GhostU64, Ordering::SeqCst};
use std::sync::Arc;

/// Pages per window.
const WINDOW_PAGES: u64 = MAXBSIZE / PAGESIZE;

/// One window page's PTE.
struct Kpte {
    /// (c) the leaf table holding it, and its index there.
    table: Arc<PageTable>,
    handle: Handle,
    index: usize,
    /// (g) the frame software last installed, `NO_FRAME` when invalid.
    frame: GhostU64,
}

const NO_FRAME: u64 = u64::MAX;

/// The kernel's HAT for the segkmap windows: the machine and the PTE of
/// each window page.
pub(crate) struct KHat {
    /// (c) the machine.
    mmu: Arc<Mmu>,
    /// (c) the PTE of window page `i` (window `i / 2`).
    ptes: Vec<Kpte>,
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
            format!("{pages} window pages exceed the MMU model's 64"),
        ),
    }
}

impl KHat {
    /// The kernel page tables for `windows` windows on a machine of `cpus`
    /// CPUs with one-entry TLBs (the boot-time `hat_kmap_init`): every
    /// table the windows need, linked, all PTEs invalid.
    pub(crate) fn new(windows: usize, cpus: usize) -> Self {
        let pages = windows as u64 * WINDOW_PAGES;
        let (levels, entry_bits) = shape(pages);
        let per = 1u64 << entry_bits;
        // Tables per level below the top: enough to cover `pages`.
        let mut tables = 1;
        let mut span = per;
        for _ in 1..levels {
            tables += pages.div_ceil(span) as usize;
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
        let ptes = (0..pages)
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
        KHat { mmu, ptes }
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

    fn kpte(&self, addr: u64) -> &Kpte {
        &self.ptes[((addr - SEGKMAP_BASE) / PAGESIZE) as usize]
    }

    /// The CPU the calling thread runs on.
    fn cpu(&self) -> usize {
        exec::tid() % self.mmu.config().cpus
    }

    /// Every translation of window page `i` (ghost): the frame its PTE was
    /// given, and each entry a CPU caches from it, with a description.
    fn translations(&self, i: usize) -> Vec<(u64, String)> {
        let k = &self.ptes[i];
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
}

impl Segmap {
    /// `hat_memload(kas.a_hat, addr, pp, PROT_READ | PROT_WRITE, flag)`
    /// for a window page the caller holds, with page `pp` locked: make the
    /// PTE map the page. `lock` (`HAT_LOAD_LOCK`) changes nothing for the
    /// kernel (see the module doc) and is only counted.
    #[track_caller]
    pub(crate) fn hat_memload(&self, addr: u64, pp: usize, lock: bool) {
        cover(if lock {
            "segmap.hat_memload_lock"
        } else {
            "segmap.hat_memload"
        });
        let k = self.hat.kpte(addr);
        let pte = k.table.pte(k.index);
        let pfn = PFN_BASE + pp as u64;
        let new = make_pte(pfn, PT_WRITABLE);
        seed("htable.c:2101");
        loop {
            let prev = pte.load();
            if pte_valid(prev) {
                check!(
                    same_frame(prev, new),
                    SEGMAP_XLATE,
                    "hat_memload of page {pp} at {addr:#x} by thread {}: the PTE maps frame {:#x}",
                    exec::tid(),
                    pte_pfn(prev)
                );
                // Another holder loaded it first; its REF/MOD stay.
                cover("segmap.hat_memload_loaded");
                return;
            }
            if pte.cas(prev, new) == prev {
                k.frame.store(pfn, SeqCst);
                break;
            }
            retry();
        }
        self.pages.map_count(pp, true);
    }

    /// `hat_unload(kas.a_hat, addr, len, HAT_UNLOAD)` with the slot mutex
    /// of the window held and its refcnt 0: invalidate each PTE, shoot the
    /// address down on every CPU, sync REF/MOD into the page. A kpm
    /// address (the seed's kpm SM_INVAL release passes one,
    /// seg_map.c:2091) has no PTE in the model: the kpm mapping is the kpm
    /// stand-in's, removed by `hat_kpm_mapout`; the segkmap window's own
    /// translations then stay, and SEGMAP-XLATE says so if any exist.
    #[track_caller]
    pub(crate) fn hat_unload(&self, addr: u64, len: u64) {
        if self.is_kpm_addr(addr) {
            cover("segmap.hat_unload_kpm_addr");
            return;
        }
        cover("segmap.hat_unload");
        let mut va = addr;
        while va < addr + len {
            self.hat_pte_unmap(va);
            va += PAGESIZE;
        }
    }

    /// `hat_pte_unmap` of one window page (hat_i86.c), with
    /// `x86pte_inval`'s loop (htable.c:2265-2274).
    #[track_caller]
    fn hat_pte_unmap(&self, va: u64) {
        let k = self.hat.kpte(va);
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
            cover("segmap.unload_hw_race");
            old = found;
            retry();
        }
        k.frame.store(NO_FRAME, SeqCst);
        seed("htable.c:2273");
        if old & PT_REFMOD != 0 && !model::mutant("unload-no-shootdown") {
            cover("segmap.unload_shootdown");
            self.hat.mmu.hat_tlb_inval(Demap::Va(va - SEGKMAP_BASE));
        }
        let pp = (pte_pfn(old) - PFN_BASE) as usize;
        if !model::mutant("unload-drops-mod") {
            self.pages.sync_pte(pp, old);
        }
        self.pages.map_count(pp, false);
    }

    /// `hat_unlock(kas.a_hat, addr, len)`: nothing for the kernel (see the
    /// module doc); counted.
    pub(crate) fn hat_unlock(&self) {
        cover("segmap.hat_unlock");
    }

    /// `hat_probe(kas.a_hat, vaddr)`: whether the window page has a
    /// translation.
    #[track_caller]
    pub(crate) fn hat_probe(&self, vaddr: u64) -> bool {
        let k = self.hat.kpte(vaddr & PAGEMASK);
        pte_valid(k.table.pte(k.index).load())
    }

    /// A load (or, with `write`, a store) by the calling thread, on the CPU
    /// it runs on, through the window it holds at `addr`. A missing
    /// translation faults into `segmap_fault(F_INVAL)` (as `as_fault` would
    /// route a kernel fault on segkmap) and the access is retried. Returns
    /// the fault's error, if any (a page the file does not have).
    #[track_caller]
    pub fn access(&self, addr: u64, write: bool) -> Result<(), i32> {
        let smp = Self::addr_slot(addr);
        self.holder(smp, "access through a window");
        let cpu = self.hat.cpu();
        let mut retries = Retries::new();
        loop {
            match self.hat.mmu.access(cpu, addr - SEGKMAP_BASE, write) {
                Ok(pfn) => {
                    let pp = (pfn - PFN_BASE) as usize;
                    self.check_reaches_tag(smp, addr, pp);
                    if write {
                        self.pages.wrote(pp);
                    }
                    self.after_op();
                    return Ok(());
                }
                Err(Fault::NotPresent) => {
                    cover("segmap.access_fault");
                    let rw = if write { SegRw::Write } else { SegRw::Read };
                    self.fault(addr & PAGEMASK, PAGESIZE, FaultType::Invalid, rw)?;
                    retries.again();
                }
                Err(Fault::Protection) => fail(
                    PANIC,
                    format!("write to window {addr:#x} faulted on protection"),
                ),
            }
        }
    }

    /// [`SEGMAP_XLATE`] for an access: it reached the page of the window's
    /// tag.
    fn check_reaches_tag(&self, smp: usize, addr: u64, pp: usize) {
        let s = &self.smap[smp];
        let (vp, off) = (s.vp.peek(), s.off.peek());
        let want = self.pages.index(vp, off + (addr & MAXBOFFSET & PAGEMASK));
        check!(
            want == Some(pp),
            SEGMAP_XLATE,
            "thread {} accessed window {addr:#x} of slot {smp} tagged (vp {vp}, off {off:#x}) and reached page {pp}",
            exec::tid()
        );
    }

    /// [`SEGMAP_XLATE`] for slot `smp`'s window (ghost): each translation
    /// of it, in a PTE or cached by a CPU, maps the page of the slot's
    /// current tag at that offset; an untagged window translates nothing.
    pub(crate) fn check_xlate(&self, smp: usize, when: &str) {
        let s = &self.smap[smp];
        let (vp, off) = (s.vp.peek(), s.off.peek());
        for j in 0..WINDOW_PAGES {
            let want = if vp == 0 {
                None
            } else {
                self.pages.index(vp, off + j * PAGESIZE)
            };
            let i = smp * WINDOW_PAGES as usize + j as usize;
            for (pfn, what) in self.hat.translations(i) {
                if want.map(|pp| PFN_BASE + pp as u64) != Some(pfn) {
                    fail(
                        SEGMAP_XLATE,
                        format!(
                            "{when}: page {j} of slot {smp}'s window (tagged vp {vp}, off {off:#x}) translates to frame {pfn:#x}: {what}"
                        ),
                    );
                }
            }
        }
    }

    /// [`SEGMAP_MODLOST`] at a quiescent point: every page written through
    /// a window is still in memory and modified in its `p_nrm` or in a
    /// window PTE that maps it. Reads the PTEs (the threads are joined).
    pub(crate) fn check_modlost(&self) {
        for (pp, hashed) in self.pages.unsynced_writes() {
            let pfn = PFN_BASE + pp as u64;
            let in_pte = self.hat.ptes.iter().any(|k| {
                let e = k.table.pte(k.index).load();
                pte_valid(e) && pte_pfn(e) == pfn && e & PT_MOD != 0
            });
            if !(hashed && in_pte) {
                fail(
                    SEGMAP_MODLOST,
                    format!(
                        "page {pp} was written through a window, but its modification is in neither its page_t nor a PTE (hashed: {hashed})"
                    ),
                );
            }
        }
    }

    /// MMU-STALE-TLB when page `pp` is freed: no CPU may still translate
    /// to it.
    #[track_caller]
    pub(crate) fn assert_untranslated(&self, pp: usize) {
        self.hat.mmu.assert_untranslated(PFN_BASE + pp as u64);
    }
}

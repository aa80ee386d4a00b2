//! segmap's side of the HAT (`crate::vm::hat`) with segkpm off: the
//! `hat_memload`, `hat_unload`, `hat_unlock` and `hat_probe` calls of the
//! segkmap windows on `kas`, the CPU accesses a window's holder makes
//! through them, and the checks on the windows' translations. The HAT is
//! the segment's choice ([`super::SegmapConfig`] and
//! [`super::Segmap::create_on`]): the kmap stand-in (`crate::vm::kmap`,
//! the default) or the htable port (`crate::htable::X86Hat`). Window byte
//! `SEGKMAP_BASE + x` is machine address `base + x` of the HAT.
//!
//! `hat_unlock` does nothing: the kernel's translations are always locked
//! and hat_i86.c does not count their locks (`hati_pte_map` counts
//! `HAT_LOAD_LOCK` only for a hat other than `kas`, and `hat_unlock`
//! returns at once for `kas`), so `HAT_LOAD_LOCK` changes nothing here
//! either.
//!
//! Ghost state: each HAT mirrors the frame software gave each PTE, for
//! the [`SEGMAP_XLATE`] checks, which must not add scheduling points.

use super::checks::{SEGMAP_KPM, SEGMAP_MODLOST, SEGMAP_XLATE};
use super::consts::*;
use super::windows::{
    ACCESS_FAULT, HAT_MEMLOAD, HAT_MEMLOAD_LOADED, HAT_MEMLOAD_LOCK, HAT_UNLOAD,
    HAT_UNLOAD_KPM_ADDR, HAT_UNLOCK,
};
use super::Segmap;
use crate::vm::hat::Loaded;
use crate::vm::page::PFN_BASE;
use model::check::{fail, PANIC};
use model::exec;
use model::machine::Fault;
use model::sync::Retries;
use model::{check, cover};

/// Pages per window.
const WINDOW_PAGES: u64 = MAXBSIZE / PAGESIZE;

impl Segmap {
    /// The machine address of window byte `addr`.
    fn hat_va(&self, addr: u64) -> u64 {
        self.hat.base() + (addr - SEGKMAP_BASE)
    }

    /// The CPU the calling thread runs on.
    fn hat_cpu(&self) -> usize {
        exec::tid() % self.hat.mmu().config().cpus
    }

    /// `hat_memload(kas.a_hat, addr, pp, PROT_READ | PROT_WRITE, flag)`
    /// for a window page the caller holds, with page `pp` locked: make the
    /// PTE map the page. `lock` (`HAT_LOAD_LOCK`) changes nothing for the
    /// kernel (see the module doc) and is only counted. A PTE that maps
    /// another page is a [`SEGMAP_XLATE`] violation: in segmap it can only
    /// be a translation an unload missed.
    #[track_caller]
    pub(crate) fn hat_memload(&self, addr: u64, pp: usize, lock: bool) {
        cover(if lock { HAT_MEMLOAD_LOCK } else { HAT_MEMLOAD }.point);
        match self.hat.hat_memload(self.hat_va(addr), pp) {
            Loaded::New => {}
            Loaded::Already => cover(HAT_MEMLOAD_LOADED.point),
            Loaded::Other(pfn) => fail(
                SEGMAP_XLATE,
                format!(
                    "hat_memload of page {pp} at {addr:#x} by thread {}: the PTE maps frame {pfn:#x}",
                    exec::tid()
                ),
            ),
        }
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
            cover(HAT_UNLOAD_KPM_ADDR.point);
            return;
        }
        cover(HAT_UNLOAD.point);
        let mut va = addr;
        while va < addr + len {
            self.hat.hat_unload(self.hat_va(va));
            va += PAGESIZE;
        }
    }

    /// `hat_unlock(kas.a_hat, addr, len)`: nothing for the kernel (see the
    /// module doc); counted.
    pub(crate) fn hat_unlock(&self) {
        cover(HAT_UNLOCK.point);
    }

    /// `hat_probe(kas.a_hat, vaddr)`: whether the window page has a
    /// translation.
    #[track_caller]
    pub(crate) fn hat_probe(&self, vaddr: u64) -> bool {
        self.hat.hat_probe(self.hat_va(vaddr & PAGEMASK))
    }

    /// Whether the page of window address `addr` has a translation
    /// (`hat_probe`), for [`super::checks::SEGMAP_PREFAULT`].
    #[track_caller]
    pub fn translated(&self, addr: u64) -> bool {
        self.hat_probe(addr)
    }

    /// A load (or, with `write`, a store) by the calling thread, on the CPU
    /// it runs on, through the window it holds at `addr`. A missing
    /// translation faults into `segmap_fault(F_INVAL)` (as `as_fault` would
    /// route a kernel fault on segkmap) and the access is retried. Returns
    /// the fault's error, if any (a page the file does not have).
    #[track_caller]
    pub fn access(&self, addr: u64, write: bool) -> Result<(), i32> {
        if self.is_kpm_addr(addr) {
            self.access_kpm(addr, write);
            return Ok(());
        }
        let smp = Self::addr_slot(addr);
        self.holder(smp, "access through a window");
        let cpu = self.hat_cpu();
        let mut retries = Retries::new();
        loop {
            match self.hat.access(cpu, self.hat_va(addr), write) {
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
                    cover(ACCESS_FAULT.point);
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

    /// An access through kpm window `addr`: segkpm maps every page for
    /// good, so it never faults; the page is the one the window's holder
    /// keeps locked (seg_map.c:1935-1940). A store leaves no MOD bit in any
    /// PTE segmap unloads: the release marks the page modified from
    /// SM_WRITE_DATA (seg_map.c:2017-2018), or [`SEGMAP_MODLOST`] sees the
    /// write lost.
    fn access_kpm(&self, addr: u64, write: bool) {
        let pp = Self::kpm_vaddr2page(addr);
        check!(
            self.pages.page(pp).lock.held(),
            SEGMAP_KPM,
            "access through kpm window {addr:#x}: page {pp} not locked"
        );
        if write {
            self.pages.wrote(pp);
        }
        self.after_op();
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
            let va = self.hat_va(Self::slot_addr(smp) + j * PAGESIZE);
            for (pfn, what) in self.hat.translations(va) {
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
            let in_pte = self.hat.modified_in_pte(pfn);
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
        self.hat.mmu().assert_untranslated(PFN_BASE + pp as u64);
    }
}

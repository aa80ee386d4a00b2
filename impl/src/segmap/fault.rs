//! `segmap_fault` (seg_map.c:582-770) and `segmap_unlock`
//! (seg_map.c:486-571), segkpm off, with the file system's `VOP_GETPAGE`
//! as a stand-in over the page layer.

use super::checks::SEGMAP_REFCNT;
use super::consts::*;
use super::windows::FAULT;
use super::Segmap;
use model::check::{fail, SYNC_MISUSE};
use model::sync::Se;
use model::{check, cover, seed};
use std::sync::atomic::Ordering::SeqCst;

/// `SMAP_BIT_MASK` (seg_map.c:193): the bitmap bit of the window page at
/// byte `delta` of the window.
pub(crate) fn bit(delta: u64) -> u64 {
    if model::mutant(super::mutants::BITMAP_ONE_BIT) {
        return 1;
    }
    1 << ((delta >> PAGESHIFT) & 0xf)
}

/// Ghost: the bit SEGMAP-BITMAP expects for the window page at byte
/// `delta`, page i of the window being bit i (stated apart from [`bit`],
/// so that a wrong mask is seen, not copied).
pub(crate) fn ghost_bit(delta: u64) -> u64 {
    1 << (delta / PAGESIZE)
}

impl Segmap {
    /// `segmap_fault(kas.a_hat, segkmap, addr, len, ty, rw)` on a window
    /// the caller holds: F_INVAL loads translations to the pages,
    /// F_SOFTLOCK loads and locks them and keeps the pages locked shared,
    /// F_SOFTUNLOCK undoes either that or a `segmap_pagecreate`. Returns
    /// the errno of `FC_MAKE_ERR`.
    #[track_caller]
    pub fn fault(&self, addr: u64, len: u64, ty: FaultType, rw: SegRw) -> Result<(), i32> {
        let _f = model::exec::call("segmap_fault", "seg_map.c:582");
        if self.is_kpm_addr(addr) {
            // seg_map.c:604-676.
            return self.fault_kpm(addr, ty, rw);
        }
        cover(FAULT.point);
        let smp = Self::addr_slot(addr);
        let s = &self.smap[smp];
        // seg_map.c:679-694: the caller's reference pins the tag, which is
        // read with no lock.
        seed("seg_map.c:680");
        let vp = s.vp.hint();
        let sm_off = s.off.hint();
        if vp == 0 {
            return Err(EIO);
        }
        self.holder(smp, "segmap_fault");
        let addroff = addr & MAXBOFFSET;
        assert!(
            addroff + len <= MAXBSIZE,
            "segmap_fault: endaddr {:#x} exceeds MAXBSIZE chunk",
            addr + len
        );
        let off = sm_off + addroff;
        if ty == FaultType::SoftUnlock {
            self.segmap_unlock(addr, len, rw, smp);
            self.after_op();
            return Ok(());
        }
        // seg_map.c:706-710. The protection (712, 762, 765) is not
        // modelled: windows map their pages writable.
        let (pl, _prot) = self.vop_getpage(vp, off, len)?;
        // seg_map.c:721-768: every page is in range (the stand-in returns
        // no others); keep the lock of a soft-locked one.
        for (i, pp) in pl.into_iter().enumerate() {
            let lock =
                ty == FaultType::SoftLock && !model::mutant(super::mutants::SOFTLOCK_DROPS_PAGE);
            self.hat_memload(addr + i as u64 * PAGESIZE, pp, lock);
            if !lock {
                self.pages.page(pp).lock.page_unlock();
            }
        }
        self.after_op();
        Ok(())
    }

    /// `segmap_unlock` (seg_map.c:486-571): F_SOFTUNLOCK of `[addr, addr +
    /// len)` of slot `smp`: unlock the translations, note the access, clear
    /// the bitmap bit of a page `segmap_pagecreate` created, unlock the
    /// page.
    fn segmap_unlock(&self, addr: u64, len: u64, rw: SegRw, smp: usize) {
        let s = &self.smap[smp];
        let vp = s.vp.hint();
        let sm_off = s.off.hint();
        let mut off = sm_off + (addr & MAXBOFFSET);
        self.hat_unlock();
        let mut adr = addr;
        while adr < addr + len {
            // seg_map.c:536-540: the caller holds the page locked
            // (`page_find` checks it).
            let Some(pp) = self.pages.find(vp, off) else {
                fail(
                    SYNC_MISUSE,
                    format!("segmap_unlock: page (vp {vp}, off {off:#x}) not found"),
                );
            };
            if rw == SegRw::Write {
                self.pages.setmod(pp);
            }
            // seg_map.c:555-567: page lock, then the slot mutex.
            let mask = bit(off - sm_off);
            seed("seg_map.c:563");
            s.mtx.enter();
            let sl = [&s.mtx];
            let bitmap = s.bitmap.read(&sl);
            if bitmap & mask != 0 {
                if !model::mutant(super::mutants::SOFTUNLOCK_KEEPS_BIT) {
                    s.bitmap.write(bitmap & !mask, &sl);
                }
                s.bits.fetch_and(!ghost_bit(off - sm_off), SeqCst);
            }
            s.mtx.exit();
            self.pages.page(pp).lock.page_unlock();
            adr += PAGESIZE;
            if !model::mutant(super::mutants::SOFTUNLOCK_OFFSET_STUCK) {
                off += PAGESIZE;
            }
        }
    }

    /// The stand-in `VOP_GETPAGE(vp, off, len, &prot, ...)`: every page of
    /// `[off, off + len)`, locked shared, created (as if read from disk)
    /// when not in memory, and the protection granted: `PROT_ALL`, less
    /// `PROT_WRITE` if a page lies in a hole of the file; `EIO` for a page
    /// the file does not have.
    pub(super) fn vop_getpage(
        &self,
        vp: u64,
        off: u64,
        len: u64,
    ) -> Result<(Vec<usize>, u32), i32> {
        let mut pl = Vec::new();
        let mut prot = PROT_ALL;
        let mut pgoff = off & PAGEMASK;
        while pgoff < off + len {
            let pp = match self.pages.lookup(vp, pgoff, Se::Shared) {
                Some(pp) => pp,
                None if self.pages.exists(vp, pgoff) => {
                    let pp = self.pages.create(vp, pgoff);
                    self.pages.page(pp).lock.page_downgrade();
                    pp
                }
                None => {
                    for pp in pl {
                        self.pages.page(pp).lock.page_unlock();
                    }
                    return Err(EIO);
                }
            };
            if self.pages.in_hole(pgoff) {
                prot &= !PROT_WRITE;
            }
            pl.push(pp);
            pgoff += PAGESIZE;
        }
        Ok((pl, prot))
    }

    /// The seed's `ASSERT(smp->sm_refcnt > 0)` of a window operation: the
    /// caller holds a window on slot `smp`.
    pub(crate) fn holder(&self, smp: usize, who: &str) {
        let s = &self.smap[smp];
        check!(
            s.refcnt.peek() > 0 && s.holders.load(SeqCst) > 0,
            SEGMAP_REFCNT,
            "{who}: slot {smp} used without a window on it"
        );
    }
}

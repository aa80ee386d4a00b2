//! `segmap_release` (seg_map.c:1977-2123); the kpm window's parts are in
//! `super::kpm_release`.

use super::checks::SEGMAP_I6;
use super::consts::*;
use super::standin;
use super::windows::{
    RELEASE, REL_ABORT, REL_ASYNC, REL_DONTNEED, REL_FREE, REL_HASHOUT, REL_WRITE,
};
use super::Segmap;
use model::{check, cover, seed};
use std::sync::atomic::Ordering::SeqCst;

impl Segmap {
    /// `segmap_release` (seg_map.c:1977-2123): give back the window at
    /// `addr` taken by `segmap_getmapflt`. The last release puts the slot on
    /// its freelist, keeping its identity for a later reclaim unless
    /// `SM_INVAL` or `SM_DESTROY` asks to drop it. Returns the stand-in
    /// `VOP_PUTPAGE`'s result (always 0). A kpm window's page is unlocked
    /// after the slot mutex is dropped.
    #[track_caller]
    pub fn release(&self, addr: u64, flags: u32) -> i32 {
        let _f = model::exec::call("segmap_release", "seg_map.c:1977");
        // seg_map.c:1989-2037: the slot locked, and the page of a kpm window.
        let (smp, kpm_pp) = if self.is_kpm_addr(addr) {
            let (smp, pp) = self.release_kpm_enter(addr);
            (smp, Some(pp))
        } else {
            // seg_map.c:2023-2028.
            assert!(
                addr >= SEGKMAP_BASE
                    && Self::addr_slot(addr) < self.smap.len()
                    && addr & MAXBOFFSET == 0,
                "segmap_release: bad addr {addr:#x}"
            );
            let smp = Self::addr_slot(addr);
            let s = &self.smap[smp];
            seed("seg_map.c:2035");
            s.mtx.enter();
            let sl = [&s.mtx];
            s.flags.write(s.flags.read(&sl) | SM_NOTKPM_RELEASED, &sl);
            (smp, None)
        };
        // Fix F5: the kpme's page, locked before the last release needs it.
        let kpme_pp = if kpm_pp.is_none()
            && self.kpm
            && self.fixes.validkpme_page_first
            && flags & (SM_INVAL | SM_DESTROY) != 0
        {
            self.validkpme_lock_first(smp)
        } else {
            None
        };
        let s = &self.smap[smp];
        let sl = [&s.mtx];
        let refcnt = s.refcnt.read(&sl);
        // seg_map.c:2039, after its refinement: the count is the number of
        // windows handed out and not yet given back.
        self.check_refcnt(smp, "segmap_release");
        check!(
            refcnt > 0,
            SEGMAP_I6,
            "segmap_release: slot {smp} released with refcnt 0"
        );

        // seg_map.c:2045-2076: the flags VOP_PUTPAGE will get. FREE and
        // DONTNEED count only for the last holder.
        let mut bflags = 0;
        if flags & !SM_DONTNEED != 0 {
            if flags & SM_WRITE != 0 {
                cover(REL_WRITE.point);
            }
            if flags & SM_ASYNC != 0 {
                bflags |= B_ASYNC;
                cover(REL_ASYNC.point);
            }
            if flags & SM_INVAL != 0 {
                bflags |= B_INVAL;
                cover(REL_ABORT.point);
            }
            if (flags & SM_DESTROY != 0) != model::mutant(super::mutants::PUTPAGE_DESTROY_INVERTED)
            {
                bflags |= B_INVAL | B_TRUNC;
                cover(REL_ABORT.point);
            }
            if refcnt == 1 {
                if flags & SM_FREE != 0 {
                    bflags |= B_FREE;
                    cover(REL_FREE.point);
                }
                if flags & SM_DONTNEED != 0 {
                    bflags |= B_DONTNEED;
                    cover(REL_DONTNEED.point);
                }
            }
        } else {
            cover(RELEASE.point);
        }

        // seg_map.c:2078-2079: the identity VOP_PUTPAGE writes back, read
        // before the slot can lose it.
        let vp = s.vp.read(&sl);
        let offset = s.off.read(&sl);

        // seg_map.c:2081.
        let left = s.refcnt.add(-1, &sl);
        s.holders.fetch_sub(1, SeqCst);
        let inval = flags & (SM_INVAL | SM_DESTROY) != 0;
        if left != 0 && inval && model::mutant(super::mutants::INVAL_WHILE_HELD) {
            // Wrong: drops the identity although other holders still use
            // the window.
            self.hashout(smp);
        }
        if left == 1 && model::mutant(super::mutants::RELEASE_EARLY_FREE) {
            // Wrong: puts the slot on its freelist while a holder remains.
            self.smapadd(smp);
        }
        if left == 0 {
            // seg_map.c:2083.
            s.flags
                .write(s.flags.read(&sl) & !(SM_WRITE_DATA | SM_READ_DATA), &sl);
            if inval {
                // seg_map.c:2085-2102: forget the identity and unload the
                // window's mappings, slot mutex held.
                cover(REL_HASHOUT.point);
                seed("seg_map.c:2086");
                self.hashout(smp);
                if let Some(pp) = kpm_pp {
                    self.release_kpm_inval(smp, pp, addr);
                } else {
                    if self.kpm {
                        // seg_map.c:2096-2097.
                        self.mapout_validkpme(smp);
                    }
                    s.flags.write(s.flags.read(&sl) & !SM_NOTKPM_RELEASED, &sl);
                    if !model::mutant(super::mutants::INVAL_SKIP_UNLOAD) {
                        seed("seg_map.c:2100");
                        self.hat_unload(addr, MAXBSIZE);
                    }
                    self.check_xlate(smp, "segmap_release(SM_INVAL) after hat_unload");
                }
            }
            // seg_map.c:2104.
            seed("seg_map.c:2104");
            self.smapadd(smp);
        }
        s.mtx.exit();
        if let Some(pp) = kpm_pp {
            self.release_kpm_page(pp);
        }
        if let Some(pp) = kpme_pp {
            self.pages.page(pp).lock.page_unlock();
        }

        // seg_map.c:2115-2120: write back with no segmap lock held.
        if flags & !SM_DONTNEED != 0 {
            standin::vop_putpage(&self.putpages, vp, offset, bflags);
        }
        self.after_op();
        0
    }

    /// The stand-in `VOP_PUTPAGE` calls made so far, (vp, off, bflags) in
    /// order (ghost, for [`super::checks::SEGMAP_PUTPAGE`]).
    pub fn putpages(&self) -> Vec<(u64, u64, u32)> {
        self.putpages.lock().expect("putpage log").clone()
    }
}

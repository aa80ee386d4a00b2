//! The kpm branches of the window operations: `segmap_release`
//! (seg_map.c:1989-2021, 2087-2094, 2109-2110), `segmap_pagecreate`
//! (seg_map.c:1395-1415), `segmap_pageunlock` (seg_map.c:1509-1527) and
//! `segmap_fault` (seg_map.c:604-676, non-DEBUG). Each finds the slot of a
//! kpm address with `get_smap_kpm`, which returns it locked.

use super::checks::SEGMAP_KPM;
use super::consts::*;
use super::windows::{KPM_INVAL_NOTKPM, KPM_PAGECREATE_ADDR, KPM_SOFTUNLOCK};
use super::Segmap;
use model::check::fail;
use model::{cover, seed};

impl Segmap {
    /// The slot of kpm window `addr`, locked, and its page; a window
    /// operation on an address with no slot is the seed's panic.
    fn kpm_slot(&self, addr: u64, who: &str) -> (usize, usize) {
        self.get_smap_kpm(addr).unwrap_or_else(|| {
            fail(
                SEGMAP_KPM,
                format!("{who}: smap not found for kpm address {addr:#x}"),
            )
        })
    }

    /// seg_map.c:1989-2021: the start of a release of kpm window `addr`:
    /// its slot, locked, and its page, still locked by the caller.
    pub(crate) fn release_kpm_enter(&self, addr: u64) -> (usize, usize) {
        assert!(
            addr & MAXBOFFSET == 0,
            "segmap_release: addr {addr:#x} not MAXBSIZE aligned"
        );
        seed("seg_map.c:1997");
        let (smp, pp) = self.kpm_slot(addr, "segmap_release");
        let s = &self.smap[smp];
        let sl = [&s.mtx];
        // seg_map.c:2015-2021: a pending "new page" indication nobody asked
        // for is dropped; the access recorded at getmap marks the page.
        let flags = s.flags.read(&sl);
        s.flags.write(flags & !SM_KPM_NEWPAGE, &sl);
        if flags & SM_WRITE_DATA != 0 {
            self.pages.setmod(pp);
        }
        self.kpm_window_back(pp);
        (smp, pp)
    }

    /// seg_map.c:2087-2094: the last release of kpm window `addr` (page
    /// `pp`) with SM_INVAL or SM_DESTROY, slot `smp` locked and hashed out:
    /// remove its kpm mapping and, if it was also used through segkmap,
    /// unload translations. The seed passes the kpm address to `hat_unload`
    /// there (seg_map.c:2091), where grab_smp passes the slot's segkmap
    /// window (seg_map.c:1169); the port does as the seed.
    pub(crate) fn release_kpm_inval(&self, smp: usize, pp: usize, addr: u64) {
        let s = &self.smap[smp];
        if !model::mutant(super::mutants::KPM_INVAL_NO_MAPOUT) {
            seed("seg_map.c:2088");
            self.kpm_mapout(pp, smp);
        }
        let sl = [&s.mtx];
        let flags = s.flags.read(&sl);
        if flags & SM_NOTKPM_RELEASED != 0 {
            // seg_map.c:2089-2092: the slot was also released through its
            // segkmap window, whose translations may outlive the identity
            // dropped above. The seed unloads `addr`, the kpm address
            // (finding F6): the segkmap translations stay, and with the
            // flag cleared, grab_smp does not unload them either
            // (1163-1172) when it reuses the slot for another block.
            cover(KPM_INVAL_NOTKPM.point);
            seed("seg_map.c:2090");
            s.flags.write(flags & !SM_NOTKPM_RELEASED, &sl);
            let unload = if self.fixes.notkpm_unload_window {
                Self::slot_addr(smp)
            } else {
                addr
            };
            seed("seg_map.c:2091");
            self.hat_unload(unload, MAXBSIZE);
            self.check_xlate(
                smp,
                "segmap_release(SM_INVAL) of a kpm window after hat_unload",
            );
        }
    }

    /// seg_map.c:2109-2110: after the slot mutex is dropped, the page of
    /// the released kpm window is unlocked.
    pub(crate) fn release_kpm_page(&self, pp: usize) {
        if !model::mutant(super::mutants::KPM_RELEASE_NO_UNLOCK) {
            seed("seg_map.c:2110");
            self.pages.page(pp).lock.page_unlock();
        }
        self.kpm_check_unlocked(pp);
    }

    /// `segmap_pagecreate` of a kpm window (seg_map.c:1395-1415): the page
    /// was created (or found) by `segmap_pagecreate_kpm` and is already
    /// locked; report and clear the "new page" indication it left.
    pub(crate) fn pagecreate_kpm_addr(&self, addr: u64) -> bool {
        let (smp, _) = self.kpm_slot(addr, "segmap_pagecreate");
        let s = &self.smap[smp];
        let sl = [&s.mtx];
        let flags = s.flags.read(&sl);
        s.flags.write(flags & !SM_KPM_NEWPAGE, &sl);
        s.mtx.exit();
        cover(KPM_PAGECREATE_ADDR.point);
        flags & SM_KPM_NEWPAGE != 0
    }

    /// `segmap_pageunlock` of a kpm window (seg_map.c:1509-1527, the DEBUG
    /// build's check): nothing to unlock before the release; the window's
    /// slot must be referenced.
    pub(crate) fn pageunlock_kpm(&self, addr: u64) {
        let (smp, _) = self.kpm_slot(addr, "segmap_pageunlock");
        self.holder(smp, "segmap_pageunlock");
        self.smap[smp].mtx.exit();
    }

    /// `segmap_fault` on a kpm window (seg_map.c:604-676, non-DEBUG): only
    /// F_SOFTUNLOCK does anything, marking the page referenced (and
    /// modified for S_WRITE); the page stays locked until the release.
    pub(crate) fn fault_kpm(&self, addr: u64, ty: FaultType, rw: SegRw) -> Result<(), i32> {
        if ty != FaultType::SoftUnlock {
            return Ok(());
        }
        let (smp, pp) = self.kpm_slot(addr, "segmap_fault");
        let s = &self.smap[smp];
        s.mtx.exit();
        // seg_map.c:640-658: the window's reference pins the tag, read with
        // no lock; the page is the caller's.
        if s.vp.hint() == 0 {
            return Err(EIO);
        }
        self.holder(smp, "segmap_fault");
        cover(KPM_SOFTUNLOCK.point);
        if rw == SegRw::Write {
            self.pages.setmod(pp);
        }
        Ok(())
    }
}

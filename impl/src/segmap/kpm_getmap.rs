//! The kpm half of `segmap_getmapflt` (seg_map.c:1742-1748, 1803-1809,
//! 1815-1951) and `segmap_pagecreate_kpm` (seg_map.c:2213-2271): with
//! segkpm on, a window taken for reading or writing is the kpm address of
//! its page, which stays locked until `segmap_release`.

use super::checks::{SEGMAP_KPM, SEGMAP_KPM_MAP};
use super::consts::*;
use super::windows::{
    KPM_FASTPATH, KPM_FAST_BUSY, KPM_FAULT, KPM_GETPAGE_FAILED, KPM_LOCKPROTO, KPM_NEWPAGE,
    KPM_PAGECREATE,
};
use super::Segmap;
use crate::vm::vnode::Vnode;
use model::check::fail;
use model::sync::Se;
use model::{check, cover, exec, seed};

/// What the kpm half of `segmap_getmapflt` hands out.
pub(crate) enum KpmWindow {
    /// The kpm address of the window's page, locked by the caller.
    Kpm(u64),
    /// The slot's segkmap window instead (`goto use_segmap_range`), with
    /// the `forcefault` its prefault uses.
    Segkmap { forcefault: u32 },
}

impl Segmap {
    /// seg_map.c:1643-1646: whether `segmap_getmapflt(forcefault, rw)`
    /// hands out a kpm window.
    pub(crate) fn getmap_is_kpm(&self, forcefault: u32, rw: SegRw) -> bool {
        self.kpm && !(forcefault == SM_PAGECREATE && rw != SegRw::Write)
    }

    /// seg_map.c:1742-1748, 1803-1809: the slot flags a kpm getmap sets
    /// with the slot mutex held, so that the release sets the page's
    /// reference and modify bits.
    pub(crate) fn kpm_data_flags(is_kpm: bool, rw: SegRw) -> u64 {
        match (is_kpm, rw) {
            (true, SegRw::Write) => SM_WRITE_DATA,
            (true, SegRw::Read) => SM_READ_DATA,
            _ => 0,
        }
    }

    /// seg_map.c:1815-1951: the kpm window of slot `smp` (referenced by the
    /// caller, tagged `(vp, baseoff)`), or the segkmap window to fall back
    /// to (`use_segmap_range`).
    pub(crate) fn getmap_kpm(
        &self,
        smp: usize,
        newslot: bool,
        vp: Vnode,
        baseoff: u64,
        forcefault: u32,
        rw: SegRw,
    ) -> KpmWindow {
        // seg_map.c:1826: unlocked, per CPU.
        seed("seg_map.c:1826");
        self.this_cpu().last_smap.write(smp as u64, &[]);
        if forcefault == SM_PAGECREATE {
            return KpmWindow::Kpm(self.pagecreate_kpm(smp, vp, baseoff));
        }
        // seg_map.c:1833-1894: a cached slot whose kpme still names a page.
        // The kpme is read with no lock: a `hat_pageunload` may clear it at
        // any time; the page lock settles it.
        if !newslot && matches!(rw, SegRw::Read | SegRw::Write) {
            seed("seg_map.c:1834");
            let kpe = self.smap[smp].kpe_page.hint();
            if kpe != NIL {
                if let Some(a) = self.kpm_fastpath(smp, kpe as usize, vp, baseoff, rw) {
                    return KpmWindow::Kpm(a);
                }
            }
        }
        // seg_map.c:1896-1908: read the page in; on error, the segkmap
        // window and its fault handling.
        seed("seg_map.c:1897");
        let Ok((pl, prot)) = self.vop_getpage(vp.tag(), baseoff, PAGESIZE) else {
            cover(KPM_GETPAGE_FAILED.point);
            return KpmWindow::Segkmap { forcefault };
        };
        // seg_map.c:1921-1931: a page of a hole (less than PROT_ALL) goes
        // to an SM_LOCKPROTO caller through segkmap, whose faults can
        // enforce the protection: the page is unlocked and the window is
        // not prefaulted.
        if prot != PROT_ALL && forcefault == SM_LOCKPROTO {
            assert!(rw != SegRw::Write, "segmap_getmapflt: SM_LOCKPROTO write");
            cover(KPM_LOCKPROTO.point);
            seed("seg_map.c:1928");
            self.pages.page(pl[0]).lock.page_unlock();
            return KpmWindow::Segkmap { forcefault: 0 };
        }
        cover(KPM_FAULT.point);
        KpmWindow::Kpm(self.kpm_map_window(smp, pl[0]))
    }

    /// seg_map.c:1837-1890: lock the page the kpme names, shared, and use
    /// it if it still is the window's page (or find that page by identity);
    /// `None` to take the VOP_GETPAGE path.
    fn kpm_fastpath(
        &self,
        smp: usize,
        pp: usize,
        vp: Vnode,
        baseoff: u64,
        rw: SegRw,
    ) -> Option<u64> {
        seed("seg_map.c:1840");
        let pp = if self.pages.trylock(pp, Se::Shared) {
            // seg_map.c:1841-1843: a page-out may have freed the page since
            // the kpme was read.
            let free =
                self.pages.is_free(pp) && !model::mutant(super::mutants::KPM_FASTPATH_FREE_PAGE);
            if free || self.pages.identity(pp) != (vp.tag(), baseoff) {
                self.pages.page(pp).lock.page_unlock();
                self.pages.lookup(vp.tag(), baseoff, Se::Shared)
            } else {
                Some(pp)
            }
        } else {
            cover(KPM_FAST_BUSY.point);
            self.pages.lookup(vp.tag(), baseoff, Se::Shared)
        }?;
        // seg_map.c:1857-1862: a write needs the page already modified.
        if rw == SegRw::Write && !self.pages.is_modified(pp) {
            self.pages.page(pp).lock.page_unlock();
            return None;
        }
        cover(KPM_FASTPATH.point);
        Some(self.kpm_map_window(smp, pp))
    }

    /// seg_map.c:1870-1879, 1938-1947: with page `pp` locked and a
    /// reference on slot `smp`, nobody can unmap the slot's kpme (grab_smp
    /// needs refcnt 0, `hat_pageunload` the page exclusive): it names `pp`
    /// already, or nothing and we map it.
    fn kpm_map_window(&self, smp: usize, pp: usize) -> u64 {
        let kpe = self.smap[smp].kpe_page.hint();
        let a = if kpe == pp as u64 {
            Self::kpm_page2va(pp)
        } else if kpe == NIL {
            self.kpm_mapin(pp, smp)
        } else {
            fail(
                SEGMAP_KPM_MAP,
                format!("segmap_getmapflt: stale kpme page {kpe} on slot {smp} (want page {pp})"),
            );
        };
        self.kpm_window_out(smp, pp, a);
        a
    }

    /// `segmap_pagecreate_kpm` (seg_map.c:2213-2271): the kpm window of a
    /// page the caller will fill, created (and kept exclusive) if it is not
    /// in memory. Only called for S_WRITE (seg_map.c:1643-1646).
    fn pagecreate_kpm(&self, smp: usize, vp: Vnode, off: u64) -> u64 {
        cover(KPM_PAGECREATE.point);
        let (pp, newpage) = match self.pages.lookup(vp.tag(), off, Se::Shared) {
            Some(pp) => (pp, false),
            None => {
                // seg_map.c:2229-2247: created exclusive (no I/O lock in
                // the model); the flag waits for segmap_pagecreate or the
                // release, set with the page lock held (page before slot).
                let pp = self.pages.create(vp.tag(), off);
                cover(KPM_NEWPAGE.point);
                let s = &self.smap[smp];
                seed("seg_map.c:2245");
                s.mtx.enter();
                let sl = [&s.mtx];
                s.flags.write(s.flags.read(&sl) | SM_KPM_NEWPAGE, &sl);
                s.mtx.exit();
                (pp, true)
            }
        };
        // seg_map.c:2250-2254.
        let kpe = self.smap[smp].kpe_page.hint();
        let base = if !newpage && kpe == pp as u64 {
            Self::kpm_page2va(pp)
        } else {
            self.kpm_mapin(pp, smp)
        };
        // seg_map.c:2261-2262 (hat_setrefmod).
        self.pages.setmod(pp);
        self.kpm_window_out(smp, pp, base);
        base
    }

    /// SEGMAP-KPM at hand-out: the window is the kpm address of the page of
    /// the slot's identity, locked by the caller; recorded until release.
    fn kpm_window_out(&self, smp: usize, pp: usize, addr: u64) {
        let s = &self.smap[smp];
        let (vp, off) = self.pages.identity(pp);
        check!(
            s.vp.peek() == vp
                && s.off.peek() == off
                && addr == Self::kpm_page2va(pp)
                && self.pages.page(pp).lock.held(),
            SEGMAP_KPM,
            "segmap_getmapflt: kpm window {addr:#x} of slot {smp} (vp {}, off {:#x}) for page {pp}, held {}",
            s.vp.peek(),
            s.off.peek(),
            self.pages.page(pp).lock.held()
        );
        self.kpm_windows.lock().unwrap().push((exec::tid(), pp));
    }

    /// SEGMAP-KPM at release: the caller had the kpm window of page `pp`;
    /// it is given back.
    pub(crate) fn kpm_window_back(&self, pp: usize) {
        let me = exec::tid();
        let mut w = self.kpm_windows.lock().unwrap();
        let Some(i) = w.iter().position(|&x| x == (me, pp)) else {
            drop(w);
            fail(
                SEGMAP_KPM,
                format!("segmap_release of a kpm window of page {pp} thread {me} does not hold"),
            );
        };
        w.swap_remove(i);
    }

    /// SEGMAP-KPM after a release unlocked page `pp`: the thread holds the
    /// page only if it still has another kpm window on it.
    pub(crate) fn kpm_check_unlocked(&self, pp: usize) {
        let me = exec::tid();
        let more = self.kpm_windows.lock().unwrap().contains(&(me, pp));
        check!(
            more || !self.pages.page(pp).lock.held(),
            SEGMAP_KPM,
            "segmap_release: page {pp} still locked by thread {me} after its kpm window was released"
        );
    }

    /// SEGMAP-KPM between operations: every outstanding kpm window's page
    /// is locked.
    pub(crate) fn check_kpm_windows(&self) {
        let w = self.kpm_windows.lock().unwrap().clone();
        for (t, pp) in w {
            if !self.pages.page(pp).lock.locked() {
                fail(
                    SEGMAP_KPM,
                    format!("thread {t}'s kpm window on page {pp} is outstanding but the page is unlocked"),
                );
            }
            // A free page may be created anew for anything: a window on
            // one is a use of freed memory.
            if !self.pages.cached(pp) {
                fail(
                    SEGMAP_KPM,
                    format!("thread {t}'s kpm window is on page {pp}, which is free"),
                );
            }
        }
    }
}

//! `segmap_pagecreate` (seg_map.c:1368-1491) and `segmap_pageunlock`
//! (seg_map.c:1493-1577), segkpm off: pages created for a window without
//! reading them stay locked exclusive, with a locked translation, until
//! `segmap_pageunlock`; `sm_bitmap` remembers which.

use super::checks::SEGMAP_BITMAP;
use super::consts::*;
use super::fault::{bit, ghost_bit};
use super::windows::{PAGECREATE, PAGECREATE_NEW};
use super::Segmap;
use model::check::fail;
use model::sync::Se;
use model::{cover, seed};
use std::sync::atomic::Ordering::SeqCst;

impl Segmap {
    /// `segmap_pagecreate` (seg_map.c:1379-1491): make the pages of `[addr,
    /// addr + len)` of a window the caller holds exist without reading
    /// them, and map them. Returns whether a page was created. With
    /// `softlock`, pages that already existed stay locked shared as after
    /// `segmap_fault(F_SOFTLOCK)`.
    #[track_caller]
    pub fn pagecreate(&self, addr: u64, len: u64, softlock: bool) -> bool {
        let _f = model::exec::call("segmap_pagecreate", "seg_map.c:1379");
        if self.is_kpm_addr(addr) {
            // seg_map.c:1395-1415.
            return self.pagecreate_kpm_addr(addr);
        }
        cover(PAGECREATE.point);
        let eaddr = addr + len;
        let mut addr = addr & PAGEMASK;
        let smp = Self::addr_slot(addr);
        let s = &self.smap[smp];
        // seg_map.c:1424-1432: no slot mutex: the reference pins the tag.
        self.holder(smp, "segmap_pagecreate");
        let vp = s.vp.hint();
        let sm_off = s.off.hint();
        let mut off = sm_off + (addr & MAXBOFFSET);
        let mut newpage = false;
        while addr < eaddr {
            let mut lock = softlock;
            // seg_map.c:1437-1447.
            let pp = match self.pages.lookup(vp, off, Se::Shared) {
                Some(pp) => pp,
                None => {
                    let pp = self.pages.create(vp, off);
                    newpage = true;
                    cover(PAGECREATE_NEW.point);
                    // seg_map.c:1449-1472: the page has no valid data yet,
                    // so it stays exclusive and its translation locked;
                    // the bitmap says so, under the slot mutex taken with
                    // the page lock held (page before slot).
                    let mask = bit(off - sm_off);
                    seed("seg_map.c:1468");
                    s.mtx.enter();
                    let sl = [&s.mtx];
                    let wrong = model::mutant(super::mutants::PAGECREATE_WRONG_BIT);
                    // Wrong (mutant): the neighbouring page's bit.
                    let set = if wrong {
                        ((mask << 1) | (mask >> 15)) & 0xffff
                    } else {
                        mask
                    };
                    s.bitmap.write(s.bitmap.read(&sl) | set, &sl);
                    s.bits.fetch_or(ghost_bit(off - sm_off), SeqCst);
                    s.mtx.exit();
                    lock = true;
                    pp
                }
            };
            self.hat_memload(addr, pp, lock);
            if !lock {
                self.pages.page(pp).lock.page_unlock();
            }
            if model::mutant(super::mutants::PAGECREATE_FIRST_PAGE_ONLY) {
                break;
            }
            addr += PAGESIZE;
            off += PAGESIZE;
        }
        self.after_op();
        newpage
    }

    /// `segmap_pageunlock` (seg_map.c:1493-1577): for each page of `[addr,
    /// addr + len)` that `segmap_pagecreate` left locked, clear its bitmap
    /// bit, unlock its translation, note the access and unlock the page.
    #[track_caller]
    pub fn pageunlock(&self, addr: u64, len: u64, rw: SegRw) {
        let _f = model::exec::call("segmap_pageunlock", "seg_map.c:1493");
        let eaddr = addr + len;
        let mut addr = addr & PAGEMASK;
        if self.is_kpm_addr(addr) {
            // seg_map.c:1509-1527.
            self.pageunlock_kpm(addr);
            return;
        }
        let smp = Self::addr_slot(addr);
        let s = &self.smap[smp];
        self.holder(smp, "segmap_pageunlock");
        let vp = s.vp.hint();
        let sm_off = s.off.hint();
        let mut off = sm_off + (addr & MAXBOFFSET);
        while addr < eaddr {
            let mask = bit(off - sm_off);
            // seg_map.c:1551: read with no lock. Only this window's holder
            // that created the page sets or clears its bit, so the bit it
            // reads is its own; others' updates of other bits are made
            // under the slot mutex.
            seed("seg_map.c:1551");
            if s.bitmap.hint() & mask != 0 {
                s.mtx.enter();
                let sl = [&s.mtx];
                if !model::mutant(super::mutants::PAGEUNLOCK_KEEPS_BIT) {
                    s.bitmap.write(s.bitmap.read(&sl) & !mask, &sl);
                }
                s.bits.fetch_and(!ghost_bit(off - sm_off), SeqCst);
                s.mtx.exit();
                self.hat_unlock();
                // seg_map.c:1563-1567: the page is ours, locked exclusive
                // (`page_find` checks it is locked).
                let Some(pp) = self.pages.find(vp, off) else {
                    fail(
                        SEGMAP_BITMAP,
                        format!("segmap_pageunlock: bitmap names page (vp {vp}, off {off:#x}), which is not in memory"),
                    );
                };
                if rw == SegRw::Write {
                    self.pages.setmod(pp);
                }
                self.pages.page(pp).lock.page_unlock();
            }
            addr += PAGESIZE;
            off += PAGESIZE;
        }
        self.after_op();
    }
}

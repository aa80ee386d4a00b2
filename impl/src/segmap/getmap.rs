//! `segmap_getmap` / `segmap_getmapflt` (seg_map.c:1579-1975); the kpm
//! window (segkpm on) is in `super::kpm_getmap`.

use super::checks::{SEGMAP_I2, SEGMAP_I3, SEGMAP_I4, SEGMAP_TAG};
use super::consts::*;
use super::kpm_getmap::KpmWindow;
use super::windows::{
    GETMAP, GET_RECLAIM, GET_USE, LOST_HASHIN, MISS_COLOUR, STOLEN, TAG_RECHECK_FAILED,
};
use super::Segmap;
use crate::vm::vnode::Vnode;
use model::exec;
use model::sync::Retries;
use model::{check, cover, seed};
use std::sync::atomic::Ordering::SeqCst;

impl Segmap {
    /// `segmap_getmap` (seg_map.c:1579-1583): a window on `(vp, off)`,
    /// without prefault.
    #[track_caller]
    pub fn getmap(&self, vp: Vnode, off: u64) -> u64 {
        self.getmapflt(vp, off, MAXBSIZE, 0, SegRw::Other)
    }

    /// `segmap_getmapflt` (seg_map.c:1599-1975): returns the MAXBSIZE-aligned
    /// window address of a slot tagged `(vp, off & MAXBMASK)` and holds a
    /// reference on it until `segmap_release`. With segkpm off, or for
    /// `SM_PAGECREATE` other than `S_WRITE`, the window is the slot's
    /// segkmap range and `forcefault` non-zero prefaults it with
    /// `segmap_fault(F_INVAL, rw)`. Otherwise it is the kpm address of the
    /// page at `off & MAXBMASK`, locked until the release.
    #[track_caller]
    pub fn getmapflt(&self, vp: Vnode, off: u64, len: u64, forcefault: u32, rw: SegRw) -> u64 {
        let _f = exec::call("segmap_getmapflt", "seg_map.c:1599");
        assert!(vp.0 != 0, "segmap_getmapflt: NULL vnode");
        // seg_map.c:1628-1632.
        let baseoff = off & MAXBMASK;
        assert!(
            off + len <= baseoff + MAXBSIZE,
            "segmap_getmap bad len: off {off:#x} len {len:#x}"
        );
        // seg_map.c:1638-1639 (VBLK -> common_specvp): model vnodes are
        // regular files. seg_map.c:1641.
        cover(GETMAP.point);
        // seg_map.c:1643-1646.
        let is_kpm = self.getmap_is_kpm(forcefault, rw);
        let data = Self::kpm_data_flags(is_kpm, rw);
        let hashid = self.hashid(vp, off);
        let mut found = self.hash_lookup(hashid, vp, baseoff);
        let mut retries = Retries::new();
        let (smp, newslot) = loop {
            if let Some(smp) = found {
                // vrfy_smp (seg_map.c:1659-1751).
                if let Some(got) = self.vrfy_smp(smp, vp, baseoff, data) {
                    break (got, false);
                }
                // The slot lost its tag between the lookup and the slot
                // mutex: look again (goto retry_hash, seg_map.c:1673).
                retries.again();
                found = self.hash_lookup(hashid, vp, baseoff);
                continue;
            }
            // Miss (seg_map.c:1752-1813): pick a freelist by colour with
            // this CPU's rotor (unlocked, per CPU; seg_map.c:1769-1772).
            let color = ((baseoff >> MAXBSHIFT) & self.colormsk) as usize;
            cover(MISS_COLOUR[color].point);
            let cpu = &self.cpu[exec::tid() % self.cpu.len()];
            let free_ndx = cpu.free_ndx[color].add(self.ncolor as i64, &[]) as usize & self.freemsk;
            let smp = self.get_free_smp(free_ndx);
            let s = &self.smap[smp];
            check!(
                s.vp.peek() == 0,
                SEGMAP_I2,
                "segmap_getmapflt: free slot {smp} still tagged"
            );
            seed("seg_map.c:1785");
            if let Some(nsmp) = self.hashin(smp, vp, baseoff, hashid) {
                // seg_map.c:1785-1795: another thread hashed (vp, off) in
                // first. Give our slot back and use theirs, re-validated
                // like any lookup result.
                cover(LOST_HASHIN.point);
                if !model::mutant(super::mutants::LOST_HASHIN_LEAK) {
                    self.smapadd(smp);
                }
                s.mtx.exit();
                found = Some(nsmp);
                continue;
            }
            // seg_map.c:1796-1810.
            self.take_ref(smp);
            self.set_data_flags(smp, data);
            s.mtx.exit();
            break (smp, true);
        };

        let mut forcefault = forcefault;
        if is_kpm {
            match self.getmap_kpm(smp, newslot, vp, baseoff, forcefault, rw) {
                KpmWindow::Kpm(a) => {
                    self.check_tag(smp, vp, baseoff);
                    self.after_op();
                    return a;
                }
                KpmWindow::Segkmap { forcefault: f } => forcefault = f,
            }
        }

        // use_segmap_range (seg_map.c:1954-1974).
        let baseaddr = Self::slot_addr(smp);
        let vaddr = if model::mutant(super::mutants::PREFAULT_OFFSET_NEGATED) {
            // Wrong: the offset within the block taken away.
            baseaddr.wrapping_sub(off - baseoff)
        } else {
            baseaddr + (off - baseoff)
        };
        // seg_map.c:1964-1972: prefault a new slot, or one whose
        // translation is missing, page-aligned; errors are left to the
        // access's own fault.
        if forcefault != 0 && (newslot || !self.hat_probe(vaddr)) {
            let pgaddr = vaddr & PAGEMASK;
            let plen = (vaddr + len - pgaddr + PAGESIZE - 1) & PAGEMASK;
            let _ = self.fault(pgaddr, plen, FaultType::Invalid, rw);
        }
        self.check_tag(smp, vp, baseoff);
        self.after_op();
        baseaddr
    }

    /// vrfy_smp (seg_map.c:1659-1751): lock slot `smp` found by hash and
    /// take a reference (and set the kpm `data` flags), or return `None`
    /// when its tag changed.
    fn vrfy_smp(&self, smp: usize, vp: Vnode, baseoff: u64, data: u64) -> Option<usize> {
        let s = &self.smap[smp];
        // seg_map.c:1664-1674: the chain mutex was dropped before the slot
        // mutex was taken (the two never nest here, seg_map.c:238-242). In
        // between, the slot may have been reclaimed for another key by
        // get_free_smp, or hashed out by an SM_INVAL/SM_DESTROY release.
        // The tag only changes under the slot mutex, so checking it again
        // now that the mutex is held settles it.
        seed("seg_map.c:1670");
        s.mtx.enter();
        let sl = [&s.mtx];
        if !model::mutant(super::mutants::SKIP_TAG_RECHECK)
            && (s.vp.read(&sl) != vp.tag() || s.off.read(&sl) != baseoff)
        {
            cover(TAG_RECHECK_FAILED.point);
            s.mtx.exit();
            return None;
        }
        let reclaim = s.refcnt.read(&sl) == 0;
        if reclaim {
            cover(GET_RECLAIM.point);
            // seg_map.c:1680-1731: unreferenced, so normally on its free
            // queue, and get_free_smp may be walking that queue right now;
            // it cannot take this slot while we hold its mutex (it only
            // tries it). Whether the slot is on a queue is read under the
            // slot mutex alone: it only changes with the slot mutex held.
            seed("seg_map.c:1694");
            let linked = s.next.read(&sl) != NIL;
            if linked && !model::mutant(super::mutants::RECLAIM_NO_UNLINK) {
                check!(
                    s.prev.read(&sl) != NIL,
                    SEGMAP_I3,
                    "segmap_getmapflt: slot {smp} half linked"
                );
                let sm = &self.free[s.free_ndx];
                // The queue named by SM_QNDX_ZERO, not by the current roles.
                let q = if s.flags.read(&sl) & SM_QNDX_ZERO != 0 {
                    0
                } else {
                    1
                };
                let freeq = &sm.freeq[q];
                seed("seg_map.c:1705");
                freeq.mtx.enter();
                let qm = [&freeq.mtx];
                let head = freeq.head.read(&qm);
                let (prev, next) = (s.prev.read(&qm), s.next.read(&qm));
                if head != smp as u64 {
                    // seg_map.c:1706-1711.
                    self.smap[prev as usize].next.write(next, &qm);
                    self.smap[next as usize].prev.write(prev, &qm);
                } else if next == smp as u64 {
                    // seg_map.c:1712-1716: the only slot on the queue.
                    freeq.head.write(NIL, &qm);
                } else {
                    // seg_map.c:1717-1724: the head of the queue.
                    freeq.head.write(next, &qm);
                    self.smap[prev as usize].next.write(next, &qm);
                    self.smap[next as usize].prev.write(prev, &qm);
                }
                freeq.mtx.exit();
                // seg_map.c:1726: NULL under the slot mutex alone.
                s.prev.write(NIL, &sl);
                s.next.write(NIL, &sl);
            } else if !linked {
                // seg_map.c:1727-1730: unreferenced yet on no queue, which
                // I3 and I7 say cannot be seen with the slot mutex held;
                // counted to show whether any run gets here.
                check!(
                    s.prev.peek() == NIL,
                    SEGMAP_I4,
                    "segmap_getmapflt: slot {smp} half linked"
                );
                cover(STOLEN.point);
            }
        } else {
            cover(GET_USE.point);
        }
        // seg_map.c:1735.
        if model::mutant(super::mutants::REFCNT_UNLOCKED) {
            // Wrong: the increment is made after the slot mutex is dropped.
            s.mtx.exit();
            self.take_ref(smp);
            return Some(smp);
        }
        if reclaim && model::mutant(super::mutants::RECLAIM_NO_REF) {
            // Wrong: only a hit on a referenced slot counts its new user.
            s.holders.fetch_add(1, SeqCst);
        } else {
            self.take_ref(smp);
        }
        // seg_map.c:1742-1748.
        self.set_data_flags(smp, data);
        s.mtx.exit();
        Some(smp)
    }

    /// OR the kpm getmap's `SM_*_DATA` flags into slot `smp`'s flags, its
    /// mutex held.
    fn set_data_flags(&self, smp: usize, data: u64) {
        if data != 0 {
            let s = &self.smap[smp];
            let sl = [&s.mtx];
            let flags = s.flags.read(&sl);
            let flags = if model::mutant(super::mutants::KPM_DATA_FLAGS_AND) {
                // Wrong: clears every flag but the access's.
                flags & data
            } else {
                flags | data
            };
            s.flags.write(flags, &sl);
        }
    }

    /// `smp->sm_refcnt++` with the slot mutex held, and the ghost count of
    /// holders with it.
    fn take_ref(&self, smp: usize) {
        let s = &self.smap[smp];
        s.refcnt.add(1, &[&s.mtx]);
        s.holders.fetch_add(1, SeqCst);
    }

    /// Refinement: the window handed out maps the key asked for.
    fn check_tag(&self, smp: usize, vp: Vnode, baseoff: u64) {
        let s = &self.smap[smp];
        check!(
            s.vp.peek() == vp.tag() && s.off.peek() == baseoff,
            SEGMAP_TAG,
            "segmap_getmapflt(vp {}, off {baseoff:#x}) returned slot {smp} tagged (vp {}, off {:#x})",
            vp.0,
            s.vp.peek(),
            s.off.peek()
        );
    }
}

//! Loading and unlocking pages: `segdev_faultpages` (seg_dev.c:1902-2051),
//! `segdev_faultpage` (1409-1595), `segdev_softunlock` (1323-1401), and
//! the single segkp F_SOFTLOCK of a pageable cookie,
//! `acquire_kpmem_lock` / `release_kpmem_lock` (1192-1236).

use super::checks::{DEVMAP_K4, DEVMAP_K5};
use super::fault::find_handle;
use super::mutants::*;
use super::state::{
    Cookie, Devmap, Dh, FaultType, Fc, Proc, SegRw, EFAULT, PROT_ALL, PROT_READ, PROT_WRITE,
};
use super::windows::*;
use crate::vm::param::PAGESIZE;
use model::check::fail;
use model::sync::RwMode;
use model::{cover, exec, mutant, seed};

/// The protection an access needs (seg_dev.c:1438-1452, 1962-1976).
fn protchk(rw: SegRw) -> u8 {
    match rw {
        SegRw::Read => PROT_READ,
        SegRw::Write => PROT_WRITE,
        SegRw::Other => PROT_ALL,
    }
}

impl Devmap {
    /// `segdev_faultpages` of `len` pages at `addr` in handle `dhp`, whose
    /// `dh_lock` the caller holds if it is remappable.
    pub(crate) fn segdev_faultpages(
        &self,
        p: &Proc,
        addr: u64,
        len: u64,
        ty: FaultType,
        rw: SegRw,
        dhp: Option<&Dh>,
    ) -> Result<(), Fc> {
        let _f = exec::call("segdev_faultpages", "seg_dev.c:1903");
        if ty == FaultType::Prot {
            return Err(Fc::Prot);
        }
        if ty == FaultType::SoftUnlock {
            self.segdev_softunlock(p, addr, len, rw);
            return Ok(());
        }
        let dhp = dhp.expect("segdev_faultpages: the non-devmap case is not ported");
        let m = dhp.mapping();
        // 1948-1952: a pageable cookie's segkp range stays locked until
        // the end of this fault (or the F_SOFTUNLOCK).
        let kpmem = match m.cookie {
            Cookie::Kpmem(c) => Some(c),
            Cookie::Devmem => None,
        };
        if let Some(c) = kpmem {
            self.acquire_kpmem_lock(c, len);
        }
        p.sdp_lock.enter(RwMode::Reader);
        if p.vpage.is_none() && p.prot & protchk(rw) == 0 {
            p.sdp_lock.exit();
            if let Some(c) = kpmem {
                self.release_kpmem_lock(c, len);
            }
            return Err(Fc::Prot);
        }
        if p.vpage.is_none() && m.cookie == Cookie::Devmem {
            // 1994-2016: one hat_devload for the range.
            if m.invalid {
                p.sdp_lock.exit();
                return Err(Fc::NoMap);
            }
            if ty == FaultType::SoftLock && !mutant(FAULTPAGES_NO_SOFTLOCKCNT) {
                seed("seg_dev.c:2004");
                self.freemem_lock.enter();
                p.softlockcnt.add(len as i64, &[&self.freemem_lock]);
                self.freemem_lock.exit();
            }
            let pfn = m.pfn + (addr - dhp.uvaddr) / PAGESIZE;
            seed("seg_dev.c:2013");
            self.devload(p, addr, len, pfn, ty == FaultType::SoftLock);
            p.sdp_lock.exit();
            return Ok(());
        }
        // 2021-2033: page by page.
        let mut a = addr;
        let mut err = Ok(());
        while a < addr + len * PAGESIZE {
            err = self.segdev_faultpage(p, a, ty, rw, dhp, &m);
            if err.is_err() {
                break;
            }
            a += PAGESIZE;
        }
        p.sdp_lock.exit();
        if err.is_err() && ty == FaultType::SoftLock {
            cover(FAULTPAGES_UNWINDS);
            let done = (a - addr) / PAGESIZE;
            if done > 0 {
                seed("seg_dev.c:2039");
                self.softunlock_pages(p, addr, done, !self.cfg.fixes.faultpages_unwind_no_exit);
            }
            if let Some(c) = kpmem {
                self.release_kpmem_lock(c, len - done);
            }
        } else if let (Some(c), false) = (kpmem, ty == FaultType::SoftLock) {
            self.release_kpmem_lock(c, len);
        }
        err
    }

    /// `segdev_faultpage` (1409-1595) of the page at `a` in handle `dhp`
    /// with mapping `m` (read under `dh_lock` by the caller).
    fn segdev_faultpage(
        &self,
        p: &Proc,
        a: u64,
        ty: FaultType,
        rw: SegRw,
        dhp: &Dh,
        m: &super::state::Mapping,
    ) -> Result<(), Fc> {
        let _f = exec::call("segdev_faultpage", "seg_dev.c:1410");
        if let Some(v) = &p.vpage {
            if v[p.page_of(a)] & protchk(rw) == 0 {
                seed("seg_dev.c:1456");
                return Err(Fc::Prot);
            }
        }
        if ty == FaultType::SoftLock && !mutant(FAULTPAGES_NO_SOFTLOCKCNT) {
            seed("seg_dev.c:1463");
            self.freemem_lock.enter();
            p.softlockcnt.add(1, &[&self.freemem_lock]);
            self.freemem_lock.exit();
        }
        let off = (a - dhp.uvaddr) / PAGESIZE;
        if m.invalid {
            seed("seg_dev.c:1551");
            return Err(Fc::Err(EFAULT));
        }
        let pfn = self.frame(m, off);
        seed("seg_dev.c:1568");
        self.devload(p, a, 1, pfn, ty == FaultType::SoftLock);
        Ok(())
    }

    /// `hat_devload` of `len` pages from frame `pfn`, counted for K5.
    fn devload(&self, p: &Proc, addr: u64, len: u64, pfn: u64, lock: bool) {
        for i in 0..len {
            self.hat.hat_devload(Self::va(addr, i), pfn + i, lock);
        }
        if lock {
            *self.ghost.g().hat_locked.entry(p.id).or_default() += len;
        }
    }

    /// `segdev_softunlock` (1323-1401): unlocks the range's translations,
    /// gives back the kpmem locks and the softlock pages of handles with a
    /// `devmap_access`, then `softlockcnt`; the last unlock wakes an
    /// unmapper waiting in `as_unmap`.
    pub(crate) fn segdev_softunlock(&self, p: &Proc, addr: u64, len: u64, _rw: SegRw) {
        self.softunlock_pages(p, addr, len, true);
    }

    /// `segdev_softunlock`; without `exit_softlock` (fix D3) the softlock
    /// accounting is left to the caller.
    fn softunlock_pages(&self, p: &Proc, addr: u64, len: u64, exit_softlock: bool) {
        let _f = exec::call("segdev_softunlock", "seg_dev.c:1324");
        seed("seg_dev.c:1341");
        self.hat.hat_unlock(addr, len);
        {
            let mut g = self.ghost.g();
            let n = g.hat_locked.entry(p.id).or_default();
            *n = n.saturating_sub(len);
        }
        let handles = p.dh_list();
        if !handles.is_empty() {
            let mut i = find_handle(&handles, addr).expect("segdev_softunlock: no handle");
            let mut off = (addr - handles[i].uvaddr) / PAGESIZE;
            let mut tlen = len;
            while tlen != 0 {
                let dhp = &handles[i];
                let mlen = tlen.min(dhp.len - off);
                if let Cookie::Kpmem(c) = dhp.mapping().cookie {
                    self.release_kpmem_lock(c, mlen);
                }
                if dhp.access.is_some() && exit_softlock {
                    seed("seg_dev.c:1369");
                    self.devmap_softlock_exit(dhp.softlock, mlen, FaultType::SoftLock);
                }
                tlen -= mlen;
                i += 1;
                off = 0;
            }
        }
        self.freemem_lock.enter();
        let cnt = p.softlockcnt.read(&[&self.freemem_lock]);
        if cnt < len {
            fail(
                DEVMAP_K5,
                format!(
                    "segdev_softunlock of {len} pages in process {} with softlockcnt {cnt} (seg_dev.c:1380)",
                    p.id
                ),
            );
        }
        p.softlockcnt.write(cnt - len, &[&self.freemem_lock]);
        self.freemem_lock.exit();
        seed("seg_dev.c:1383");
        if p.softlockcnt.hint() == 0 && p.unmapwait.hint() != 0 && !mutant(SOFTUNLOCK_NO_WAKEUP) {
            p.a_contents.enter();
            if p.unmapwait.read(&[&p.a_contents]) != 0 {
                seed("seg_dev.c:1394");
                cover(SOFTUNLOCK_WAKES_UNMAP);
                p.unmapwait.write(0, &[&p.a_contents]);
                p.a_cv.broadcast();
            }
            p.a_contents.exit();
        }
    }

    /// `acquire_kpmem_lock` (1192-1220): the first of the cookie's pending
    /// faults F_SOFTLOCKs its segkp range (`as_fault` on `kas`), the
    /// others count. The overflow test (1208) is not modelled.
    fn acquire_kpmem_lock(&self, c: usize, npages: u64) {
        let _f = exec::call("acquire_kpmem_lock", "seg_dev.c:1193");
        let k = &self.cookies[c];
        k.lock.enter();
        let locked = k.locked.read(&[&k.lock]);
        if locked == 0 || mutant(KPMEM_LOCK_EVERY_TIME) {
            seed("seg_dev.c:1212");
            cover(KPMEM_FIRST);
            self.segkp_fault(c, true);
        }
        k.locked.with(&[&k.lock], |l| *l += npages);
        k.lock.exit();
        self.after_cookie();
    }

    /// `release_kpmem_lock` (1222-1236): the last release F_SOFTUNLOCKs
    /// the segkp range.
    pub(crate) fn release_kpmem_lock(&self, c: usize, npages: u64) {
        let _f = exec::call("release_kpmem_lock", "seg_dev.c:1223");
        let k = &self.cookies[c];
        k.lock.enter();
        let locked = k.locked.read(&[&k.lock]);
        if locked < npages {
            fail(
                DEVMAP_K4,
                format!("release_kpmem_lock of {npages} pages of cookie {c} with locked {locked} (seg_dev.c:1227)"),
            );
        }
        k.locked.with(&[&k.lock], |l| *l -= npages);
        if locked - npages == 0 || (mutant(KPMEM_UNLOCK_EARLY) && npages > 0) {
            seed("seg_dev.c:1231");
            cover(KPMEM_LAST);
            self.segkp_fault(c, false);
        }
        k.lock.exit();
        self.after_cookie();
    }

    /// The `as_fault(kas.a_hat, &kas, cvaddr, size, F_SOFTLOCK or
    /// F_SOFTUNLOCK)` stand-in for segkp: one F_SOFTLOCK at a time; an
    /// F_SOFTUNLOCK of a range not locked panics (1232-1233).
    fn segkp_fault(&self, c: usize, lock: bool) {
        let mut g = self.ghost.g();
        let n = &mut g.segkp[c];
        if lock {
            *n += 1;
        } else if *n == 0 {
            drop(g);
            fail(
                DEVMAP_K4,
                format!("segdev releasing kpmem lock of cookie {c}: its segkp range is not F_SOFTLOCKed (seg_dev.c:1233)"),
            );
        } else {
            *n -= 1;
        }
    }

    fn after_cookie(&self) {
        if self.each_op {
            let g = self.ghost.snapshot();
            for (i, k) in self.cookies.iter().enumerate() {
                let locked = k.locked.peek();
                if (locked > 0) != (g.segkp[i] == 1) || g.segkp[i] > 1 {
                    fail(
                        DEVMAP_K4,
                        format!(
                            "cookie {i}: locked {locked} with its segkp range F_SOFTLOCKed {} times",
                            g.segkp[i]
                        ),
                    );
                }
            }
        }
    }
}

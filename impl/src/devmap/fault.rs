//! `segdev_fault` (seg_dev.c:1597-1891): one softlock enter for the whole
//! range, then per handle either the driver's `devmap_access`, called
//! with `dh_lock` dropped, or `segdev_faultpages` under it; a failure
//! releases what the fault took.

use super::mutants::*;
use super::state::{Access, Devmap, Dh, FaultType, Fc, Proc, SegRw, EFAULT};
use super::windows::*;
use crate::vm::param::PAGESIZE;
use model::kernel::Handle;
use model::{cover, exec, mutant, seed};
use std::sync::Arc;

/// The handle of `list` containing `va`, by position
/// (`devmap_find_handle`, seg_dev.c:2773-2790).
pub(crate) fn find_handle(list: &[Arc<Dh>], va: u64) -> Option<usize> {
    list.iter().position(|d| d.contains(va))
}

impl Devmap {
    /// `segdev_fault` of `len` pages at machine address `addr` of process
    /// `p`'s segment (address-space lock held).
    pub(crate) fn segdev_fault(
        &self,
        p: &Proc,
        addr: u64,
        len: u64,
        ty: FaultType,
        rw: SegRw,
    ) -> (Result<(), Fc>, Option<Handle>) {
        let _f = exec::call("segdev_fault", "seg_dev.c:1598");
        let handles = p.dh_list();
        // The non-devmap case (1626-1627, cdev_mmap) is not ported: every
        // model segment has handles.
        let Some(first) = find_handle(&handles, addr) else {
            return (Err(Fc::NoMap), None);
        };
        if ty == FaultType::Prot {
            return (Err(Fc::Prot), None);
        }
        let mut slock = None;
        let mut slpage = 0;
        if ty != FaultType::SoftUnlock {
            // 1701-1754: the pages under a devmap_access.
            let mut i = first;
            let mut off = (addr - handles[i].uvaddr) / PAGESIZE;
            let mut slen = len;
            while slen != 0 {
                let dhp = &handles[i];
                if ty == FaultType::SoftLock && dhp.remap {
                    seed("seg_dev.c:1726");
                    return (Err(Fc::NoSupport), None);
                }
                let mlen = slen.min(dhp.len - off);
                if dhp.access.is_some() {
                    // Large pages are not modelled (llen = mlen); the lock
                    // guards the large-page test (1736-1744).
                    dhp.hold();
                    dhp.rele();
                    slpage += mlen;
                    slock = dhp.softlock;
                }
                slen -= mlen;
                i += 1;
                off = 0;
            }
            seed("seg_dev.c:1770");
            if let Err(e) = self.devmap_softlock_enter(slock, slpage, ty) {
                return (Err(Fc::Err(e)), slock);
            }
        }
        // 1775-1883: per handle.
        let mut maddr = addr;
        let mut off = (addr - handles[first].uvaddr) / PAGESIZE;
        let mut i = first;
        let mut left = len;
        // Fix D2: pages of the handles done so far under a devmap_access.
        let mut access_done = 0;
        while left != 0 {
            let dhp = handles[i].clone();
            let mlen = left.min(dhp.len - off);
            dhp.hold();
            let err = if let Some(access) = dhp.access {
                seed("seg_dev.c:1822");
                if !mutant(ACCESS_HOLDS_DH_LOCK) {
                    dhp.rele();
                }
                cover(ACCESS_UNLOCKED);
                let r = self.devmap_access(p, &dhp, access, maddr, mlen, ty, rw);
                if mutant(ACCESS_HOLDS_DH_LOCK) {
                    dhp.rele();
                }
                r
            } else {
                let r = self.segdev_faultpages(p, maddr, mlen, ty, rw, Some(&dhp));
                dhp.rele();
                r
            };
            if let Err(e) = err {
                if ty == FaultType::SoftLock && maddr > addr {
                    // 1838-1860: F_SOFTUNLOCK of the earlier handles
                    // through the same loop, then the rest of the pages.
                    cover(UNWIND_EARLIER);
                    let done = (maddr - addr) / PAGESIZE;
                    if !mutant(UNWIND_NO_SOFTUNLOCK) {
                        let _ =
                            self.segdev_fault(p, addr, done, FaultType::SoftUnlock, SegRw::Other);
                    }
                    let released = if self.cfg.fixes.unwind_access_pages {
                        access_done
                    } else {
                        done
                    };
                    seed("seg_dev.c:1859");
                    self.devmap_softlock_exit(slock, slpage.wrapping_sub(released), ty);
                } else {
                    cover(UNWIND_FIRST);
                    seed("seg_dev.c:1862");
                    self.devmap_softlock_exit(slock, slpage, ty);
                }
                return (Err(e), slock);
            }
            if dhp.access.is_some() {
                access_done += mlen;
            }
            maddr += mlen * PAGESIZE;
            left -= mlen;
            i += 1;
            off = 0;
        }
        if (ty == FaultType::Inval || ty == FaultType::Prot) && !mutant(INVAL_NO_EXIT) {
            seed("seg_dev.c:1889");
            self.devmap_softlock_exit(slock, slpage, ty);
        }
        (Ok(()), slock)
    }

    /// The driver's `devmap_access` entry point (the stand-ins of
    /// [`Access`]), for `len` pages at `addr` of handle `dhp`.
    #[allow(clippy::too_many_arguments)]
    fn devmap_access(
        &self,
        p: &Proc,
        dhp: &Dh,
        access: Access,
        addr: u64,
        len: u64,
        ty: FaultType,
        rw: SegRw,
    ) -> Result<(), Fc> {
        let off = (addr - dhp.uvaddr) / PAGESIZE;
        match access {
            Access::Default => self.devmap_default_access(p, dhp, off, len, ty, rw),
            Access::Fails => {
                let _f = exec::call("xx_devmap_access", "driver");
                Err(Fc::Err(EFAULT))
            }
            Access::CtxMgt { fails } => self.devmap_do_ctxmgt(p, dhp, off, len, ty, rw, fails),
        }
    }
}

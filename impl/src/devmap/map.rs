//! Loading and remapping a handle's translations: `devmap_load`
//! (seg_dev.c:3065-3127), `devmap_default_access` (3774-3785),
//! `devmap_devmem_remap` (3486-3592) and `devmap_umem_remap` (3696-3757).
//!
//! A remap unloads the old translations and changes the frame under
//! `dh_lock`, which `segdev_fault` and `devmap_load` hold across
//! `segdev_faultpages`, so no fault can load the old frame after the
//! unload.

use super::mutants::*;
use super::state::{Cookie, Devmap, Dh, FaultType, Fc, Mapping, Proc, SegRw, EINVAL};
use super::windows::*;
use crate::vm::param::PAGESIZE;
use model::{cover, exec, mutant, seed};

impl Devmap {
    /// `devmap_load` (3065-3127) of `len` pages (0: to the end) from page
    /// `off` of handle `dhp`, of process `p` whose address-space lock is
    /// held.
    pub(crate) fn devmap_load(
        &self,
        p: &Proc,
        dhp: &Dh,
        off: u64,
        len: u64,
        ty: FaultType,
        rw: SegRw,
    ) -> Result<(), Fc> {
        let _f = exec::call("devmap_load", "seg_dev.c:3066");
        if !p.as_lock.lock_held() {
            return Err(Fc::Err(EINVAL));
        }
        let size = if len == 0 {
            dhp.len.saturating_sub(off)
        } else {
            len
        };
        if off >= dhp.len || off + size > dhp.len {
            return Err(Fc::Err(EINVAL));
        }
        let addr = dhp.uvaddr + off * PAGESIZE;
        seed("seg_dev.c:3122");
        dhp.hold();
        let rc = self.segdev_faultpages(p, addr, size, ty, rw, Some(dhp));
        dhp.rele();
        rc
    }

    /// `devmap_default_access` (3774-3785): `devmap_load` of the range.
    pub(crate) fn devmap_default_access(
        &self,
        p: &Proc,
        dhp: &Dh,
        off: u64,
        len: u64,
        ty: FaultType,
        rw: SegRw,
    ) -> Result<(), Fc> {
        let _f = exec::call("devmap_default_access", "seg_dev.c:3775");
        self.devmap_load(p, dhp, off, len, ty, rw)
    }

    /// `devmap_devmem_remap` (3486-3592) of handle `handle` of process
    /// `proc` to device frame `pfn` (`None`: `DEVMAP_MAPPING_INVALID`).
    /// Returns whether it succeeded (`DDI_SUCCESS`).
    pub fn devmap_devmem_remap(&self, proc: usize, handle: usize, pfn: Option<u64>) -> bool {
        let _f = exec::call("devmap_devmem_remap", "seg_dev.c:3487");
        let new = Mapping {
            cookie: Cookie::Devmem,
            pfn: pfn.unwrap_or(0),
            invalid: pfn.is_none(),
        };
        self.remap(proc, handle, new)
    }

    /// `devmap_umem_remap` (3696-3757) of handle `handle` of process
    /// `proc` to page `off` of pageable cookie `cookie`.
    pub fn devmap_umem_remap(&self, proc: usize, handle: usize, cookie: usize, off: u64) -> bool {
        let _f = exec::call("devmap_umem_remap", "seg_dev.c:3697");
        let new = Mapping {
            cookie: Cookie::Kpmem(cookie),
            pfn: off,
            invalid: false,
        };
        self.remap(proc, handle, new)
    }

    /// What both remaps do to the handle (3509-3591, 3714-3756): refuse a
    /// handle set up without `DEVMAP_ALLOW_REMAP`; under `dh_lock`, unload
    /// the old translations and install the new mapping. The driver calls
    /// it from any context, holding no lock of the process.
    fn remap(&self, proc: usize, handle: usize, new: Mapping) -> bool {
        let Some(dhp) = self.driver_handle(proc, handle) else {
            return false;
        };
        if !dhp.remap {
            return false;
        }
        let unlocked_unload = mutant(REMAP_UNLOAD_UNLOCKED);
        if unlocked_unload {
            self.hat.hat_unload_range(dhp.uvaddr, dhp.len);
        }
        dhp.hold();
        let old = dhp.mapping();
        if !mutant(REMAP_NO_UNLOAD) && !unlocked_unload {
            seed("seg_dev.c:3533");
            cover(REMAP_UNLOADS);
            self.hat.hat_unload_range(dhp.uvaddr, dhp.len);
        }
        seed("seg_dev.c:3537");
        dhp.mapping.with(&[&dhp.lock], |m| *m = new);
        // K6 as the remap completes (still under dh_lock, so no fault has
        // loaded anything since).
        if !old.invalid && old != new {
            let frames: Vec<u64> = (0..dhp.len).map(|i| self.frame(&old, i)).collect();
            self.k6_remap(&dhp, &frames);
        }
        dhp.rele();
        self.after_op();
        true
    }
}

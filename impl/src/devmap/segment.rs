//! The segment's life and the address-space stand-ins around it: mapping
//! (`devmap_setup`'s handle set-up, seg_dev.c:3130-3320), `as_fault` and
//! `as_unmap` as they take the address-space lock (as.c, not a seed),
//! `segdev_unmap` of a whole segment (623-729), `segdev_free`
//! (1126-1152) and `devmap_handle_unmap` (1005-1045).

use super::checks::DEVMAP_K5;
use super::mutants::*;
use super::state::{Devmap, Dh, FaultType, Fc, HandleSpec, Proc, SegRw, SegSpec, EAGAIN};
use super::windows::*;
use crate::vm::keyed::Keyed;
use crate::vm::param::PAGESIZE;
use crate::vm::word::Word;
use model::check::fail;
use model::machine::Fault;
use model::sync::{KCondvar, KMutex, KRwLock, RwMode};
use model::{cover, exec, mutant, seed};
use std::sync::{Arc, Mutex};

/// The driver's `dev` in the model (one device).
const DEV: u32 = 1;

/// The identity of the driver's `devmap_access` (the softlock's and
/// context's `id`, seg_dev.c:3232-3235): the model has one driver, whose
/// one `devmap_access` behaves per handle as [`Access`] says, so every
/// handle with one shares the softlock and the context (`devmap_setup`
/// refuses a chain whose handles' softlocks differ, 3246-3251).
const ACCESS_ID: u32 = 1;

impl Devmap {
    /// A process maps the device with `spec` (`devmap_setup`: handles,
    /// `devmap_softlock_init` and `devmap_ctxinit` for handles with a
    /// `devmap_access`, 3232-3235; `devmap_set_ctx_timeout` by the
    /// driver's `devmap_map`). Call before the threads that use it start.
    /// Returns the process's number.
    pub fn map(&self, spec: &SegSpec) -> usize {
        let procs = self.procs.lock().unwrap_or_else(|e| e.into_inner());
        let id = procs.len();
        let npages: u64 = spec.handles.iter().map(|h| h.len).sum();
        let used: u64 = procs.iter().map(|p| p.npages).sum();
        let (ubase, usize_) = self.hat.user_range();
        assert!(
            used + npages <= usize_,
            "devmap: {} pages do not fit the user range",
            used + npages
        );
        let base = ubase + used * PAGESIZE;
        drop(procs);
        let mut uvaddr = base;
        let mut handles = Vec::new();
        let nh = self.drv_handles.peek().len() as u32;
        for (i, h) in spec.handles.iter().enumerate() {
            let dh = self.setup_handle(id, nh + i as u32, uvaddr, h);
            uvaddr += h.len * PAGESIZE;
            handles.push(Arc::new(dh));
        }
        self.drv_mtx.enter();
        self.drv_handles
            .with(&[&self.drv_mtx], |l| l.extend(handles.iter().cloned()));
        self.drv_mtx.exit();
        let idx = id as u32;
        let p = Proc {
            id,
            as_lock: KRwLock::new(super::order::AS_LOCK, idx),
            a_contents: KMutex::new(super::order::AS_CONTENTS, idx),
            a_cv: KCondvar::new("devmap.a_cv", idx),
            unmapwait: Word::hinted("devmap.AS_UNMAPWAIT", idx, 0),
            base,
            npages,
            sdp_lock: KRwLock::new(super::order::SDP, idx),
            prot: spec.prot,
            vpage: spec.vpage.clone(),
            softlockcnt: Word::hinted("devmap.softlockcnt", idx, 0),
            handles: Mutex::new(handles),
        };
        self.procs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Arc::new(p));
        id
    }

    fn setup_handle(&self, proc: usize, id: u32, uvaddr: u64, h: &HandleSpec) -> Dh {
        let (softlock, ctx) = match h.access {
            Some(_) => (
                Some(self.devmap_softlock_init(DEV, ACCESS_ID)),
                Some(self.devmap_ctxinit(DEV, ACCESS_ID)),
            ),
            None => (None, None),
        };
        Dh {
            id,
            proc,
            uvaddr,
            len: h.len,
            remap: h.remap,
            lock: KMutex::new(super::order::DH, id),
            mapping: Keyed::new("devmap.dh_mapping", h.mapping),
            access: h.access,
            softlock,
            ctx,
            timeout_length: Word::hinted("devmap.dh_timeout_length", id, h.timeout),
        }
    }

    /// The driver's handle `handle` of process `proc` (from its private
    /// list, under its mutex).
    pub(crate) fn driver_handle(&self, proc: usize, handle: usize) -> Option<Arc<Dh>> {
        self.drv_mtx.enter();
        let l = self.drv_handles.read(&[&self.drv_mtx]);
        self.drv_mtx.exit();
        l.into_iter().filter(|d| d.proc == proc).nth(handle)
    }

    /// The driver's handles sharing `dhp`'s context in other processes.
    pub(crate) fn driver_peers(&self, dhp: &Dh) -> Vec<Arc<Dh>> {
        self.drv_mtx.enter();
        let l = self.drv_handles.read(&[&self.drv_mtx]);
        self.drv_mtx.exit();
        l.into_iter()
            .filter(|d| d.proc != dhp.proc && d.ctx == dhp.ctx)
            .collect()
    }

    /// `as_fault(hat, as, addr, len, type, rw)` on process `proc`: page
    /// `page` and `npages` pages of its segment, under its address-space
    /// lock as reader.
    pub fn as_fault(
        &self,
        proc: usize,
        page: u64,
        npages: u64,
        ty: FaultType,
        rw: SegRw,
    ) -> Result<(), Fc> {
        let _f = exec::call("as_fault", "as.c");
        let p = self.proc(proc);
        p.as_lock.enter(RwMode::Reader);
        let (r, slock) = self.segdev_fault(&p, Self::va(p.base, page), npages, ty, rw);
        p.as_lock.exit();
        self.k1_fault_done(slock, ty, r.is_ok());
        self.after_op();
        r
    }

    /// A load (or store) by CPU `cpu` at page `page` of process `proc`'s
    /// segment: the device frame it reached, or the fault.
    pub fn access(&self, cpu: usize, proc: usize, page: u64, write: bool) -> Result<u64, Fault> {
        let p = self.proc(proc);
        self.hat.access(cpu, Self::va(p.base, page), write)
    }

    /// `as_unmap` of process `proc`'s whole segment (as.c): under the
    /// address-space write lock; while `segdev_unmap` says EAGAIN
    /// (softlocked pages), set `AS_UNMAPWAIT`, drop the lock and wait on
    /// `a_cv` until a softunlock clears it, then try again.
    pub fn as_unmap(&self, proc: usize) {
        let _f = exec::call("as_unmap", "as.c");
        let p = self.proc(proc);
        loop {
            p.as_lock.enter(RwMode::Writer);
            if self.segdev_unmap(&p) != EAGAIN {
                p.as_lock.exit();
                break;
            }
            cover(UNMAP_WAITS);
            p.a_contents.enter();
            if p.unmapwait.read(&[&p.a_contents]) == 0 {
                p.a_cv.broadcast();
            }
            p.unmapwait.write(1, &[&p.a_contents]);
            p.as_lock.exit();
            while p.unmapwait.read(&[&p.a_contents]) != 0 {
                p.a_cv.wait(&p.a_contents);
            }
            p.a_contents.exit();
            model::sync::retry();
        }
        self.after_op();
    }

    /// `segdev_unmap` (623-729) of the whole segment: EAGAIN while pages
    /// are softlocked; else unload the range and free the segment. (A
    /// partial unmap, 731-958, is not ported.) Returns 0 or EAGAIN.
    fn segdev_unmap(&self, p: &Proc) -> i32 {
        let _f = exec::call("segdev_unmap", "seg_dev.c:623");
        seed("seg_dev.c:654");
        let sz = p.softlockcnt.hint();
        if sz > 0 && !mutant(UNMAP_IGNORES_SOFTLOCKCNT) {
            return EAGAIN;
        }
        if p.dh_list().is_empty() {
            return 0;
        }
        seed("seg_dev.c:708");
        self.hat.hat_unload_range(p.base, p.npages);
        self.segdev_free(p);
        0
    }

    /// `segdev_free` (1126-1152): every handle unmapped.
    fn segdev_free(&self, p: &Proc) {
        let _f = exec::call("segdev_free", "seg_dev.c:1127");
        let cnt = p.softlockcnt.peek();
        if cnt != 0 {
            fail(
                DEVMAP_K5,
                format!("segment of process {} freed with softlockcnt {cnt}", p.id),
            );
        }
        for dhp in p.take_handles() {
            self.devmap_handle_unmap(&dhp);
        }
    }

    /// `devmap_handle_unmap` (1005-1045): the driver's `devmap_unmap`
    /// callback forgets the handle; its softlock and context references
    /// go.
    fn devmap_handle_unmap(&self, dhp: &Arc<Dh>) {
        let _f = exec::call("devmap_handle_unmap", "seg_dev.c:1006");
        self.drv_mtx.enter();
        self.drv_handles
            .with(&[&self.drv_mtx], |l| l.retain(|d| !Arc::ptr_eq(d, dhp)));
        self.drv_mtx.exit();
        if let Some(s) = dhp.softlock {
            seed("seg_dev.c:1034");
            self.devmap_softlock_rele(s);
        }
        if let Some(c) = dhp.ctx {
            seed("seg_dev.c:1037");
            self.devmap_ctx_rele(c);
        }
    }
}

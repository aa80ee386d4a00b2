//! The device context handed between processes: `devmap_ctxinit`
//! (seg_dev.c:298-334), `devmap_do_ctxmgt` (2591-2691), the hysteresis
//! callout `devmap_ctxto` (340-356), `devmap_ctx_rele` (2997-3057) and
//! `devmap_set_ctx_timeout` (3763-3772), with the context-management
//! driver's callback.
//!
//! A process faulting on a context-managed mapping waits while another
//! holds the context (`oncpu`), takes it, lets the driver switch the
//! device to it (the callback runs with no devmap lock), then either sets
//! a callout that gives the context back after `dh_timeout_length` ticks
//! (hysteresis: the process keeps the device a little longer) or gives it
//! back at once.

use super::ghost::Owner;
use super::mutants::*;
use super::order::CTX;
use super::state::{Ctx, Devmap, Dh, FaultType, Fc, Proc, SegRw, EINVAL};
use super::windows::*;
use crate::vm::keyed::Keyed;
use crate::vm::param::PAGESIZE;
use crate::vm::word::Word;
use model::kernel::Handle;
use model::sync::{KCondvar, KMutex};
use model::{cover, exec, mutant, seed};

impl Devmap {
    /// `devmap_ctxinit` (298-334): the context of (`dev`, `id`) from the
    /// global list, created if absent, with one more reference.
    pub(crate) fn devmap_ctxinit(&self, dev: u32, id: u32) -> Handle {
        let _f = exec::call("devmap_ctxinit", "seg_dev.c:299");
        self.ctx_mtx.enter();
        let found = self
            .ctxlist
            .read(&[&self.ctx_mtx])
            .into_iter()
            .find(|&h| self.ctx(h).key == (dev, id));
        let h = match found {
            Some(h) => h,
            None => {
                seed("seg_dev.c:318");
                let n = self.ghost.g().ctx_refs.len() as u32;
                let h = self.ctxs.alloc(Ctx {
                    key: (dev, id),
                    lock: KMutex::new(CTX, n),
                    cv: KCondvar::new("devmap.devctx_cv", n),
                    oncpu: Word::hinted("devmap.oncpu", n, 0),
                    timeout: Keyed::new("devmap.devctx_timeout", None),
                    refcnt: Keyed::new("devmap.devctx_refcnt", 0),
                });
                self.ctxlist.with(&[&self.ctx_mtx], |l| l.insert(0, h));
                h
            }
        };
        let c = self.ctx(h);
        c.lock.enter();
        c.refcnt.with(&[&c.lock], |r| *r += 1);
        *self.ghost.g().ctx_refs.entry(h).or_default() += 1;
        c.lock.exit();
        self.ctx_mtx.exit();
        h
    }

    /// `devmap_do_ctxmgt` (2591-2691) for the context-management driver
    /// whose callback fails with `fails`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn devmap_do_ctxmgt(
        &self,
        p: &Proc,
        dhp: &Dh,
        off: u64,
        len: u64,
        ty: FaultType,
        rw: SegRw,
        fails: bool,
    ) -> Result<(), Fc> {
        let _f = exec::call("devmap_do_ctxmgt", "seg_dev.c:2592");
        let h = dhp.ctx.expect("devmap_do_ctxmgt: no context");
        let devctx = self.ctx(h);
        let mut do_timeout = false;
        seed("seg_dev.c:2627");
        if dhp.timeout_length.hint() > 0 && self.cfg.ncpus > 1 {
            do_timeout = true;
            devctx.lock.enter();
            while devctx.oncpu.read(&[&devctx.lock]) != 0 && !mutant(CTX_NO_HYSTERESIS_WAIT) {
                seed("seg_dev.c:2634");
                cover(CTX_WAITS);
                *self.ghost.g().ctx_waiters.entry(h).or_default() += 1;
                devctx.cv.wait(&devctx.lock);
                *self.ghost.g().ctx_waiters.entry(h).or_default() -= 1;
            }
            devctx.oncpu.write(1, &[&devctx.lock]);
            self.k3_take(h);
            devctx.lock.exit();
        }
        seed("seg_dev.c:2643");
        let ret = self.ctx_callback(p, dhp, off, len, ty, rw, fails);
        if ret.is_err() {
            seed("seg_dev.c:2658");
            let release = if self.cfg.fixes.ctx_error_own_only {
                do_timeout
            } else {
                devctx.oncpu.hint() != 0
            };
            if release {
                cover(CTX_ERROR_RELEASES);
                devctx.lock.enter();
                devctx.oncpu.write(0, &[&devctx.lock]);
                self.k3_release(h, Owner::Thread(exec::tid()));
                devctx.cv.signal();
                devctx.lock.exit();
            }
            return Err(Fc::HwErr);
        }
        if do_timeout {
            devctx.lock.enter();
            if dhp.timeout_length.hint() > 0 {
                seed("seg_dev.c:2675");
                cover(CTX_TIMEOUT_SET);
                let me = self.me.upgrade().expect("devmap world alive");
                let callouts = self.callouts.as_ref().expect("devmap: no callout wheel");
                let id = callouts.timeout(Box::new(move || me.devmap_ctxto(h)));
                self.k3_to_callout(h);
                if !mutant(CTX_TIMEOUT_NOT_RECORDED) {
                    devctx.timeout.with(&[&devctx.lock], |t| *t = Some(id));
                }
            } else {
                seed("seg_dev.c:2684");
                cover(CTX_RELEASED_AT_ONCE);
                devctx.oncpu.write(0, &[&devctx.lock]);
                self.k3_release(h, Owner::Thread(exec::tid()));
                devctx.cv.signal();
            }
            devctx.lock.exit();
        }
        Ok(())
    }

    /// The context-management driver's callback (`ctxmgt`): switches the
    /// device to this process, unloading the other processes' mappings of
    /// the context (`devmap_unload`) and loading its own (`devmap_load`),
    /// or fails (-1, a hardware error) with `fails`. Runs with no devmap
    /// lock held.
    #[allow(clippy::too_many_arguments)]
    fn ctx_callback(
        &self,
        p: &Proc,
        dhp: &Dh,
        off: u64,
        len: u64,
        ty: FaultType,
        rw: SegRw,
        fails: bool,
    ) -> Result<(), Fc> {
        let _f = exec::call("xx_ctxmgt", "driver");
        if fails {
            return Err(Fc::HwErr);
        }
        for other in self.driver_peers(dhp) {
            self.devmap_unload(&other, 0, 0)?;
        }
        self.devmap_load(p, dhp, off, len, ty, rw)
    }

    /// `devmap_ctxto` (340-356): the hysteresis expired; the context is
    /// free for the next process.
    pub(crate) fn devmap_ctxto(&self, h: Handle) {
        let _f = exec::call("devmap_ctxto", "seg_dev.c:341");
        let devctx = self.ctx(h);
        cover(CTXTO_RUNS);
        devctx.lock.enter();
        self.k3_callout_gone(h);
        devctx.oncpu.write(0, &[&devctx.lock]);
        devctx.timeout.with(&[&devctx.lock], |t| *t = None);
        self.k3_release(h, Owner::Callout);
        if !mutant(CTXTO_NO_SIGNAL) {
            devctx.cv.signal();
        }
        devctx.lock.exit();
    }

    /// `devmap_ctx_rele` (2997-3057): drops a handle's reference; the
    /// last one cancels the pending callout, with the context mutex
    /// dropped (untimeout waits for a running `devmap_ctxto`, which takes
    /// it), wakes a waiter, unlinks and frees the context.
    pub(crate) fn devmap_ctx_rele(&self, h: Handle) {
        let _f = exec::call("devmap_ctx_rele", "seg_dev.c:2998");
        self.ctx_mtx.enter();
        let devctx = self.ctx(h);
        devctx.lock.enter();
        let r = devctx.refcnt.with(&[&devctx.lock], |r| {
            *r = r.saturating_sub(1);
            *r
        });
        {
            let mut g = self.ghost.g();
            let refs = g.ctx_refs.entry(h).or_default();
            *refs = refs.saturating_sub(1);
        }
        if r == 0 || mutant(CTX_RELE_FREES_EARLY) {
            let tid = devctx.timeout.read(&[&devctx.lock]);
            if let (Some(tid), false) = (tid, mutant(CTX_RELE_NO_UNTIMEOUT)) {
                seed("seg_dev.c:3027");
                cover(CTX_RELE_UNTIMEOUT);
                let callouts = self.callouts.as_ref().expect("devmap: no callout wheel");
                let keep = mutant(CTX_RELE_UNTIMEOUT_LOCKED);
                if !keep {
                    devctx.lock.exit();
                }
                if callouts.untimeout(tid) {
                    self.k3_callout_gone(h);
                    self.k3_release(h, Owner::Callout);
                } else {
                    cover(CTX_RELE_CALLOUT_RAN);
                }
                if !keep {
                    devctx.lock.enter();
                }
            }
            seed("seg_dev.c:3033");
            devctx.oncpu.write(0, &[&devctx.lock]);
            devctx.cv.signal();
            self.ctxlist
                .with(&[&self.ctx_mtx], |l| l.retain(|&x| x != h));
            devctx.lock.exit();
            self.k2_free(h, true);
            self.ghost.g().ctx_refs.remove(&h);
            self.ctxs.free(h);
        } else {
            devctx.lock.exit();
        }
        self.ctx_mtx.exit();
    }

    /// `devmap_set_ctx_timeout` (3763-3772): the handle's hysteresis, in
    /// ticks (0: none), written with no lock.
    pub fn devmap_set_ctx_timeout(&self, proc: usize, handle: usize, ticks: u64) {
        let _f = exec::call("devmap_set_ctx_timeout", "seg_dev.c:3764");
        if let Some(dh) = self.driver_handle(proc, handle) {
            dh.timeout_length.write(ticks, &[]);
        }
    }

    /// `devmap_unload` (2798-2856) of `len` pages (0: to the end) from
    /// page `off` of handle `dhp`: its translations go; the next access
    /// faults. Takes no devmap lock.
    pub(crate) fn devmap_unload(&self, dhp: &Dh, off: u64, len: u64) -> Result<(), Fc> {
        let _f = exec::call("devmap_unload", "seg_dev.c:2799");
        let size = if len == 0 {
            dhp.len.saturating_sub(off)
        } else {
            len
        };
        if off >= dhp.len || off + size > dhp.len {
            return Err(Fc::Err(EINVAL));
        }
        seed("seg_dev.c:2851");
        self.hat.hat_unload_range(dhp.uvaddr + off * PAGESIZE, size);
        Ok(())
    }
}

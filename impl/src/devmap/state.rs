//! devmap's state: the softlock objects (`struct devmap_softlock`), the
//! device contexts (`struct devmap_ctx`), pageable umem cookies, the
//! segments (`struct segdev_data`) of the processes with their address
//! space stand-ins, and the devmap handles (`devmap_handle_t`), with the
//! globals of seg_dev.c (seg_dev.c:112-113, 291-293).
//!
//! Lock keys used in field docs:
//! * (G) `devmap_slock`; (C) `devmapctx_lock`;
//! * (S) the softlock's `slock->lock`; (X) the context's `devctx->lock`;
//! * (K) the cookie's `cookie->lock`; (F) `freemem_lock`;
//! * (L) the handle's `dh_lock` (for a handle with `DEVMAP_ALLOW_REMAP`;
//!   constant after setup otherwise);
//! * (A) the process's address-space lock `a_lock` (a reader/writer lock:
//!   read to fault, written to unmap); (N) its `a_contents`;
//! * (D) the driver stand-in's mutex over its handle list;
//! * (c) constant after setup; (u) the seed also reads it with no lock on
//!   purpose (a hint); (g) ghost: only checks read it.

use super::ghost::Ghost;
use super::order::{CTXLIST, DRIVER, FREEMEM, KPMEM, SLIST};
use crate::vm::hat::Hat;
use crate::vm::keyed::Keyed;
use crate::vm::word::Word;
use model::check::{fail, SYNC_UNLOCKED};
use model::kernel::{Arena, Handle};
use model::sync::{CalloutId, Callouts, KCondvar, KMutex, KRwLock};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

/// Fixes of the findings (see the module doc). The default is the seed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fixes {
    /// Finding D1 (DEVMAP-K1 liveness, a lost wakeup): the softlock's
    /// exits wake every waiter (`cv_broadcast` for the `cv_signal` at
    /// seg_dev.c:1299, 1306), so a waiter interrupted right after it was
    /// chosen does not strand the others.
    pub softlock_broadcast: bool,
    /// Finding D2 (DEVMAP-K1): when a handle of an F_SOFTLOCK fault fails,
    /// `segdev_fault` releases the softlock pages still held, counting
    /// only the pages of the earlier handles that have a `devmap_access`
    /// (their F_SOFTUNLOCK released just those), where the seed subtracts
    /// every earlier page (seg_dev.c:1859-1860).
    pub unwind_access_pages: bool,
    /// Finding D3 (DEVMAP-K1): `segdev_faultpages` unwinding a failed
    /// F_SOFTLOCK unlocks its pages without the softlock accounting, which
    /// its caller `segdev_fault` does for the whole handle
    /// (seg_dev.c:2035-2040 with 1368-1371, and 1862).
    pub faultpages_unwind_no_exit: bool,
    /// Finding D4 (DEVMAP-K3): `devmap_do_ctxmgt`'s error path gives the
    /// context back only if this call took it (`do_timeout`), where the
    /// seed tests the unlocked `devctx->oncpu` (seg_dev.c:2658).
    pub ctx_error_own_only: bool,
}

impl Fixes {
    pub const ALL: Fixes = Fixes {
        softlock_broadcast: true,
        unwind_access_pages: true,
        faultpages_unwind_no_exit: true,
        ctx_error_own_only: true,
    };
}

/// `enum fault_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultType {
    Inval,
    Prot,
    SoftLock,
    SoftUnlock,
}

/// `enum seg_rw`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SegRw {
    Read,
    Write,
    Other,
}

/// `faultcode_t`: why a fault failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fc {
    /// `FC_NOMAP`.
    NoMap,
    /// `FC_PROT`.
    Prot,
    /// `FC_NOSUPPORT`.
    NoSupport,
    /// `FC_HWERR`.
    HwErr,
    /// `FC_MAKE_ERR(errno)`.
    Err(i32),
}

/// `EINTR`.
pub const EINTR: i32 = 4;
/// `EFAULT`.
pub const EFAULT: i32 = 14;
/// `EINVAL`.
pub const EINVAL: i32 = 22;
/// `EAGAIN`.
pub const EAGAIN: i32 = 11;

/// Protections of a page (`PROT_READ`, `PROT_WRITE`).
pub const PROT_READ: u8 = 1;
pub const PROT_WRITE: u8 = 2;
pub const PROT_ALL: u8 = 7;

/// The driver's `devmap_access` entry point (`dh_callbackops`), as the
/// model's drivers write it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// `devmap_default_access`: `devmap_load` of the faulting range
    /// (seg_dev.c:3775-3785).
    Default,
    /// A driver whose `devmap_access` fails (a device error): returns
    /// `EFAULT` without loading anything.
    Fails,
    /// A context-management driver: `devmap_access` calls
    /// `devmap_do_ctxmgt` with its context callback, which unloads the
    /// other handles of the context and loads its own (or fails, with
    /// `fails`).
    CtxMgt { fails: bool },
}

/// What a handle maps (`dh_cookie` with `dh_pfn`, `dh_roff`, `dh_flags &
/// DEVMAP_MAPPING_INVALID`): changed by the remaps under (L).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mapping {
    /// `dh_cookie`: device memory (`DEVMAP_DEVMEM_COOKIE`) or a pageable
    /// kernel memory cookie (`KMEM_PAGEABLE`), by index.
    pub cookie: Cookie,
    /// `dh_pfn` (device memory) or `dh_roff` in pages (a cookie).
    pub pfn: u64,
    /// `DEVMAP_MAPPING_INVALID`.
    pub invalid: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cookie {
    Devmem,
    Kpmem(usize),
}

/// A handle as a driver's `devmap` entry point sets it up
/// (`devmap_devmem_setup` / `devmap_umem_setup`, seg_dev.c:3380-3484,
/// 3600-3694, called from `devmap_setup`, 3130-3320).
#[derive(Clone, Copy, Debug)]
pub struct HandleSpec {
    /// Pages.
    pub len: u64,
    pub mapping: Mapping,
    /// `DEVMAP_ALLOW_REMAP`.
    pub remap: bool,
    /// `dh_callbackops.devmap_access`, if any.
    pub access: Option<Access>,
    /// `dh_timeout_length` as the driver sets it
    /// (`devmap_set_ctx_timeout`); `CTX_TIMEOUT_VALUE` (0) otherwise.
    pub timeout: u64,
}

impl HandleSpec {
    /// `len` pages of device memory from device frame `pfn`.
    pub fn devmem(len: u64, pfn: u64) -> Self {
        HandleSpec {
            len,
            mapping: Mapping {
                cookie: Cookie::Devmem,
                pfn,
                invalid: false,
            },
            remap: false,
            access: None,
            timeout: 0,
        }
    }
}

/// A segment as a process maps it (`devmap_setup`'s arguments and the
/// protections `segdev_setprot` left).
#[derive(Clone, Debug)]
pub struct SegSpec {
    pub handles: Vec<HandleSpec>,
    /// `sdp->prot`.
    pub prot: u8,
    /// `sdp->pageprot` with `sdp->vpage`: per-page protections.
    pub vpage: Option<Vec<u8>>,
}

impl SegSpec {
    pub fn new(handles: Vec<HandleSpec>) -> Self {
        SegSpec {
            handles,
            prot: PROT_READ | PROT_WRITE,
            vpage: None,
        }
    }
}

/// `struct devmap_softlock`.
pub(crate) struct Softlock {
    /// (c) `dev`, `id`: the device and its `devmap_access`.
    pub(crate) key: (u32, u32),
    /// `slock->lock`.
    pub(crate) lock: KMutex,
    /// `slock->cv`, with `lock`.
    pub(crate) cv: KCondvar,
    /// (S) `softlocked`: `-n` while one F_SOFTLOCK holds `n` pages, `+n`
    /// while F_INVAL/F_PROT faults hold `n` pages in all.
    pub(crate) softlocked: Keyed<i64>,
    /// (S) `refcnt`: handles referring to it.
    pub(crate) refcnt: Keyed<u64>,
}

/// `struct devmap_ctx`.
pub(crate) struct Ctx {
    /// (c) `dip`, `id`.
    pub(crate) key: (u32, u32),
    /// `devctx->lock`.
    pub(crate) lock: KMutex,
    /// `devctx->cv`, with `lock`.
    pub(crate) cv: KCondvar,
    /// (X; u) `oncpu`: a process holds the device context (its hysteresis
    /// callout may still be pending). Read unlocked at seg_dev.c:2658.
    pub(crate) oncpu: Word,
    /// (X) `timeout`: the pending `devmap_ctxto` callout, if any.
    pub(crate) timeout: Keyed<Option<CalloutId>>,
    /// (X) `refcnt`: handles referring to it.
    pub(crate) refcnt: Keyed<u64>,
}

/// A pageable kernel memory cookie (`struct ddi_umem_cookie` of type
/// `KMEM_PAGEABLE`), as far as `acquire/release_kpmem_lock` use it.
pub(crate) struct Kpmem {
    /// `cookie->lock`.
    pub(crate) lock: KMutex,
    /// (K) `locked`: pages of pending faults; the segkp range is
    /// F_SOFTLOCKed once while it is non-zero.
    pub(crate) locked: Keyed<u64>,
    /// (c) the first frame of the cookie's kernel memory (`hat_getpfnum`
    /// of `cvaddr`): frames without a `page_t` in the model.
    pub(crate) base_pfn: u64,
}

/// A devmap handle (`devmap_handle_t`).
pub(crate) struct Dh {
    /// (c) the handle's number (its locks' index in traces).
    pub(crate) id: u32,
    /// (c) the process whose segment it belongs to.
    pub(crate) proc: usize,
    /// (c) `dh_uvaddr`: the machine address of its first page.
    pub(crate) uvaddr: u64,
    /// (c) `dh_len` in pages.
    pub(crate) len: u64,
    /// (c) `DEVMAP_ALLOW_REMAP` (with `DEVMAP_LOCK_INITED`).
    pub(crate) remap: bool,
    /// `dh_lock`.
    pub(crate) lock: KMutex,
    /// (L) `dh_cookie`, `dh_pfn`, `dh_roff`, `DEVMAP_MAPPING_INVALID`.
    pub(crate) mapping: Keyed<Mapping>,
    /// (c) `dh_callbackops.devmap_access`.
    pub(crate) access: Option<Access>,
    /// (c) `dh_softlock`, `dh_ctx` (set by `devmap_setup` when the driver
    /// has a `devmap_access`, seg_dev.c:3232-3235).
    pub(crate) softlock: Option<Handle>,
    pub(crate) ctx: Option<Handle>,
    /// (u) `dh_timeout_length`: written with no lock by
    /// `devmap_set_ctx_timeout` (seg_dev.c:3771), read with none at 2627
    /// and under the context's mutex, which is not its key, at 2672.
    pub(crate) timeout_length: Word,
}

impl Dh {
    /// The handle's mapping: under `dh_lock` for a remappable handle
    /// (the caller holds it, `HOLD_DHP_LOCK`), constant otherwise.
    #[track_caller]
    pub(crate) fn mapping(&self) -> Mapping {
        if self.remap {
            self.mapping.read(&[&self.lock])
        } else {
            self.mapping.owned(|m| *m)
        }
    }

    /// `HOLD_DHP_LOCK` (seg_dev.c:90-91).
    #[track_caller]
    pub(crate) fn hold(&self) {
        if self.remap {
            self.lock.enter();
        }
    }

    /// `RELE_DHP_LOCK` (seg_dev.c:93-94).
    #[track_caller]
    pub(crate) fn rele(&self) {
        if self.remap {
            self.lock.exit();
        }
    }

    /// Whether machine address `va` is in the handle
    /// (`devmap_find_handle`'s test, seg_dev.c:2783-2784).
    pub(crate) fn contains(&self, va: u64) -> bool {
        va >= self.uvaddr && va < self.uvaddr + self.len * crate::vm::param::PAGESIZE
    }
}

/// A process: its address space (as far as segdev uses it) and its one
/// device segment (`struct seg` with `struct segdev_data`).
pub(crate) struct Proc {
    /// (c) the process's number.
    pub(crate) id: usize,
    /// `a_lock` (`AS_LOCK_ENTER`).
    pub(crate) as_lock: KRwLock,
    /// `a_contents`, and `a_cv` with it.
    pub(crate) a_contents: KMutex,
    pub(crate) a_cv: KCondvar,
    /// (N; u) `AS_UNMAPWAIT` in `a_flags`: an unmapper waits for
    /// softlocks to go (read unlocked at seg_dev.c:1391).
    pub(crate) unmapwait: Word,
    /// (c) `s_base` as a machine address, and `s_size` in pages.
    pub(crate) base: u64,
    pub(crate) npages: u64,
    /// `sdp->lock`, a reader/writer lock over the protections.
    pub(crate) sdp_lock: KRwLock,
    /// (c) `sdp->prot`; `sdp->pageprot` with `sdp->vpage` (`segdev_setprot`
    /// is not ported: protections are set up with the segment).
    pub(crate) prot: u8,
    pub(crate) vpage: Option<Vec<u8>>,
    /// (F to write; u) `sdp->softlockcnt`: read unlocked at 1383, and at
    /// 654 under the address-space write lock, which keeps it from
    /// changing.
    pub(crate) softlockcnt: Word,
    /// (A: read holding it, changed holding it as writer) `devmap_data`,
    /// the handle list; empty once the segment is freed.
    pub(crate) handles: Mutex<Vec<Arc<Dh>>>,
}

impl Proc {
    fn list(&self) -> MutexGuard<'_, Vec<Arc<Dh>>> {
        self.handles.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The handle list, with the address-space lock held.
    #[track_caller]
    pub(crate) fn dh_list(&self) -> Vec<Arc<Dh>> {
        if !self.as_lock.lock_held() {
            fail(
                SYNC_UNLOCKED,
                format!("devmap_data of process {} read without its a_lock", self.id),
            );
        }
        self.list().clone()
    }

    /// Takes the handle list, with the address-space lock held as writer.
    #[track_caller]
    pub(crate) fn take_handles(&self) -> Vec<Arc<Dh>> {
        if !self.as_lock.write_held() {
            fail(
                SYNC_UNLOCKED,
                format!(
                    "devmap_data of process {} changed without its a_lock as writer",
                    self.id
                ),
            );
        }
        std::mem::take(&mut *self.list())
    }

    /// The handles, for checks (ghost).
    pub(crate) fn peek_handles(&self) -> Vec<Arc<Dh>> {
        self.list().clone()
    }

    /// `seg_page(seg, addr)`.
    pub(crate) fn page_of(&self, va: u64) -> usize {
        ((va - self.base) / crate::vm::param::PAGESIZE) as usize
    }
}

/// The model's sizes and the fixes.
#[derive(Clone, Copy, Debug)]
pub struct DevmapConfig {
    /// `ncpus` as `devmap_do_ctxmgt` tests it (2627).
    pub ncpus: u32,
    /// Softlock objects and contexts the arenas can hold.
    pub objects: usize,
    /// Pageable cookies.
    pub cookies: usize,
    /// Start the callout wheel (`devmap_ctxto`); an actor thread.
    pub callouts: bool,
    pub fixes: Fixes,
}

impl Default for DevmapConfig {
    fn default() -> Self {
        DevmapConfig {
            ncpus: 2,
            objects: 2,
            cookies: 0,
            callouts: false,
            fixes: Fixes::default(),
        }
    }
}

/// seg_dev.c's globals, the processes, and the HAT they map through.
pub struct Devmap {
    /// (c)
    pub(crate) cfg: DevmapConfig,
    /// (c) whether invariants are checked after every operation.
    pub(crate) each_op: bool,
    /// (c) the HAT (the user address space the CPUs run).
    pub(crate) hat: Arc<dyn Hat>,
    /// `devmap_slock`.
    pub(crate) slock_mtx: KMutex,
    /// (G) `devmap_slist`, head first.
    pub(crate) slist: Keyed<Vec<Handle>>,
    /// The softlock objects' kmem.
    pub(crate) softlocks: Arena<Softlock>,
    /// `devmapctx_lock`.
    pub(crate) ctx_mtx: KMutex,
    /// (C) `devmapctx_list`, head first.
    pub(crate) ctxlist: Keyed<Vec<Handle>>,
    /// The contexts' kmem.
    pub(crate) ctxs: Arena<Ctx>,
    /// `freemem_lock`.
    pub(crate) freemem_lock: KMutex,
    /// (c) the pageable cookies.
    pub(crate) cookies: Vec<Kpmem>,
    /// The driver's mutex over its private list of handles (its
    /// `devmap_map` / `devmap_unmap` callbacks keep it).
    pub(crate) drv_mtx: KMutex,
    /// (D) the driver's handles, in mapping order.
    pub(crate) drv_handles: Keyed<Vec<Arc<Dh>>>,
    /// (c) the processes, set up before any thread starts.
    pub(crate) procs: Mutex<Vec<Arc<Proc>>>,
    /// (c) the callout wheel `timeout()` uses.
    pub(crate) callouts: Option<Callouts>,
    /// (c) this, for the callouts' handlers.
    pub(crate) me: Weak<Devmap>,
    /// (g)
    pub(crate) ghost: Ghost,
}

impl Devmap {
    /// A devmap world on `hat` (call inside the execution, before other
    /// threads start), with `cfg.cookies` pageable cookies of 2 pages.
    pub fn new(cfg: DevmapConfig, hat: Arc<dyn Hat>) -> Arc<Devmap> {
        let cookies = (0..cfg.cookies)
            .map(|i| Kpmem {
                lock: KMutex::new(KPMEM, i as u32),
                locked: Keyed::new("devmap.cookie_locked", 0),
                base_pfn: KPMEM_PFN_BASE + 0x10 * i as u64,
            })
            .collect();
        Arc::new_cyclic(|me| Devmap {
            cfg,
            each_op: model::exec::step_checks(),
            hat,
            slock_mtx: KMutex::new(SLIST, 0),
            slist: Keyed::new("devmap.devmap_slist", Vec::new()),
            softlocks: Arena::new("devmap_softlock", cfg.objects),
            ctx_mtx: KMutex::new(CTXLIST, 0),
            ctxlist: Keyed::new("devmap.devmapctx_list", Vec::new()),
            ctxs: Arena::new("devmap_ctx", cfg.objects),
            freemem_lock: KMutex::new(FREEMEM, 0),
            drv_mtx: KMutex::new(DRIVER, 0),
            drv_handles: Keyed::new("devmap.xx_handles", Vec::new()),
            cookies,
            procs: Mutex::new(Vec::new()),
            callouts: cfg.callouts.then(Callouts::start),
            me: me.clone(),
            ghost: Ghost::new(cfg.cookies),
        })
    }

    /// Process `p`.
    pub(crate) fn proc(&self, p: usize) -> Arc<Proc> {
        self.procs.lock().unwrap_or_else(|e| e.into_inner())[p].clone()
    }

    pub(crate) fn all_procs(&self) -> Vec<Arc<Proc>> {
        self.procs.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The softlock behind `h` (a use: MEM-UAF once freed).
    #[track_caller]
    pub(crate) fn slock(&self, h: Handle) -> Arc<Softlock> {
        self.softlocks.get(h)
    }

    /// The context behind `h` (a use: MEM-UAF once freed).
    #[track_caller]
    pub(crate) fn ctx(&self, h: Handle) -> Arc<Ctx> {
        self.ctxs.get(h)
    }

    /// The machine address of page `i` of a segment at `base`.
    pub(crate) fn va(base: u64, i: u64) -> u64 {
        base + i * crate::vm::param::PAGESIZE
    }

    /// Stops the callout wheel (every scenario that started one).
    pub fn shutdown(&self) {
        if let Some(c) = &self.callouts {
            c.shutdown();
        }
    }
}

/// The frames of pageable kernel memory (`hat_getpfnum(kas.a_hat,
/// cvaddr)`): without a `page_t` in the model, above the device frames
/// the scenarios use.
pub const KPMEM_PFN_BASE: u64 = crate::vm::hat::DEVICE_PFN_BASE + 0x800;

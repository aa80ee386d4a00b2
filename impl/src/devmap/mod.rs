//! seg_dev.c, the device segment driver (illumos
//! `usr/src/uts/common/vm/seg_dev.c`, seed `002_e55233aec218cde3.txt`;
//! line numbers are the seed file's own): how a driver's device memory is
//! mapped into processes through the VM layer's HAT (`crate::vm::hat`),
//! on the kmap stand-in or the htable port as the x86 HAT.
//!
//! A driver maps its device with handles (`devmap_handle_t`), each over
//! device memory or a pageable kernel-memory cookie. Faults on a handle
//! with a `devmap_access` entry point are serialised per device by a
//! softlock object (one F_SOFTLOCK, or many F_INVAL/F_PROT); a
//! context-managed device is handed between processes with a hysteresis
//! callout; a driver may remap a handle to other memory at any time.
//!
//! # Locks
//!
//! Keys used in field docs (see [`state`](self) for every field): (G)
//! `devmap_slock`, (C) `devmapctx_lock`, (S) a softlock's mutex, (X) a
//! context's mutex, (K) a cookie's mutex, (F) `freemem_lock`, (L) a
//! handle's `dh_lock`, (A) the address-space lock, (N) `a_contents`, (D)
//! the driver stand-in's mutex, (u) read unlocked on purpose. Order:
//! [`LOCK_ORDER`] (A -> {G, C} -> L -> `sdp->lock` -> leaves).
//!
//! # Seed functions
//!
//! | seed (seg_dev.c, seed lines) | port |
//! |---|---|
//! | `devmap_ctxinit` 298-334 | `Devmap::devmap_ctxinit` |
//! | `devmap_ctxto` 340-356 | `Devmap::devmap_ctxto` |
//! | `segdev_unmap` 623-729 (whole segment) | `Devmap::segdev_unmap` (from [`Devmap::as_unmap`]) |
//! | `devmap_handle_unmap` 1005-1045 | `Devmap::devmap_handle_unmap` |
//! | `segdev_free` 1126-1152 | `Devmap::segdev_free` |
//! | `acquire_kpmem_lock` 1192-1220, `release_kpmem_lock` 1222-1236 | `Devmap::acquire_kpmem_lock`, `Devmap::release_kpmem_lock` |
//! | `devmap_softlock_enter` 1250-1284, `devmap_softlock_exit` 1286-1312 | `Devmap::devmap_softlock_enter`, `Devmap::devmap_softlock_exit` |
//! | `segdev_softunlock` 1323-1401 | `Devmap::segdev_softunlock` |
//! | `segdev_faultpage` 1409-1595 | `Devmap::segdev_faultpage` |
//! | `segdev_fault` 1597-1891 | `Devmap::segdev_fault` (from [`Devmap::as_fault`]) |
//! | `segdev_faultpages` 1902-2051 | `Devmap::segdev_faultpages` |
//! | `devmap_do_ctxmgt` 2591-2691 | `Devmap::devmap_do_ctxmgt` |
//! | `devmap_find_handle` 2773-2790 | `fault::find_handle` |
//! | `devmap_unload` 2798-2856 | `Devmap::devmap_unload` |
//! | `devmap_softlock_init` 2907-2940, `devmap_softlock_rele` 2946-2991 | `Devmap::devmap_softlock_init`, `Devmap::devmap_softlock_rele` |
//! | `devmap_ctx_rele` 2997-3057 | `Devmap::devmap_ctx_rele` |
//! | `devmap_load` 3065-3127 | `Devmap::devmap_load` |
//! | `devmap_setup` 3130-3320 (handles, softlocks, contexts) | [`Devmap::map`] |
//! | `devmap_devmem_remap` 3486-3592 | [`Devmap::devmap_devmem_remap`] |
//! | `devmap_umem_remap` 3696-3757 | [`Devmap::devmap_umem_remap`] |
//! | `devmap_set_ctx_timeout` 3763-3772 | [`Devmap::devmap_set_ctx_timeout`] |
//! | `devmap_default_access` 3774-3785 | `Devmap::devmap_default_access` |
//! | `as_fault`, `as_unmap` (as.c, stand-ins) | [`Devmap::as_fault`], [`Devmap::as_unmap`] |
//!
//! Deviations: addresses and lengths are in pages; no large pages
//! (`DEVMAP_FLAG_LARGE`, `devmap_get_large_pgsize`); the processes'
//! segments are disjoint ranges of the one address space the machine's
//! CPUs run (the MMU model has one `CR3`); protections are fixed at
//! mapping time (`segdev_setprot` is not ported); the non-devmap case
//! (`cdev_mmap`, `ddi_map_fault`), partial unmaps, `segdev_dup` and the
//! overflow test of `acquire_kpmem_lock` are not ported; `ncpus` is a
//! configuration value; a timeout's ticks are only "zero or not" (the
//! callout wheel has no clock).
//!
//! Findings (each a [`Fixes`] field with a finding/fixed scenario pair):
//! D1, a lost wakeup of the softlock cv when the waiter `cv_signal` chose
//! is interrupted; D2 and D3, the F_SOFTLOCK error unwinding of
//! `segdev_fault` gives back the wrong number of softlock pages (a mixed
//! chain of handles; a page-by-page failure inside `devmap_access`); D4,
//! `devmap_do_ctxmgt`'s error path gives back a context it does not hold.

mod checks;
mod ctx;
mod fault;
mod faultpages;
mod ghost;
mod map;
pub mod mutants;
pub(crate) mod order;
mod segment;
mod softlock;
mod state;
mod windows;

pub use checks::*;
pub use order::LOCK_ORDER;
pub use state::{
    Access, Cookie, Devmap, DevmapConfig, FaultType, Fc, Fixes, HandleSpec, Mapping, SegRw,
    SegSpec, EINTR, KPMEM_PFN_BASE, PROT_READ, PROT_WRITE,
};
pub use windows::*;

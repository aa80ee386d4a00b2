//! devmap's lock order as one table.

use model::lockdep::LockOrder;

/// The process's address-space lock `a_lock` (reader/writer).
pub const AS_LOCK: &str = "devmap.a_lock";
/// `devmap_slock`, over the softlock list.
pub const SLIST: &str = "devmap.devmap_slock";
/// `devmapctx_lock`, over the context list.
pub const CTXLIST: &str = "devmap.devmapctx_lock";
/// A handle's `dh_lock`.
pub const DH: &str = "devmap.dh_lock";
/// `sdp->lock` (reader/writer).
pub const SDP: &str = "devmap.sdp_lock";
/// A softlock's `slock->lock`.
pub const SOFTLOCK: &str = "devmap.slock_lock";
/// A context's `devctx->lock`.
pub const CTX: &str = "devmap.devctx_lock";
/// `freemem_lock`.
pub const FREEMEM: &str = "devmap.freemem_lock";
/// A pageable cookie's `cookie->lock`.
pub const KPMEM: &str = "devmap.cookie_lock";
/// The driver stand-in's mutex over its list of handles.
pub const DRIVER: &str = "devmap.xx_driver_lock";
/// The address space's `a_contents`.
pub const AS_CONTENTS: &str = "devmap.a_contents";

/// The address-space lock first: faults hold it as reader
/// (`AS_LOCK_HELD`, seg_dev.c:1623), unmaps as writer (652), and
/// `segdev_free` releases the softlocks and contexts under it (1143-1144,
/// 1033-1037), taking `devmap_slock` and `devmapctx_lock` (2956, 3008).
/// Then a handle's `dh_lock`, held across `segdev_faultpages` for a
/// handle without `devmap_access` (1795-1834) and by `devmap_load`
/// (3122-3125); then `sdp->lock` as reader (1958). Last the leaves, never
/// held together: `freemem_lock` (1463, 2004, 1379), a cookie's lock
/// (1203, 1225, under `dh_lock` from `segdev_faultpages` and
/// `segdev_softunlock`), the softlock's mutex (taken by
/// `devmap_softlock_enter/exit` under the address-space lock; never under
/// `dh_lock`, which only remappable handles take, and those cannot be
/// F_SOFTLOCKed, 1724-1726, so `segdev_softunlock`'s exit at 1368-1371
/// runs without it),
/// the context's mutex (under `devmapctx_lock`, 3009, or the
/// address-space lock in `devmap_do_ctxmgt`, 2632) and `a_contents`
/// (1392; `as_unmap` takes it under the write lock), and the driver
/// stand-in's mutex over its handle list (held only to read or change
/// the list).
///
/// The softlock *resource* (the `softlocked` count a fault holds from
/// `devmap_softlock_enter` to its exit) ranks between the address-space
/// lock and `dh_lock`, as the seed's comment at 1759-1764 requires: one
/// enter for the whole range, before any handle. It is not a lock object;
/// the suite checks it as DEVMAP-K1.
///
/// `devmap_ctx_rele` drops the context mutex around `untimeout` (3028-3030),
/// because `untimeout` waits for a running `devmap_ctxto`, which takes it
/// (347); `devmapctx_lock` stays held, and the callout never takes it. No
/// tryenter, no exceptions.
pub static LOCK_ORDER: LockOrder = LockOrder {
    subsystem: "devmap",
    ranks: RANKS,
    exceptions: &[],
};

/// The ranks of [`LOCK_ORDER`] (shared with the kernel-wide order).
pub(crate) const RANKS: &[&[&str]] = &[
    &[AS_LOCK],
    &[SLIST, CTXLIST],
    &[DH],
    &[SDP],
    &[SOFTLOCK, CTX, FREEMEM, KPMEM, AS_CONTENTS, DRIVER],
];

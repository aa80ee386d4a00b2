//! The paged-vnode page walk and write-back of `vm_pvn.c` (seed
//! `003_91dc4e2dd906672d.txt`; line numbers are the seed file's own).
//!
//! How dirty file pages are found and written back (fsync, msync, sync,
//! the page-out of a vnode): `pvn_vplist_dirty` walks the vnode's page
//! ring from the tail toward the head with a marker page, dropping the
//! vnode page mutex whenever it must block and finding its place again
//! from the marker, while other threads create, destroy, lock and dirty
//! pages; `pvn_getdirty` decides per page; `pvn_write_done` finishes each
//! write, and must not lose a write a CPU makes through a mapping while it
//! is in flight (`ck_refmod`); on a `VMODSORT` vnode modified pages stay
//! at the tail and clean ones at the head, so an fsync may stop at the
//! first clean page.
//!
//! The port runs on the VM layer (`crate::vm`): pages with their locks and
//! I/O locks, `p_nrm`, the vnode's ring and `VVMLOCK`
//! (`crate::vm::vnode::VnodeState`), and a HAT (the kmap stand-in or the
//! htable port) whose MMU sets REF/MOD as CPUs write.
//!
//! # Locks
//!
//! Keys used in field docs: (L) `v_lock`, (V) the vnode page mutex, (P)
//! the page lock, (I) the page's I/O lock, (S) `page_struct_lock`, (M)
//! the mapping-list mutex, (c) constant, (u) also read unlocked on
//! purpose, (g) ghost. Order: [`LOCK_ORDER`] (`VVMLOCK` -> page -> I/O
//! lock -> mapping list -> vnode page mutex; the vnode page mutex before a
//! page only by `page_lock`'s drop-and-fail or a try; shared to exclusive
//! only by `page_tryupgrade`).
//!
//! # Seed functions
//!
//! | seed (vm_pvn.c, seed lines) | port |
//! |---|---|
//! | `pvn_read_kluster` 90-222 | [`Pvn::pvn_read_kluster`] (kluster.rs) |
//! | `pvn_write_kluster` 234-299 | `Pvn::pvn_write_kluster` (kluster.rs) |
//! | `pvn_io_done` 305-316 | [`Pvn::pvn_io_done`] (kluster.rs) |
//! | `pvn_read_done` 323-339 | [`Pvn::pvn_read_done`] (kluster.rs) |
//! | `pvn_write_done` 360-566 | `Pvn::pvn_write_done`, `free_after_write` (write_done.rs) |
//! | `pvn_getdirty` 581-685 | `Pvn::pvn_getdirty` (getdirty.rs) |
//! | `marker_constructor`, `pvn_init` 689-706 | markers are ring entries (`crate::vm::vplist::Marker`) |
//! | `pvn_vplist_dirty` 738-986 | [`Pvn::pvn_vplist_dirty`], `walk` (walk.rs) |
//! | `pvn_vplist_setdirty` 996-1038 | [`Pvn::pvn_vplist_setdirty`] (setdirty.rs) |
//! | `pvn_plist_init` 1158-1211 | its I/O unlock and downgrade, in the fault stand-in [`Pvn::fault`] |
//! | `VN_DISPOSE`, `page_release`, `page_destroy_free` (callers' and vm_page.c's) | `Pvn::vn_dispose`, `Pvn::page_release`, `Pvn::page_destroy_free` (dispose.rs) |
//! | putapage, `VOP_PUTPAGE`, the device, a segment fault, CPUs, read-ahead, mlock (stand-ins) | standin.rs |
//!
//! Not ported: `pvn_vpzero` (segmap's), `pvn_getpages` (a loop over the
//! file system's getpage), kstats and `CPU_STATS`, the swap vnode case of
//! `pvn_write_kluster` (257), DEBUG's `PVN_VPLIST_HASH_TAG` constructor.
//!
//! Findings: see CHECKS.md ("pvn"), each with a [`Fixes`] field.

mod checks;
mod dispose;
mod getdirty;
mod ghost;
mod kluster;
pub mod mutants;
pub(crate) mod order;
mod setdirty;
mod standin;
mod state;
mod walk;
mod windows;
mod write_done;

pub use checks::*;
pub use order::LOCK_ORDER;
pub use state::*;
pub use windows::*;

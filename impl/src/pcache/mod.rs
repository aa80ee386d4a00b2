//! The segment page-lock cache of `vm_seg.c` (seed
//! `001_e0faa43709a4c006.txt`; line numbers are the seed file's own).
//!
//! pcache keeps the shadow lists (`page_t **` arrays of locked pages) that
//! `as_pagelock` built, so that a repeated pagelock of the same range (raw
//! I/O, AIO, DISM) skips the page-lock work. Entries hang on hash buckets
//! (non-wired ones hashed by tag and address, wired ones by tag), and
//! non-wired ones also on their segment's or anon map's P-list, so a purge
//! of one segment need not walk the table. Buckets with entries are on
//! one of two active lists: inserts and removals use the current one, and
//! the async purge thread walks the other without `seg_pmem_mtx`, then
//! swaps their roles.
//!
//! # Locks
//!
//! Keys used in field docs (see [`state`](self) for every field):
//! (A) `seg_pasync_mtx`, (P) the seg/amp list mutex, (B) the bucket mutex,
//! (M) `seg_pmem_mtx`, (D) `seg_pcache_mtx`, (T) the async thread's list
//! while `seg_pathr_on`, (S) the stand-in `a_contents`, (u) read unlocked
//! on purpose. Order: [`LOCK_ORDER`] (A -> P -> B -> M, D a leaf, B -> P by try
//! only).
//!
//! # Seed functions
//!
//! | seed (vm_seg.c, seed lines) | port |
//! |---|---|
//! | `seg_padd_abuck` 285-337 | `Pcache::padd_abuck` |
//! | `seg_premove_abuck` 339-411 | `Pcache::premove_abuck` |
//! | `seg_plookup_checkdup` 422-456 | `Pcache::plookup_checkdup` |
//! | `seg_plookup` 463-515 | [`Pcache::seg_plookup`] |
//! | `seg_pinactive` 524-728 | `Pcache::seg_pinactive` |
//! | `seg_pinsert_check` 739-769 | [`Pcache::seg_pinsert_check`] |
//! | `seg_pinsert` 800-931 | `Pcache::seg_pinsert` |
//! | `seg_ppurge_async` 937-1188 | [`Pcache::seg_ppurge_async`] |
//! | `seg_ppurge_wiredpp` 1195-1262 | [`Pcache::seg_ppurge_wiredpp`] |
//! | `seg_ppurge` 1269-1363 | [`Pcache::seg_ppurge`] |
//! | `seg_pinit` 1370-1494 | [`Pcache::new`] with [`PcacheConfig`] |
//! | `seg_preap` 1499-1519 | [`Pcache::seg_preap`] |
//! | `seg_pasync_thread` 1525-1554 | [`Pcache::seg_pasync_thread`] |
//! | `seg_alloc` 1583-1616, `seg_unmap` 1646-1665, `seg_free` 1676-1695 | [`Pcache::seg_alloc`], [`Pcache::seg_unmap`], [`Pcache::seg_free`] |
//! | `seg_p_enable` 1706-1713, `seg_p_disable` 1721-1750 | [`Pcache::seg_p_enable`], [`Pcache::seg_p_disable`] |
//! | segvn_pagelock / segvn_reclaim (callers) | [`Pcache::pagelock`], [`Pcache::pageunlock`], `standin::reclaim` |
//!
//! Deviations: lengths and addresses are in pages; no time passes, so
//! every entry is younger than `seg_pmax_pcpage` (a referenced entry
//! always gets its second chance) and free memory is a fixed
//! [`Memory`] state; the purge thread runs a bounded number of rounds.
//! The seed's `seg_plookup` does no aging: `p_ref` is set by
//! `seg_pinactive` (646-647, 669-670) and cleared by the async walk
//! (1074).
//!
//! Findings: P1 (PCACHE-J7, `seg_p_disable` can succeed with an insert
//! still landing) and P2 (PCACHE-REAP, `seg_preap`'s wakeup lost while the
//! purge thread purges), each with a [`Fixes`] field; see `control`.

mod abuck;
mod checks;
mod control;
mod entry;
mod inactive;
mod insert;
mod lookup;
pub mod mutants;
pub(crate) mod order;
mod purge;
mod purge_async;
mod standin;
mod state;
mod windows;

pub use checks::*;
pub use order::LOCK_ORDER;
pub use standin::{Locked, Request};
pub use state::{Fixes, Memory, Pcache, PcacheConfig, Tag};
pub use windows::*;

//! htable.c (illumos `usr/src/uts/i86pc/vm/htable.c`, seed
//! `004_5ca0992373f9d22d.txt`; line numbers are the seed's): x86 page
//! table management, ported against the model's machine (PTEs as atomics,
//! per-CPU TLBs and paging-structure caches, shootdowns) and its
//! lifetime-tracked kmem caches.
//!
//! # State and locks
//!
//! Lock keys used in the field docs:
//!
//! * (B) the bucket mutex `htable_mutex[h % mutexes]` of the htable's hash
//!   `h`: hash chains, `ht_busy`.
//! * (H) the hat's `hat_mutex`: the hat's cached list.
//! * (L) `hat_list_lock`: the hat list, HAT_VICTIM / HAT_FREEING changes.
//! * (R) `htable_reserve_mutex`: the reserve pool and count.
//! * (M) a page's mapping-list mutex (`x86_hm_enter`): its hments.
//! * (a) atomic; (o) changed only by the htable's exclusive owner (see
//!   `Owned`); (c) constant after creation.
//!
//! The lock order is [`LOCK_ORDER`]; the checks are [`HTABLE_H1`] to
//! [`HTABLE_H10`] and [`HTABLE_L1`] (finding L1).
//!
//! Data and operations live apart: `world` (the globals, [`Config`]),
//! `hat` (`hat_t` and the hat.h flags), `ht` (`htable_t`), `ids`, `owned`
//! and `ghost` declare state; every other file adds operations to
//! [`World`] and imports the data files, never one another's data, so no
//! module imports another in a circle.
//!
//! # Seed functions
//!
//! | seed (htable.c lines) | port |
//! |---|---|
//! | `ptable_alloc` 267-311, `ptable_free` 317-351 | `World::ptable_alloc`, `World::ptable_free` |
//! | `htable_put_reserve` 356-367, `htable_get_reserve` 372-388 | `World::htable_put_reserve`, `World::htable_get_reserve` |
//! | `htable_initial_reserve` 393-408, `htable_adjust_reserve` 413-429 | [`World::htable_initial_reserve`], [`World::htable_adjust_reserve`] |
//! | `htable_steal_active` 435-532, `move_victim` 537-561 | `World::htable_steal_active`, `World::move_victim` |
//! | `htable_steal` 567-707, `htable_reap` 714-754 | `World::htable_steal`, [`World::htable_reap`] |
//! | `htable_alloc` 759-952, `htable_free` 958-1007 | `World::htable_alloc`, `World::htable_free` |
//! | `htable_purge_hat` 1017-1068 | [`World::htable_purge_hat`] |
//! | `unlink_ptp` 1074-1112, `link_ptp` 1118-1146 | `World::unlink_ptp`, `World::link_ptp` |
//! | `htable_release` 1159-1261 | [`World::htable_release`] |
//! | `htable_lookup` 1267-1304, `htable_acquire` 1309-1334 | [`World::htable_lookup`], `World::htable_acquire` |
//! | `htable_create` 1345-1460 | [`World::htable_create`] |
//! | `htable_attach` 1467-1574 | `World::htable_attach` (boot, [`Config::kernel`]) |
//! | `htable_scan` 1591-1644, `htable_walk` 1655-1752 | `World::htable_scan`, `World::htable_walk` |
//! | `htable_getpte` 1760-1786 | [`World::htable_getpte`] |
//! | `htable_va2entry` 1839-1847, `htable_e2va` 1853-1871 | `World::va2entry`, `World::e2va` |
//! | `x86pte_access_pagetable` / `x86pte_mapin` 1927-2006, `x86pte_release_pagetable` / `x86pte_mapout` 2011-2047 | `World::x86pte_access_pagetable`, `World::x86pte_release_pagetable` |
//! | `x86pte_get` 2052-2066, `x86pte_set` 2078-2154 | [`World::x86pte_get`], [`World::x86pte_set`] |
//! | `x86pte_cas` 2162-2208 | `World::x86pte_cas` |
//! | `x86pte_inval` 2218-2280, `x86pte_update` 2285-2328 | [`World::x86pte_inval`], [`World::x86pte_update`] |
//! | `x86pte_copy` 2336-2381 | `World::x86pte_copy` (from `hat_alloc`) |
//! | `x86pte_zero` 2424-2474 | `World::x86pte_zero` |
//!
//! Stand-ins for hat_i86.c / hment.c: [`World::hat_alloc`],
//! [`World::hat_free_start`], [`World::hat_free_end`], `hat_enter` /
//! `hat_exit`, `hat_tlb_inval`, [`World::hat_memload`] (`hati_load_common`
//! with `hati_pte_map`), [`World::hat_unload`] (`hat_unload_callback` without callbacks),
//! `hat_pte_unmap`, [`World::hat_pageunload`] (`hati_page_unmap`),
//! [`World::hati_page_clrwrt`] (`hati_update_pte`),
//! `hati_sync_pte_to_page`, [`World::hat_share`], [`World::hat_unshare`];
//! for kmem.c: [`World::kmem_reap`] (`kmem_reap_common`, `kmem_reap_start`
//! on `kmem_taskq`).

mod alloc;
mod checks;
mod ghost;
mod hash;
mod hat;
mod hat_i86;
mod hment;
mod ht;
mod ids;
mod kernel;
mod kmem;
mod large;
mod lookup;
pub mod mutants;
pub(crate) mod order;
mod owned;
mod pte;
mod ptp;
mod quiescent;
mod reserve;
mod share;
mod steal;
mod walk;
pub mod windows;
mod world;
mod x86hat;

pub use crate::vm::page::PageId;
pub use crate::vm::page::{P_MOD, P_REF};
pub use checks::*;
pub use hat::{HAT_LOAD_LOCK, HAT_LOAD_SHARE, HAT_UNLOAD_UNLOCK};
pub use ht::LPAGE_ERROR;
pub use ids::{HatId, Ht};
pub use order::LOCK_ORDER;
pub use windows::{Window, WINDOWS};
pub use world::{Config, World, MMU_PAGESIZE, PFN_BASE};
pub use x86hat::X86Hat;

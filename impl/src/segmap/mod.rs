//! The segmap slot cache of `seg_map.c` (seed 000), ported with segkpm off.
//!
//! segmap hands out MAXBSIZE windows of kernel address space onto
//! (vnode, offset) ranges. Each window is a slot (`struct smap`) that keeps
//! its identity (its tag) after release, so a later `getmap` of the same
//! range can reclaim it. Three kinds of mutexes protect the cache
//! (seg_map.c:228-251): one per slot, one per hash chain and one per free
//! queue; [`LOCK_ORDER`] is their order.
//!
//! | seed | port |
//! |---|---|
//! | `segmap_create` 301-477 | [`Segmap::create`] |
//! | `segmap_getmap` 1579-1583 | [`Segmap::getmap`] |
//! | `segmap_getmapflt` 1599-1975 | [`Segmap::getmapflt`] |
//! | `segmap_release` 1977-2123 | [`Segmap::release`] |
//! | `segmap_smapadd` 927-986 | `Segmap::smapadd` |
//! | `segmap_hashin` 989-1046 | `Segmap::hashin` |
//! | `segmap_hashout` 1048-1088 | `Segmap::hashout` |
//! | `grab_smp` 1124-1183 | `Segmap::grab_smp` |
//! | `get_free_smp` 1185-1362 | `Segmap::get_free_smp` |
//! | `segmap_pagefree` 1094-1117 | `Segmap::pagefree` |
//! | `segmap_pagecreate` 1379-1491 | [`Segmap::pagecreate`] |
//! | `segmap_pageunlock` 1493-1577 | [`Segmap::pageunlock`] |
//! | `segmap_fault` 582-770 | [`Segmap::fault`] |
//! | `segmap_unlock` 490-571 | `Segmap::segmap_unlock` |
//!
//! The page layer is a stand-in over the model's page lock (`page`), and
//! the HAT and `VOP_PUTPAGE` are trace-only stand-ins (`standin`) until a
//! HAT on the MMU model exists. Not ported yet: segkpm (`get_smap_kpm`,
//! `segmap_pagecreate_kpm`, the kpm branches of getmapflt, release,
//! get_free_smp and grab_smp).

mod checks;
mod consts;
mod fault;
mod freelist;
mod getmap;
mod hash;
mod kpm;
mod kpm_getmap;
mod kpm_release;
mod order;
mod page;
mod pagecreate;
mod release;
mod standin;
mod state;
mod vnode;
mod word;

pub use checks::*;
pub use consts::*;
pub use kpm::KPM_BASE;
pub use order::LOCK_ORDER;
pub use page::{PageUniverse, PAGE};
pub use state::{Fixes, Segmap, SegmapConfig, CHAIN, FREE_CV, QUEUE, SLOT};
pub use vnode::Vnode;

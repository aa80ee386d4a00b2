//! The segmap slot cache of `seg_map.c` (seed 000), with segkpm off or on
//! ([`SegmapConfig::kpm`], the seed's `segmap_kpm`).
//!
//! segmap hands out MAXBSIZE windows of kernel address space onto
//! (vnode, offset) ranges. Each window is a slot (`struct smap`) that keeps
//! its identity (its tag) after release, so a later `getmap` of the same
//! range can reclaim it. Three kinds of mutexes protect the cache
//! (seg_map.c:228-251): one per slot, one per hash chain and one per free
//! queue; [`LOCK_ORDER`] is their order.
//!
//! With segkpm on, a window taken for reading or writing is the kpm
//! address of its page, which the caller holds locked until the release;
//! a free slot keeps a kpm mapping entry (kpme) naming its page, and the
//! allocator takes it only with that page locked. The logic is written
//! once and branches where the seed tests `segmap_kpm` (`kpm`,
//! `kpm_getmap`, `kpm_release`).
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
//! | `hat_memload`, `hat_unload`, `hat_unlock`, `hat_probe` of `kas` (hat_i86.c) | `Segmap::hat_memload`, `Segmap::hat_unload`, `Segmap::hat_unlock`, `Segmap::hat_probe` |
//! | a CPU's access through a window, faulting into `segmap_fault` | [`Segmap::access`] |
//! | `segmap_pagecreate_kpm` 2213-2271 | `Segmap::pagecreate_kpm` |
//! | `get_smap_kpm` 2277-2332 | `Segmap::get_smap_kpm` |
//! | kpm branches: getmapflt 1643-1646, 1742-1748, 1803-1809, 1815-1951 | `Segmap::getmap_kpm` |
//! | release 1989-2021, 2087-2097, 2109-2110 | `Segmap::release_kpm_enter`, `release_kpm_inval`, `release_kpm_page`, `mapout_validkpme` |
//! | get_free_smp 1294-1322, grab_smp 1146-1173 | `Segmap::kpm_try_slot`, `Segmap::grab_kpm` |
//! | fault 604-676, pagecreate 1395-1415, pageunlock 1509-1527 | `Segmap::fault_kpm`, `pagecreate_kpm_addr`, `pageunlock_kpm` |
//!
//! With segkpm off the windows are mapped for real on the model's MMU
//! (`hat`) by the segment's HAT (`crate::vm::hat`): the kmap stand-in
//! (`crate::vm::kmap`: a fixed kernel page table, PTEs installed by CAS,
//! cleared with a shootdown of every CPU and REF/MOD synced into the page)
//! or the htable port as the x86 HAT ([`Segmap::create_on`] with
//! `crate::htable::X86Hat`); holders read and write through their windows
//! on the CPU they run on ([`SEGMAP_XLATE`], [`SEGMAP_MODLOST`]).
//! With segkpm on ([`SegmapConfig::kpm`]) `getmapflt` hands out kpm
//! addresses; the kpm HAT calls (`hat_kpm_mapin`, `hat_kpm_mapout`, the kpm
//! part of `hat_pageunload`) are stand-ins with sfmmu's kpme bookkeeping
//! (see `kpm` for why not x86's). Pages, vnodes and the page operations
//! are the VM layer's (`crate::vm`; `segmap_pagefree` in `page`), and
//! `VOP_PUTPAGE` a trace-only stand-in (`standin`). The sequential
//! reference model is `spec`; the race windows and counters the scenarios
//! reach are typed constants with their seed lines in [`windows`].
//!
//! The port is the seed as written. Its six findings (F1-F4 in
//! `freelist`, F5 in `kpm`, F6 in `kpm_release`) each have a minimal fix,
//! a field of [`Fixes`] that scenarios turn on by name.

mod checks;
mod consts;
mod fault;
mod freelist;
mod getmap;
mod hash;
mod hat;
mod kpm;
mod kpm_getmap;
mod kpm_release;
pub mod mutants;
pub(crate) mod order;
mod page;
mod pagecreate;
mod release;
pub mod spec;
mod standin;
mod state;
pub mod windows;

pub use crate::vm::page::{PageUniverse, PAGE, PFN_BASE};
pub use crate::vm::vnode::Vnode;
pub use checks::*;
pub use consts::*;
pub use kpm::KPM_BASE;
pub use order::LOCK_ORDER;
pub use state::{Fixes, Segmap, SegmapConfig, CHAIN, FREE_CV, QUEUE, SLOT};

//! The page layer segmap calls (vm_page.c is not a seed): a stand-in page
//! cache with the page lock primitive (`model::sync::PageLock`).
//!
//! Pages exist for a fixed universe of vnodes and MAXBSIZE blocks, chosen
//! when the segment is created (none by default: then every lookup misses,
//! as when no page of the file is in memory). A page is "hashed" (in the
//! page cache) or not; `page_create_va` hashes it, `page_release` of a
//! clean page frees it. Page `i` has frame number [`PFN_BASE`]` + i`, which
//! is what the HAT (`super::hat`) puts in a window's PTE. Deviations from
//! illumos: no page hash mutex (the unlocked look at `hashed` stands for
//! the hash walk and is re-checked under the page lock), no I/O lock, no
//! free lists or reclaim, no `p_lckcnt`; the mapping list (`p_mapping`,
//! `p_share`) is a count of translations, which is all `page_release`
//! looks at (`hat_page_is_mapped`). `page_release` (vm_page.c, not a seed)
//! keeps a mapped page (PGREL_NOTREL), frees an unmapped clean one
//! (PGREL_CLEAN) and keeps an unmapped modified one (PGREL_MOD).
//!
//! Lock keys: (P) the page's lock, exclusive to write, any mode to read;
//! (a) atomic; (g) ghost.

use super::checks::SEGMAP_MODLOST;
use super::consts::{MAXBSIZE, PAGESIZE};
use super::word::Word;
use super::Segmap;
use crate::htable::{P_MOD, P_REF};
use model::check::{fail, SYNC_UNLOCKED};
use model::machine::pte::{PT_MOD, PT_REF};
use model::sync::{AtomicU32, Ordering::Relaxed, PageLock, Se};
use model::{cover, seed};
use std::sync::atomic::{AtomicBool as GhostBool, Ordering::SeqCst};

/// The lock class of pages (rank 0 of [`super::LOCK_ORDER`]).
pub const PAGE: &str = "page";

/// Which pages exist: vnodes `1..=vnodes`, blocks `0..blocks`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageUniverse {
    pub vnodes: u32,
    pub blocks: u64,
    /// Blocks (bit `n`: block `n` of every vnode) that are holes: in the
    /// file but with no disk blocks behind them, so `VOP_GETPAGE` grants
    /// their pages less than `PROT_ALL` (no `PROT_WRITE`).
    pub holes: u64,
}

/// The frame number of page 0 (page `i` is frame `PFN_BASE + i`).
pub const PFN_BASE: u64 = 0x100;

/// One `page_t`, identified by (vnode, offset) for its whole life.
pub(crate) struct Page {
    /// `p_selock`.
    pub(crate) lock: PageLock,
    /// (P) on its vnode's page list (`p_vnode` set and hashed).
    hashed: Word,
    /// (a; cleared under P exclusive when the page is created) `p_nrm`:
    /// `P_REF` and `P_MOD`, set by `hat_setmod` and by the HAT when it
    /// unloads a translation (`hati_sync_pte_to_page`), with no page lock.
    nrm: AtomicU32,
    /// (a) translations to the page: the stand-in for the mapping list
    /// (`p_mapping`, `p_share`) that `hat_page_is_mapped` reads. The HAT
    /// counts one when it makes a window's PTE map the page and uncounts
    /// it after the PTE is invalidated and its REF/MOD synced.
    mapped: AtomicU32,
    /// (g) a CPU wrote the page through a window since it was created
    /// (for [`SEGMAP_MODLOST`]).
    written: GhostBool,
}

/// The pages of a segment's universe.
pub(crate) struct Pages {
    universe: PageUniverse,
    pages: Vec<Page>,
}

const PER_BLOCK: u64 = MAXBSIZE / PAGESIZE;

impl Page {
    fn held(&self, excl: bool, what: &str) {
        let ok = if excl {
            self.lock.held() && self.lock.excl()
        } else {
            self.lock.held()
        };
        if !ok {
            fail(
                SYNC_UNLOCKED,
                format!("{what} of {:?} without its page lock", self.lock),
            );
        }
    }

    fn set_hashed(&self, v: bool) {
        self.held(true, "page hash in/out");
        self.hashed.write(u64::from(v), &[]);
    }

    fn is_hashed(&self) -> bool {
        self.held(false, "page identity check");
        self.hashed.hint() != 0
    }
}

impl Pages {
    pub(crate) fn new(universe: PageUniverse) -> Self {
        let n = u64::from(universe.vnodes) * universe.blocks * PER_BLOCK;
        let pages = (0..n as u32)
            .map(|i| Page {
                lock: PageLock::new(PAGE, i),
                hashed: Word::new("page.hashed", i, 0),
                nrm: AtomicU32::new("page.nrm", i, 0),
                mapped: AtomicU32::new("page.mapped", i, 0),
                written: GhostBool::new(false),
            })
            .collect();
        Pages { universe, pages }
    }

    /// The page of (vnode, offset), if the universe has one.
    pub(crate) fn index(&self, vp: u64, off: u64) -> Option<usize> {
        let (vp, block) = (vp, off / MAXBSIZE);
        if vp == 0 || vp > u64::from(self.universe.vnodes) || block >= self.universe.blocks {
            return None;
        }
        Some((((vp - 1) * self.universe.blocks * PER_BLOCK) + off / PAGESIZE) as usize)
    }

    /// Whether the page at `off` lies in a hole of its file.
    pub(crate) fn in_hole(&self, off: u64) -> bool {
        let block = off / MAXBSIZE;
        block < 64 && self.universe.holes & (1 << block) != 0
    }

    /// Whether (vnode, offset) is in the universe (the file has that page).
    pub(crate) fn exists(&self, vp: u64, off: u64) -> bool {
        self.index(vp, off).is_some()
    }

    pub(crate) fn page(&self, pp: usize) -> &Page {
        &self.pages[pp]
    }

    /// Number of pages in the universe.
    pub(crate) fn count(&self) -> usize {
        self.pages.len()
    }

    /// `(p_vnode, p_offset)` of page `pp` (fixed for its life here).
    pub(crate) fn identity(&self, pp: usize) -> (u64, u64) {
        let per_vnode = self.universe.blocks * PER_BLOCK;
        let pp = pp as u64;
        (pp / per_vnode + 1, (pp % per_vnode) * PAGESIZE)
    }

    /// `page_trylock(pp, se)` of a page found by other means than its
    /// identity (a kpme, seg_map.c:1303, 1840).
    #[track_caller]
    pub(crate) fn trylock(&self, pp: usize, se: Se) -> bool {
        self.pages[pp].lock.page_trylock(se)
    }

    /// `PP_ISFREE` of a page the caller holds locked: not in the page cache.
    pub(crate) fn is_free(&self, pp: usize) -> bool {
        !self.pages[pp].is_hashed()
    }

    /// `hat_page_getattr(pp, P_MOD | P_REF) == (P_MOD | P_REF)` of a page the
    /// caller holds (kpm accesses set no reference bit in the model, and
    /// `hat_setref` is a no-op: a page counts as referenced).
    pub(crate) fn is_modified(&self, pp: usize) -> bool {
        let p = &self.pages[pp];
        p.held(false, "hat_page_getattr");
        p.nrm.load(Relaxed) & P_MOD != 0
    }

    /// `page_lookup(vp, off, se)`: the hashed page, locked `se`, or `None`.
    pub(crate) fn lookup(&self, vp: u64, off: u64, se: Se) -> Option<usize> {
        let pp = self.index(vp, off)?;
        let p = &self.pages[pp];
        if p.hashed.hint() == 0 {
            return None;
        }
        p.lock.page_lock(se, None);
        if p.is_hashed() {
            Some(pp)
        } else {
            // Freed while we waited for its lock.
            p.lock.page_unlock();
            None
        }
    }

    /// `page_lookup_nowait(vp, off, se)`: as `lookup`, but only tries the
    /// page lock.
    pub(crate) fn lookup_nowait(&self, vp: u64, off: u64, se: Se) -> Option<usize> {
        let pp = self.index(vp, off)?;
        let p = &self.pages[pp];
        if p.hashed.hint() == 0 {
            return None;
        }
        if !p.lock.page_trylock(se) {
            cover("segmap.page_busy");
            return None;
        }
        if p.is_hashed() {
            Some(pp)
        } else {
            p.lock.page_unlock();
            None
        }
    }

    /// `page_find(vp, off)`: the hashed page the caller already holds
    /// locked (SYNC-UNLOCKED if it does not).
    pub(crate) fn find(&self, vp: u64, off: u64) -> Option<usize> {
        let pp = self.index(vp, off)?;
        self.pages[pp].is_hashed().then_some(pp)
    }

    /// `page_create_va(vp, off, PAGESIZE, PG_WAIT, ...)`: the page, locked
    /// exclusive and hashed (created unless a racing creator did).
    pub(crate) fn create(&self, vp: u64, off: u64) -> usize {
        let pp = self.index(vp, off).unwrap_or_else(|| {
            panic!("page_create_va: (vp {vp}, off {off:#x}) outside the page universe")
        });
        let p = &self.pages[pp];
        p.lock.page_lock(Se::Excl, None);
        if !p.is_hashed() {
            p.set_hashed(true);
            p.nrm.store(0, Relaxed);
            p.written.store(false, SeqCst);
        }
        pp
    }

    /// `page_release(pp, 1)` of a page the caller holds exclusive: keeps a
    /// mapped page, frees a clean one, keeps a modified one; unlocks it.
    /// Freeing a page written through a window fails [`SEGMAP_MODLOST`]:
    /// that write is never written back. `freeing` runs just before a page
    /// is freed, with its lock still held (a page freed and unlocked may at
    /// once be created again under the same index).
    pub(crate) fn release(&self, pp: usize, freeing: impl FnOnce()) -> Release {
        let p = &self.pages[pp];
        p.held(true, "page_release");
        // `hat_page_is_mapped`, then `hat_ismod`: with the page exclusive
        // nobody maps it anew, and an unmapped page's REF/MOD are in p_nrm.
        let mapped = p.mapped.load(Relaxed) != 0;
        // Wrong (mutant): frees the page although a window still maps it.
        let r = if mapped && !model::mutant("release-frees-mapped") {
            Release::NotRel
        } else if p.nrm.load(Relaxed) & P_MOD != 0 {
            Release::Mod
        } else {
            if p.written.load(SeqCst) {
                fail(
                    SEGMAP_MODLOST,
                    format!(
                        "page {pp} freed as clean by thread {}, but a CPU wrote it through a window: the write is lost",
                        model::exec::tid()
                    ),
                );
            }
            freeing();
            p.set_hashed(false);
            Release::Clean
        };
        p.lock.page_unlock();
        r
    }

    /// `hat_setmod` / `hat_setrefmod` on a page the caller holds.
    pub(crate) fn setmod(&self, pp: usize) {
        let p = &self.pages[pp];
        p.held(false, "hat_setmod");
        p.nrm.fetch_or(P_MOD, Relaxed);
    }

    /// `hati_sync_pte_to_page`: the REF/MOD bits of the invalidated entry
    /// `pte` into page `pp`'s `p_nrm` (no page lock).
    pub(crate) fn sync_pte(&self, pp: usize, pte: u64) {
        let rm =
            if pte & PT_REF != 0 { P_REF } else { 0 } | if pte & PT_MOD != 0 { P_MOD } else { 0 };
        if rm != 0 {
            self.pages[pp].nrm.fetch_or(rm, Relaxed);
        }
    }

    /// The HAT made (`true`) or removed a translation to page `pp`.
    pub(crate) fn map_count(&self, pp: usize, up: bool) {
        let m = &self.pages[pp].mapped;
        if up {
            m.fetch_add(1, Relaxed);
        } else {
            m.fetch_sub(1, Relaxed);
        }
    }

    /// A CPU wrote page `pp` through a window (ghost).
    pub(crate) fn wrote(&self, pp: usize) {
        self.pages[pp].written.store(true, SeqCst);
    }

    /// Pages written through a window whose modification is not in their
    /// `p_nrm`, with whether they are still hashed (checks, at a quiescent
    /// point: reads `p_nrm`).
    pub(crate) fn unsynced_writes(&self) -> Vec<(usize, bool)> {
        self.pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.written.load(SeqCst) && p.nrm.load(Relaxed) & P_MOD == 0)
            .map(|(i, p)| (i, p.hashed.peek() != 0))
            .collect()
    }

    /// The page locks, for the quiescent check.
    pub(crate) fn locks(&self) -> impl Iterator<Item = &PageLock> {
        self.pages.iter().map(|p| &p.lock)
    }
}

/// What `page_release` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Release {
    Clean,
    Mod,
    NotRel,
}

impl Segmap {
    /// `segmap_pagefree` (seg_map.c:1094-1117): with the slot mutex held
    /// (from grab_smp), free what can be freed of the old identity's pages.
    /// The page lock ranks before the slot mutex, so pages are only tried
    /// (`page_lookup_nowait`, seg_map.c:1102); a busy page is left alone.
    pub(crate) fn pagefree(&self, vp: u64, off: u64) {
        let mut pgoff = off;
        while pgoff < off + MAXBSIZE {
            seed("seg_map.c:1102");
            let pp = if model::mutant("pagefree-blocking") {
                // Wrong: blocks on the page lock with the slot mutex held.
                self.pages.lookup(vp, pgoff, Se::Excl)
            } else {
                self.pages.lookup_nowait(vp, pgoff, Se::Excl)
            };
            if let Some(pp) = pp {
                // MMU-STALE-TLB: no CPU may translate to a page freed.
                match self.pages.release(pp, || self.assert_untranslated(pp)) {
                    Release::Mod => cover("segmap.free_dirty"),
                    Release::Clean => cover("segmap.free"),
                    Release::NotRel => cover("segmap.free_mapped"),
                }
            }
            pgoff += PAGESIZE;
        }
    }
}

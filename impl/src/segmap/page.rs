//! The page layer segmap calls (vm_page.c is not a seed): a stand-in page
//! cache with the page lock primitive (`model::sync::PageLock`).
//!
//! Pages exist for a fixed universe of vnodes and MAXBSIZE blocks, chosen
//! when the segment is created (none by default: then every lookup misses,
//! as when no page of the file is in memory). A page is "hashed" (in the
//! page cache) or not; `page_create_va` hashes it, `page_release` of a
//! clean page frees it. Deviations from illumos: no page hash mutex (the
//! unlocked look at `hashed` stands for the hash walk and is re-checked
//! under the page lock), no I/O lock, no free lists or reclaim, no
//! `p_lckcnt`; `page_release` frees a clean page (PGREL_CLEAN) and keeps a
//! modified one (PGREL_MOD), and the stand-in HAT has no mappings that
//! could keep a page (PGREL_NOTREL is never returned).
//!
//! Lock keys: (P) the page's lock, exclusive to write, any mode to read.

use super::consts::{MAXBSIZE, PAGESIZE};
use super::word::Word;
use super::Segmap;
use model::check::{fail, SYNC_UNLOCKED};
use model::sync::{PageLock, Se};
use model::{cover, seed};

/// The lock class of pages (rank 0 of [`super::LOCK_ORDER`]).
pub const PAGE: &str = "page";

/// Which pages exist: vnodes `1..=vnodes`, blocks `0..blocks`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageUniverse {
    pub vnodes: u32,
    pub blocks: u64,
}

/// One `page_t`, identified by (vnode, offset) for its whole life.
pub(crate) struct Page {
    /// `p_selock`.
    pub(crate) lock: PageLock,
    /// (P) on its vnode's page list (`p_vnode` set and hashed).
    hashed: Word,
    /// (P) modified since last written back (`P_MOD`).
    modified: Word,
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
                modified: Word::new("page.modified", i, 0),
            })
            .collect();
        Pages { universe, pages }
    }

    /// The page of (vnode, offset), if the universe has one.
    fn index(&self, vp: u64, off: u64) -> Option<usize> {
        let (vp, block) = (vp, off / MAXBSIZE);
        if vp == 0 || vp > u64::from(self.universe.vnodes) || block >= self.universe.blocks {
            return None;
        }
        Some((((vp - 1) * self.universe.blocks * PER_BLOCK) + off / PAGESIZE) as usize)
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
    /// caller holds (the model keeps no reference bit: a page counts as
    /// referenced).
    pub(crate) fn is_modified(&self, pp: usize) -> bool {
        let p = &self.pages[pp];
        p.held(false, "hat_page_getattr");
        p.modified.hint() != 0
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
            p.modified.write(0, &[]);
        }
        pp
    }

    /// `page_release(pp, 1)` of a page the caller holds exclusive: frees a
    /// clean page, keeps a modified one; unlocks it.
    pub(crate) fn release(&self, pp: usize) -> Release {
        let p = &self.pages[pp];
        p.held(true, "page_release");
        let r = if p.modified.hint() != 0 {
            Release::Mod
        } else {
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
        p.modified.write(1, &[]);
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
                match self.pages.release(pp) {
                    Release::Mod => cover("segmap.free_dirty"),
                    Release::Clean => cover("segmap.free"),
                }
            }
            pgoff += PAGESIZE;
        }
    }
}

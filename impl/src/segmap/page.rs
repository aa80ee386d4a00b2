//! `segmap_pagefree` (seg_map.c:1094-1117) over the VM layer's pages
//! (`crate::vm::page`).

use super::checks::SEGMAP_MODLOST;
use super::consts::{MAXBSIZE, PAGESIZE};
use super::windows::{FREE, FREE_DIRTY, FREE_MAPPED, PAGE_BUSY};
use super::Segmap;
use crate::vm::page::Release;
use model::check::fail;
use model::sync::Se;
use model::{cover, seed};

impl Segmap {
    /// `segmap_pagefree` (seg_map.c:1094-1117): with the slot mutex held
    /// (from grab_smp), free what can be freed of the old identity's pages.
    /// The page lock ranks before the slot mutex, so pages are only tried
    /// (`page_lookup_nowait`, seg_map.c:1102); a busy page is left alone.
    pub(crate) fn pagefree(&self, vp: u64, off: u64) {
        let mut pgoff = off;
        while pgoff < off + MAXBSIZE {
            seed("seg_map.c:1102");
            let pp = if model::mutant(super::mutants::PAGEFREE_BLOCKING) {
                // Wrong: blocks on the page lock with the slot mutex held.
                self.pages.lookup(vp, pgoff, Se::Excl)
            } else {
                let busy = || cover(PAGE_BUSY.point);
                self.pages.lookup_nowait(vp, pgoff, Se::Excl, busy)
            };
            if let Some(pp) = pp {
                match self.page_release(pp) {
                    Release::Mod => cover(FREE_DIRTY.point),
                    Release::Clean => cover(FREE.point),
                    Release::NotRel => cover(FREE_MAPPED.point),
                }
            }
            pgoff += PAGESIZE;
        }
    }

    /// `page_release(pp, 1)` of a page the caller holds exclusive, asking
    /// the window HAT whether the page is mapped. Freeing a page written
    /// through a window fails [`SEGMAP_MODLOST`] (that write is never
    /// written back); no CPU may translate to a page freed
    /// (MMU-STALE-TLB).
    pub(crate) fn page_release(&self, pp: usize) -> Release {
        // Wrong (mutants): frees the page although a window still maps
        // it; asks the kmap stand-in's count, which only that HAT keeps,
        // instead of the segment's HAT.
        let mapped = if model::mutant(super::mutants::PAGE_MAPPED_KMAP_COUNT) {
            self.pages.kmap_mapped(pp)
        } else {
            self.hat.hat_page_is_mapped(pp)
        } && !model::mutant(super::mutants::RELEASE_FREES_MAPPED);
        self.pages.release(pp, mapped, |_| {
            if self.pages.was_written(pp) {
                fail(
                    SEGMAP_MODLOST,
                    format!(
                        "page {pp} freed as clean by thread {}, but a CPU wrote it through a window: the write is lost",
                        model::exec::tid()
                    ),
                );
            }
            self.assert_untranslated(pp);
        })
    }
}

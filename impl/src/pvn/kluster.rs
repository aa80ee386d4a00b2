//! Klustering and read completion: `pvn_write_kluster` (vm_pvn.c:234-299),
//! `pvn_read_kluster` (90-222), `pvn_io_done` (305-316), `pvn_read_done`
//! (323-339), as far as they touch shared state (the page locks, the I/O
//! locks, page creation and release).

use super::dispose::Dispose;
use super::mutants;
use super::state::{Memory, Pvn, B_DELWRI, B_ERROR, B_FREE, B_INVAL, VP};
use super::windows::*;
use crate::vm::param::PAGESIZE;
use model::sync::Se;
use model::{cover, exec, mutant};
use std::collections::VecDeque;

impl Pvn {
    /// `pvn_write_kluster(vp, pp, &off, &len, vp_off, vp_len, flags)`:
    /// page `pp` (locked, its I/O lock held) and the dirty pages around it
    /// within `[vp_off, vp_off + vp_len)` up to the first that is missing,
    /// busy or clean, each taken without waiting; ascending offsets, with
    /// the offset and length they cover.
    #[track_caller]
    pub(crate) fn pvn_write_kluster(
        &self,
        pp: usize,
        vp_off: u64,
        vp_len: u64,
        flags: u32,
    ) -> (Vec<usize>, u64, u64) {
        let _f = exec::call("pvn_write_kluster", "vm_pvn.c:235");
        let off = self.offset(pp);
        // 257-261: no swap vnode here, pvn_write_noklust is 0.
        let se = if flags & (B_FREE | B_INVAL) != 0 {
            Se::Excl
        } else {
            Se::Shared
        };
        let mut dirty = VecDeque::from([pp]);
        // 274-282: backwards.
        let mut deltab = PAGESIZE;
        while off >= vp_off + deltab {
            if !self.kluster_one(off - deltab, se, flags, &mut dirty, true) {
                break;
            }
            deltab += PAGESIZE;
        }
        deltab -= PAGESIZE;
        // 284-294: forwards.
        let vp_end = vp_off + vp_len;
        let mut deltaf = PAGESIZE;
        while off + deltaf < vp_end {
            if !self.kluster_one(off + deltaf, se, flags, &mut dirty, false) {
                break;
            }
            deltaf += PAGESIZE;
        }
        (dirty.into(), off - deltab, deltab + deltaf)
    }

    /// One neighbour at `off`: `page_lookup_nowait`, then `pvn_getdirty`
    /// with `B_DELWRI` (no waiting for its I/O lock).
    fn kluster_one(
        &self,
        off: u64,
        se: Se,
        flags: u32,
        dirty: &mut VecDeque<usize>,
        front: bool,
    ) -> bool {
        let vp = u64::from(VP.0);
        let np = if mutant(mutants::KLUSTER_BLOCKING_LOOKUP) {
            self.pages.lookup(vp, off, se)
        } else {
            self.pages
                .lookup_nowait(vp, off, se, || cover(KLUSTER_BUSY))
        };
        let Some(np) = np else { return false };
        if !self.pvn_getdirty(np, flags | B_DELWRI) {
            return false;
        }
        cover(KLUSTER_ADDS);
        if front {
            dirty.push_front(np);
        } else {
            dirty.push_back(np);
        }
        true
    }

    /// `pvn_read_kluster(vp, off, seg, addr, &off, &len, vp_off, vp_len,
    /// isra)`: the page at `off`, created (`page_create_va(PG_EXCL |
    /// PG_WAIT)`: none if it exists), and the missing pages around it in
    /// `[vp_off, vp_off + vp_len)` created without waiting, each locked
    /// exclusive and I/O-locked (as `page_create_va` returns them), in
    /// ascending offsets. The segment stand-in allows every page
    /// (`SEGOP_KLUSTER`); with memory low a read-ahead gives up and a read
    /// takes one page (114-138).
    #[track_caller]
    pub fn pvn_read_kluster(
        &self,
        off: u64,
        vp_off: u64,
        vp_len: u64,
        isra: bool,
    ) -> Option<Vec<usize>> {
        let _f = exec::call("pvn_read_kluster", "vm_pvn.c:91");
        let vp = u64::from(VP.0);
        let vp_len = if self.cfg.memory == Memory::Low {
            if isra {
                return None;
            }
            PAGESIZE
        } else {
            vp_len
        };
        // 146-148.
        let Some(first) = self.pages.create_excl(vp, off, true) else {
            cover(READ_KLUSTER_EXISTS);
            return None;
        };
        self.pages.page(first).io.page_io_lock();
        let mut plist = VecDeque::from([first]);
        if vp_len > PAGESIZE {
            // 159-197: no waiting for the neighbours.
            let mut deltab = PAGESIZE;
            while off >= vp_off + deltab {
                let Some(np) = self.pages.create_excl(vp, off - deltab, false) else {
                    break;
                };
                self.new_page_io_lock(np);
                plist.push_front(np);
                deltab += PAGESIZE;
            }
            let mut deltaf = PAGESIZE;
            while off + deltaf < vp_off + vp_len {
                let Some(np) = self.pages.create_excl(vp, off + deltaf, false) else {
                    break;
                };
                self.new_page_io_lock(np);
                plist.push_back(np);
                deltaf += PAGESIZE;
            }
        }
        cover(READ_KLUSTER_CREATES);
        Some(plist.into())
    }

    /// `page_create_va`'s `page_io_lock` of a neighbour it just created,
    /// holding the other new pages' locks: the page is new and held
    /// exclusive by its creator, so its I/O lock is free; taken with a try
    /// that cannot fail, so that lockdep sees no blocking nesting of two
    /// I/O locks.
    fn new_page_io_lock(&self, pp: usize) {
        if !self.pages.page(pp).io.page_io_trylock() {
            model::check::fail(
                model::check::PANIC,
                format!("page_create_va: the I/O lock of new page {pp} is held"),
            );
        }
    }

    /// `pvn_io_done(plist)`: I/O lock and page lock released.
    #[track_caller]
    pub fn pvn_io_done(&self, plist: Vec<usize>) {
        let _f = exec::call("pvn_io_done", "vm_pvn.c:306");
        for pp in plist {
            self.pages.page(pp).io.page_io_unlock();
            self.pages.page(pp).lock.page_unlock();
        }
    }

    /// `pvn_read_done(plist, flags)`: each page's I/O lock released, then
    /// the page destroyed after a failed read or released
    /// (`page_release(pp, 0)`: freed if nobody maps it).
    #[track_caller]
    pub fn pvn_read_done(&self, plist: Vec<usize>, flags: u32) {
        let _f = exec::call("pvn_read_done", "vm_pvn.c:324");
        for pp in plist {
            self.pages.page(pp).io.page_io_unlock();
            if flags & B_ERROR != 0 {
                self.vn_dispose(pp, Dispose::Inval { discard: true });
            } else {
                self.page_release(pp, Se::Excl, false);
            }
        }
        self.after_op();
    }
}

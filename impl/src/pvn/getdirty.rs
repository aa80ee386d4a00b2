//! `pvn_getdirty` (vm_pvn.c:581-685): decides what to do with a locked
//! page: write it (returns `true` with its I/O lock held), or free,
//! destroy, release or just unlock it.

use super::dispose::Dispose;
use super::mutants;
use super::state::{Pvn, B_ASYNC, B_DELWRI, B_DONTNEED, B_FORCE, B_FREE, B_INVAL, B_TRUNC};
use super::windows::*;
use crate::vm::hat::HAT_SYNC_ZERORM;
use model::sync::Se;
use model::{cover, exec, mutant, seed};

impl Pvn {
    /// `pvn_getdirty(pp, flags)` of page `pp`, held exclusive for
    /// `B_INVAL`/`B_FREE`, shared otherwise: `true` if the page is to be
    /// written (its I/O lock held, MOD cleared, still locked: shared again
    /// for `B_FREE`); `false` once it has been dealt with and unlocked.
    #[track_caller]
    pub(crate) fn pvn_getdirty(&self, pp: usize, flags: u32) -> bool {
        let _f = exec::call("pvn_getdirty", "vm_pvn.c:582");
        let page = &self.pages.page(pp).lock;
        self.walk_processes(pp);
        // 593-597: a page locked in memory is neither freed nor destroyed.
        if flags & (B_INVAL | B_FREE) != 0
            && flags & (B_TRUNC | B_FORCE) == 0
            && !mutant(mutants::GETDIRTY_NO_LCKCNT)
            && self.pages.locked_in_memory(pp)
        {
            cover(GETDIRTY_LOCKED_IN_MEMORY);
            if let Some(w) = self.g().walks.get_mut(&exec::tid()) {
                w.left_locked.insert(pp);
            }
            page.page_unlock();
            return false;
        }
        // 611-618: no waiting for the I/O lock in a kluster, or in an
        // async write-back (the I/O in progress writes the page).
        let io = &self.pages.page(pp).io;
        if flags & B_DELWRI != 0 || flags & (B_INVAL | B_ASYNC) == B_ASYNC {
            if !io.page_io_trylock() && !mutant(mutants::GETDIRTY_SKIPS_IOLOCK) {
                cover(GETDIRTY_IO_BUSY);
                page.page_unlock();
                return false;
            }
        } else {
            io.page_io_lock();
        }
        self.check_io_held(pp);
        // 630-634: unload to free or invalidate; otherwise sync and clear
        // the hardware REF/MOD so later writes show.
        if flags & (B_INVAL | B_FREE) != 0 && !mutant(mutants::GETDIRTY_FREE_WITHOUT_UNLOAD) {
            self.hat.hat_pageunload(pp);
        } else {
            self.hat.hat_pagesync(pp, HAT_SYNC_ZERORM);
        }
        // 636-664.
        if !self.hat.hat_ismod(pp) || flags & B_TRUNC != 0 {
            cover(GETDIRTY_CLEAN);
            io.page_io_unlock();
            if flags & B_INVAL != 0 {
                self.vn_dispose(
                    pp,
                    Dispose::Inval {
                        discard: flags & B_TRUNC != 0,
                    },
                );
            } else if flags & B_FREE != 0 {
                self.vn_dispose(
                    pp,
                    Dispose::Free {
                        by_write_done: false,
                        dontneed: flags & B_DONTNEED != 0,
                    },
                );
            } else {
                seed("vm_pvn.c:661");
                self.page_release(pp, Se::Shared, true);
            }
            return false;
        }
        // 670-679: dirty; cleared now, so writes during the I/O show.
        self.hat.hat_clrrefmod(pp);
        if flags & B_FREE != 0 {
            cover(GETDIRTY_DOWNGRADES);
            page.page_downgrade();
        }
        true
    }
}

//! `pvn_write_done` (vm_pvn.c:360-566): what happens to each page of a
//! completed write.

use super::dispose::Dispose;
use super::mutants;
use super::state::{Memory, Pvn, B_DONTNEED, B_ERROR, B_FORCE, B_FREE, B_INVAL};
use super::windows::*;
use crate::vm::hat::{HAT_SYNC_DONTZERO, HAT_SYNC_STOPON_MOD};
use crate::vm::page::{P_MOD, P_REF};
use crate::vm::vplist::{Entry, Slot};
use model::{cover, exec, mutant, seed};

impl Pvn {
    /// `pvn_write_done(plist, flags)`: the write of `plist` (each page
    /// locked, its I/O lock held, ascending offsets) completed, with
    /// `B_ERROR` if it failed. Each page ends unlocked: re-dirtied after an
    /// error, moved to the head of a `VMODSORT` ring if clean, destroyed
    /// for `B_INVAL`, freed for `B_FREE` (or when memory is low) unless
    /// someone used it during the I/O.
    #[track_caller]
    pub(crate) fn pvn_write_done(&self, plist: Vec<usize>, flags: u32) {
        let _f = exec::call("pvn_write_done", "vm_pvn.c:361");
        let mut flags = flags;
        // 384-387.
        if self.cfg.memory == Memory::Low && flags & B_ERROR == 0 {
            cover(WRITE_FREE_LOW_MEMORY);
            flags |= B_FREE;
        }
        for pp in plist {
            let page = &self.pages.page(pp).lock;
            let io = &self.pages.page(pp).io;
            // 401-413: a clean page goes to the head of a VMODSORT ring;
            // one modified during the I/O stays where it is.
            if flags & B_ERROR == 0 && self.vn.modsort {
                let vn = &self.vn;
                vn.vphm.enter();
                let me = Entry::Page(pp);
                let moved = vn.ring(|r| r.next(me) != me)
                    && (mutant(mutants::MODSORT_MOVES_MODIFIED) || !self.hat.hat_ismod(pp));
                if moved {
                    vn.ring(|r| {
                        r.sub(me);
                        r.add(Slot::Head, me);
                    });
                }
                vn.vphm.exit();
                cover(if moved {
                    WRITE_DONE_TO_HEAD
                } else {
                    WRITE_DONE_STAYS
                });
            }
            if flags & B_ERROR != 0 {
                // 415-434: keep the data: dirty again, unless forced out.
                if flags & (B_INVAL | B_FORCE) == B_INVAL | B_FORCE {
                    cover(WRITE_ERROR_FORCED);
                    io.page_io_unlock();
                    self.vn_dispose(pp, Dispose::Inval { discard: true });
                } else {
                    cover(WRITE_ERROR_REDIRTIES);
                    if !mutant(mutants::ERROR_NO_SETMOD) {
                        let locked = self.cfg.fixes.error_setmod_locked
                            && self.vn.modsort
                            && !mutant(mutants::ERROR_SETMOD_UNLOCKED);
                        if locked {
                            self.vn.vphm.enter();
                        }
                        self.hat.hat_setmod_only(pp);
                        if locked {
                            self.vn.vphm.exit();
                        }
                    }
                    io.page_io_unlock();
                    page.page_unlock();
                }
            } else if flags & B_INVAL != 0 {
                // 435-442.
                cover(WRITE_DONE_DESTROYS);
                if !mutant(mutants::WRITE_DONE_KEEPS_IOLOCK) {
                    io.page_io_unlock();
                }
                self.vn_dispose(pp, Dispose::Inval { discard: false });
            } else if flags & B_FREE != 0 || !self.hat.hat_page_is_mapped(pp) {
                // 443-542.
                io.page_io_unlock();
                self.free_after_write(pp, flags);
            } else {
                // 543-550.
                io.page_io_unlock();
                page.page_unlock();
            }
        }
        self.after_op();
    }

    /// 469-542: free page `pp` (held shared) if it can be had exclusive,
    /// is not locked in memory and nobody used it during the write.
    fn free_after_write(&self, pp: usize, flags: u32) {
        let page = &self.pages.page(pp).lock;
        if !page.page_tryupgrade() {
            // 535-542: someone holds it shared (reclaimed it).
            cover(WRITE_DONE_UPGRADE_FAILS);
            page.page_unlock();
            return;
        }
        if !mutant(mutants::WRITE_DONE_NO_LCKCNT) && self.pages.locked_in_memory(pp) {
            cover(WRITE_DONE_LOCKED_IN_MEMORY);
            page.page_unlock();
            return;
        }
        // 484-485: the hardware's REF/MOD without clearing them.
        let mut ppattr = self
            .hat
            .hat_pagesync(pp, HAT_SYNC_DONTZERO | HAT_SYNC_STOPON_MOD);
        loop {
            // ck_refmod (486-534).
            if ppattr & (P_REF | P_MOD) != 0 {
                cover(WRITE_DONE_REFMOD_KEEPS);
                page.page_unlock();
                return;
            }
            if self.hat.hat_page_is_mapped(pp) && !mutant(mutants::WRITE_DONE_FREE_MAPPED) {
                // 503-507: unload, then look again: a CPU may have used
                // it meanwhile; now that it is unmapped and exclusive,
                // nobody can map it again.
                seed("vm_pvn.c:503");
                cover(CK_REFMOD_UNLOADS);
                self.hat.hat_pageunload(pp);
                if !mutant(mutants::CK_REFMOD_NO_RECHECK) {
                    ppattr = self.hat.hat_page_getattr(pp, P_REF | P_MOD);
                    if ppattr != 0 {
                        cover(CK_REFMOD_CAUGHT);
                    }
                }
                continue;
            }
            break;
        }
        // 526-528.
        cover(WRITE_DONE_FREES);
        self.vn_dispose(
            pp,
            Dispose::Free {
                by_write_done: true,
                dontneed: flags & B_DONTNEED != 0,
            },
        );
    }
}

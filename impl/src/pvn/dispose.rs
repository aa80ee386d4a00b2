//! What frees and destroys pages for the pvn port: the file system's
//! `VN_DISPOSE` (`fs_dispose`: `page_free` or `page_destroy`),
//! `page_release` and `page_destroy_free` (vm_page.c), each with the V4
//! check of what it is about to throw away.

use super::state::Pvn;
use super::windows::*;
use crate::vm::page::Release;
use model::cover;
use model::sync::Se;

/// What `VN_DISPOSE` is asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dispose {
    /// `B_FREE`: onto the cachelist; `by_write_done`: the free of
    /// `pvn_write_done`, which promises REF clear too.
    Free { by_write_done: bool, dontneed: bool },
    /// `B_INVAL`: `page_destroy`; `discard`: the caller throws the data
    /// away (`B_TRUNC`, or a failed `B_INVAL | B_FORCE` write).
    Inval { discard: bool },
}

impl Pvn {
    /// `VN_DISPOSE(pp, fl, dn, cr)` of page `pp`, held exclusive:
    /// `fs_dispose` frees or destroys it, and unlocks it.
    #[track_caller]
    pub(crate) fn vn_dispose(&self, pp: usize, what: Dispose) {
        let _f = model::exec::call("fs_dispose (stand-in)", "vm_pvn.c:526");
        match what {
            Dispose::Free { by_write_done, .. } => {
                cover(DISPOSE_FREE);
                self.check_freed(pp, by_write_done);
                self.pages.free(pp);
            }
            Dispose::Inval { discard } => {
                cover(DISPOSE_DESTROY);
                self.pages.destroy(pp, || {
                    self.hat.hat_pageunload(pp);
                    self.check_destroyed(pp, discard);
                });
            }
        }
    }

    /// `page_release(pp, checkmod)` of page `pp`, held in mode `held`
    /// (vm_page.c): freed if unmapped, exclusive (or upgraded), not locked
    /// in memory and (with `checkmod`) clean; otherwise unlocked.
    #[track_caller]
    pub(crate) fn page_release(&self, pp: usize, held: Se, checkmod: bool) -> Release {
        let r = self.pages.page_release(
            pp,
            held,
            checkmod,
            || self.hat.hat_page_is_mapped(pp),
            || self.hat.hat_ismod(pp),
            || {
                self.vn_dispose(
                    pp,
                    Dispose::Free {
                        by_write_done: false,
                        dontneed: false,
                    },
                )
            },
        );
        cover(match r {
            Release::Clean => RELEASE_FREES,
            Release::Mod | Release::NotRel => RELEASE_KEEPS,
        });
        r
    }

    /// `page_destroy_free(pp)` of a free page held exclusive
    /// (vm_pvn.c:951).
    #[track_caller]
    pub(crate) fn page_destroy_free(&self, pp: usize) {
        let _f = model::exec::call("page_destroy_free", "vm_pvn.c:951");
        self.check_destroyed(pp, false);
        self.pages.destroy_free(pp);
    }
}

//! `pvn_vplist_setdirty` (vm_pvn.c:996-1038): marks the pages a callback
//! chooses modified, under the vnode page mutex, without `VVMLOCK`.

use super::mutants;
use super::state::Pvn;
use super::windows::*;
use crate::vm::vplist::Entry;
use model::{cover, exec, mutant};

impl Pvn {
    /// `pvn_vplist_setdirty(vp, page_check)`: every page for which
    /// `page_check` (called with the vnode page mutex held) says so gets
    /// MOD (`hat_setmod_only`), and on a `VMODSORT` ring of more than one
    /// entry moves to the tail; markers are skipped.
    #[track_caller]
    pub fn pvn_vplist_setdirty(&self, page_check: impl Fn(u64) -> bool) {
        let _f = exec::call("pvn_vplist_setdirty", "vm_pvn.c:997");
        let vn = &self.vn;
        vn.vphm.enter();
        // 1006-1009.
        if vn.ring(|r| r.is_empty()) {
            vn.vphm.exit();
            return;
        }
        // 1011-1013.
        let (end, head) = vn.ring(|r| (r.tail().expect("non-empty"), r.head().expect("non-empty")));
        let shuffle = vn.modsort && head != end;
        let mut e = head;
        loop {
            let next = vn.ring(|r| r.next(e));
            // 1017: markers carry PVN_VPLIST_HASH_TAG.
            let chosen = match e {
                Entry::Page(pp) => page_check(self.offset(pp)),
                Entry::Marker(_) => {
                    cover(SETDIRTY_SKIPS_MARKER);
                    mutant(mutants::SETDIRTY_MOVES_MARKERS)
                }
            };
            if chosen {
                if let Entry::Page(pp) = e {
                    self.hat.hat_setmod_only(pp);
                }
                if shuffle {
                    // 1025-1028: to the tail.
                    cover(SETDIRTY_SHUFFLES);
                    vn.ring(|r| {
                        r.sub(e);
                        let tail = r.tail_slot();
                        r.add(tail, e);
                    });
                }
            }
            // 1032-1034.
            if e == end {
                break;
            }
            e = next;
        }
        vn.vphm.exit();
        self.after_op();
    }
}

//! The active bucket lists: `seg_padd_abuck` (vm_seg.c:285-337) and
//! `seg_premove_abuck` (vm_seg.c:339-411).
//!
//! Two lists: `seg_pahcur` names the one inserts and removals use; while
//! `seg_pathr_on` the other belongs to the async purge thread, which walks
//! and edits it without `seg_pmem_mtx` (vm_seg.c:258-271). Both are called
//! with the bucket's mutex held, after the bucket's first entry is added
//! or its last removed, so a bucket cannot be lost between the caller's
//! emptiness test and the list update (vm_seg.c:272-279).

use super::checks::PCACHE_J5;
use super::windows::*;
use super::Pcache;
use model::check::{fail, SYNC_UNLOCKED};
use model::exec;

impl Pcache {
    /// Whether the caller is the async purge thread that owns the list
    /// `!seg_pahcur` (ghost: who set `seg_pathr_on`).
    pub(crate) fn is_athr(&self) -> bool {
        self.g().athr == Some(exec::tid())
    }

    /// Changes active list `l`: under M, or by its owner while
    /// `seg_pathr_on`. A change of the async thread's list by anyone else
    /// while it walks it is PCACHE-J5.
    #[track_caller]
    pub(crate) fn alist<R>(&self, l: usize, f: impl FnOnce(&mut Vec<usize>) -> R) -> R {
        self.alist_access(l, true, f)
    }

    /// Reads or changes active list `l` (see [`Pcache::alist`]); a read
    /// under M of the async thread's list is the seed's membership test
    /// (vm_seg.c:322, with B held, which keeps the async thread off the
    /// bucket's link).
    #[track_caller]
    fn alist_access<R>(&self, l: usize, change: bool, f: impl FnOnce(&mut Vec<usize>) -> R) -> R {
        let owned = self.pathr_on.peek() && l != self.pahcur.peek();
        if change && owned && !self.is_athr() {
            fail(
                PCACHE_J5,
                format!(
                    "active list {l} changed by thread {} while the async purge thread owns it",
                    exec::tid()
                ),
            );
        }
        if self.pmem_mtx.held() {
            self.ahead[l].with(&[&self.pmem_mtx], f)
        } else if owned {
            self.ahead[l].owned(f)
        } else {
            fail(
                SYNC_UNLOCKED,
                format!(
                    "active list {l} touched without seg_pmem_mtx by a thread that does not own it"
                ),
            );
        }
    }

    fn on(&self, l: usize, b: usize) -> bool {
        self.alist_access(l, false, |v| v.contains(&b))
    }

    /// `seg_padd_abuck` (vm_seg.c:285-337): put bucket `b` (its first entry
    /// just added, B held) on the current list unless it is on a list.
    pub(crate) fn padd_abuck(&self, b: usize) {
        assert!(self.win[b].mtx.held(), "seg_padd_abuck without p_hmutex");
        self.pmem_mtx.enter();
        let lix = self.pahcur.read(&[&self.pmem_mtx]);
        // vm_seg.c:308-314: still on the current list (a failed removal).
        if self.on(lix, b) {
            self.pmem_mtx.exit();
            return;
        }
        // vm_seg.c:322-326: still on the async thread's list, which cannot
        // drop it while we hold the bucket mutex; it will find the entry.
        if self.on(1 - lix, b) && !model::mutant(super::mutants::PADD_BOTH_LISTS) {
            model::cover(ADD_ON_OTHER);
            self.pmem_mtx.exit();
            return;
        }
        // vm_seg.c:332-335: the tail (LRU order).
        if !model::mutant(super::mutants::ADD_ABUCK_SKIP) {
            self.alist(lix, |v| v.push(b));
        }
        self.pmem_mtx.exit();
    }

    /// `seg_premove_abuck` (vm_seg.c:339-411): take bucket `b` (its last
    /// entry just removed, B held) off its list. `athr`: the async thread,
    /// for a bucket of the list it walks (no M).
    pub(crate) fn premove_abuck(&self, b: usize, athr: bool) {
        assert!(self.win[b].mtx.held(), "seg_premove_abuck without p_hmutex");
        if athr {
            // vm_seg.c:350-369: the bucket lock keeps seg_pinsert out.
            let lix = 1 - self.pahcur.owned(|c| *c);
            self.alist(lix, |v| v.retain(|&x| x != b));
            return;
        }
        self.pmem_mtx.enter();
        let lix = self.pahcur.read(&[&self.pmem_mtx]);
        // vm_seg.c:380-390: on the current list, always removed.
        if self.on(lix, b) {
            self.alist(lix, |v| v.retain(|&x| x != b));
            self.pmem_mtx.exit();
            return;
        }
        // vm_seg.c:400-409: on the other list, removed only if the async
        // thread is not walking it; otherwise it stays, empty, for the
        // async thread to drop.
        let other = 1 - lix;
        let athr_on = self.pathr_on.read(&[&self.pmem_mtx]);
        if !athr_on || model::mutant(super::mutants::PREMOVE_IGNORES_ATHR) {
            self.alist(other, |v| v.retain(|&x| x != b));
        } else {
            model::cover(REMOVE_WHILE_ATHR);
        }
        self.pmem_mtx.exit();
    }
}

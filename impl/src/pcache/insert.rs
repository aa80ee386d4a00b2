//! `seg_pinsert_check` (vm_seg.c:739-769), `seg_pinsert` (800-931) and
//! `seg_plookup_checkdup` (422-456).

use super::state::{Memory, Pcp, Reclaim, Tag};
use super::windows::*;
use super::Pcache;
use crate::vm::keyed::Keyed;
use model::kernel::Handle;

/// What a segment driver caches: one shadow list.
#[derive(Clone, Copy, Debug)]
pub struct Insert {
    pub seg: Tag,
    pub amp: Option<Tag>,
    pub addr: u64,
    pub len: u64,
    pub wlen: u64,
    pub pp: u64,
    pub write: bool,
    pub wired: bool,
}

impl Pcache {
    /// `seg_pinsert_check`: whether `seg_pinsert` would fail (hints).
    pub fn seg_pinsert_check(&self, len: u64, wired: bool) -> bool {
        model::seed("vm_seg.c:751");
        if self.pdisabled.hint() != 0 {
            return false;
        }
        if wired {
            return true;
        }
        if self.plocked_window.hint() + len > self.cfg.max_window
            && !model::mutant(super::mutants::WINDOW_UNCHECKED)
        {
            return false;
        }
        // vm_seg.c:764: freemem < desfree never holds in the model's
        // memory states.
        matches!(self.cfg.memory, Memory::Plenty | Memory::Low)
    }

    /// `seg_plookup_checkdup` (B held, and P for non-wired): whether a
    /// matching entry covers `len`; smaller inactive ones at the same
    /// address are unlinked onto the returned list.
    fn plookup_checkdup(&self, b: usize, htag0: Tag, addr: u64, len: u64) -> (Vec<Handle>, bool) {
        let hp = &self.win[b];
        let owner = self.owner(htag0);
        let mut del = Vec::new();
        for h in hp.chain.read(&[&hp.mtx]) {
            let pcp = self.pcp(h);
            if pcp.tag == htag0 && pcp.addr == addr {
                if pcp.len < len {
                    if pcp.active.read(&[&hp.mtx]) != 0
                        && !model::mutant(super::mutants::CHECKDUP_ACTIVE)
                    {
                        continue;
                    }
                    model::cover(CHECKDUP_DROPS);
                    model::seed("vm_seg.c:443");
                    self.plist_unlink(&owner, hp, h);
                    self.chain_unlink(hp, h, &pcp);
                    del.push(h);
                } else {
                    return (del, true);
                }
            }
        }
        (del, false)
    }

    /// `seg_pinsert`: caches `ins` with active count 1, unless the cache is
    /// disabled, the window is full or a covering entry exists. Returns
    /// whether it was cached (SEGP_SUCCESS).
    pub(crate) fn seg_pinsert(&self, ins: Insert, callback: Reclaim) -> bool {
        model::seed("vm_seg.c:824");
        if self.pdisabled.hint() != 0 {
            return false;
        }
        let npages = ins.len;
        let m = &self.pmem_mtx;
        m.enter();
        // Fix P1: the disable count is re-read under M.
        let recheck =
            self.cfg.fixes.disable_recheck && !model::mutant(super::mutants::INSERT_NO_RECHECK);
        if recheck && self.pdisabled.hint() != 0 {
            m.exit();
            return false;
        }
        model::cover(INSERT_ACCOUNTS);
        let late = model::mutant(super::mutants::ACCOUNT_AFTER_LINK);
        if late {
            m.exit();
        } else if !self.account(ins.wired, npages) {
            m.exit();
            return false;
        }
        if !late {
            m.exit();
        }
        self.link_entry(ins, callback, late)
    }

    /// vm_seg.c:832-839 (M held): takes `npages` from the window; false if
    /// it is full.
    fn account(&self, wired: bool, npages: u64) -> bool {
        let m = &self.pmem_mtx;
        if !wired {
            let win = self.plocked_window.read(&[m]);
            if win + npages > self.cfg.max_window
                && !model::mutant(super::mutants::WINDOW_UNCHECKED)
            {
                return false;
            }
            self.plocked_window.write(win + npages, &[m]);
        }
        let locked = self.plocked.read(&[m]);
        self.plocked.write(locked + npages, &[m]);
        self.check_window();
        true
    }

    /// vm_seg.c:842-931: allocates, links and finishes the insert.
    /// `late`: mutant account-after-link accounts after the link.
    fn link_entry(&self, ins: Insert, callback: Reclaim, late: bool) -> bool {
        let npages = ins.len;
        let m = &self.pmem_mtx;
        let htag0 = ins.amp.unwrap_or(ins.seg);
        let hashp = self.hash_index(htag0, ins.addr, ins.wired);
        let h = self.entries.alloc(Pcp {
            tag: htag0,
            addr: ins.addr,
            len: ins.len,
            wlen: ins.wlen,
            pp: ins.pp,
            callback,
            wired: ins.wired,
            hashp,
            active: Keyed::new("pcache.p_active", 1),
            write: Keyed::new("pcache.p_write", ins.write),
            pref: Keyed::new("pcache.p_ref", false),
        });
        let pcp = self.pcp(h);
        self.g().live.insert(h, pcp);
        let hp = self.bucket_of(hashp, ins.wired);
        let mut del = Vec::new();
        let owner = if ins.wired {
            None
        } else {
            let owner = self.owner(htag0);
            owner.pmtx.enter();
            hp.mtx.enter();
            let (d, found) = self.plookup_checkdup(hashp, htag0, ins.addr, ins.len);
            del = d;
            if found {
                // vm_seg.c:878-887: a covering entry is cached already.
                model::cover(INSERT_FOUND);
                hp.mtx.exit();
                owner.pmtx.exit();
                m.enter();
                self.unaccount(npages, npages);
                m.exit();
                self.pcp_free(h);
                self.finish_insert(del);
                return true;
            }
            owner
                .phead
                .with(&[&owner.pmtx, &hp.mtx], |l| l.insert(0, h));
            Some(owner)
        };
        if ins.wired {
            hp.mtx.enter();
        }
        model::seed("vm_seg.c:895");
        let n = self.chain_link(hp, h);
        if !ins.wired && n == 1 {
            self.padd_abuck(hashp);
        }
        if late {
            m.enter();
            self.account(ins.wired, npages);
            m.exit();
        }
        hp.mtx.exit();
        if let Some(o) = owner {
            o.pmtx.exit();
        }
        self.finish_insert(del);
        true
    }

    /// vm_seg.c:909-928: the removed duplicates' callbacks and accounting,
    /// with no lock held.
    fn finish_insert(&self, del: Vec<Handle>) {
        let (npages, window) = self.run_callbacks(del, false);
        if npages != 0 {
            self.pmem_mtx.enter();
            self.unaccount(npages, window);
            self.pmem_mtx.exit();
        }
        self.after_op();
    }
}

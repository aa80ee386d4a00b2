//! `seg_ppurge` (vm_seg.c:1269-1363) and `seg_ppurge_wiredpp`
//! (vm_seg.c:1195-1262).

use super::state::Tag;
use super::windows::*;
use super::Pcache;
use model::kernel::Handle;

impl Pcache {
    /// `seg_ppurge(seg, amp, flags)`: frees the inactive entries of the
    /// tag (`amp` if given, else `seg`), stopping at the first active one.
    pub fn seg_ppurge(&self, seg: Tag, amp: Option<Tag>, wired: bool) {
        model::seed("vm_seg.c:1278");
        if self.plocked.hint() == 0 {
            return;
        }
        let htag0 = amp.unwrap_or(seg);
        let mut del: Vec<Handle> = Vec::new();
        if wired {
            // vm_seg.c:1289-1307: the tag's wired bucket.
            let hp = self.hashbp(htag0, 0, true);
            hp.mtx.enter();
            for h in hp.chain.read(&[&hp.mtx]) {
                let pcp = self.pcp(h);
                if pcp.tag == htag0 {
                    if pcp.active.read(&[&hp.mtx]) != 0 {
                        break;
                    }
                    self.chain_unlink(hp, h, &pcp);
                    del.push(h);
                }
            }
            hp.mtx.exit();
        } else {
            // vm_seg.c:1313-1344: the P-list from its head, P then B.
            let o = self.owner(htag0);
            o.pmtx.enter();
            while let Some(&h) = o.phead.read(&[&o.pmtx]).first() {
                let pcp = self.pcp(h);
                let hp = &self.win[pcp.hashp];
                hp.mtx.enter();
                if pcp.active.read(&[&hp.mtx]) != 0 {
                    model::cover(PURGE_STOPS_ACTIVE);
                    hp.mtx.exit();
                    break;
                }
                model::seed("vm_seg.c:1333");
                self.plist_unlink(&o, hp, h);
                let n = self.chain_unlink(hp, h, &pcp);
                del.push(h);
                if n == 0 {
                    self.premove_abuck(pcp.hashp, false);
                }
                hp.mtx.exit();
                if model::mutant(super::mutants::CALLBACK_UNDER_BUCKET) {
                    self.run_callbacks(std::mem::take(&mut del), false);
                }
                if model::mutant(super::mutants::PLIST_KEEP) {
                    break;
                }
            }
            o.pmtx.exit();
        }
        // vm_seg.c:1346-1362.
        if model::mutant(super::mutants::RECLAIM_TWICE) {
            if let Some(&h) = del.first() {
                let pcp = self.pcp(h);
                (pcp.callback)(self, pcp.tag, pcp.addr, pcp.len, pcp.pp, false, false);
            }
        }
        let (npages, window) = self.run_callbacks(del, false);
        self.pmem_mtx.enter();
        self.unaccount(npages, window);
        self.pmem_mtx.exit();
        self.after_op();
    }

    /// `seg_ppurge_wiredpp(pp)`: frees the inactive wired entries of shadow
    /// list `pp`, bucket by bucket, running each bucket's callbacks before
    /// the next.
    pub fn seg_ppurge_wiredpp(&self, pp: u64) {
        model::seed("vm_seg.c:1206");
        if self.plocked.hint() == 0 {
            return;
        }
        let mut npages = 0;
        'buckets: for hp in &self.wired {
            if hp.len.hint() == 0 {
                continue;
            }
            let mut del = Vec::new();
            hp.mtx.enter();
            for h in hp.chain.read(&[&hp.mtx]) {
                let pcp = self.pcp(h);
                let inactive = pcp.active.read(&[&hp.mtx]) == 0
                    || model::mutant(super::mutants::WIREDPP_ACTIVE);
                if inactive && pcp.pp == pp {
                    self.chain_unlink(hp, h, &pcp);
                    del.push(h);
                }
            }
            hp.mtx.exit();
            model::cover(WIREDPP_PURGES);
            for h in del {
                let pcp = self.pcp(h);
                let done = (pcp.callback)(
                    self,
                    pcp.tag,
                    pcp.addr,
                    pcp.len,
                    pcp.pp,
                    pcp.write.owned(|w| *w),
                    true,
                );
                npages += pcp.len;
                self.pcp_free(h);
                if done {
                    break 'buckets;
                }
            }
        }
        self.pmem_mtx.enter();
        self.unaccount(npages, 0);
        self.pmem_mtx.exit();
        self.after_op();
    }
}

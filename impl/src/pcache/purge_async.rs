//! `seg_ppurge_async` (vm_seg.c:937-1188).

use super::state::Memory;
use super::windows::*;
use super::Pcache;
use model::kernel::Handle;

impl Pcache {
    /// `seg_ppurge_async(force)`: frees inactive entries. Forced (from
    /// `seg_p_disable`) it takes every inactive entry, wired ones too;
    /// unforced (the async thread) only under memory pressure or near the
    /// window limit, and gives a referenced entry a second chance.
    pub fn seg_ppurge_async(&self, force: bool) {
        model::seed("vm_seg.c:959");
        let (trim, lowmem);
        let mut to_purge = 0;
        // vm_seg.c:959-961: empty (hints).
        if self.plocked.hint() == 0 || (!force && self.plocked_window.hint() == 0) {
            return;
        }
        let mut del: Vec<Handle> = Vec::new();
        if !force {
            let win = self.plocked_window.hint();
            lowmem = self.cfg.memory == Memory::Low;
            trim = win >= 7 * (self.cfg.max_window >> 3);
            if !lowmem && !trim {
                return;
            }
            to_purge = (win >> self.cfg.shrink_shift).min(self.cfg.max_apurge);
            if to_purge == 0 {
                return;
            }
        } else {
            (trim, lowmem) = (false, false);
            // vm_seg.c:1005-1031: every inactive wired entry.
            for hpw in &self.wired {
                if hpw.len.hint() == 0 {
                    continue;
                }
                hpw.mtx.enter();
                for h in hpw.chain.read(&[&hpw.mtx]) {
                    let pcp = self.pcp(h);
                    if pcp.active.read(&[&hpw.mtx]) != 0 {
                        continue;
                    }
                    self.chain_unlink(hpw, h, &pcp);
                    del.push(h);
                }
                hpw.mtx.exit();
            }
        }
        // vm_seg.c:1034-1040: claim the other list, or just run callbacks.
        self.pmem_mtx.enter();
        if self.pathr_on.read(&[&self.pmem_mtx]) {
            model::cover(ASYNC_ALREADY_ON);
            self.pmem_mtx.exit();
            self.finish_async(del);
            return;
        }
        if !model::mutant(super::mutants::ATHR_NO_CLAIM) {
            self.pathr_on.with(&[&self.pmem_mtx], |x| *x = true);
            self.g().athr = Some(model::exec::tid());
        }
        self.pmem_mtx.exit();
        model::cover(ASYNC_CLAIMS);
        let mut hlix = 1 - self.pahcur.owned(|c| *c);
        let mut purged = 0;
        let mut hlinks = 0;
        loop {
            // The walk of list hlix without M (vm_seg.c:1044-1120). Only
            // this thread changes it, and only by dropping the bucket it
            // is on, so the next bucket is taken before that.
            let list = self.alist(hlix, |v| v.clone());
            let mut stopped_at = None;
            for (i, &b) in list.iter().enumerate() {
                let next = list.get(i + 1).copied();
                let hp = &self.win[b];
                if hp.len.hint() == 0 {
                    model::cover(ATHR_EMPTY_AHB);
                    continue;
                }
                model::cover(ATHR_FULL_AHB);
                hp.mtx.enter();
                for h in hp.chain.read(&[&hp.mtx]) {
                    let pcp = self.pcp(h);
                    if pcp.active.read(&[&hp.mtx]) != 0
                        && !model::mutant(super::mutants::ASYNC_SKIP_ACTIVE_CHECK)
                    {
                        continue;
                    }
                    // vm_seg.c:1072-1076: second chance.
                    if !force && pcp.pref.read(&[&hp.mtx]) {
                        model::cover(SECOND_CHANCE);
                        pcp.pref.with(&[&hp.mtx], |r| *r = false);
                        continue;
                    }
                    // vm_seg.c:1079-1088: P is above B; try, else skip.
                    let o = self.owner(pcp.tag);
                    if model::mutant(super::mutants::ASYNC_BLOCKING_P) {
                        o.pmtx.enter();
                    } else if !o.pmtx.tryenter() {
                        model::cover(ASYNC_TRY_SKIPS);
                        continue;
                    }
                    model::seed("vm_seg.c:1091");
                    self.plist_unlink(&o, hp, h);
                    self.chain_unlink(hp, h, &pcp);
                    o.pmtx.exit();
                    del.push(h);
                    purged += pcp.len;
                }
                if hp.len.read(&[&hp.mtx]) == 0 {
                    self.premove_abuck(b, true);
                }
                hp.mtx.exit();
                if purged >= self.plocked_window.hint() {
                    stopped_at = Some(next);
                    break;
                }
                if !force {
                    if purged >= to_purge {
                        stopped_at = Some(next);
                        break;
                    }
                    // vm_seg.c:1113-1118: enough free memory again; in the
                    // model memory does not change, so a low-memory purge
                    // goes on.
                    let _ = (trim, lowmem);
                }
            }
            match stopped_at {
                None => {
                    // vm_seg.c:1122-1137: the whole list done; it becomes
                    // the current one, and the other is walked once.
                    self.pmem_mtx.enter();
                    self.pahcur.with(&[&self.pmem_mtx], |c| *c = hlix);
                    self.pmem_mtx.exit();
                    model::cover(ASYNC_SWITCHES);
                    hlinks += 1;
                    if hlinks < 2 {
                        hlix = 1 - hlix;
                        continue;
                    }
                }
                Some(Some(next)) => {
                    // vm_seg.c:1138-1155: start there next time.
                    model::cover(ASYNC_REHEADS);
                    self.alist(hlix, |v| {
                        if let Some(p) = v.iter().position(|&x| x == next) {
                            v.rotate_left(p);
                        }
                    });
                }
                Some(None) => {}
            }
            break;
        }
        self.pmem_mtx.enter();
        self.pathr_on.with(&[&self.pmem_mtx], |x| *x = false);
        self.g().athr = None;
        self.pmem_mtx.exit();
        self.finish_async(del);
    }

    /// vm_seg.c:1162-1187: the callbacks (async = 1), then the accounting.
    fn finish_async(&self, del: Vec<Handle>) {
        let (npages, window) = self.run_callbacks(del, true);
        if npages != 0 {
            self.pmem_mtx.enter();
            self.unaccount(npages, window);
            self.pmem_mtx.exit();
        }
        self.after_op();
    }
}

//! `seg_pinactive` (vm_seg.c:524-728).

use super::checks::PCACHE_J1;
use super::state::{Owner, Reclaim, Tag};
use super::windows::*;
use super::Pcache;
use model::check::fail;
use std::sync::Arc;

/// A shadow list handed back (`seg_pinactive`'s arguments).
#[derive(Clone, Copy, Debug)]
pub struct Inactive {
    pub seg: Tag,
    pub amp: Option<Tag>,
    pub addr: u64,
    pub len: u64,
    pub pp: u64,
    pub write: bool,
    pub wired: bool,
}

impl Pcache {
    /// `seg_pinactive`: drops the caller's activation of its shadow list.
    /// The entry is freed at once when it was the last activation and
    /// either the cache is disabled (P taken up front, or a wired entry) or
    /// a bigger entry covers the range (a duplicate); otherwise it stays,
    /// referenced. A list not in the cache goes straight to the callback.
    pub(crate) fn seg_pinactive(&self, a: Inactive, callback: Reclaim) {
        let htag0 = a.amp.unwrap_or(a.seg);
        let (mut len, mut write) = (a.len, a.write);
        let mut npages = 0;
        let mut keep = false;
        // The owner whose P the caller holds (`pmtx != NULL`).
        let mut pmtx: Option<Arc<Owner>> = None;
        // vm_seg.c:553-562: disabled, so inactive entries go now; P first.
        if !a.wired && self.pdisabled.hint() != 0 {
            model::cover(INACTIVE_DISABLED);
            let o = self.owner(htag0);
            o.pmtx.enter();
            pmtx = Some(o);
        }
        let b = self.hash_index(htag0, a.addr, a.wired);
        let hp = self.bucket_of(b, a.wired);
        hp.mtx.enter();
        'again: loop {
            for h in hp.chain.read(&[&hp.mtx]) {
                let pcp = self.pcp(h);
                let matches = pcp.tag == htag0 && pcp.addr == a.addr && pcp.len >= a.len;
                if matches && pcp.pp == a.pp {
                    // P_MATCH_PP: our own entry (vm_seg.c:570-654).
                    assert_eq!(pcp.wired, a.wired, "vm_seg.c:571");
                    let active = pcp.active.read(&[&hp.mtx]);
                    if active == 0 {
                        fail(
                            PCACHE_J1,
                            format!("seg_pinactive of entry {h:?} with p_active 0"),
                        );
                    }
                    if keep {
                        // vm_seg.c:573-586: the duplicate went away while
                        // the bucket was unlocked; keep our entry.
                        model::cover(INACTIVE_KEEP);
                        if let Some(o) = pmtx.take() {
                            o.pmtx.exit();
                        }
                    }
                    let active = active - 1;
                    pcp.active.with(&[&hp.mtx], |x| *x = active);
                    let disabled_wired = a.wired && self.pdisabled.hint() != 0;
                    if active == 0 && (pmtx.is_some() || disabled_wired) {
                        model::seed("vm_seg.c:600");
                        if let Some(o) = &pmtx {
                            self.plist_unlink(o, hp, h);
                        }
                        let n = self.chain_unlink(hp, h, &pcp);
                        if !pcp.wired && n == 0 {
                            self.premove_abuck(b, false);
                        }
                        hp.mtx.exit();
                        if let Some(o) = pmtx.take() {
                            o.pmtx.exit();
                        }
                        // The entry is private now.
                        len = pcp.len;
                        npages = len;
                        write |= pcp.write.owned(|w| *w);
                        self.pcp_free(h);
                        break 'again;
                    }
                    // vm_seg.c:638-648: referenced, for a second chance.
                    if active == 0 && !pcp.wired {
                        pcp.pref.with(&[&hp.mtx], |r| *r = true);
                    }
                    hp.mtx.exit();
                    if let Some(o) = pmtx.take() {
                        o.pmtx.exit();
                    }
                    self.after_op();
                    return;
                } else if !a.wired && matches {
                    // A duplicate: a bigger list covers ours (655-709).
                    if pcp.active.read(&[&hp.mtx]) == 0 {
                        pcp.pref.with(&[&hp.mtx], |r| *r = true);
                    }
                    if pmtx.is_some() {
                        keep = false;
                        continue;
                    }
                    let o = self.owner(htag0);
                    // vm_seg.c:696: P is above B; only a try here.
                    if model::mutant(super::mutants::INACTIVE_BLOCKING_P) {
                        o.pmtx.enter();
                    } else if !o.pmtx.tryenter() {
                        model::cover(INACTIVE_TRY_FAILS);
                        model::seed("vm_seg.c:697");
                        hp.mtx.exit();
                        o.pmtx.enter();
                        if !model::mutant(super::mutants::INACTIVE_NO_RETAKE) {
                            hp.mtx.enter();
                        }
                        keep = true;
                        pmtx = Some(o);
                        continue 'again;
                    }
                    model::cover(INACTIVE_DUP);
                    pmtx = Some(o);
                }
            }
            // vm_seg.c:711-714: not found.
            hp.mtx.exit();
            if let Some(o) = pmtx.take() {
                o.pmtx.exit();
            }
            break;
        }
        // vm_seg.c:715-726.
        model::seed("vm_seg.c:716");
        callback(self, htag0, a.addr, len, a.pp, write, false);
        if npages != 0 && !model::mutant(super::mutants::INACTIVE_NO_UNACCOUNT) {
            self.pmem_mtx.enter();
            self.unaccount(npages, if a.wired { 0 } else { npages });
            self.pmem_mtx.exit();
        }
        self.after_op();
    }
}

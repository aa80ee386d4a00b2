//! What every operation does to an entry: link and unlink it on its chain
//! and P-list, free it, run the callbacks of a private list, and give its
//! pages back to the accounting. Each step checks the invariant it could
//! break at the moment it happens.

use super::checks::{PCACHE_J1, PCACHE_J2, PCACHE_J7, PCACHE_J8};
use super::state::{Bucket, Owner, Pcp};
use super::Pcache;
use model::check::fail;
use model::kernel::Handle;

impl Pcache {
    /// Links `h` at the head of bucket `b`'s chain (B held).
    pub(crate) fn chain_link(&self, b: &Bucket, h: Handle) -> usize {
        if self.g().clean > 0 {
            fail(
                PCACHE_J7,
                "an entry is cached after seg_p_disable returned success and before seg_p_enable",
            );
        }
        let n = b.chain.with(&[&b.mtx], |c| {
            c.insert(0, h);
            c.len()
        });
        b.len.write(n as u64, &[&b.mtx]);
        n
    }

    /// Unlinks `h` from bucket `b`'s chain (B held); it must be inactive
    /// (PCACHE-J1). Returns the entries left on the chain.
    #[track_caller]
    pub(crate) fn chain_unlink(&self, b: &Bucket, h: Handle, pcp: &Pcp) -> usize {
        let active = pcp.active.read(&[&b.mtx]);
        if active != 0 {
            fail(
                PCACHE_J1,
                format!("entry {h:?} unlinked with p_active {active}"),
            );
        }
        let n = b.chain.with(&[&b.mtx], |c| {
            c.retain(|&x| x != h);
            c.len()
        });
        b.len.write(n as u64, &[&b.mtx]);
        n
    }

    /// Unlinks `h` from its owner's P-list (P and B held).
    pub(crate) fn plist_unlink(&self, o: &Owner, b: &Bucket, h: Handle) {
        if model::mutant(super::mutants::PLIST_KEEP) {
            return;
        }
        o.phead.with(&[&o.pmtx, &b.mtx], |l| l.retain(|&x| x != h));
    }

    /// `kmem_cache_free` of an entry, which must be off its chain and its
    /// P-list (PCACHE-J2).
    #[track_caller]
    pub(crate) fn pcp_free(&self, h: Handle) {
        let Some(pcp) = self.g().live.get(&h).cloned() else {
            // A second free: the arena reports it.
            return self.entries.free(h);
        };
        let b = self.bucket_of(pcp.hashp, pcp.wired);
        let on_chain = b.chain.peek().contains(&h);
        let owner = self.g().owners.get(&pcp.tag).cloned();
        let on_plist = owner.is_some_and(|o| o.phead.peek().contains(&h));
        if on_chain || on_plist {
            fail(
                PCACHE_J2,
                format!(
                    "entry {h:?} freed while on its chain ({on_chain}) or its P-list ({on_plist})"
                ),
            );
        }
        self.g().live.remove(&h);
        self.entries.free(h);
    }

    /// Runs the reclaim callbacks of a private list (no pcache lock held),
    /// frees its entries, and returns (pages, non-wired pages).
    pub(crate) fn run_callbacks(&self, list: Vec<Handle>, async_: bool) -> (u64, u64) {
        let (mut npages, mut window) = (0, 0);
        for h in list {
            let pcp = self.pcp(h);
            let write = pcp.write.owned(|w| *w);
            (pcp.callback)(self, pcp.tag, pcp.addr, pcp.len, pcp.pp, write, async_);
            npages += pcp.len;
            if !pcp.wired {
                window += pcp.len;
            }
            self.pcp_free(h);
        }
        (npages, window)
    }

    /// Gives `npages` back to `seg_plocked`, `window` of them to
    /// `seg_plocked_window` too (M held); an underflow is PCACHE-J8.
    #[track_caller]
    pub(crate) fn unaccount(&self, npages: u64, window: u64) {
        let m = &self.pmem_mtx;
        let (locked, win) = (self.plocked.read(&[m]), self.plocked_window.read(&[m]));
        if locked < npages || win < window {
            fail(
                PCACHE_J8,
                format!("accounting underflow: seg_plocked {locked} - {npages}, seg_plocked_window {win} - {window}"),
            );
        }
        self.plocked.write(locked - npages, &[m]);
        self.plocked_window.write(win - window, &[m]);
    }
}

//! The pcache checks: J1-J6 of SEED-MAP section 2, J7-J8 of issue 14, and
//! the promises of the reclaim callback and of `seg_preap`'s wakeup, with
//! their CHECKS.md ids.
//!
//! [`Pcache::check_invariants`] reads only ghost state (the ghost copies
//! of the keyed cells, the mutexes' ghost holders, [`super::state::Ghost`]),
//! so it adds no scheduling point. It runs after every pcache operation
//! ([`At::Step`], each part only where no lock covering it is held) and at
//! the end of every scenario ([`At::Quiescent`]). On real threads only the
//! end check runs (a thread can be caught between a write and its ghost
//! copy); the run parameter `checks=end` turns the step checks off.

use super::Pcache;
use model::check::{fail, SYNC_MISUSE};

use std::collections::BTreeMap;

/// J1: `p_active` never goes below 0; an entry is unlinked or freed only
/// inactive, so a shadow list a caller holds is never reclaimed under it
/// (a cached entry's `p_active` is at least its holders, equal at rest).
pub const PCACHE_J1: &str = "PCACHE-J1";
/// J2: a non-wired entry is on its chain iff on its P-list (with both
/// locks free); it is freed only off both; each shadow list is reclaimed
/// exactly once (at rest: every list is cached or reclaimed, not both).
pub const PCACHE_J2: &str = "PCACHE-J2";
/// J3: `seg_plocked` (`seg_plocked_window`) is at least the pages of the
/// (non-wired) entries on chains, and equal to them at rest.
pub const PCACHE_J3: &str = "PCACHE-J3";
/// J4: a bucket is on at most one active list, at most once; with its
/// mutex free a non-empty non-wired bucket is on a list.
pub const PCACHE_J4: &str = "PCACHE-J4";
/// J5: while `seg_pathr_on`, only the async purge thread changes the list
/// `!seg_pahcur`.
pub const PCACHE_J5: &str = "PCACHE-J5";
/// J6: a segment or anon map outlives its entries, including those on a
/// private callback list.
pub const PCACHE_J6: &str = "PCACHE-J6";
/// J7: after `seg_p_disable` returns success the cache holds no entry
/// until `seg_p_enable`.
pub const PCACHE_J7: &str = "PCACHE-J7";
/// J8: the accounting never underflows and `seg_plocked_window` never
/// exceeds `seg_pmaxwindow`.
pub const PCACHE_J8: &str = "PCACHE-J8";
/// The reclaim callback runs with no pcache lock held (but the purge
/// thread's `seg_pasync_mtx`), on an entry that no chain reaches.
pub const PCACHE_CB: &str = "PCACHE-CB";
/// `seg_preap`'s wakeup promises a purge that starts after it: the purge
/// thread never goes back to sleep with a reap request it has not seen.
pub const PCACHE_REAP: &str = "PCACHE-REAP";

/// Where the invariants are checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    Quiescent,
    Step,
}

impl Pcache {
    pub(crate) fn after_op(&self) {
        if self.each_op {
            self.check_invariants(At::Step);
        }
    }

    /// Every invariant at the end of a scenario (all threads joined).
    pub fn check_quiescent(&self) {
        self.check_invariants(At::Quiescent);
    }

    /// J8's window limit, checked wherever the window grows.
    pub(crate) fn check_window(&self) {
        let (w, max) = (self.plocked_window.peek(), self.cfg.max_window);
        if w > max {
            fail(
                PCACHE_J8,
                format!("seg_plocked_window {w} above seg_pmaxwindow {max}"),
            );
        }
    }

    pub fn check_invariants(&self, at: At) {
        let quiet = at == At::Quiescent;
        if quiet {
            self.check_all_free();
        }
        let free = |m: &model::sync::KMutex| m.owner().is_none();
        let g = self.g().snapshot();
        // Entries on chains, per bucket: (handle, pp, len, wired).
        let mut on_chain = BTreeMap::new();
        let (mut pages, mut window) = (0, 0);
        for (wired, table) in [(false, &self.win), (true, &self.wired)] {
            for (b, hp) in table.iter().enumerate() {
                for h in hp.chain.peek() {
                    let Some(pcp) = g.live.get(&h) else {
                        fail(
                            PCACHE_J2,
                            format!("freed entry {h:?} still on bucket {b}'s chain"),
                        );
                    };
                    let (tag, pp) = (pcp.tag, pcp.pp);
                    pages += pcp.len;
                    if !wired {
                        window += pcp.len;
                    }
                    on_chain.insert(h, (tag, pp, wired, b));
                    // J1: the holders of a cached list keep it active.
                    let holders = u64::from(g.holders.get(&pp).copied().unwrap_or(0));
                    let active = pcp.active.peek();
                    if free(&hp.mtx) && (active < holders || (quiet && active != holders)) {
                        fail(
                            PCACHE_J1,
                            format!("entry {h:?} has p_active {active} for {holders} holders"),
                        );
                    }
                    if g.reclaimed.contains_key(&pp) {
                        fail(PCACHE_J2, format!("list {pp} reclaimed while still cached"));
                    }
                    if !g.owners.contains_key(&tag) {
                        fail(PCACHE_J6, format!("entry {h:?} names freed {tag:?}"));
                    }
                }
            }
        }
        // J2: chain iff P-list for non-wired entries with B and P free.
        for (tag, o) in &g.owners {
            let plist = o.phead.peek();
            for h in &plist {
                if !g.live.contains_key(h) {
                    fail(
                        PCACHE_J2,
                        format!("freed entry {h:?} still on the P-list of {tag:?}"),
                    );
                }
            }
            if !free(&o.pmtx) {
                continue;
            }
            for h in &plist {
                let b = g.live[h].hashp;
                if free(&self.win[b].mtx) && !on_chain.contains_key(h) {
                    fail(
                        PCACHE_J2,
                        format!("entry {h:?} on the P-list of {tag:?} but on no chain"),
                    );
                }
            }
            for (h, &(t, _, wired, b)) in &on_chain {
                if t == *tag && !wired && free(&self.win[b].mtx) && !plist.contains(h) {
                    fail(
                        PCACHE_J2,
                        format!("entry {h:?} on a chain but not on the P-list of {tag:?}"),
                    );
                }
            }
        }
        // J3.
        let (locked, win) = (self.plocked.peek(), self.plocked_window.peek());
        if locked < pages || win < window || (quiet && (locked != pages || win != window)) {
            fail(
                PCACHE_J3,
                format!("seg_plocked {locked} / window {win} for cached pages {pages} / non-wired {window}"),
            );
        }
        // J7.
        if g.clean > 0 && !on_chain.is_empty() {
            fail(
                PCACHE_J7,
                "an entry is cached after seg_p_disable returned success and before seg_p_enable",
            );
        }
        // J2 at rest: every list is cached or reclaimed once.
        if quiet {
            for pp in 1..=g.next_pp {
                let cached = on_chain.values().any(|&(_, p, _, _)| p == pp);
                let reclaimed = g.reclaimed.get(&pp).copied().unwrap_or(0);
                if cached == (reclaimed == 1) {
                    fail(
                        PCACHE_J2,
                        format!("list {pp}: cached {cached}, reclaimed {reclaimed} times"),
                    );
                }
            }
        }
        self.check_window();
        self.check_lists(&on_chain, quiet);
    }

    /// J4 on the active lists.
    fn check_lists(
        &self,
        on_chain: &BTreeMap<model::kernel::Handle, (super::state::Tag, u64, bool, usize)>,
        _quiet: bool,
    ) {
        let lists = [self.ahead[0].peek(), self.ahead[1].peek()];
        for (l, v) in lists.iter().enumerate() {
            for (i, b) in v.iter().enumerate() {
                if v[i + 1..].contains(b) || lists[1 - l].contains(b) {
                    fail(
                        PCACHE_J4,
                        format!("bucket {b} twice on the active lists {lists:?}"),
                    );
                }
            }
        }
        for (b, hp) in self.win.iter().enumerate() {
            let full = on_chain.values().any(|&(_, _, w, x)| !w && x == b);
            if full && hp.mtx.owner().is_none() && !lists.iter().any(|v| v.contains(&b)) {
                fail(
                    PCACHE_J4,
                    format!("non-empty bucket {b} on no active list {lists:?}"),
                );
            }
        }
    }

    fn check_all_free(&self) {
        let mut locks = vec![
            &self.pmem_mtx,
            &self.pcache_mtx,
            &self.pasync_mtx,
            &self.as_mtx,
        ];
        locks.extend(self.win.iter().chain(&self.wired).map(|b| &b.mtx));
        for m in locks {
            if let Some(t) = m.owner() {
                fail(
                    SYNC_MISUSE,
                    format!("{m:?} still held by thread {t} at the end"),
                );
            }
        }
        if self.pathr_on.peek() {
            fail(SYNC_MISUSE, "seg_pathr_on still set at the end");
        }
    }
}

/// One cached entry as the sequential reference model sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cached {
    pub tag: super::state::Tag,
    pub addr: u64,
    pub len: u64,
    pub pp: u64,
    pub active: u64,
    pub referenced: bool,
}

impl Pcache {
    /// Ghost: the first non-wired bucket's chain, newest first, and
    /// (`seg_plocked`, `seg_plocked_window`), for refinement checks.
    pub fn view(&self) -> (Vec<Cached>, u64, u64) {
        let g = self.g();
        let chain = self.win[0]
            .chain
            .peek()
            .iter()
            .filter_map(|h| g.live.get(h))
            .map(|p| Cached {
                tag: p.tag,
                addr: p.addr,
                len: p.len,
                pp: p.pp,
                active: p.active.peek(),
                referenced: p.pref.peek(),
            })
            .collect();
        (chain, self.plocked.peek(), self.plocked_window.peek())
    }
}

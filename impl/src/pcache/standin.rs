//! Stand-ins for what calls pcache: a segment driver's pagelock and
//! pageunlock (segvn_pagelock / segspt's), its reclaim callback
//! (segvn_reclaim, `seg_preclaim_cbfunc_t`), and `seg_alloc`, `seg_unmap`
//! and `seg_free` (vm_seg.c:1583-1695) with segvn's wait for
//! `softlockcnt` to drain (as_unmap's AS_UNMAPWAIT).
//!
//! The callback is where pcache hands pages back, so it checks what
//! pcache promises it: it runs exactly once per shadow list
//! (PCACHE-J2), with no pcache lock held and on an entry no chain or
//! P-list still reaches (PCACHE-CB), while nobody still uses the list
//! (PCACHE-J1), and its owner is alive (a use of it: MEM-UAF).

use super::checks::{PCACHE_CB, PCACHE_J1, PCACHE_J2, PCACHE_J6};
use super::inactive::Inactive;
use super::insert::Insert;
use super::state::{Owner, Tag};
use super::Pcache;
use crate::vm::keyed::Keyed;
use model::check::fail;
use model::sync::{KMutex, Ordering};

/// A shadow list a caller holds between pagelock and pageunlock.
#[derive(Clone, Copy, Debug)]
pub struct Locked {
    pub seg: Tag,
    pub amp: Option<Tag>,
    pub addr: u64,
    pub len: u64,
    pub pp: u64,
    pub write: bool,
    pub wired: bool,
    /// Whether `seg_plookup` found it cached.
    pub hit: bool,
}

/// What a pagelock asks for.
#[derive(Clone, Copy, Debug)]
pub struct Request {
    pub seg: Tag,
    pub amp: Option<Tag>,
    pub addr: u64,
    pub len: u64,
    pub write: bool,
    pub wired: bool,
}

impl Request {
    /// `len` pages at `addr` of `seg`, read, not wired, tagged by `seg`.
    pub fn new(seg: Tag, addr: u64, len: u64) -> Self {
        Request {
            seg,
            amp: None,
            addr,
            len,
            write: false,
            wired: false,
        }
    }
}

/// The stand-in segment driver's reclaim callback: unlocks the list's
/// pages and drops them from its owner's `softlockcnt`, waking an unmap
/// that waits for it to drain.
fn reclaim(
    pc: &Pcache,
    tag: Tag,
    _addr: u64,
    len: u64,
    pp: u64,
    _write: bool,
    _async: bool,
) -> bool {
    model::seed("segvn_reclaim");
    pc.check_callback(pp);
    let o = pc.owner(tag);
    // The callback's last use of its owner: from here the owner may go.
    pc.g().released.insert(pp);
    let left = o.softlockcnt.fetch_sub(len, Ordering::AcqRel) - len;
    if left == 0 {
        pc.as_mtx.enter();
        if pc.unmapwait.read(&[&pc.as_mtx]) {
            pc.unmapwait.with(&[&pc.as_mtx], |w| *w = false);
            pc.as_cv.broadcast();
        }
        pc.as_mtx.exit();
    }
    false
}

impl Pcache {
    /// `seg_alloc` (or `anonmap_alloc` with `amp`): a new tag.
    pub fn seg_alloc(&self, amp: bool) -> Tag {
        let idx = {
            let mut g = self.g();
            g.nowners += 1;
            g.nowners
        };
        let h = self.owners.alloc(Owner {
            pmtx: KMutex::tried(super::state::PLIST, idx),
            phead: Keyed::new("pcache.s_phead", Vec::new()),
            softlockcnt: model::sync::AtomicU64::new("pcache.softlockcnt", idx, 0),
        });
        let tag = Tag { h, amp };
        let o = self.owner(tag);
        self.g().owners.insert(tag, o);
        tag
    }

    /// The segment driver's pagelock: a cached list if `seg_plookup` hits,
    /// else newly locked pages, cached if `seg_pinsert` takes them.
    pub fn pagelock(&self, r: Request) -> Locked {
        let mut l = Locked {
            seg: r.seg,
            amp: r.amp,
            addr: r.addr,
            len: r.len,
            pp: 0,
            write: r.write,
            wired: r.wired,
            hit: false,
        };
        if let Some(pp) = self.seg_plookup(r.seg, r.amp, r.addr, r.len, r.write, r.wired) {
            l.pp = pp;
            l.hit = true;
            *self.g().holders.entry(pp).or_default() += 1;
            return l;
        }
        let tag = r.amp.unwrap_or(r.seg);
        self.owner(tag)
            .softlockcnt
            .fetch_add(r.len, Ordering::AcqRel);
        {
            let mut g = self.g();
            g.next_pp += 1;
            l.pp = g.next_pp;
            g.holders.insert(l.pp, 1);
        }
        if self.seg_pinsert_check(r.len, r.wired) {
            let ins = Insert {
                seg: r.seg,
                amp: r.amp,
                addr: r.addr,
                len: r.len,
                wlen: r.len,
                pp: l.pp,
                write: r.write,
                wired: r.wired,
            };
            self.seg_pinsert(ins, reclaim);
        }
        l
    }

    /// The segment driver's pageunlock: hands the list back with
    /// `seg_pinactive`.
    pub fn pageunlock(&self, l: Locked) {
        {
            let mut g = self.g();
            let n = g.holders.entry(l.pp).or_default();
            *n = n.saturating_sub(1);
        }
        let a = Inactive {
            seg: l.seg,
            amp: l.amp,
            addr: l.addr,
            len: l.len,
            pp: l.pp,
            write: l.write,
            wired: l.wired,
        };
        self.seg_pinactive(a, reclaim);
        // segvn: a pageunlock wakes an unmap waiting for the cache.
        self.as_mtx.enter();
        if self.unmapwait.read(&[&self.as_mtx]) {
            self.unmapwait.with(&[&self.as_mtx], |w| *w = false);
            self.as_cv.broadcast();
        }
        self.as_mtx.exit();
    }

    /// `seg_unmap` of a segment (or the last unmap of an anon map): purge
    /// its cached lists, wait (AS_UNMAPWAIT) until every reclaim callback
    /// has run, then `seg_free`.
    pub fn seg_unmap(&self, seg: Tag, amp: Option<Tag>, wired: bool) {
        let tag = amp.unwrap_or(seg);
        if model::mutant(super::mutants::UNMAP_NO_PURGE) {
            // A driver that frees its segment without seg_unmap's protocol.
            self.owners.free(tag.h);
            return;
        }
        loop {
            self.seg_ppurge(seg, amp, wired);
            self.as_mtx.enter();
            let o = self.owner(tag);
            if o.softlockcnt.load(Ordering::Acquire) == 0
                || model::mutant(super::mutants::UNMAP_NO_WAIT)
            {
                self.as_mtx.exit();
                break;
            }
            self.unmapwait.with(&[&self.as_mtx], |w| *w = true);
            while self.unmapwait.read(&[&self.as_mtx]) {
                self.as_cv.wait(&self.as_mtx);
            }
            self.as_mtx.exit();
        }
        self.seg_free(tag);
    }

    /// `seg_free` (vm_seg.c:1676-1695): the owner goes; no entry may
    /// still name it (PCACHE-J6).
    pub fn seg_free(&self, tag: Tag) {
        let g = self.g();
        let left: Vec<_> = g
            .live
            .iter()
            .filter(|(_, p)| p.tag == tag && !g.released.contains(&p.pp))
            .map(|(h, _)| *h)
            .collect();
        drop(g);
        if !left.is_empty() {
            fail(
                PCACHE_J6,
                format!("{tag:?} freed while entries {left:?} still name it (cached or awaiting their callback)"),
            );
        }
        assert!(self.owner(tag).phead.peek().is_empty(), "vm_seg.c:1692");
        self.g().owners.remove(&tag);
        self.owners.free(tag.h);
        self.after_op();
    }

    /// What the callback checks on entry.
    fn check_callback(&self, pp: u64) {
        let held = self.pcache_lock_held();
        if let Some(what) = held {
            fail(
                PCACHE_CB,
                format!("reclaim callback of list {pp} runs holding {what}"),
            );
        }
        let cached = {
            let g = self.g();
            self.win.iter().chain(&self.wired).any(|b| {
                b.chain
                    .peek()
                    .iter()
                    .any(|h| g.live.get(h).is_some_and(|p| p.pp == pp))
            })
        };
        if cached {
            fail(
                PCACHE_CB,
                format!("reclaim callback of list {pp} while an entry for it is still on a chain"),
            );
        }
        let mut g = self.g();
        if g.holders.get(&pp).copied().unwrap_or(0) != 0 {
            drop(g);
            fail(
                PCACHE_J1,
                format!("list {pp} reclaimed while a caller still holds it"),
            );
        }
        let n = g.reclaimed.entry(pp).or_default();
        *n += 1;
        if *n > 1 {
            drop(g);
            fail(PCACHE_J2, format!("list {pp} reclaimed twice"));
        }
    }

    /// A pcache lock the calling thread holds, other than
    /// `seg_pasync_mtx` (held by the purge thread across its callbacks,
    /// vm_seg.c:1544-1551).
    fn pcache_lock_held(&self) -> Option<String> {
        let mut locks: Vec<&KMutex> = vec![&self.pmem_mtx, &self.pcache_mtx];
        locks.extend(self.win.iter().chain(&self.wired).map(|b| &b.mtx));
        if let Some(m) = locks.into_iter().find(|m| m.held()) {
            return Some(format!("{m:?}"));
        }
        let owners: Vec<_> = self.g().owners.values().cloned().collect();
        owners
            .into_iter()
            .find(|o| o.pmtx.held())
            .map(|o| format!("{:?}", o.pmtx))
    }
}

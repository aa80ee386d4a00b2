//! The segmap checks: invariants I1-I8 of SEED-MAP section 1 and the
//! refinement checks, with their CHECKS.md ids.
//!
//! [`Segmap::check_invariants`] reads only ghost state (the ghost copies of
//! the modelled words, the ghost holder lists of the mutexes and the ghost
//! counters), so it adds no scheduling point and no dependency. It runs at
//! the end of every scenario ([`At::Quiescent`], every lock free) and after
//! every segmap operation ([`At::Step`]), where each part is checked only
//! for the state whose locks nobody holds: a lock holder may be in the
//! middle of changing it. After-operation checks run on the loom and
//! shuttle backends, in every build (they cost no scheduling point);
//! the run parameter `checks=end` turns them off. On real threads
//! they are off: a thread can be caught between a write and its ghost
//! copy.
//!
//! The order of the parts is fixed, so that a broken state is reported by
//! the most specific invariant: refcnt against holders, chains (I1, I2),
//! queue structure (I4), roles (I5), conservation (I7), placement (I3),
//! `sm_want` (I8), translations (XLATE), and at the end lost writes
//! (MODLOST).

use super::consts::{MAXBSIZE, NIL};
use super::Segmap;
use crate::vm::vnode::Vnode;
use model::check::{fail, SYNC_MISUSE};
use std::collections::BTreeSet;
use std::sync::atomic::Ordering::SeqCst;

/// I1: each (vnode, offset) is hashed at most once.
pub const SEGMAP_I1: &str = "SEGMAP-I1";
/// I2: a slot is on hash chain h iff its tag is set and hashes to h.
pub const SEGMAP_I2: &str = "SEGMAP-I2";
/// I3: with its slot mutex free, a referenced slot is on no free queue and
/// has no queue links, and a slot on a free queue is on exactly one, the
/// one its SM_QNDX_ZERO flag names, of its own freelist.
pub const SEGMAP_I3: &str = "SEGMAP-I3";
/// I4: free queues are consistent circular rings (`smq_free` NULL iff
/// empty), and every slot whose links are set is on one of them.
pub const SEGMAP_I4: &str = "SEGMAP-I4";
/// I5: a freelist's {allocq, releq} is {&freeq[0], &freeq[1]}.
pub const SEGMAP_I5: &str = "SEGMAP-I5";
/// I6: refcnt never goes below 0, and a slot's tag changes only while its
/// refcnt is 0.
pub const SEGMAP_I6: &str = "SEGMAP-I6";
/// I7: the slots are exactly the slots on free queues plus the referenced
/// slots. Checked per slot: every slot is referenced or on a free queue
/// (with I3, which forbids both and twice, the counts then add up).
pub const SEGMAP_I7: &str = "SEGMAP-I7";
/// I8: `sm_want` equals the number of threads between seg_map.c:1252 and
/// 1256 on that freelist.
pub const SEGMAP_I8: &str = "SEGMAP-I8";
/// Refinement: `segmap_getmapflt(vp, off)` returns a window whose slot is
/// tagged (vp, off & MAXBMASK).
pub const SEGMAP_TAG: &str = "SEGMAP-TAG";
/// Refinement: a slot's refcnt equals the number of windows on it handed
/// out and not yet released.
pub const SEGMAP_REFCNT: &str = "SEGMAP-REFCNT";
/// A slot's `sm_bitmap` names exactly the pages of its window that
/// `segmap_pagecreate` created and left locked, and that no
/// `segmap_pageunlock` or F_SOFTUNLOCK has unlocked yet.
pub const SEGMAP_BITMAP: &str = "SEGMAP-BITMAP";
/// Refinement: one thread's getmaps return the slots the sequential
/// reference model (`spec`) predicts: a hit returns the
/// cached slot, a miss the free slot released longest ago.
pub const SEGMAP_SPEC: &str = "SEGMAP-SPEC";
/// Refinement: no slot is grabbed for reuse, or put on a freelist, while it
/// is referenced or already free (seg_map.c:936-938, 1128).
pub const SEGMAP_GRAB: &str = "SEGMAP-GRAB";

/// A window translates only to the pages of its slot's current tag: every
/// valid PTE of a slot's window, every translation a CPU caches from one,
/// and every access a holder makes through it maps the page (tag vnode,
/// tag offset + page offset); an untagged window translates nothing. So
/// when a slot loses its identity (grab_smp's hashout for reuse,
/// seg_map.c:1139-1181; an SM_INVAL/SM_DESTROY release, 2085-2102) its
/// translations are unloaded and shot down on every CPU before anyone can
/// re-tag it. Checked after each unload, when a PTE is loaded, on each
/// access, and for every slot whose mutex is free after each operation
/// and at the end.
pub const SEGMAP_XLATE: &str = "SEGMAP-XLATE";
/// A write through a window is never lost: a page a CPU wrote through a
/// window is not freed as clean (`page_release` from `segmap_pagefree`,
/// seg_map.c:1094-1117), and at the end of the scenario it is in memory
/// and modified in its `p_nrm` or in a window PTE that maps it. Unloading
/// a window must move the PTE's MOD bit into the page
/// (`hati_sync_pte_to_page`) before `page_release` can see it unmapped.
pub const SEGMAP_MODLOST: &str = "SEGMAP-MODLOST";
/// Refinement of kpm windows (segkpm on): `segmap_getmapflt` returns the
/// kpm address of the page of (vp, off & MAXBMASK), which its caller holds
/// locked until `segmap_release` and not after; `get_smap_kpm` finds the
/// slot carrying that page's identity, with the caller's reference.
pub const SEGMAP_KPM: &str = "SEGMAP-KPM";
/// segkpm on: a free slot whose kpme names a page is reused only by a
/// thread holding that page's lock (seg_map.c:1297-1322, 1153-1157), so
/// never while someone else holds the page exclusive.
pub const SEGMAP_KPM_GRAB: &str = "SEGMAP-KPM-GRAB";
/// segkpm on, the kpm mappings: `hat_kpm_mapin`/`hat_kpm_mapout` run with
/// the page locked by the caller; a mapin finds the kpme empty or naming
/// the same page, a mapout finds it naming the page it removes; a slot's
/// valid kpme names the page of the slot's identity.
pub const SEGMAP_KPM_MAP: &str = "SEGMAP-KPM-MAP";

/// A `segmap_getmapflt` with `forcefault` whose slot is new returns with
/// the pages of `[off, off + len)` translated in its window, at their
/// offset within the block (seg_map.c:1955-1972), whatever that offset;
/// so do `segmap_pagecreate` and `segmap_fault(F_SOFTLOCK)` over a range
/// of the window (seg_map.c:1437-1480, 721-768).
pub const SEGMAP_PREFAULT: &str = "SEGMAP-PREFAULT";

/// The stand-in `VOP_PUTPAGE` after a `segmap_release` gets the flags the
/// seed passes for each release flag (seg_map.c:2045-2076): B_ASYNC for
/// SM_ASYNC, B_INVAL for SM_INVAL, B_INVAL|B_TRUNC for SM_DESTROY, B_FREE
/// and B_DONTNEED for SM_FREE and SM_DONTNEED of the last holder only, no
/// call for 0 or SM_DONTNEED alone (seg_map.c:2115-2120).
pub const SEGMAP_PUTPAGE: &str = "SEGMAP-PUTPAGE";

/// Where the invariants are checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    /// Every segmap lock must be free (end of a scenario).
    Quiescent,
    /// Between operations while other threads run: each part is checked
    /// only where no lock covering it is held.
    Step,
}

/// The rings of one freelist's two queues, walked from their heads.
struct Rings {
    /// Members of each queue, in ring order (`None` when its mutex is held).
    members: [Option<Vec<usize>>; 2],
}

impl Segmap {
    /// Checks after an operation, if enabled.
    pub(crate) fn after_op(&self) {
        if self.each_op {
            self.check_invariants(At::Step);
        }
    }

    /// Checks every invariant at a quiescent point (all threads joined),
    /// then the HAT's own.
    pub fn check_quiescent(&self) {
        self.check_invariants(At::Quiescent);
        self.hat.check_quiescent();
    }

    /// Ghost: threads asleep on freelist `freelist`'s `sm_free_cv`. For a
    /// scenario that must act only once a waiter sleeps (no port decision
    /// reads it).
    pub fn sleepers(&self, freelist: usize) -> u64 {
        self.free[freelist].waiting.load(SeqCst)
    }

    /// The refinement of refcnt for slot `smp`, checked first wherever the
    /// count is examined, so that a miscount is reported as such and not as
    /// whatever it later breaks: the count equals the windows handed out
    /// and not yet released.
    pub(crate) fn check_refcnt(&self, smp: usize, who: &str) {
        let s = &self.smap[smp];
        let (refcnt, holders) = (s.refcnt.peek(), s.holders.load(SeqCst));
        if refcnt != holders {
            fail(
                SEGMAP_REFCNT,
                format!("{who}: slot {smp} has refcnt {refcnt} but {holders} holders"),
            );
        }
    }

    /// Checks I1-I8 and the refinement of refcnt, on ghost state.
    pub fn check_invariants(&self, at: At) {
        if at == At::Quiescent {
            self.check_all_free();
        }
        let slot_free = |i: usize| self.smap[i].mtx.owner().is_none();
        for i in (0..self.smap.len()).filter(|&i| slot_free(i)) {
            self.check_refcnt(i, "between operations");
        }
        let chains = self.check_chains();
        self.check_tags(&chains, &slot_free);
        let rings: Vec<Rings> = (0..self.free.len()).map(|f| self.walk_rings(f)).collect();
        self.check_linked(&rings, &slot_free);
        self.check_roles();
        self.check_placement(&rings, &slot_free);
        self.check_want();
        for i in (0..self.smap.len()).filter(|&i| slot_free(i)) {
            self.check_xlate(i, "between operations");
        }
        if at == At::Quiescent {
            self.check_modlost();
        }
        if self.kpm {
            self.check_kpmes();
            self.check_kpm_windows();
        }
        for (i, s) in self.smap.iter().enumerate() {
            if slot_free(i) && s.bitmap.peek() != s.bits.load(SeqCst) {
                fail(
                    SEGMAP_BITMAP,
                    format!(
                        "slot {i}: sm_bitmap is {:#x} but the pages created and not yet unlocked are {:#x}",
                        s.bitmap.peek(),
                        s.bits.load(SeqCst)
                    ),
                );
            }
        }
    }

    fn check_all_free(&self) {
        let locks = self
            .smap
            .iter()
            .map(|s| &s.mtx)
            .chain(self.hash.iter().map(|h| &h.mtx))
            .chain(
                self.free
                    .iter()
                    .flat_map(|f| f.freeq.iter().map(|q| &q.mtx)),
            );
        for m in locks {
            if let Some(t) = m.owner() {
                fail(
                    SYNC_MISUSE,
                    format!("{m:?} still held by thread {t} at a quiescent point"),
                );
            }
        }
        if let Some(p) = self.pages.locks().find(|p| p.locked()) {
            fail(
                SYNC_MISUSE,
                format!("{p:?} still locked at a quiescent point"),
            );
        }
    }

    /// I1 and the chain half of I2. Returns, per chain, its members
    /// (`None` when the chain mutex is held).
    fn check_chains(&self) -> Vec<Option<Vec<usize>>> {
        let n = self.smap.len();
        self.hash
            .iter()
            .enumerate()
            .map(|(h, chain)| {
                if chain.mtx.owner().is_some() {
                    return None;
                }
                let mut members = Vec::new();
                let mut keys = BTreeSet::new();
                let mut x = chain.list.peek();
                while x != NIL {
                    let i = x as usize;
                    if i >= n || members.len() > n {
                        fail(SEGMAP_I2, format!("hash chain {h} is corrupt (at {x:#x})"));
                    }
                    let s = &self.smap[i];
                    let (vp, off) = (s.vp.peek(), s.off.peek());
                    if vp == 0 || self.hashid(Vnode(vp as u32), off) != h {
                        fail(
                            SEGMAP_I2,
                            format!("slot {i} on chain {h} is tagged (vp {vp}, off {off:#x})"),
                        );
                    }
                    if !keys.insert((vp, off)) {
                        fail(
                            SEGMAP_I1,
                            format!("(vp {vp}, off {off:#x}) is hashed twice on chain {h}"),
                        );
                    }
                    members.push(i);
                    x = s.hash.peek();
                }
                Some(members)
            })
            .collect()
    }

    /// The slot half of I2: a tagged slot is on its chain, an untagged one
    /// on none.
    fn check_tags(&self, chains: &[Option<Vec<usize>>], slot_free: &dyn Fn(usize) -> bool) {
        for (i, s) in self.smap.iter().enumerate() {
            if !slot_free(i) {
                continue;
            }
            let (vp, off) = (s.vp.peek(), s.off.peek());
            if vp != 0 {
                let h = self.ghost_chain(Vnode(vp as u32), off);
                if let Some(m) = &chains[h] {
                    if !m.contains(&i) {
                        fail(
                            SEGMAP_I2,
                            format!(
                                "slot {i} is tagged (vp {vp}, off {off:#x}) but not on chain {h}"
                            ),
                        );
                    }
                }
            } else if let Some(h) = chains
                .iter()
                .position(|c| c.as_ref().is_some_and(|m| m.contains(&i)))
            {
                fail(SEGMAP_I2, format!("untagged slot {i} is on chain {h}"));
            }
        }
    }

    /// Ghost: the chain I2 expects (vp, off) on, `SMAP_HASHFUNC`
    /// (seg_map.c:260-264) stated apart from [`Segmap::hashid`], so that a
    /// wrong hash is seen, not copied: it decides which chain mutex a key
    /// contends on.
    fn ghost_chain(&self, vp: Vnode, off: u64) -> usize {
        let a = vp.addr();
        ((a / 64 + a / 8 + off / MAXBSIZE) % self.hash.len() as u64) as usize
    }

    /// The ring walk of I4 for freelist `f`.
    fn walk_rings(&self, f: usize) -> Rings {
        let n = self.smap.len();
        let sm = &self.free[f];
        let walk = |q: usize| {
            let queue = &sm.freeq[q];
            if queue.mtx.owner().is_some() {
                return None;
            }
            let head = queue.head.peek();
            let mut members = Vec::new();
            if head == NIL {
                return Some(members);
            }
            let mut x = head;
            loop {
                let i = x as usize;
                let bad = |why: String| -> ! {
                    fail(SEGMAP_I4, format!("freelist {f} queue {q}: {why}"))
                };
                if i >= n {
                    bad(format!("link to {x:#x}"));
                }
                if members.contains(&i) {
                    bad(format!(
                        "ring does not return to its head {head} (loops at {i})"
                    ));
                }
                let s = &self.smap[i];
                if s.free_ndx != f {
                    bad(format!("slot {i} of freelist {} is on it", s.free_ndx));
                }
                let next = s.next.peek();
                if next == NIL || next as usize >= n || self.smap[next as usize].prev.peek() != x {
                    bad(format!("slot {i}: next {next:#x} does not link back"));
                }
                members.push(i);
                x = next;
                if x == head {
                    break;
                }
            }
            Some(members)
        };
        Rings {
            members: [walk(0), walk(1)],
        }
    }

    /// I4, second half: a slot whose links are set is on a ring.
    fn check_linked(&self, rings: &[Rings], slot_free: &dyn Fn(usize) -> bool) {
        for (i, s) in self.smap.iter().enumerate() {
            let r = &rings[s.free_ndx];
            if !slot_free(i) || r.members.iter().any(Option::is_none) {
                continue;
            }
            let linked = s.next.peek() != NIL || s.prev.peek() != NIL;
            let on = r.members.iter().flatten().any(|m| m.contains(&i));
            if linked && !on {
                fail(
                    SEGMAP_I4,
                    format!(
                        "slot {i} is linked but on no ring of freelist {}",
                        s.free_ndx
                    ),
                );
            }
        }
    }

    /// I5.
    fn check_roles(&self) {
        for (f, sm) in self.free.iter().enumerate() {
            if sm.freeq.iter().any(|q| q.mtx.owner().is_some()) {
                continue;
            }
            let (a, r) = (sm.allocq.peek(), sm.releq.peek());
            if !((a == 0 && r == 1) || (a == 1 && r == 0)) {
                fail(
                    SEGMAP_I5,
                    format!("freelist {f}: allocq is freeq[{a}] and releq is freeq[{r}]"),
                );
            }
        }
    }

    /// I7, then I3, for each slot whose mutex and queue mutexes are free.
    fn check_placement(&self, rings: &[Rings], slot_free: &dyn Fn(usize) -> bool) {
        for (i, s) in self.smap.iter().enumerate() {
            let r = &rings[s.free_ndx];
            if !slot_free(i) || r.members.iter().any(Option::is_none) {
                continue;
            }
            let on: Vec<usize> = (0..2)
                .filter(|&q| r.members[q].as_ref().is_some_and(|m| m.contains(&i)))
                .collect();
            let others = rings
                .iter()
                .enumerate()
                .filter(|&(f, _)| f != s.free_ndx)
                .any(|(_, o)| o.members.iter().flatten().any(|m| m.contains(&i)));
            let refcnt = s.refcnt.peek();
            let named = if s.flags.peek() & super::consts::SM_QNDX_ZERO != 0 {
                0
            } else {
                1
            };
            if refcnt == 0 && on.is_empty() && !others {
                fail(
                    SEGMAP_I7,
                    format!("slot {i} is lost: refcnt 0 and on no free queue"),
                );
            }
            let why = if refcnt == 0 && (on.len() > 1 || others) {
                "is on more than one free queue".to_string()
            } else if refcnt == 0 && !on.is_empty() && on[0] != named {
                format!("is on freeq[{}] but its flags name freeq[{named}]", on[0])
            } else if refcnt > 0 && (!on.is_empty() || others) {
                format!("has refcnt {refcnt} but is on a free queue")
            } else if refcnt > 0 && (s.next.peek() != NIL || s.prev.peek() != NIL) {
                format!("has refcnt {refcnt} but its queue links are set")
            } else {
                continue;
            };
            fail(SEGMAP_I3, format!("slot {i} {why}"));
        }
    }

    /// I8.
    fn check_want(&self) {
        for (f, sm) in self.free.iter().enumerate() {
            if sm.freeq.iter().any(|q| q.mtx.owner().is_some()) {
                continue;
            }
            let (want, waiting) = (sm.want.peek(), sm.waiting.load(SeqCst));
            if want != waiting {
                fail(
                    SEGMAP_I8,
                    format!("freelist {f}: sm_want is {want} but {waiting} threads wait"),
                );
            }
        }
    }
}

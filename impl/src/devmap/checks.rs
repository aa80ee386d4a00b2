//! The devmap checks: K1-K6 of SEED-MAP section 3, with their CHECKS.md
//! ids. Liveness (no lost wakeup on the softlock cv, the context cv or an
//! unmapper's `a_cv`; release and callout cannot deadlock) is the model's
//! SYNC-DEADLOCK: a thread left waiting at the end of a scenario, and use
//! of a freed softlock or context (a callout after its context is freed)
//! is MEM-UAF.
//!
//! The step checks read only ghost state (the keyed values' ghost copies,
//! [`super::ghost::G`]) and add no scheduling point; they run after every
//! devmap operation (`checks=each`, not on real threads) and at the end of
//! every scenario ([`Devmap::check_quiescent`]).

use super::ghost::{Owner, G};
use super::state::{Cookie, Devmap, FaultType};
use model::check::fail;
use model::kernel::Handle;
use model::Tid;

/// K1: the softlock works like a reader/writer lock: `softlocked < 0` iff
/// one F_SOFTLOCK holds that many pages, `> 0` iff only F_INVAL/F_PROT
/// faults hold them; exits never cross zero; a fault that fails (and an
/// F_SOFTUNLOCK, and an F_INVAL when it returns) holds no page; zero at
/// rest.
pub const DEVMAP_K1: &str = "DEVMAP-K1";
/// K2: a softlock's or context's `refcnt` is the number of handles
/// referring to it; it is freed only at zero, with no waiter and no
/// pending callout.
pub const DEVMAP_K2: &str = "DEVMAP-K2";
/// K3: a device context has at most one holder (a thread past the
/// hysteresis wait, or the callout it set) and at most one pending
/// callout.
pub const DEVMAP_K3: &str = "DEVMAP-K3";
/// K4: a pageable cookie's `locked` is non-zero iff its segkp range is
/// F_SOFTLOCKed, and that exactly once (segkp allows one).
pub const DEVMAP_K4: &str = "DEVMAP-K4";
/// K5: `softlockcnt` never goes below zero, equals the pages loaded with
/// `HAT_LOAD_LOCK` and not unlocked at rest, and a segment is unmapped
/// and freed only with none.
pub const DEVMAP_K5: &str = "DEVMAP-K5";
/// K6: when a remap returns, no PTE and no CPU translates the handle's
/// range to a frame it mapped before; at rest every valid PTE of a
/// handle's range maps the handle's current frame.
pub const DEVMAP_K6: &str = "DEVMAP-K6";

macro_rules! check {
    ($cond:expr, $id:expr, $($arg:tt)*) => {
        if !$cond {
            fail($id, format!($($arg)*));
        }
    };
}

impl Devmap {
    /// After a top-level operation: the step checks.
    pub(crate) fn after_op(&self) {
        if self.each_op {
            self.check_step(&self.ghost.snapshot());
        }
    }

    /// The invariants that hold between any two steps.
    fn check_step(&self, g: &G) {
        // K1: the count mirrors the holds; one kind at a time, one
        // F_SOFTLOCK holder at most.
        let mut per: std::collections::BTreeMap<Handle, Vec<(Tid, u64, u64)>> = Default::default();
        for (&(h, t), &(sl, inv)) in &g.holds {
            if sl + inv > 0 {
                per.entry(h).or_default().push((t, sl, inv));
            }
        }
        for h in g.sl_refs.keys() {
            let Some(s) = self.softlocks.peek(*h) else {
                continue;
            };
            let v = s.softlocked.peek();
            let holds = per.get(h).cloned().unwrap_or_default();
            let sl: u64 = holds.iter().map(|x| x.1).sum();
            let inv: u64 = holds.iter().map(|x| x.2).sum();
            let sl_threads = holds.iter().filter(|x| x.1 > 0).count();
            check!(
                !(sl > 0 && inv > 0) && sl_threads <= 1,
                DEVMAP_K1,
                "softlock {h:?}: F_SOFTLOCK and F_INVAL/F_PROT hold it at once, or two F_SOFTLOCKs (thread, softlock pages, inval pages): {holds:?}"
            );
            let expected = if sl > 0 { -(sl as i64) } else { inv as i64 };
            check!(
                v == expected,
                DEVMAP_K1,
                "softlock {h:?}: softlocked is {v}, but the faults inside hold {expected} (thread, softlock pages, inval pages): {holds:?}"
            );
            let refs = s.refcnt.peek();
            check!(
                refs == g.sl_refs[h],
                DEVMAP_K2,
                "softlock {h:?}: refcnt {refs}, but {} handles refer to it",
                g.sl_refs[h]
            );
        }
        for (h, &refs) in &g.ctx_refs {
            if let Some(c) = self.ctxs.peek(*h) {
                let r = c.refcnt.peek();
                check!(
                    r == refs,
                    DEVMAP_K2,
                    "context {h:?}: refcnt {r}, but {refs} handles refer to it"
                );
            }
        }
        for (i, k) in self.cookies.iter().enumerate() {
            let locked = k.locked.peek();
            let segkp = g.segkp[i];
            check!(
                (locked > 0) == (segkp == 1) && segkp <= 1,
                DEVMAP_K4,
                "cookie {i}: locked {locked} with its segkp range F_SOFTLOCKed {segkp} times"
            );
        }
    }

    /// The invariants at rest (every thread but the callout actor done),
    /// then the HAT's.
    pub fn check_quiescent(&self) {
        let g = self.ghost.snapshot();
        self.check_step(&g);
        for (h, _) in g.sl_refs.iter().filter(|(_, &r)| r > 0) {
            if let Some(s) = self.softlocks.peek(*h) {
                let v = s.softlocked.peek();
                check!(
                    v == 0,
                    DEVMAP_K1,
                    "softlock {h:?}: softlocked is {v} at rest (no fault holds it)"
                );
            }
        }
        for (i, k) in self.cookies.iter().enumerate() {
            let locked = k.locked.peek();
            check!(
                locked == 0 && g.segkp[i] == 0,
                DEVMAP_K4,
                "cookie {i}: locked {locked}, segkp F_SOFTLOCKed {} times, at rest",
                g.segkp[i]
            );
        }
        for p in self.all_procs() {
            let cnt = p.softlockcnt.peek();
            let locked = g.hat_locked.get(&p.id).copied().unwrap_or(0);
            check!(
                cnt == locked,
                DEVMAP_K5,
                "process {}: softlockcnt {cnt} at rest, with {locked} pages loaded locked",
                p.id
            );
            for dh in p.peek_handles() {
                self.k6_handle(&dh, "at rest");
            }
        }
        self.hat.check_quiescent();
    }

    /// K1 at an exit (seg_dev.c:1296, 1303): `npages` may leave the count
    /// only on its own side of zero, and only from a thread holding them.
    pub(crate) fn k1_exit(&self, h: Handle, v: i64, npages: u64, ty: FaultType) {
        let me = model::exec::tid();
        let soft = ty == FaultType::SoftLock;
        let crosses = if soft {
            -v < npages as i64
        } else {
            v < npages as i64
        };
        check!(
            !crosses,
            DEVMAP_K1,
            "thread {me}: devmap_softlock_exit({npages}, {ty:?}) with softlocked {v}: the count crosses zero"
        );
        let mut g = self.ghost.g();
        let e = g.holds.entry((h, me)).or_default();
        let held = if soft { &mut e.0 } else { &mut e.1 };
        if *held < npages {
            let had = *held;
            drop(g);
            fail(
                DEVMAP_K1,
                format!(
                    "thread {me}: exits {npages} {ty:?} pages of softlock {h:?} but holds {had}"
                ),
            );
        }
        *held -= npages;
    }

    /// K1 at a successful enter: records the holds (exclusion is checked
    /// after the operation, and here).
    pub(crate) fn k1_enter(&self, h: Handle, npages: u64, ty: FaultType) {
        let me = model::exec::tid();
        let g = {
            let mut g = self.ghost.g();
            let e = g.holds.entry((h, me)).or_default();
            if ty == FaultType::SoftLock {
                e.0 += npages;
            } else {
                e.1 += npages;
            }
            g.clone()
        };
        if self.each_op {
            self.check_step(&g);
        }
    }

    /// K1 when a top-level fault returns: a failed fault holds no page of
    /// its softlock; an F_INVAL or F_SOFTUNLOCK holds none either.
    pub(crate) fn k1_fault_done(&self, slock: Option<Handle>, ty: FaultType, ok: bool) {
        let Some(h) = slock else { return };
        let me = model::exec::tid();
        let (sl, inv) = self
            .ghost
            .g()
            .holds
            .get(&(h, me))
            .copied()
            .unwrap_or((0, 0));
        let holds_now = match ty {
            FaultType::SoftLock if ok => 0,
            FaultType::SoftLock | FaultType::SoftUnlock => sl,
            FaultType::Inval | FaultType::Prot => inv,
        };
        check!(
            holds_now == 0,
            DEVMAP_K1,
            "thread {me}: a{} {ty:?} fault returned still holding {holds_now} pages of softlock {h:?}",
            if ok { "" } else { " failed" }
        );
    }

    /// K3: thread `me` takes the context at seg_dev.c:2635.
    pub(crate) fn k3_take(&self, h: Handle) {
        let me = model::exec::tid();
        let prev = self.ghost.g().owner.insert(h, Owner::Thread(me));
        if let Some(o) = prev {
            fail(
                DEVMAP_K3,
                format!("thread {me} takes context {h:?} (oncpu was 0) while {o:?} holds it"),
            );
        }
    }

    /// K3: the holder's hold passes to the callout it set (2675).
    pub(crate) fn k3_to_callout(&self, h: Handle) {
        let mut g = self.ghost.g();
        g.owner.insert(h, Owner::Callout);
        let n = g.pending.entry(h).or_default();
        *n += 1;
        let n = *n;
        drop(g);
        check!(
            n <= 1,
            DEVMAP_K3,
            "context {h:?}: {n} devmap_ctxto callouts pending at once"
        );
    }

    /// K3: `who` gives the context back (2660, 2684, 352, 3033); the
    /// ghost holder goes only if it is `who` (a release by another is
    /// what the next taker's check sees).
    pub(crate) fn k3_release(&self, h: Handle, who: Owner) {
        let mut g = self.ghost.g();
        if g.owner.get(&h) == Some(&who) {
            g.owner.remove(&h);
        }
    }

    /// K3: a pending callout starts or is cancelled.
    pub(crate) fn k3_callout_gone(&self, h: Handle) {
        let mut g = self.ghost.g();
        if let Some(n) = g.pending.get_mut(&h) {
            *n = n.saturating_sub(1);
        }
    }

    /// K2 at a free: no handle refers to the object, nobody waits on its
    /// cv, no callout is pending on it.
    pub(crate) fn k2_free(&self, h: Handle, ctx: bool) {
        let g = self.ghost.snapshot();
        let (refs, waiters) = if ctx {
            (&g.ctx_refs, &g.ctx_waiters)
        } else {
            (&g.sl_refs, &g.sl_waiters)
        };
        let what = if ctx { "context" } else { "softlock" };
        let r = refs.get(&h).copied().unwrap_or(0);
        let w = waiters.get(&h).copied().unwrap_or(0);
        let p = if ctx {
            g.pending.get(&h).copied().unwrap_or(0)
        } else {
            0
        };
        check!(
            r == 0 && w == 0 && p == 0,
            DEVMAP_K2,
            "{what} {h:?} freed with {r} handles referring to it, {w} waiters, {p} callouts pending"
        );
    }

    /// K6 for handle `dh`: its range maps only its current frame, and no
    /// CPU caches a translation to any other frame of the range's
    /// history (`old`, when a remap just replaced it).
    pub(crate) fn k6_handle(&self, dh: &super::state::Dh, when: &str) {
        let m = dh.mapping.peek();
        let mmu = self.hat.mmu();
        for i in 0..dh.len {
            let va = Self::va(dh.uvaddr, i);
            let Some(pte) = mmu.ghost_translation(va) else {
                continue;
            };
            let pfn = model::machine::pte::pte_pfn(pte);
            let want = if m.invalid {
                None
            } else {
                Some(self.frame(&m, i))
            };
            check!(
                want == Some(pfn),
                DEVMAP_K6,
                "{when}: page {i} of handle {} maps frame {pfn:#x}, but the handle maps {want:?}",
                dh.id
            );
        }
    }

    /// K6 when a remap returns: nothing translates to `old` frames.
    pub(crate) fn k6_remap(&self, dh: &super::state::Dh, old: &[u64]) {
        let mmu = self.hat.mmu();
        for i in 0..dh.len {
            let va = Self::va(dh.uvaddr, i);
            if let Some(pte) = mmu.ghost_translation(va) {
                let pfn = model::machine::pte::pte_pfn(pte);
                check!(
                    !old.contains(&pfn),
                    DEVMAP_K6,
                    "remap of handle {} returned with page {i} still mapping old frame {pfn:#x}",
                    dh.id
                );
            }
        }
        for &pfn in old {
            if let Some(why) = mmu.caching(pfn) {
                fail(
                    DEVMAP_K6,
                    format!(
                        "remap of handle {} returned while {why} (old frame {pfn:#x})",
                        dh.id
                    ),
                );
            }
        }
    }

    /// The frame page `i` of a handle mapping `m` reaches (`dh_pfn +
    /// btop(off)`, or `hat_getpfnum(kas, cvaddr + off)` of a cookie).
    pub(crate) fn frame(&self, m: &super::state::Mapping, i: u64) -> u64 {
        match m.cookie {
            Cookie::Devmem => m.pfn + i,
            Cookie::Kpmem(c) => self.cookies[c].base_pfn + m.pfn + i,
        }
    }
}

impl Devmap {
    /// Process `proc`'s first handle's softlock count, `None` without a
    /// softlock (ghost, for refinement tests).
    pub fn peek_softlocked(&self, proc: usize) -> Option<i64> {
        let p = self.proc(proc);
        let h = p.peek_handles().first()?.softlock?;
        Some(self.softlocks.peek(h)?.softlocked.peek())
    }

    /// Process `proc`'s `softlockcnt` (ghost, for refinement tests).
    pub fn peek_softlockcnt(&self, proc: usize) -> u64 {
        self.proc(proc).softlockcnt.peek()
    }
}

//! A sequential reference model of the cache (one non-wired bucket, a
//! segment and an anon map, non-wired lists): entries newest first with
//! their active counts and reference bits, the accounting, and what each
//! pagelock returns; and [`refine`], which runs a program on one thread
//! against the port and compares after every step.

use subsys::pcache::{Cached, Locked, Pcache, Request, Tag};

/// One step of a sequential program.
#[derive(Clone, Copy, Debug)]
pub enum SeqOp {
    /// pagelock (amp?, addr, len); the list is held until an `Unlock`.
    Lock(bool, u64, u64),
    /// pageunlock of the `n`th held list (mod the number held).
    Unlock(usize),
    /// `seg_ppurge` of the segment or the anon map.
    Purge(bool),
    /// `seg_ppurge_async(force)`.
    Async(bool),
    /// `seg_p_disable`, or `seg_p_enable` if disabled.
    DisableOrEnable,
}

/// The reference state.
#[derive(Default)]
struct Spec {
    chain: Vec<Cached>,
    locked: u64,
    next_pp: u64,
    disabled: u32,
}

impl Spec {
    fn matches(e: &Cached, tag: Tag, addr: u64, len: u64) -> bool {
        e.tag == tag && e.addr == addr && e.len >= len
    }

    /// Returns (hit, pp).
    fn lock(&mut self, max: u64, tag: Tag, addr: u64, len: u64) -> (bool, u64) {
        if self.disabled == 0 {
            if let Some(e) = self
                .chain
                .iter_mut()
                .find(|e| Self::matches(e, tag, addr, len))
            {
                e.active += 1;
                return (true, e.pp);
            }
        }
        self.next_pp += 1;
        let pp = self.next_pp;
        if self.disabled != 0 || self.locked + len > max {
            return (false, pp);
        }
        // seg_plookup_checkdup: drop smaller inactive lists at addr.
        let mut found = false;
        let mut kept = Vec::new();
        for e in std::mem::take(&mut self.chain) {
            if !found && e.tag == tag && e.addr == addr {
                if e.len < len {
                    if e.active == 0 {
                        self.locked -= e.len;
                        continue;
                    }
                } else {
                    found = true;
                }
            }
            kept.push(e);
        }
        self.chain = kept;
        if !found {
            self.locked += len;
            self.chain.insert(
                0,
                Cached {
                    tag,
                    addr,
                    len,
                    pp,
                    active: 1,
                    referenced: false,
                },
            );
        }
        (false, pp)
    }

    fn unlock(&mut self, tag: Tag, addr: u64, len: u64, pp: u64) {
        let mut dup = self.disabled != 0;
        for i in 0..self.chain.len() {
            let e = &mut self.chain[i];
            if Self::matches(e, tag, addr, len) && e.pp == pp {
                e.active -= 1;
                if e.active == 0 && dup {
                    self.locked -= e.len;
                    self.chain.remove(i);
                } else if e.active == 0 {
                    e.referenced = true;
                }
                return;
            } else if Self::matches(e, tag, addr, len) {
                if e.active == 0 {
                    e.referenced = true;
                }
                dup = true;
            }
        }
    }

    fn purge(&mut self, tag: Tag) {
        while let Some(i) = self.chain.iter().position(|e| e.tag == tag) {
            if self.chain[i].active != 0 {
                break;
            }
            self.locked -= self.chain[i].len;
            self.chain.remove(i);
        }
    }

    fn purge_async(&mut self, force: bool, max: u64) {
        if self.locked == 0 || (!force && self.locked < 7 * (max >> 3)) {
            return;
        }
        let locked = &mut self.locked;
        self.chain.retain_mut(|e| {
            if e.active != 0 {
                return true;
            }
            if !force && e.referenced {
                e.referenced = false;
                return true;
            }
            *locked -= e.len;
            false
        });
    }
}

/// Runs `ops` on `pc` (a fresh cache of one non-wired bucket under
/// `Memory::Plenty`) and on the reference model, comparing every pagelock's
/// result and the cache after every step.
pub fn refine(pc: &Pcache, max_window: u64, ops: &[SeqOp]) -> Result<(), String> {
    let seg = pc.seg_alloc(false);
    let amp = pc.seg_alloc(true);
    let mut spec = Spec::default();
    let mut held: Vec<Locked> = Vec::new();
    for (step, &op) in ops.iter().enumerate() {
        match op {
            SeqOp::Lock(use_amp, addr, len) => {
                let mut r = Request::new(seg, addr, len);
                r.amp = use_amp.then_some(amp);
                let l = pc.pagelock(r);
                let want = spec.lock(max_window, if use_amp { amp } else { seg }, addr, len);
                if (l.hit, l.pp) != want {
                    return Err(format!(
                        "step {step} {op:?}: (hit, pp) ({}, {}), model {want:?}",
                        l.hit, l.pp
                    ));
                }
                held.push(l);
            }
            SeqOp::Unlock(n) => {
                if held.is_empty() {
                    continue;
                }
                let l = held.remove(n % held.len());
                pc.pageunlock(l);
                spec.unlock(l.amp.unwrap_or(l.seg), l.addr, l.len, l.pp);
            }
            SeqOp::Purge(use_amp) => {
                let t = if use_amp { amp } else { seg };
                pc.seg_ppurge(seg, use_amp.then_some(amp), false);
                spec.purge(t);
            }
            SeqOp::Async(force) => {
                pc.seg_ppurge_async(force);
                spec.purge_async(force, max_window);
            }
            SeqOp::DisableOrEnable => {
                if spec.disabled > 0 {
                    pc.seg_p_enable();
                    spec.disabled -= 1;
                } else {
                    let ok = pc.seg_p_disable();
                    spec.disabled += 1;
                    spec.purge_async(true, max_window);
                    let want = spec.locked == 0;
                    if ok != want {
                        return Err(format!("step {step}: seg_p_disable {ok}, model {want}"));
                    }
                }
            }
        }
        let (chain, locked, window) = pc.view();
        if chain != spec.chain || locked != spec.locked || window != spec.locked {
            return Err(format!(
                "step {step} {op:?}: cache {chain:?} ({locked}, {window}), model {:?} ({})",
                spec.chain, spec.locked
            ));
        }
    }
    for l in held {
        pc.pageunlock(l);
    }
    if spec.disabled > 0 {
        pc.seg_p_enable();
    }
    Ok(())
}

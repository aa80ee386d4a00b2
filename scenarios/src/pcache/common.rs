//! What the pcache scenarios share: a tiny cache, one segment, threads.

use harness::Scenario;
use model::sync::{spawn, Callouts, JoinHandle};
use std::sync::Arc;
use subsys::pcache::{Fixes, Memory, Pcache, PcacheConfig, Request, Tag, LOCK_ORDER};

/// What a pcache scenario is unless it says otherwise: main and one thread
/// under pcache's lock order, the rest as [`Scenario::DEFAULTS`]. A
/// scenario states its id, summary and body, and what differs (`..BASE`).
pub(crate) const BASE: Scenario = Scenario {
    threads: 2,
    orders: &[&LOCK_ORDER],
    ..Scenario::DEFAULTS
};

/// A cache of one non-wired and one wired bucket, under `memory`.
pub(crate) fn cache(memory: Memory, fixes: Fixes) -> Arc<Pcache> {
    let mut cfg = PcacheConfig::tiny();
    cfg.memory = memory;
    cfg.fixes = fixes;
    Arc::new(Pcache::new(cfg))
}

/// `len` pages at `addr` of `seg`, read.
pub(crate) fn req(seg: Tag, addr: u64, len: u64) -> Request {
    Request::new(seg, addr, len)
}

/// A pagelock and its pageunlock: the list ends up cached and inactive.
pub(crate) fn lock_unlock(pc: &Pcache, r: Request) {
    let l = pc.pagelock(r);
    pc.pageunlock(l);
}

/// A thread's program.
pub(crate) type Body = Box<dyn FnOnce(&Pcache) + Send>;

/// Runs the first of `bodies` on the calling thread and each other one on
/// a thread of its own, and joins them.
pub(crate) fn run_threads(pc: &Arc<Pcache>, bodies: Vec<(&'static str, Body)>) {
    let mut bodies = bodies.into_iter();
    let first = bodies.next();
    let handles: Vec<JoinHandle<()>> = bodies
        .map(|(name, body)| {
            let pc = pc.clone();
            spawn(name, move || body(&pc))
        })
        .collect();
    if let Some((_, body)) = first {
        body(pc);
    }
    for h in handles {
        h.join();
    }
}

/// One wakeup of the purge thread (`seg_pasync_thread`'s loop body after
/// `cv_reltimedwait` returned): an unforced purge.
pub(crate) fn async_purge() -> Body {
    Box::new(|pc: &Pcache| pc.seg_ppurge_async(false))
}

/// The purge thread itself, `rounds` wakeups on its own callout wheel.
pub(crate) fn pasync_thread(pc: &Arc<Pcache>, rounds: usize) -> (JoinHandle<()>, Arc<Callouts>) {
    let co = Arc::new(Callouts::start());
    let (pc, co2) = (pc.clone(), co.clone());
    let h = spawn("seg_pasync_thread", move || {
        pc.seg_pasync_thread(&co2, rounds)
    });
    (h, co)
}

/// Unmaps every tag (purge, wait for the callbacks, free) and checks the
/// cache at rest.
pub(crate) fn finish(pc: &Pcache, tags: &[(Tag, Option<Tag>, bool)]) {
    pc.check_quiescent();
    for &(seg, amp, wired) in tags {
        pc.seg_unmap(seg, amp, wired);
    }
    pc.check_quiescent();
}

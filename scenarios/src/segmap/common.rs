//! What the segmap scenarios share: keys, a segment, one use of a window.

use harness::Scenario;
use model::sync::{spawn, AtomicU32, KCondvar, KMutex, Ordering};
use std::sync::Arc;
use subsys::segmap::{Fixes, PageUniverse, Segmap, SegmapConfig, Vnode, LOCK_ORDER, MAXBSIZE};

/// What a segmap scenario is unless it says otherwise: main and two threads
/// under segmap's lock order, the rest as [`Scenario::DEFAULTS`]. A
/// scenario states its id, summary and body, and what differs (`..BASE`).
pub(crate) const BASE: Scenario = Scenario {
    threads: 3,
    orders: &[&LOCK_ORDER],
    ..Scenario::DEFAULTS
};

/// The vnode every scenario maps.
pub(crate) const VP: Vnode = Vnode(1);

/// The offset of the `n`th MAXBSIZE block of [`VP`] (key `n`).
pub(crate) fn key(n: u64) -> u64 {
    n * MAXBSIZE
}

/// A segment of `npages` slots, one freelist of one colour, one hash chain.
pub(crate) fn segmap(npages: usize, fixes: Fixes) -> Arc<Segmap> {
    let mut cfg = SegmapConfig::new(npages);
    cfg.fixes = fixes;
    Arc::new(Segmap::create(cfg))
}

/// As [`segmap`], with the pages of `vnodes` vnodes of `blocks` blocks
/// each in the page universe.
pub(crate) fn segmap_with_pages(
    npages: usize,
    vnodes: u32,
    blocks: u64,
    fixes: Fixes,
) -> Arc<Segmap> {
    let mut cfg = SegmapConfig::new(npages);
    cfg.pages = PageUniverse {
        vnodes,
        blocks,
        holes: 0,
    };
    cfg.fixes = fixes;
    Arc::new(Segmap::create(cfg))
}

/// `getmap` key `n`, then release the window with `flags`.
pub(crate) fn use_window(sm: &Segmap, n: u64, flags: u32) {
    let addr = sm.getmap(VP, key(n));
    sm.release(addr, flags);
}

/// A thread's program.
pub(crate) type Body = Box<dyn FnOnce(&Segmap) + Send>;

/// Runs `bodies` on one thread each, joins them all, then checks every
/// invariant at the quiescent point.
pub(crate) fn run_threads(sm: &Arc<Segmap>, bodies: Vec<(&'static str, Body)>) {
    let handles: Vec<_> = bodies
        .into_iter()
        .map(|(name, body)| {
            let sm = sm.clone();
            spawn(name, move || body(&sm))
        })
        .collect();
    for h in handles {
        h.join();
    }
    sm.check_quiescent();
}

/// A rendezvous: each thread arrives, then waits until both have.
pub(crate) struct Gate {
    mtx: KMutex,
    cv: KCondvar,
    /// (mtx) threads arrived.
    arrived: AtomicU32,
}

impl Gate {
    pub(crate) fn new() -> Self {
        Gate {
            mtx: KMutex::new("scenario.gate", 0),
            cv: KCondvar::new("scenario.gate", 0),
            arrived: AtomicU32::new("scenario.arrived", 0, 0),
        }
    }

    pub(crate) fn arrive_and_wait(&self, n: u32) {
        self.mtx.enter();
        self.arrived.fetch_add(1, Ordering::Relaxed);
        self.cv.broadcast();
        while self.arrived.load(Ordering::Relaxed) < n {
            self.cv.wait(&self.mtx);
        }
        self.mtx.exit();
    }
}

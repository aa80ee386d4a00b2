//! What the pvn scenarios share: a small world, set-up and threads.

use harness::{Expect, Scenario};
use model::sync::{spawn, JoinHandle};
use std::sync::Arc;
use subsys::pvn::{Pvn, PvnConfig, LOCK_ORDER};
use subsys::vm::param::PAGESIZE;

/// Offset of page `n` of the file.
pub(crate) fn off(n: u64) -> u64 {
    n * PAGESIZE
}

/// The world of `cfg`, with pages `present` read in and mapped, and pages
/// `dirty` written through their mapping on CPU 0 (set-up: before any
/// other thread starts).
pub(crate) fn world(cfg: PvnConfig, present: &[u64], dirty: &[u64]) -> Arc<Pvn> {
    let pvn = Pvn::new(cfg);
    for &n in present {
        pvn.populate(off(n));
    }
    for &n in dirty {
        assert!(pvn.cpu_access(0, off(n), true), "set-up write of page {n}");
    }
    pvn
}

/// A thread's program.
pub(crate) type Body = Box<dyn FnOnce(&Pvn) + Send>;

/// Runs the first of `bodies` on the calling thread and each other one on
/// a thread of its own, joins them, and ends the scenario
/// ([`Pvn::finish`]: the I/O actor drained, every invariant at rest).
pub(crate) fn run_threads(pvn: &Arc<Pvn>, bodies: Vec<(&'static str, Body)>) {
    let mut bodies = bodies.into_iter();
    let first = bodies.next();
    let handles: Vec<JoinHandle<()>> = bodies
        .map(|(name, body)| {
            let pvn = pvn.clone();
            spawn(name, move || body(&pvn))
        })
        .collect();
    if let Some((_, body)) = first {
        body(pvn);
    }
    for h in handles {
        h.join();
    }
    pvn.finish();
}

/// `pvn_vplist_dirty(vp, 0, putapage, flags)`, as fsync (`flags` 0), sync
/// (`B_ASYNC`), msync or a page-out would call it.
pub(crate) fn walk(flags: u32) -> Body {
    walk_from(0, flags)
}

/// `pvn_vplist_dirty(vp, off(n), putapage, flags)`: the pages from page
/// `n` to the end of the file.
pub(crate) fn walk_from(n: u64, flags: u32) -> Body {
    Box::new(move |pvn: &Pvn| {
        pvn.pvn_vplist_dirty(off(n), flags);
    })
}

/// CPU `cpu` writes page `n` (`times` times).
pub(crate) fn write(cpu: usize, n: u64, times: u32) -> Body {
    Box::new(move |pvn: &Pvn| {
        for _ in 0..times {
            pvn.cpu_access(cpu, off(n), true);
        }
    })
}

/// What the pvn scenarios share: main and one thread, loom bound 3, PCT
/// depth 3, every check holds, pvn's lock order.
pub(crate) const BASE: Scenario = Scenario {
    id: "",
    summary: "",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[],
    orders: &[&LOCK_ORDER],
    params: &[],
    body: || {},
};

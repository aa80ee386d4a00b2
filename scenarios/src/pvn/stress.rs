//! A throughput workload: a file of three pages, `VMODSORT`, memory low
//! (completed writes free their pages); one thread walks it (fsync, sync's
//! async write-back, a freeing page-out in turn), CPU 1 writes its pages
//! round-robin (faulting them back in), and a page-out writes single pages
//! asynchronously and reads ahead. Small by default (3 operations per
//! thread) for PCT; `vmspec bench` runs it on real threads with
//! `--param ops=N`.

use super::common::off;
use harness::{Expect, Scenario};
use model::sync::spawn;
use subsys::pvn::{
    Fixes, Memory, Pvn, PvnConfig, B_ASYNC, B_FREE, LOCK_ORDER, OP_PAGEOUT, OP_WALK, OP_WRITE,
};

fn ops() -> u64 {
    let raw = model::param("ops").unwrap_or_default();
    raw.parse().unwrap_or_else(|_| {
        model::fail(
            model::check::PANIC,
            format!("ops={raw}: expected a count of operations per thread"),
        )
    })
}

fn body() {
    let mut cfg = PvnConfig::new(3);
    cfg.modsort = true;
    cfg.memory = Memory::Low;
    cfg.cpus = 2;
    cfg.io_actor = true;
    cfg.fixes = Fixes::ALL;
    let pvn = Pvn::new(cfg);
    for n in 0..3 {
        pvn.populate(off(n));
    }
    let ops = ops();
    let walker = {
        let pvn = pvn.clone();
        spawn("walker", move || {
            for i in 0..ops {
                pvn.pvn_vplist_dirty(0, [0, B_ASYNC, B_FREE][(i % 3) as usize]);
                model::cover(OP_WALK);
            }
        })
    };
    let writer = {
        let pvn = pvn.clone();
        spawn("cpu1", move || {
            for i in 0..ops {
                pvn.cpu_access(1, off(i % 3), true);
                model::cover(OP_WRITE);
            }
        })
    };
    let pageout = {
        let pvn = pvn.clone();
        spawn("pageout", move || {
            for i in 0..ops {
                pvn.putpage(off((i + 1) % 3), B_ASYNC | B_FREE);
                pvn.read_ahead(off(i % 3), 1);
                model::cover(OP_PAGEOUT);
            }
        })
    };
    for h in [walker, writer, pageout] {
        h.join();
    }
    pvn.finish();
}

pub const STRESS: Scenario = Scenario {
    id: "pvn/stress",
    summary: "a walker (fsync, sync, page-out in turn), a CPU writing and a page-out over a 3-page VMODSORT file with memory low (run parameter ops: operations per thread)",
    threads: 5,
    loom_bound: None,
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[],
    orders: &[&LOCK_ORDER],
    params: &[("ops", "3")],
    body,
};

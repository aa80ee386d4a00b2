//! A throughput workload: two threads lock and unlock lists over four
//! ranges of one segment (hits, inserts, duplicates), and a third runs
//! unforced purges. Small by default (3 pairs per thread) for loom and
//! PCT; `vmspec bench` runs it on real threads with `--param ops=N`.

use super::common::{cache, finish, req, BASE};
use harness::Scenario;
use model::sync::spawn;
use subsys::pcache::{Fixes, Memory, OP_HIT, OP_INACTIVE, OP_INSERT};

fn ops() -> u64 {
    let raw = model::param("ops").unwrap_or_default();
    raw.parse().unwrap_or_else(|_| {
        model::fail(
            model::check::PANIC,
            format!("ops={raw}: expected a count of pagelock+pageunlock pairs per thread"),
        )
    })
}

fn body() {
    let pc = cache(Memory::Low, Fixes::ALL);
    let seg = pc.seg_alloc(false);
    let ops = ops();
    let workers: Vec<_> = (0..2u64)
        .map(|t| {
            let pc = pc.clone();
            spawn("worker", move || {
                for i in 0..ops {
                    let (addr, len) = if t == 0 {
                        (i % 4, 1)
                    } else {
                        ((3 * i) % 4, 1 + i % 2)
                    };
                    let l = pc.pagelock(req(seg, addr, len));
                    model::cover(if l.hit { OP_HIT } else { OP_INSERT });
                    pc.pageunlock(l);
                    model::cover(OP_INACTIVE);
                }
            })
        })
        .collect();
    let purger = {
        let pc = pc.clone();
        spawn("pasync", move || {
            for _ in 0..ops.div_ceil(4) {
                pc.seg_ppurge_async(false);
            }
        })
    };
    for w in workers {
        w.join();
    }
    purger.join();
    finish(&pc, &[(seg, None, false)]);
}

pub const STRESS: Scenario = Scenario {
    id: "pcache/stress",
    summary: "two threads pagelock/pageunlock over 4 ranges while a third purges (run parameter ops: pairs per thread)",
    threads: 4,
    // Too large for loom: 44,671 executions and 43 s at bound 1.
    loom_bound: None,
    params: &[("ops", "3")],
    body,
    ..BASE
};

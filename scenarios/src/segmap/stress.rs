//! A throughput workload: two threads getmap and release windows over
//! more keys than slots, so every path of `segmap_getmapflt` runs (hit,
//! reclaim, reuse of a free slot) at the rate the port allows. Small by
//! default (3 pairs per thread), so loom explores it at bound 2 and the
//! test suite under PCT; `vmspec bench` runs it on real threads with
//! `--param ops=N` and reports getmap+release pairs per second.

use super::common::{key, segmap, BASE, VP};
use harness::Scenario;
use model::sync::spawn;
use subsys::segmap::Fixes;

/// Slots in the segment; keys cycle over twice as many.
const SLOTS: usize = 4;
const KEYS: u64 = 8;

/// The `ops` run parameter: getmap+release pairs per thread.
fn ops() -> u64 {
    let raw = model::param("ops").unwrap_or_default();
    raw.parse().unwrap_or_else(|_| {
        model::fail(
            model::check::PANIC,
            format!("ops={raw}: expected a count of getmap+release pairs per thread"),
        )
    })
}

fn body() {
    let sm = segmap(SLOTS, Fixes::default());
    let ops = ops();
    let threads: Vec<_> = (0..2u64)
        .map(|t| {
            let sm = sm.clone();
            spawn("worker", move || {
                // Thread 0 walks the keys forwards, thread 1 backwards by
                // threes, so they meet on some keys and miss on others.
                for i in 0..ops {
                    let k = if t == 0 {
                        i % KEYS
                    } else {
                        (KEYS - 3 * i % KEYS) % KEYS
                    };
                    let addr = sm.getmap(VP, key(k));
                    sm.release(addr, 0);
                    model::cover("op.getmap+release");
                }
            })
        })
        .collect();
    for t in threads {
        t.join();
    }
    sm.check_quiescent();
}

pub const STRESS: Scenario = Scenario {
    id: "segmap/stress",
    summary: "two threads getmap and release over 8 keys and 4 slots (run parameter ops: pairs per thread)",
    loom_bound: Some(2),
    params: &[("ops", "3")],
    body,
    ..BASE
};

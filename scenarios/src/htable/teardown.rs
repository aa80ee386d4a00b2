//! Reaping races address-space teardown: HAT_VICTIM keeps the hat alive,
//! `hat_free_start` waits for it to clear, and the reaper forgets the hat
//! before clearing it (htable.c:599-622, 651-694).

use super::BASE;
use harness::{Mutant, Scenario};
use model::check::SYNC_DEADLOCK;
use model::sync::{spawn, JoinHandle};
use std::sync::Arc;
use subsys::htable::{Config, PageId, World, HTABLE_H8};

/// The whole modelled address space (two levels of two entries).
const SPACE: u64 = 0x4000;

/// Two `htable_reap` threads (the kmem reclaim callback run twice).
fn two_reapers(w: &Arc<World>) -> Vec<JoinHandle<()>> {
    (0..2)
        .map(|_| {
            let w = w.clone();
            spawn("reap", move || w.htable_reap())
        })
        .collect()
}

fn body() {
    let w = World::new(Config::default());
    let hat = w.hat_alloc(true);
    w.hat_memload(hat, 0, PageId(0), true, 0);
    let reapers = two_reapers(&w);
    // as_free(): the process is gone, no CPU runs the hat.
    w.hat_free_start(hat);
    w.hat_unload(hat, 0, SPACE, 0);
    w.hat_free_end(hat);
    for r in reapers {
        r.join();
    }
    w.check_quiescent();
}

pub const REAP_VS_TEARDOWN: Scenario = Scenario {
    id: "htable/reap-vs-teardown",
    summary: "two htable_reap threads steal from a hat while it is torn down (hat_free_start waits for HAT_VICTIM)",
    threads: 3,
    mutants: &[
        Mutant {
            name: subsys::htable::mutants::STEAL_NO_VICTIM,
            catches: HTABLE_H8,
            summary: "htable_steal does not mark the hat HAT_VICTIM (618-622)",
        },
        Mutant {
            name: subsys::htable::mutants::STEAL_FREEING_HAT,
            catches: HTABLE_H8,
            summary: "htable_steal does not skip HAT_FREEING hats, whose entries hat_pte_unmap only reads (604-613)",
        },
        Mutant {
            name: subsys::htable::mutants::REAP_NO_FORGET,
            catches: HTABLE_H8,
            summary: "a reaper clears HAT_VICTIM while its tables still name the hat (651-666)",
        },
        Mutant {
            name: subsys::htable::mutants::STEAL_NO_BROADCAST,
            catches: SYNC_DEADLOCK,
            summary: "htable_steal clears HAT_VICTIM without cv_broadcast(&hat_list_cv) (690-694)",
        },
    ],
    body,
    ..BASE
};

fn two_body() {
    let w = World::new(Config {
        hats: 2,
        hash: 1,
        htables: 4,
        pages: 2,
        ptables: 4,
        mmu: model::machine::MmuConfig {
            tables: 5,
            ..Default::default()
        },
        ..Config::default()
    });
    let hats: Vec<_> = (0..2u32)
        .map(|i| {
            let hat = w.hat_alloc(false);
            w.hat_memload(hat, 0, PageId(i), true, 0);
            hat
        })
        .collect();
    let reapers = two_reapers(&w);
    let w2 = w.clone();
    let other = hats[1];
    let t = spawn("as_free", move || {
        w2.hat_free_start(other);
        w2.hat_unload(other, 0, SPACE, 0);
        w2.hat_free_end(other);
    });
    w.hat_free_start(hats[0]);
    w.hat_unload(hats[0], 0, SPACE, 0);
    w.hat_free_end(hats[0]);
    t.join();
    for r in reapers {
        r.join();
    }
    w.check_quiescent();
}

pub const TWO_STEALERS_TWO_WAITERS: Scenario = Scenario {
    id: "htable/reap-vs-two-teardowns",
    summary: "two htable_reap threads walk the hat list while two address spaces are torn down (two hat_free_start waiters on hat_list_cv)",
    threads: 4,
    loom_bound: Some(2),
    mutants: &[Mutant {
        name: subsys::htable::mutants::STEAL_NO_BROADCAST,
        catches: SYNC_DEADLOCK,
        summary: "htable_steal clears HAT_VICTIM without cv_broadcast(&hat_list_cv) (690-694)",
    }],
    body: two_body,
    ..BASE
};

fn slim_body() {
    let w = World::new(Config {
        hats: 2,
        hash: 1,
        htables: 2,
        ptables: 2,
        mmu: model::machine::MmuConfig {
            tables: 3,
            ..Default::default()
        },
        ..Config::default()
    });
    // Each hat has only its top table: the reapers find nothing to take,
    // but each marks both hats HAT_VICTIM in turn.
    let hats: Vec<_> = (0..2).map(|_| w.hat_alloc(false)).collect();
    let reapers = two_reapers(&w);
    // The two waiters: hat_free_start of each hat. The rest of the
    // teardown (hat_free_end) is left out: it runs after the race, in
    // every one of loom's executions, and reap-vs-two-teardowns has it.
    let w2 = w.clone();
    let other = hats[1];
    let t = spawn("as_free", move || w2.hat_free_start(other));
    w.hat_free_start(hats[0]);
    t.join();
    for r in reapers {
        r.join();
    }
    w.check_quiescent();
}

pub const REAP_VS_TWO_TEARDOWNS_SLIM: Scenario = Scenario {
    id: "htable/reap-vs-two-teardowns-slim",
    summary: "reap-vs-two-teardowns with one table per hat and nothing mapped: two reapers mark the hats HAT_VICTIM while two hat_free_start wait on hat_list_cv, small enough for loom bound 3",
    threads: 4,
    mutants: &[
        Mutant {
            name: subsys::htable::mutants::STEAL_SIGNAL,
            catches: SYNC_DEADLOCK,
            summary: "htable_steal wakes one hat_list_cv waiter (cv_signal) instead of all (693): it may wake the teardown of the other hat",
        },
        Mutant {
            name: subsys::htable::mutants::STEAL_NO_BROADCAST,
            catches: SYNC_DEADLOCK,
            summary: "htable_steal clears HAT_VICTIM without cv_broadcast(&hat_list_cv) (690-694)",
        },
    ],
    body: slim_body,
    ..BASE
};

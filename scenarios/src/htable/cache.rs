//! The hat's cache of free htables and the reserve pool: a purge racing
//! an allocation from the cache (htable.c:783-793, 1026-1040), and the
//! reserve count against its list (356-429).

use super::BASE;
use harness::{Mutant, Scenario};
use model::check::SCHED_LIVELOCK;
use model::sync::spawn;
use subsys::htable::{Config, PageId, World, HTABLE_H3, HTABLE_H9, MMU_PAGESIZE as PAGESIZE};

fn purge_body() {
    let w = World::new(Config::default());
    let hat = w.hat_alloc(true);
    // A leaf table that ends up on the hat's cached list.
    w.hat_memload(hat, 0, PageId(0), true, 0);
    w.hat_unload(hat, 0, PAGESIZE, 0);
    let w2 = w.clone();
    let t = spawn("purge", move || w2.htable_purge_hat(hat));
    w.hat_memload(hat, 0x2000, PageId(1), true, 0);
    t.join();
    w.check_quiescent();
}

pub const PURGE_VS_ALLOC: Scenario = Scenario {
    id: "htable/purge-vs-alloc",
    summary: "htable_purge_hat empties the hat's cache while htable_alloc takes from it",
    mutants: &[Mutant {
        name: subsys::htable::mutants::ALLOC_STALE_HINT,
        catches: HTABLE_H3,
        summary: "htable_alloc takes the cache head it read without the hat mutex instead of re-reading it (783-787)",
    }],
    body: purge_body,
    ..BASE
};

fn purge_alone_body() {
    let w = World::new(Config::default());
    let hat = w.hat_alloc(true);
    w.hat_memload(hat, 0, PageId(0), true, 0);
    w.hat_unload(hat, 0, PAGESIZE, 0);
    // The purge runs while the only other thread waits for it: if its
    // loop cannot end on its own, nothing else can end it.
    let w2 = w.clone();
    spawn("purge", move || w2.htable_purge_hat(hat)).join();
    w.check_quiescent();
}

pub const PURGE_ALONE: Scenario = Scenario {
    id: "htable/purge-alone",
    summary: "htable_purge_hat empties a hat's cache while the other thread waits for it (the loop must end on its own)",
    mutants: &[Mutant {
        name: subsys::htable::mutants::PURGE_NO_DONT_CACHE,
        catches: SCHED_LIVELOCK,
        summary: "htable_purge_hat empties the cache without raising htable_dont_cache (1027, 1039): htable_free caches each htable again and the loop never ends",
    }],
    body: purge_alone_body,
    ..BASE
};

fn reserve_body() {
    let w = World::new(Config::default());
    let w2 = w.clone();
    let t = spawn("fill", move || w2.htable_initial_reserve(2));
    w.htable_adjust_reserve();
    t.join();
    w.check_quiescent();
}

pub const RESERVE: Scenario = Scenario {
    id: "htable/reserve",
    summary: "the reserve is filled and trimmed at once: its count follows its list",
    mutants: &[Mutant {
        name: subsys::htable::mutants::RESERVE_COUNT_UNLOCKED,
        catches: HTABLE_H9,
        summary:
            "htable_put_reserve bumps htable_reserve_cnt after dropping the reserve mutex (362-366)",
    }],
    body: reserve_body,
    ..BASE
};

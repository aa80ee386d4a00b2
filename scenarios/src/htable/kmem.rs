//! `kmem_reap()` from `htable_alloc` (htable.c:841-864): the reap runs
//! later on `kmem_taskq`, racing the allocator's own `htable_steal` and
//! the teardown of another address space; and finding L1.

use super::BASE;
use harness::{Expect, Mutant, Scenario};
use model::check::SYNC_DEADLOCK;
use model::sync::spawn;
use subsys::htable::{Config, PageId, World, HTABLE_H8, HTABLE_L1};

/// The whole modelled address space (two levels of two entries).
const SPACE: u64 = 0x4000;

/// The on-CPU hat maps one page and the other hat one page; then the
/// first hat needs a second leaf table while the other one is torn down.
/// With every page-table page in use, `ptable_alloc` fails unless the
/// teardown has freed one: `kmem_reap()` schedules `htable_reap` on
/// `kmem_taskq` and the allocator steals.
fn body(fix_l1: bool) {
    let w = World::new(Config {
        hats: 2,
        htables: 6,
        pages: 3,
        ptables: 4,
        kmem_taskq: true,
        fix_l1,
        mmu: model::machine::MmuConfig {
            tables: 4,
            ..Default::default()
        },
        ..Config::default()
    });
    let hat = w.hat_alloc(true);
    w.hat_memload(hat, 0, PageId(0), true, 0);
    let other = w.hat_alloc(false);
    w.hat_memload(other, 0, PageId(1), true, 0);
    let w2 = w.clone();
    let t = spawn("as_free", move || {
        w2.hat_free_start(other);
        w2.hat_unload(other, 0, SPACE, 0);
        w2.hat_free_end(other);
    });
    w.hat_memload(hat, 0x2000, PageId(2), true, 0);
    t.join();
    w.kmem_taskq_shutdown();
    w.check_quiescent();
}

fn seed_body() {
    body(false);
}

fn fixed_body() {
    body(true);
}

/// Finding L1: the reap that `kmem_reap()` starts can take the only table
/// the allocator could steal and free its page; the allocator's loop then
/// finds nothing to steal for ever, with page-table pages free.
pub const ALLOC_KMEM_REAP_L1: Scenario = Scenario {
    id: "htable/alloc-kmem-reap-l1",
    summary: "FINDING L1: the reap htable_alloc's kmem_reap() starts takes the table the allocator would steal; 841-864 then spins with memory free",
    threads: 3,
    loom_bound: Some(2),
    expect: Expect::Finding(&[HTABLE_L1]),
    body: seed_body,
    ..BASE
};

/// The same program with L1 fixed: every interleaving completes.
pub const ALLOC_KMEM_REAP: Scenario = Scenario {
    id: "htable/alloc-kmem-reap",
    summary: "htable_alloc's kmem_reap() runs htable_reap on kmem_taskq while the allocator steals and another hat is torn down (L1 fixed)",
    threads: 3,
    loom_bound: Some(2),
    mutants: &[
        Mutant {
            name: subsys::htable::mutants::ALLOC_NO_RETRY,
            catches: HTABLE_L1,
            summary: "the steal loop goes round without trying ptable_alloc again: the seed's 841-864 (finding L1)",
        },
        Mutant {
            name: subsys::htable::mutants::REAP_NO_FORGET,
            catches: HTABLE_H8,
            summary: "the reap on kmem_taskq clears HAT_VICTIM while its tables still name the hat (651-666)",
        },
        Mutant {
            name: subsys::htable::mutants::STEAL_NO_BROADCAST,
            catches: SYNC_DEADLOCK,
            summary: "a stealer clears HAT_VICTIM without cv_broadcast(&hat_list_cv): the teardown's hat_free_start sleeps for ever (690-694)",
        },
    ],
    body: fixed_body,
    ..BASE
};

//! Stealing an active table while other threads use it: a new mapping
//! behind the stealer's back (htable.c:484-494), and `hat_pageunload`
//! holding the page's mapping-list mutex (461-467).

use super::BASE;
use harness::{Mutant, Scenario};
use model::check::SYNC_LOCKORDER;
use model::sync::spawn;
use subsys::htable::{Config, PageId, World, HTABLE_H2, HTABLE_H3, HTABLE_H4};

fn map_body() {
    let w = World::new(Config {
        htables: 3,
        ..Config::default()
    });
    let hat = w.hat_alloc(true);
    w.hat_memload(hat, 0, PageId(0), true, 0);
    let w2 = w.clone();
    let t = spawn("memload", move || {
        w2.hat_memload(hat, 0x1000, PageId(1), true, 0);
    });
    w.htable_reap();
    t.join();
    w.check_quiescent();
}

pub const STEAL_VS_MAP: Scenario = Scenario {
    id: "htable/steal-vs-map",
    summary: "htable_reap steals the leaf table while another thread maps a second page in it",
    mutants: &[
        Mutant {
            name: subsys::htable::mutants::STEAL_NO_RECHECK,
            catches: HTABLE_H2,
            summary: "htable_steal_active steals without re-checking busy/valid/lock count under the bucket mutex (490-494)",
        },
        Mutant {
            name: subsys::htable::mutants::MEMLOAD_NO_COUNT,
            catches: HTABLE_H4,
            summary: "hati_pte_map installs a mapping without HTABLE_INC of the valid count",
        },
        Mutant {
            name: subsys::htable::mutants::STEAL_NO_UNHASH,
            catches: HTABLE_H3,
            summary: "htable_steal_active takes a table without removing it from its hash chain (505-513)",
        },
    ],
    body: map_body,
    ..BASE
};

fn pageunload_body() {
    let w = World::new(Config {
        htables: 3,
        pages: 1,
        pwin: true,
        ..Config::default()
    });
    let hat = w.hat_alloc(true);
    w.hat_memload(hat, 0, PageId(0), true, 0);
    let w2 = w.clone();
    let t = spawn("pageunload", move || w2.hat_pageunload(PageId(0)));
    w.htable_reap();
    t.join();
    w.check_quiescent();
}

pub const STEAL_VS_PAGEUNLOAD: Scenario = Scenario {
    id: "htable/steal-vs-pageunload",
    summary: "htable_reap unmaps a table's entries while hat_pageunload removes the same mapping (mapping-list mutex before bucket mutex; page tables through the per-CPU window)",
    mutants: &[Mutant {
        name: subsys::htable::mutants::STEAL_UNMAP_UNDER_BUCKET,
        catches: SYNC_LOCKORDER,
        summary: "htable_steal_active keeps the bucket mutex while hat_pte_unmap takes the mapping-list mutex (461-467)",
    }],
    body: pageunload_body,
    ..BASE
};

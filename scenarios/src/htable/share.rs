//! A shared (ISM) leaf table: linked into a user hat by `htable_create`
//! with `shared` (htable.c:1398-1403, 1446-1455), released by
//! `htable_release` with its pin (1212-1220, 1255-1259), while a CPU
//! translates through it and an ISM page is unloaded (`hat_tlb_inval` of a
//! HAT_SHARED hat demaps everything).

use super::cpu;
use super::BASE;
use harness::{Mutant, Scenario};
use subsys::htable::{Config, PageId, World, HAT_LOAD_LOCK, HAT_LOAD_SHARE, HTABLE_H2, HTABLE_H5};

fn body() {
    let w = World::new(Config {
        hats: 2,
        htables: 5,
        ptables: 4,
        mmu: model::machine::MmuConfig {
            tables: 4,
            ..Default::default()
        },
        ..Config::default()
    });
    let ism = w.hat_alloc(false);
    for (va, page) in [(0, PageId(0)), (0x1000, PageId(1))] {
        w.hat_memload(ism, va, page, true, HAT_LOAD_LOCK | HAT_LOAD_SHARE);
    }
    let hat = w.hat_alloc(true);
    w.hat_share(hat, 0, ism, 0, 0x2000);
    let c = cpu(&w, &[(0, false), (0x1000, true)]);
    w.hat_pageunload(PageId(0));
    w.hat_unshare(hat, 0);
    c.join();
    w.check_quiescent();
}

pub const SHARE: Scenario = Scenario {
    id: "htable/share",
    summary: "a user hat shares an ISM leaf table; a CPU reads and writes through it while an ISM page is unloaded and the table unshared",
    mutants: &[
        Mutant {
            name: subsys::htable::mutants::TLB_INVAL_SHARED_LOCAL,
            catches: HTABLE_H5,
            summary: "hat_tlb_inval for a HAT_SHARED hat shoots down only that hat's CPUs (none), not every CPU",
        },
        Mutant {
            name: subsys::htable::mutants::UNSHARE_NO_DEMAP,
            catches: HTABLE_H5,
            summary: "hat_unshare skips its final shootdown of everything",
        },
        Mutant {
            name: subsys::htable::mutants::SHARE_NO_PIN,
            catches: HTABLE_H2,
            summary: "htable_create does not pin the ISM table its new shared table uses (1451-1455)",
        },
    ],
    body,
    ..BASE
};

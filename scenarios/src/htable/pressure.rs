//! Out of page-table memory: `htable_alloc` steals an active table
//! (htable.c:841-864), whose page then maps another range, while a CPU
//! still translates through it.

use super::cpu;
use super::BASE;
use harness::{Mutant, Scenario};
use subsys::htable::{Config, PageId, World, HTABLE_H5};

fn body() {
    // Room for the top table and one leaf table only.
    let w = World::new(Config {
        ptables: 2,
        mmu: model::machine::MmuConfig {
            tables: 2,
            ..Default::default()
        },
        ..Config::default()
    });
    let hat = w.hat_alloc(true);
    w.hat_memload(hat, 0, PageId(0), true, 0);
    let c = cpu(&w, &[(0, false), (0, true)]);
    // A second leaf table is needed: ptable_alloc fails and the first
    // table is stolen, unmapped and reused at 0x2000.
    w.hat_memload(hat, 0x2000, PageId(1), true, 0);
    c.join();
    w.check_quiescent();
}

pub const ALLOC_STEALS: Scenario = Scenario {
    id: "htable/alloc-steals",
    summary: "htable_alloc finds no page for a table and steals the hat's other leaf table while a CPU uses it",
    mutants: &[
        Mutant {
            name: subsys::htable::mutants::UNLINK_NO_INVAL,
            catches: HTABLE_H5,
            summary: "unlink_ptp skips the shootdown: the CPU keeps a link into the stolen table's page (1098-1109)",
        },
    ],
    body,
    ..BASE
};

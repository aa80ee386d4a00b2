//! The release of a table's last mapping at each level relative to
//! `mmu.max_page_level` (htable.c:1206-1208): three levels, max page
//! level 1, two leaf tables under one level-1 table. Two hat_unloads race;
//! both leaves lose their only mapping and are freed (below the level);
//! their parent, at the level, loses its last link and stays.

use super::BASE;
use harness::{Mutant, Scenario};
use model::check;
use model::machine::MmuConfig;
use model::sync::spawn;
use subsys::htable::{Config, PageId, World, HTABLE_KEEP, MMU_PAGESIZE as PAGESIZE};

fn body() {
    let w = World::new(Config {
        mmu: MmuConfig {
            levels: 3,
            tables: 4,
            ..MmuConfig::default()
        },
        htables: 5,
        ptables: 4,
        max_page_level: 1,
        ..Config::default()
    });
    let hat = w.hat_alloc(true);
    w.hat_memload(hat, 0, PageId(0), true, 0);
    w.hat_memload(hat, 0x2000, PageId(1), true, 0);
    let w2 = w.clone();
    let t = spawn("unload", move || w2.hat_unload(hat, 0x2000, PAGESIZE, 0));
    w.hat_unload(hat, 0, PAGESIZE, 0);
    t.join();
    for (va, level, kept) in [(0, 0, false), (0x2000, 0, false), (0, 1, true)] {
        let found = w.htable_lookup(hat, va, level);
        check!(
            found.is_some() == kept,
            HTABLE_KEEP,
            "after the last unload, the level-{level} table of {va:#x} is {} (max_page_level 1)",
            if found.is_some() {
                "still hashed"
            } else {
                "freed"
            }
        );
        w.htable_release(found);
    }
    w.check_quiescent();
}

pub const KEEP_LEVELS: Scenario = Scenario {
    id: "htable/keep-levels",
    summary: "two leaves below max_page_level lose their last mapping and are freed; their parent at the level stays",
    mutants: &[Mutant {
        name: subsys::htable::mutants::RELEASE_KEEP_BELOW,
        catches: HTABLE_KEEP,
        summary: "htable_release keeps the tables below max_page_level instead of at and above (1206-1208)",
    }],
    body,
    ..BASE
};

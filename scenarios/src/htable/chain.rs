//! One hash chain holding several tables of one hat (`hat_num_hash` 1):
//! `htable_lookup` must tell them apart by address and level
//! (htable.c:1294-1296), or a mapping lands in another table's entry and
//! a release frees a table still in use.

use super::BASE;
use harness::{Mutant, Scenario};
use model::check::MEM_UAF;
use model::sync::spawn;
use subsys::htable::{Config, PageId, World};

/// The top table and the two leaf tables of one hat, all on one chain:
/// A maps page 1 at 0x2000 while the main thread maps page 0 at 0; then
/// each address must translate to its page (outcome: the CPU's walk and
/// the rest invariants).
fn body() {
    let w = World::new(Config {
        hash: 1,
        ..Config::default()
    });
    let hat = w.hat_alloc(true);
    let w2 = w.clone();
    let t = spawn("map", move || {
        w2.hat_memload(hat, 0x2000, PageId(1), true, 0)
    });
    w.hat_memload(hat, 0, PageId(0), true, 0);
    t.join();
    for (va, page) in [(0, PageId(0)), (0x2000, PageId(1))] {
        assert_eq!(
            w.cpu_access(0, va, false),
            Ok(page.pfn()),
            "{va:#x} translates to its page"
        );
    }
    w.check_quiescent();
}

pub const ONE_CHAIN: Scenario = Scenario {
    id: "htable/one-chain",
    summary: "two leaf tables and the top table of one hat share one hash chain while two threads map through them",
    mutants: &[Mutant {
        name: subsys::htable::mutants::SEARCH_ANY_OF_HAT,
        catches: MEM_UAF,
        summary: "htable_lookup's chain search matches any table of the hat (1294-1296)",
    }],
    body,
    ..BASE
};

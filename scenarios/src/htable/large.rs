//! A large-page load over an existing link (htable.c:2126-2129):
//! `x86pte_set` must refuse it with LPAGE_ERROR, or the leaf table, still
//! hashed and mapping a page, is cut off from its parent (HTABLE-H7).

use super::cpu;
use super::BASE;
use harness::{Mutant, Scenario};
use model::check;
use subsys::htable::{Config, PageId, World, HTABLE_H7};

/// Page 0 mapped at 0 (a leaf table linked at top entry 0); a CPU walks
/// the top table (at 0x2000, unmapped: the model's MMU does not walk large
/// pages) while the main thread tries to map page 1 as a large page at 0.
fn body() {
    let w = World::new(Config::default());
    let hat = w.hat_alloc(true);
    w.hat_memload(hat, 0, PageId(0), true, 0);
    let c = cpu(&w, &[(0x2000, false)]);
    let installed = w.hat_memload_large(hat, 0, PageId(1), 1);
    c.join();
    check!(
        !installed,
        HTABLE_H7,
        "a large page was installed over the link to the leaf table at 0"
    );
    w.check_quiescent();
}

pub const LARGE_OVER_LINK: Scenario = Scenario {
    id: "htable/large-over-link",
    summary:
        "a large-page load over the link to a leaf table that maps a page is refused (LPAGE_ERROR)",
    mutants: &[Mutant {
        name: subsys::htable::mutants::LPAGE_NO_LINK_CHECK,
        catches: HTABLE_H7,
        summary:
            "x86pte_set puts a large page over a link instead of returning LPAGE_ERROR (2126-2129)",
    }],
    body,
    ..BASE
};

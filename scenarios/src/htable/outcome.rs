//! Scenarios for the outcome checks (issue 12): each leaves the state a
//! bug that skips a code path would leave, where only a check of the
//! outcome (TLB coherence, the rest invariants) can see it.

use super::cpu;
use super::BASE;
use harness::{Mutant, Scenario};
use model::check::MMU_COHERENCE;
use model::sync::spawn;
use subsys::htable::{Config, PageId, World, HTABLE_H2, HTABLE_H5, MMU_PAGESIZE as PAGESIZE};

/// Pages 0 and 1 mapped writable at 0 and 0x1000: one leaf table.
fn two_mappings() -> (std::sync::Arc<World>, subsys::htable::HatId) {
    let w = World::new(Config::default());
    let hat = w.hat_alloc(true);
    w.hat_memload(hat, 0, PageId(0), true, 0);
    w.hat_memload(hat, PAGESIZE, PageId(1), true, 0);
    (w, hat)
}

fn read_only_body() {
    let (w, hat) = two_mappings();
    // The CPU only reads page 0: REF set, MOD clear. (Read first, before
    // the race: a walk that read the entry before its REF bit was set
    // would fail its REF update once the entry is cleared, but the page
    // release check counts it as about to cache the page.)
    let warm = w.cpu_access(0, 0, false);
    assert_eq!(warm, Ok(PageId(0).pfn()), "warm-up read");
    let c = cpu(&w, &[(0, false)]);
    w.hat_unload(hat, 0, PAGESIZE, 0);
    // The page is reused (page_free): no CPU may still translate to it.
    // The mapping at 0x1000 keeps the leaf table, so no unlink_ptp
    // shootdown flushes the address later.
    w.mmu.assert_untranslated(PageId(0).pfn());
    c.join();
    w.check_quiescent();
}

pub const READ_ONLY_UNLOAD: Scenario = Scenario {
    id: "htable/read-only-unload",
    summary: "a CPU only reads one of two mappings of a leaf table (REF set, MOD clear); it is unloaded and its page reused while the other keeps the table",
    mutants: &[
        Mutant {
            name: subsys::htable::mutants::INVAL_MOD_ONLY,
            catches: MMU_COHERENCE,
            summary: "x86pte_inval decides to shoot down from MOD alone, not REF and MOD (2273-2274); the point check sits inside the same if",
        },
        Mutant {
            name: "inval-no-tlb",
            catches: HTABLE_H5,
            summary: "x86pte_inval skips the shootdown of a referenced entry (2273-2274)",
        },
    ],
    body: read_only_body,
    ..BASE
};

fn two_unloads_body() {
    let (w, hat) = two_mappings();
    let w2 = w.clone();
    let t = spawn("unload", move || w2.hat_unload(hat, PAGESIZE, PAGESIZE, 0));
    w.hat_unload(hat, 0, PAGESIZE, 0);
    t.join();
    w.check_quiescent();
}

pub const TWO_UNLOADS: Scenario = Scenario {
    id: "htable/two-unloads",
    summary: "two hat_unloads of the two mappings of one leaf table race to release it: whoever is last frees it",
    mutants: &[Mutant {
        name: subsys::htable::mutants::RELEASE_BUSY_AFTER_EXIT,
        catches: HTABLE_H2,
        summary: "htable_release decrements ht_busy (atomically) after dropping the bucket mutex: both releases see busy 2 and the empty table stays hashed (1186, 1252-1253)",
    }],
    body: two_unloads_body,
    ..BASE
};

fn cached_reuse_body() {
    let w = World::new(Config::default());
    let hat = w.hat_alloc(true);
    w.hat_memload(hat, 0, PageId(0), true, 0);
    // The CPU caches the link to the leaf table and the translation.
    let warm = w.cpu_access(0, 0, false);
    assert_eq!(warm, Ok(PageId(0).pfn()), "warm-up read");
    let c = cpu(&w, &[(0, false), (0x2000, false)]);
    // The table is unlinked and goes to the hat's cache ...
    w.hat_unload(hat, 0, PAGESIZE, 0);
    // ... and is taken from it for another address.
    w.hat_memload(hat, 0x2000, PageId(1), true, 0);
    c.join();
    w.check_quiescent();
}

pub const CACHED_REUSE: Scenario = Scenario {
    id: "htable/cached-reuse-vs-cpu",
    summary: "an unlinked leaf table goes to the hat's cache and is reused for another address while a CPU held a paging-structure entry to it",
    mutants: &[Mutant {
        name: subsys::htable::mutants::UNLINK_NO_INVAL_UNCHECKED,
        catches: MMU_COHERENCE,
        summary: "unlink_ptp skips its shootdown and the point check after it (1098-1109): the table is cached, not freed, so only the outcome check sees the stale link",
    }],
    body: cached_reuse_body,
    ..BASE
};

//! Tearing down a page table while a CPU caches translations through it.
//!
//! Two CPUs. Before the race each has read the page, so each caches the
//! leaf translation and the link to the leaf table. Then software, as
//! `htable_release` does for an emptied table (htable.c:1226-1247):
//! invalidates the last PTE with `x86pte_inval` (2265-2274, shooting down
//! the referenced translation), releases the page, unlinks the table with
//! `unlink_ptp` (1085-1109, shooting down cached links) and frees it. The
//! CPUs keep reading the page meanwhile, re-walking whenever their caches
//! are empty, so a shootdown may flush one CPU while the other refills.
//!
//! Each mutant skips one shootdown, and the check that fires first is
//! always [`MMU_STALE_TLB`]: a table or page is only freed after the
//! ghost-state check of every CPU's caches passes, so a walk through the
//! freed table (MEM-UAF) would need a link that check has already seen.

use harness::{Expect, Mutant, Scenario};
use model::check::{MMU_STALE_TLB, PANIC};
use model::machine::pte::{make_pte, make_ptp, PT_REFMOD, PT_USER, PT_WRITABLE};
use model::machine::{Demap, Mmu, MmuConfig, Pte};
use model::sync::{retry, spawn};

const PFN: u64 = 0x42;
/// Top entry 0, leaf entry 1.
const VA: u64 = 0x1000;

/// `x86pte_inval` with no expected value: clears the entry, retrying
/// around the MMU's REF/MOD updates; shoots down if the old entry could be
/// cached. Returns the old entry.
fn x86pte_inval(mmu: &Mmu, pte: &Pte, va: u64) -> u64 {
    model::seed("htable.c:2265");
    let old = loop {
        let old = pte.load();
        if pte.cas(old, 0) == old {
            break old;
        }
        retry();
    };
    if old & PT_REFMOD != 0 && !model::mutant("skip-inval-shootdown") {
        model::seed("htable.c:2273");
        mmu.hat_tlb_inval(Demap::Va(va));
    }
    old
}

/// `unlink_ptp`: the link must still be the one to `child`, then the
/// cached links covering the table's range are shot down.
fn unlink_ptp(mmu: &Mmu, link: &Pte, expect: u64, va: u64) {
    model::seed("htable.c:1085");
    let found = link.cas(expect, 0);
    model::check!(
        found == expect,
        PANIC,
        "bad PTP found={found:#x}, expected={expect:#x}"
    );
    if !model::mutant("skip-shootdown") {
        model::seed("htable.c:1107");
        mmu.hat_tlb_inval(Demap::Va(va));
    }
}

fn body() {
    let mmu = Mmu::new(MmuConfig {
        cpus: 2,
        ..MmuConfig::default()
    });
    let top = mmu.table(mmu.top());
    let leaf_h = mmu.alloc_table(0);
    let link = top.pte(mmu.va2entry(VA, 1));
    link.cas(0, make_ptp(leaf_h));
    let leaf = mmu.table(leaf_h);
    let pte = leaf.pte(mmu.va2entry(VA, 0));
    pte.cas(0, make_pte(PFN, PT_WRITABLE | PT_USER));
    // Warm both CPUs' caches: a leaf translation and a link each.
    for c in 0..2 {
        let warm = mmu.access(c, VA, false);
        model::check!(warm == Ok(PFN), PANIC, "warm-up read failed: {warm:?}");
    }
    let cpus: Vec<_> = [("cpu0", 0), ("cpu1", 1)]
        .into_iter()
        .map(|(name, c)| {
            let m = mmu.clone();
            spawn(name, move || {
                for _ in 0..2 {
                    let _ = m.access(c, VA, false);
                }
            })
        })
        .collect();
    x86pte_inval(&mmu, pte, VA);
    mmu.assert_untranslated(PFN);
    unlink_ptp(&mmu, link, make_ptp(leaf_h), VA);
    mmu.free_table(leaf_h);
    cpus.into_iter().for_each(|t| t.join());
}

pub const STALE_TLB: Scenario = Scenario {
    id: "proto/stale-tlb",
    summary: "invalidate the last PTE, unlink and free the table while two CPUs read through it",
    threads: 3,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[
        Mutant {
            name: "skip-shootdown",
            catches: MMU_STALE_TLB,
            summary: "unlink_ptp skips hat_tlb_inval: a CPU that re-walked keeps a link to the freed table",
        },
        Mutant {
            name: "skip-inval-shootdown",
            catches: MMU_STALE_TLB,
            summary: "x86pte_inval skips hat_tlb_inval: the CPU keeps translating to the released page",
        },
    ],
    orders: &[],
    params: &[],
    body,
};

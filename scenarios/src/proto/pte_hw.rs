//! Software PTE updates racing the MMU's REF/MOD setting.
//!
//! A CPU reads then writes a page while software write-protects the same
//! page with `x86pte_set`'s CAS loop (htable.c:2101-2134), which keeps
//! REF/MOD when the frame stays the same (2104-2105) and shoots down the
//! old translation if it was referenced (2147-2148). Whatever the order,
//! every access that succeeded must have left its bit in the final PTE.

use harness::scenario::UNBOUNDED;
use harness::{Expect, Mutant, Scenario};
use model::check::MMU_REFMOD_LOST;
use model::machine::pte::{make_pte, make_ptp, pte_valid, same_frame, PT_MOD, PT_REF, PT_REFMOD};
use model::machine::pte::{PT_USER, PT_WRITABLE};
use model::machine::{Demap, Mmu, MmuConfig, Pte};
use model::sync::{retry, spawn};

/// The page's frame and address (top entry 1, leaf entry 0).
const PFN: u64 = 0x42;
const VA: u64 = 0x2000;

/// `x86pte_set` for a leaf entry: installs `new`, keeping REF/MOD if the
/// frame is unchanged; returns the entry it replaced.
fn x86pte_set(mmu: &Mmu, pte: &Pte, va: u64, new: u64) -> u64 {
    model::seed("htable.c:2101");
    let old = loop {
        let prev = pte.load();
        let mut n = new;
        if pte_valid(n) && same_frame(prev, new) {
            n |= prev & PT_REFMOD;
        }
        if prev == n {
            // Already installed (2111-2120); the local flush it does there
            // is of the calling CPU, which this scenario does not model.
            return new;
        }
        if model::mutant("read-then-store") {
            pte.store(n);
            break prev;
        }
        let found = pte.cas(prev, n);
        if found == prev {
            break found;
        }
        model::cover("proto.pte-hw.cas-lost");
        retry();
    };
    if old & PT_REF != 0 {
        model::seed("htable.c:2147");
        mmu.hat_tlb_inval(Demap::Va(va));
    }
    old
}

fn body() {
    let mmu = Mmu::new(MmuConfig::default());
    let top = mmu.table(mmu.top());
    let leaf_h = mmu.alloc_table(0);
    top.pte(mmu.va2entry(VA, 1)).cas(0, make_ptp(leaf_h));
    let leaf = mmu.table(leaf_h);
    let entry = mmu.va2entry(VA, 0);
    leaf.pte(entry).cas(0, make_pte(PFN, PT_WRITABLE | PT_USER));

    let m = mmu.clone();
    let cpu = spawn("cpu0", move || {
        let read = m.access(0, VA, false).is_ok();
        let write = m.access(0, VA, true).is_ok();
        (read, write)
    });
    x86pte_set(&mmu, leaf.pte(entry), VA, make_pte(PFN, PT_USER));
    let (read, write) = cpu.join();

    let last = leaf.pte(entry).load();
    model::check!(
        !read || last & PT_REF != 0,
        MMU_REFMOD_LOST,
        "a read succeeded but the final PTE {last:#x} has no REF"
    );
    model::check!(
        !write || last & PT_MOD != 0,
        MMU_REFMOD_LOST,
        "a write succeeded but the final PTE {last:#x} has no MOD"
    );
}

pub const PTE_CAS_VS_HW: Scenario = Scenario {
    id: "proto/pte-cas-vs-hw",
    summary:
        "x86pte_set's CAS loop write-protects a page a CPU reads and writes: REF/MOD never lost",
    threads: 2,
    loom_bound: Some(UNBOUNDED),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[Mutant {
        name: "read-then-store",
        catches: MMU_REFMOD_LOST,
        summary: "x86pte_set reads the PTE and stores the new value instead of a CAS",
    }],
    orders: &[],
    params: &[],
    body,
};

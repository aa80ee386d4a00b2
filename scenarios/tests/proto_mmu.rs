//! The MMU model, the kmem arena and their proto scenarios: passing
//! programs pass on every backend, every mutant is caught with the check
//! its scenario declares, and focused tests pin the primitives' semantics.
//!
//! Run: `cargo test --release -p vmspec-scenarios --test proto_mmu`.

use harness::{run, Expect, Outcome, RunSpec, Scenario, Sched};
use model::check::MMU_COHERENCE;
use model::check::{MEM_DOUBLE_FREE, MEM_FREE_HELD, MEM_UAF, MMU_REFMOD_LOST, MMU_STALE_TLB};
use model::check::{PANIC, SYNC_MISUSE};
use std::time::Duration;

const IDS: [&str; 3] = [
    "proto/pte-cas-vs-hw",
    "proto/stale-tlb",
    "proto/use-after-free",
];

fn scen(id: &str) -> &'static Scenario {
    harness::testing::scenario(scenarios::all(), id)
}

/// loom at the scenario's full bound (these are small).
fn loom(s: &Scenario) -> Sched {
    Sched::Loom {
        bound: s.loom_bound.expect("a loom bound"),
        max: None,
    }
}

fn pct(s: &Scenario) -> Sched {
    harness::testing::pct(s, 2000)
}

fn std_threads() -> Sched {
    Sched::Std {
        iterations: 300,
        watchdog: Duration::from_secs(5),
    }
}

fn go(
    s: &'static Scenario,
    sched: Sched,
    mutant: Option<&str>,
    params: &[(&str, &str)],
) -> Outcome {
    let mut spec = RunSpec::new(s, sched);
    spec.mutant = mutant.map(String::from);
    for (k, v) in params {
        spec.params.insert(k.to_string(), v.to_string());
    }
    let o = run(&spec);
    println!(
        "{} {} mutant={:?} params={:?}: {} executions in {:.2?}, checks {:?}",
        s.id,
        spec.sched.describe(),
        mutant,
        params,
        o.executions,
        o.elapsed,
        o.checks()
    );
    o
}

fn detail(o: &Outcome) -> String {
    o.found
        .iter()
        .map(|f| {
            let ev: Vec<String> = f
                .captured
                .events
                .iter()
                .map(|e| format!("  t{} {e}", e.tid))
                .collect();
            format!("{}\n{}", f.captured.violation, ev.join("\n"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_passes(o: &Outcome) {
    assert!(o.checks().is_empty(), "expected a pass:\n{}", detail(o));
    assert!(o.executions > 0);
}

fn assert_caught(o: &Outcome, id: &str) {
    assert_eq!(o.checks(), vec![id], "wrong checks:\n{}", detail(o));
}

#[test]
fn scenarios_are_registered_as_passing() {
    for id in IDS {
        let s = scen(id);
        assert_eq!(s.expect, Expect::Pass, "{id}");
        assert!(s.loom_bound.is_some(), "{id}");
        assert!(s.threads <= 5, "{id}");
    }
}

#[test]
fn passing_variants_pass_on_every_backend() {
    for id in IDS {
        let s = scen(id);
        assert_passes(&go(s, loom(s), None, &[]));
        assert_passes(&go(s, pct(s), None, &[]));
        assert_passes(&go(s, std_threads(), None, &[]));
    }
}

#[test]
fn passing_variants_pass_with_blind_mod_setting() {
    for id in ["proto/pte-cas-vs-hw", "proto/stale-tlb"] {
        let s = scen(id);
        let blind = [("hw-mod", "blind")];
        assert_passes(&go(s, loom(s), None, &blind));
        assert_passes(&go(s, pct(s), None, &blind));
    }
}

#[test]
fn every_mutant_is_caught_with_its_check() {
    for id in IDS {
        let s = scen(id);
        assert!(!s.mutants.is_empty(), "{id} has no mutant");
        for m in s.mutants {
            assert_caught(&go(s, loom(s), Some(m.name), &[]), m.catches);
            assert_caught(&go(s, pct(s), Some(m.name), &[]), m.catches);
        }
    }
}

#[test]
fn mutants_catch_the_declared_ids() {
    let want = [
        ("proto/pte-cas-vs-hw", "read-then-store", MMU_REFMOD_LOST),
        ("proto/stale-tlb", "skip-shootdown", MMU_STALE_TLB),
        ("proto/stale-tlb", "skip-inval-shootdown", MMU_STALE_TLB),
        ("proto/use-after-free", "use-after-free", MEM_UAF),
        ("proto/use-after-free", "double-free", MEM_DOUBLE_FREE),
        ("proto/use-after-free", "free-held", MEM_FREE_HELD),
    ];
    for (id, name, check) in want {
        let m = scen(id)
            .mutant(name)
            .unwrap_or_else(|| panic!("{id}: no {name}"));
        assert_eq!(m.catches, check, "{id} {name}");
    }
}

#[test]
fn read_then_store_is_caught_with_blind_mod_setting() {
    let s = scen("proto/pte-cas-vs-hw");
    let blind = [("hw-mod", "blind")];
    let o = go(s, loom(s), Some("read-then-store"), &blind);
    assert_caught(&o, MMU_REFMOD_LOST);
}

#[test]
fn loom_runs_reach_the_race_windows() {
    // (scenario, run parameters, coverage points loom must reach)
    type Want = (
        &'static str,
        &'static [(&'static str, &'static str)],
        &'static [&'static str],
    );
    let want: [Want; 4] = [
        (
            "proto/pte-cas-vs-hw",
            &[],
            &[
                "proto.pte-hw.cas-lost",
                "mmu.tlb-hit",
                "mmu.mod-rewalk",
                "mmu.fault-protection",
            ],
        ),
        (
            "proto/pte-cas-vs-hw",
            &[("hw-mod", "blind")],
            &["proto.pte-hw.cas-lost", "mmu.mod-blind"],
        ),
        (
            "proto/stale-tlb",
            &[],
            &["mmu.tlb-hit", "mmu.fault-not-present", "mmu.walk-from-link"],
        ),
        (
            "proto/use-after-free",
            &[],
            &["proto.uaf.reaper-waits", "proto.uaf.reaped-by-other"],
        ),
    ];
    for (id, params, points) in want {
        let s = scen(id);
        let o = go(s, loom(s), None, params);
        for p in points {
            assert!(
                o.coverage.get(p).copied().unwrap_or(0) > 0,
                "{id} {params:?}: loom never reached {p}; coverage {:?}",
                o.coverage
            );
        }
    }
}

/// A CPU reads then writes a clean page while software invalidates its PTE
/// (`x86pte_inval`'s loop, htable.c:2265-2274): with checked MOD setting
/// the MMU writes REF/MOD only into a valid entry, so the entry stays 0
/// after the invalidation and a write that succeeded is in the harvested
/// old value.
fn inval_vs_hw() {
    use model::machine::pte::{make_pte, make_ptp, PT_MOD, PT_USER, PT_WRITABLE};
    use model::machine::{Demap, Mmu, MmuConfig};
    const VA: u64 = 0x1000;
    let mmu = Mmu::new(MmuConfig::default());
    let leaf = mmu.alloc_table(0);
    let top = mmu.table(mmu.top());
    top.pte(mmu.va2entry(VA, 1)).cas(0, make_ptp(leaf));
    let t = mmu.table(leaf);
    let e = mmu.va2entry(VA, 0);
    t.pte(e).cas(0, make_pte(0x42, PT_WRITABLE | PT_USER));
    let m = mmu.clone();
    let cpu = model::sync::spawn("cpu0", move || {
        let _ = m.access(0, VA, false);
        m.access(0, VA, true).is_ok()
    });
    let old = loop {
        let old = t.pte(e).load();
        if t.pte(e).cas(old, 0) == old {
            break old;
        }
        model::sync::retry();
    };
    mmu.hat_tlb_inval(Demap::Va(VA));
    let wrote = cpu.join();
    let last = t.pte(e).load();
    assert_eq!(last, 0, "the MMU wrote into an invalidated entry");
    model::check!(
        !wrote || old & PT_MOD != 0,
        MMU_REFMOD_LOST,
        "a write succeeded but the harvested entry {old:#x} has no MOD"
    );
}

static INVAL_VS_HW: Scenario = Scenario {
    id: "test/inval-vs-hw",
    summary: "the MMU's REF/MOD update lands only on a valid entry",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[],
    orders: &[],
    params: &[],
    body: inval_vs_hw,
};

#[test]
fn mmu_sets_ref_mod_only_on_valid_entries() {
    let s = &INVAL_VS_HW;
    let o = go(s, loom(s), None, &[]);
    assert_passes(&o);
    assert!(o.coverage.get("mmu.hw-cas-raced").copied().unwrap_or(0) > 0);
    assert_passes(&go(s, pct(s), None, &[]));
}

// ---- focused tests: one thread, one execution ------------------------------

mod solo {
    use super::*;
    use model::kernel::{Arena, Handle};
    use model::machine::pte::{make_pte, make_ptp, PT_MOD, PT_REF, PT_USER, PT_WRITABLE};
    use model::machine::{Demap, Fault, Mmu, MmuConfig};
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    /// Runs `body` once, as the only model thread of a shuttle execution
    /// (one thread at a time: the step checks run, as under loom).
    fn once(body: fn(), params: &[(&str, &str)]) -> Outcome {
        let s: &'static Scenario = Box::leak(Box::new(Scenario {
            id: "test/solo",
            summary: "",
            threads: 1,
            loom_bound: None,
            pct_depth: 1,
            expect: Expect::Pass,
            mutants: &[],
            orders: &[],
            params: &[],
            body,
        }));
        let mut spec = RunSpec::new(
            s,
            Sched::Pct {
                depth: 1,
                iterations: 1,
                seed: 0,
            },
        );
        for (k, v) in params {
            spec.params.insert(k.to_string(), v.to_string());
        }
        run(&spec)
    }

    /// The message of the one violation of `o`, which must be `id`.
    fn only(o: &Outcome, id: &str) -> String {
        assert_eq!(o.checks(), vec![id], "{}", detail(o));
        o.found[0].captured.violation.message.clone()
    }

    fn arena() -> Arena<AtomicU32> {
        Arena::new("test.obj", 2)
    }

    fn at(l: &AtomicU32) -> String {
        format!("proto_mmu.rs:{}", l.load(Ordering::Relaxed))
    }

    #[test]
    fn handle_bits_round_trip() {
        assert_eq!(Handle::from_bits(0), None);
        let h = Handle::from_bits(5 << 16 | 3).unwrap();
        assert_eq!((h.index(), h.gen()), (3, 5));
        assert_eq!(h.to_bits(), 5 << 16 | 3);
    }

    #[test]
    fn use_after_free_names_object_and_both_sites() {
        // Source lines the body records, per test (tests run in parallel).
        static L1: AtomicU32 = AtomicU32::new(0);
        static L2: AtomicU32 = AtomicU32::new(0);
        let o = once(
            || {
                let a = arena();
                let h = a.alloc(AtomicU32::new(0));
                L1.store(line!() + 1, Ordering::Relaxed);
                a.free(h);
                L2.store(line!() + 1, Ordering::Relaxed);
                a.get(h);
            },
            &[],
        );
        let m = only(&o, MEM_UAF);
        assert!(m.contains("use of freed kmem test.obj#0 (gen 1)"), "{m}");
        assert!(m.contains(&format!("at {}", at(&L2))), "{m}");
        assert!(m.contains(&format!("freed at {}", at(&L1))), "{m}");
    }

    #[test]
    fn stale_handle_into_a_reused_slot_is_use_after_free() {
        let o = once(
            || {
                let a = arena();
                let old = a.alloc(AtomicU32::new(0));
                a.free(old);
                let new = a.alloc(AtomicU32::new(1));
                assert_eq!((new.index(), new.gen()), (0, 2));
                assert_eq!(a.get(new).load(Ordering::Relaxed), 1);
                a.hold(old);
            },
            &[],
        );
        let m = only(&o, MEM_UAF);
        assert!(
            m.starts_with("hold of freed kmem test.obj#0 (gen 1)"),
            "{m}"
        );
        assert!(m.contains("reused (now gen 2)"), "{m}");
    }

    #[test]
    fn double_free_names_both_frees() {
        // Source lines the body records, per test (tests run in parallel).
        static L1: AtomicU32 = AtomicU32::new(0);
        static L2: AtomicU32 = AtomicU32::new(0);
        let o = once(
            || {
                let a = arena();
                let h = a.alloc(AtomicU32::new(0));
                L1.store(line!() + 1, Ordering::Relaxed);
                a.free(h);
                L2.store(line!() + 1, Ordering::Relaxed);
                a.free(h);
            },
            &[],
        );
        let m = only(&o, MEM_DOUBLE_FREE);
        assert!(m.contains("test.obj#0 (gen 1)"), "{m}");
        assert!(m.contains(&format!("at {}", at(&L2))), "{m}");
        assert!(m.contains(&format!("freed at {}", at(&L1))), "{m}");
    }

    #[test]
    fn free_of_a_stale_handle_after_reuse_is_a_double_free() {
        let o = once(
            || {
                let a = arena();
                let h = a.alloc(AtomicU32::new(0));
                a.free(h);
                let _again = a.alloc(AtomicU32::new(0));
                a.free(h);
            },
            &[],
        );
        only(&o, MEM_DOUBLE_FREE);
    }

    #[test]
    fn free_while_held_names_the_holder() {
        // Source line the body records, per test (tests run in parallel).
        static L1: AtomicU32 = AtomicU32::new(0);
        let o = once(
            || {
                let a = arena();
                let h = a.alloc(AtomicU32::new(0));
                L1.store(line!() + 1, Ordering::Relaxed);
                a.hold(h);
                a.free(h);
            },
            &[],
        );
        let m = only(&o, MEM_FREE_HELD);
        assert!(m.contains(&format!("held at {}", at(&L1))), "{m}");
    }

    #[test]
    fn balanced_holds_free_cleanly_and_slots_are_reused() {
        let o = once(
            || {
                let a = arena();
                let h = a.alloc(AtomicU32::new(0));
                let g = a.alloc(AtomicU32::new(0));
                a.hold(h);
                a.hold(h);
                a.release(h);
                a.release(h);
                a.free(h);
                let r = a.alloc(AtomicU32::new(0));
                assert_eq!((r.index(), r.gen()), (0, 2));
                a.free(g);
                a.free(r);
            },
            &[],
        );
        assert_passes(&o);
    }

    #[test]
    fn release_without_hold_is_misuse() {
        let o = once(
            || {
                let a = arena();
                let h = a.alloc(AtomicU32::new(0));
                a.release(h);
            },
            &[],
        );
        only(&o, SYNC_MISUSE);
    }

    #[test]
    fn exhaustion_is_reported_not_a_bare_panic() {
        let o = once(
            || {
                let a = arena();
                a.alloc(AtomicU32::new(0));
                a.alloc(AtomicU32::new(0));
                a.alloc(AtomicU32::new(0));
            },
            &[],
        );
        let m = only(&o, PANIC);
        assert!(m.contains("kmem test.obj exhausted"), "{m}");
    }

    #[test]
    fn handle_never_issued_is_use_after_free() {
        let o = once(
            || {
                let a = arena();
                a.alloc(AtomicU32::new(0));
                a.get(Handle::from_bits(7 << 16).unwrap());
            },
            &[],
        );
        let m = only(&o, MEM_UAF);
        assert!(m.contains("never allocated"), "{m}");
        let o = once(
            || {
                arena().get(Handle::from_bits(1 << 16 | 9).unwrap());
            },
            &[],
        );
        let m = only(&o, MEM_UAF);
        assert!(m.contains("no such slot"), "{m}");
    }

    const PFN: u64 = 0x42;
    const VA: u64 = 0x1000;

    /// A machine with `VA` mapped to `PFN` with `flags`; returns it and the
    /// leaf table.
    fn mapped(cfg: MmuConfig, flags: u64) -> (Arc<Mmu>, Handle) {
        let mmu = Mmu::new(cfg);
        let leaf = mmu.alloc_table(0);
        let top = mmu.table(mmu.top());
        top.pte(mmu.va2entry(VA, 1)).cas(0, make_ptp(leaf));
        let t = mmu.table(leaf);
        t.pte(mmu.va2entry(VA, 0)).cas(0, make_pte(PFN, flags));
        (mmu, leaf)
    }

    fn leaf_pte(mmu: &Mmu, leaf: Handle) -> u64 {
        mmu.table(leaf).pte(mmu.va2entry(VA, 0)).load()
    }

    #[test]
    fn walks_set_ref_then_mod() {
        let o = once(
            || {
                let (mmu, leaf) = mapped(MmuConfig::default(), PT_WRITABLE | PT_USER);
                assert_eq!(mmu.access(0, VA, false), Ok(PFN));
                let p = leaf_pte(&mmu, leaf);
                assert_eq!(p & (PT_REF | PT_MOD), PT_REF, "{p:#x}");
                assert_eq!(mmu.access(0, VA, true), Ok(PFN));
                let p = leaf_pte(&mmu, leaf);
                assert_eq!(p & (PT_REF | PT_MOD), PT_REF | PT_MOD, "{p:#x}");
            },
            &[],
        );
        assert_passes(&o);
    }

    #[test]
    fn faults_leave_the_entry_alone() {
        let o = once(
            || {
                let (mmu, leaf) = mapped(MmuConfig::default(), PT_USER);
                assert_eq!(mmu.access(0, VA, true), Err(Fault::Protection));
                assert_eq!(leaf_pte(&mmu, leaf) & (PT_REF | PT_MOD), 0);
                assert_eq!(mmu.access(0, 0, false), Err(Fault::NotPresent));
                assert_eq!(mmu.access(0, 0x3000, false), Err(Fault::NotPresent));
            },
            &[],
        );
        assert_passes(&o);
    }

    #[test]
    fn caches_serve_stale_translations_until_the_shootdown() {
        let o = once(
            || {
                let cfg = MmuConfig {
                    cpus: 2,
                    ..MmuConfig::default()
                };
                let (mmu, leaf) = mapped(cfg, PT_WRITABLE | PT_USER);
                assert_eq!(mmu.access(0, VA, false), Ok(PFN));
                assert_eq!(mmu.access(1, VA, false), Ok(PFN));
                let pte = mmu.table(leaf);
                let pte = pte.pte(mmu.va2entry(VA, 0));
                let old = pte.load();
                pte.cas(old, 0);
                // No shootdown yet: both CPUs still translate.
                assert_eq!(mmu.access(0, VA, false), Ok(PFN));
                assert_eq!(mmu.access(1, VA, false), Ok(PFN));
                mmu.hat_tlb_inval(Demap::Va(VA));
                mmu.assert_untranslated(PFN);
                assert_eq!(mmu.access(0, VA, false), Err(Fault::NotPresent));
                assert_eq!(mmu.access(1, VA, false), Err(Fault::NotPresent));
                // The faulting walks cached the link again; unlink, flush
                // everything, and the table can go.
                let top = mmu.table(mmu.top());
                top.pte(mmu.va2entry(VA, 1)).cas(make_ptp(leaf), 0);
                mmu.hat_tlb_inval(Demap::All);
                mmu.free_table(leaf);
                assert_eq!(mmu.access(0, VA, false), Err(Fault::NotPresent));
            },
            &[],
        );
        assert_passes(&o);
    }

    #[test]
    fn released_page_still_cached_is_stale_tlb() {
        let o = once(
            || {
                let (mmu, leaf) = mapped(MmuConfig::default(), PT_WRITABLE | PT_USER);
                mmu.access(0, VA, false).unwrap();
                let t = mmu.table(leaf);
                let pte = t.pte(mmu.va2entry(VA, 0));
                pte.cas(pte.load(), 0);
                mmu.assert_untranslated(PFN);
            },
            &[],
        );
        let m = only(&o, MMU_STALE_TLB);
        assert!(m.contains("cpu 0 caches a translation for vpn 0x1"), "{m}");
    }

    #[test]
    fn freed_table_still_linked_in_a_cache_is_stale_tlb() {
        let o = once(
            || {
                let (mmu, leaf) = mapped(MmuConfig::default(), PT_WRITABLE | PT_USER);
                mmu.access(0, VA, false).unwrap();
                let t = mmu.table(leaf);
                let pte = t.pte(mmu.va2entry(VA, 0));
                pte.cas(pte.load(), 0);
                mmu.hat_tlb_inval(Demap::Va(VA));
                // A faulting walk caches the link again.
                assert_eq!(mmu.access(0, VA, false), Err(Fault::NotPresent));
                let top = mmu.table(mmu.top());
                top.pte(mmu.va2entry(VA, 1)).cas(make_ptp(leaf), 0);
                mmu.free_table(leaf);
            },
            &[],
        );
        let m = only(&o, MMU_STALE_TLB);
        assert!(m.contains("cpu 0 caches a paging-structure entry"), "{m}");
    }

    #[test]
    fn walk_into_a_freed_table_is_use_after_free() {
        let o = once(
            || {
                let (mmu, leaf) = mapped(MmuConfig::default(), PT_WRITABLE | PT_USER);
                // Nothing cached, but the link is left in place.
                mmu.free_table(leaf);
                let _ = mmu.access(0, VA, false);
            },
            &[],
        );
        let m = only(&o, MEM_UAF);
        assert!(m.contains("use of freed kmem mmu.ptable#1"), "{m}");
    }

    /// Write-protects `VA` without a shootdown after CPU 0 read it, then
    /// writes through the stale translation; returns the write's result
    /// and the final entry.
    fn stale_write() -> (Result<u64, Fault>, u64) {
        let (mmu, leaf) = mapped(MmuConfig::default(), PT_WRITABLE | PT_USER);
        mmu.access(0, VA, false).unwrap();
        let t = mmu.table(leaf);
        let pte = t.pte(mmu.va2entry(VA, 0));
        let old = pte.load();
        pte.cas(old, make_pte(PFN, PT_USER | PT_REF));
        let w = mmu.access(0, VA, true);
        // The shootdown the write-protect owes (else MMU-COHERENCE at the
        // end).
        mmu.hat_tlb_inval(Demap::Va(VA));
        (w, pte.load())
    }

    #[test]
    fn hw_mod_checked_faults_a_stale_write_and_blind_lets_it_land() {
        let o = once(
            || {
                let (w, p) = stale_write();
                assert_eq!(w, Err(Fault::Protection));
                assert_eq!(p & PT_MOD, 0, "{p:#x}");
            },
            &[],
        );
        assert_passes(&o);
        let o = once(
            || {
                let (w, p) = stale_write();
                assert_eq!(w, Ok(PFN));
                assert_eq!(p & (PT_MOD | PT_WRITABLE), PT_MOD, "{p:#x}");
            },
            &[("hw-mod", "blind")],
        );
        assert_passes(&o);
    }

    #[test]
    fn unknown_hw_mod_is_rejected() {
        let o = once(
            || {
                Mmu::new(MmuConfig::default());
            },
            &[("hw-mod", "sometimes")],
        );
        only(&o, PANIC);
    }

    #[test]
    fn store_over_unseen_ref_is_refmod_lost() {
        let o = once(
            || {
                let (mmu, leaf) = mapped(MmuConfig::default(), PT_WRITABLE | PT_USER);
                let t = mmu.table(leaf);
                let pte = t.pte(mmu.va2entry(VA, 0));
                let seen = pte.load();
                mmu.access(0, VA, false).unwrap();
                pte.store(seen & !PT_WRITABLE);
            },
            &[],
        );
        let m = only(&o, MMU_REFMOD_LOST);
        assert!(m.contains("discarded REF"), "{m}");
    }

    #[test]
    fn store_after_seeing_the_bits_is_allowed() {
        let o = once(
            || {
                let (mmu, leaf) = mapped(MmuConfig::default(), PT_WRITABLE | PT_USER);
                let t = mmu.table(leaf);
                let pte = t.pte(mmu.va2entry(VA, 0));
                mmu.access(0, VA, true).unwrap();
                // Seen, then cleared on purpose (as a sync of REF/MOD does).
                let seen = pte.load();
                pte.store(seen & !(PT_REF | PT_MOD));
                // Kept without having been seen.
                mmu.access(0, VA, false).unwrap();
                pte.store(make_pte(PFN, PT_USER | PT_REF));
                mmu.hat_tlb_inval(Demap::Va(VA));
            },
            &[],
        );
        assert_passes(&o);
    }

    #[test]
    fn larger_tables_and_caches_evict_and_refill() {
        let o = once(
            || {
                let cfg = MmuConfig {
                    entry_bits: 2,
                    tlb_entries: 2,
                    psc_entries: 2,
                    ..MmuConfig::default()
                };
                let mmu = Mmu::new(cfg);
                let top = mmu.table(mmu.top());
                let leaf = mmu.alloc_table(0);
                top.pte(0).cas(0, make_ptp(leaf));
                let t = mmu.table(leaf);
                for i in 0..4u64 {
                    t.pte(i as usize).cas(0, make_pte(0x100 + i, PT_USER));
                }
                for round in 0..2 {
                    for i in 0..4u64 {
                        assert_eq!(mmu.access(0, i << 12, false), Ok(0x100 + i), "{round}");
                    }
                }
                assert_eq!(mmu.access(0, 4 << 12, false), Err(Fault::NotPresent));
            },
            &[],
        );
        assert_passes(&o);
    }

    // ---- TLB coherence (MMU-COHERENCE), an outcome check ------------------

    /// A translation left cached after its PTE was cleared without a
    /// shootdown, with no operation live: the end of the execution (the
    /// machine dropped) reports it.
    #[test]
    fn stale_leaf_at_the_end_is_incoherent() {
        let o = once(
            || {
                let (mmu, leaf) = mapped(MmuConfig::default(), PT_WRITABLE | PT_USER);
                mmu.access(0, VA, false).unwrap();
                let pte = mmu.table(leaf);
                let pte = pte.pte(mmu.va2entry(VA, 0));
                pte.cas(pte.load(), 0);
            },
            &[],
        );
        let m = only(&o, MMU_COHERENCE);
        assert!(m.starts_with("at the end of the execution"), "{m}");
        assert!(m.contains("the entry is now 0x0 (not valid)"), "{m}");
    }

    /// While an operation on the address is live the caches may disagree;
    /// when it ends without a shootdown, they may not.
    #[test]
    fn operation_end_checks_its_range() {
        let o = once(
            || {
                let (mmu, leaf) = mapped(MmuConfig::default(), PT_WRITABLE | PT_USER);
                mmu.access(0, VA, true).unwrap();
                let t = mmu.table(leaf);
                let pte = t.pte(mmu.va2entry(VA, 0));
                let outer = mmu.operation(VA, 0x1000, "outer");
                {
                    // Write-protect: the writable translation is stale.
                    let _inner = mmu.operation(0, 0x1000, "another page");
                    pte.cas(pte.load(), make_pte(PFN, PT_USER));
                }
                // Still inside `outer`: no report yet.
                drop(outer);
            },
            &[],
        );
        let m = only(&o, MMU_COHERENCE);
        assert!(m.starts_with("when outer by thread 0 ended"), "{m}");
        assert!(m.contains("the entry now grants less"), "{m}");
    }

    /// An invalidation with shootdown that returns while a CPU still
    /// translates through the entry it replaced is reported when it ends,
    /// even while another operation covers the address.
    #[test]
    fn invalidated_entry_still_cached_is_incoherent() {
        let o = once(
            || {
                let (mmu, leaf) = mapped(MmuConfig::default(), PT_WRITABLE | PT_USER);
                mmu.access(0, VA, false).unwrap();
                let t = mmu.table(leaf);
                let e = mmu.va2entry(VA, 0);
                let _other = mmu.operation(0, 0x4000, "other");
                let mut op = mmu.operation(VA, 0x1000, "inval");
                let old = t.pte(e).swap(0);
                op.invalidated(leaf, e as u32, old);
            },
            &[],
        );
        let m = only(&o, MMU_COHERENCE);
        assert!(m.starts_with("inval by thread 0 replaced"), "{m}");
    }

    /// A paging-structure entry for a table that is no longer linked
    /// there (relinked at another index) is incoherent, and a shootdown
    /// of the address makes the caches coherent again.
    #[test]
    fn link_to_a_relinked_table_is_incoherent_until_shot_down() {
        let ok = once(
            || {
                let (mmu, leaf) = mapped(MmuConfig::default(), PT_WRITABLE | PT_USER);
                mmu.access(0, VA, false).unwrap();
                let top = mmu.table(mmu.top());
                let op = mmu.operation(0, 0x4000, "relink");
                top.pte(mmu.va2entry(VA, 1)).cas(make_ptp(leaf), 0);
                mmu.hat_tlb_inval(Demap::Va(VA));
                top.pte(mmu.va2entry(0x2000, 1)).cas(0, make_ptp(leaf));
                drop(op);
            },
            &[],
        );
        assert_passes(&ok);
        let o = once(
            || {
                let (mmu, leaf) = mapped(MmuConfig::default(), PT_WRITABLE | PT_USER);
                mmu.access(0, VA, false).unwrap();
                let top = mmu.table(mmu.top());
                let op = mmu.operation(0, 0x4000, "relink");
                top.pte(mmu.va2entry(VA, 1)).cas(make_ptp(leaf), 0);
                top.pte(mmu.va2entry(0x2000, 1)).cas(0, make_ptp(leaf));
                drop(op);
            },
            &[],
        );
        let m = only(&o, MMU_COHERENCE);
        assert!(m.contains("is no longer linked there"), "{m}");
    }
}

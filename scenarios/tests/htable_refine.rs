//! htable against a sequential reference model, and generated concurrent
//! programs under PCT.
//!
//! The reference is an address space as a map from virtual page to
//! (page, writable). A quickcheck property runs random sequential programs
//! (map, unmap, reap, page unload, write-protect, CPU accesses) on the
//! port and on the reference, and after every step compares what the page
//! tables translate (`htable_getpte`) and what a CPU access returns. A
//! second property runs random two-thread programs with a CPU actor under
//! PCT and asserts that every check holds.

use harness::{run, Expect, RunSpec, Scenario, Sched};
use model::machine::pte::{pte_pfn, pte_valid, PT_WRITABLE};
use model::machine::MmuConfig;
use model::sync::spawn;
use quickcheck::{Arbitrary, Gen, QuickCheck};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use subsys::htable::{Config, HatId, PageId, World, LOCK_ORDER, MMU_PAGESIZE as PAGESIZE};

/// Virtual pages of the modelled space (two levels of two entries).
const VPAGES: u8 = 4;
const PAGES: u8 = 2;

#[derive(Clone, Copy, Debug)]
enum Op {
    /// `hat_memload` of `page` at virtual page `va`.
    Map { va: u8, page: u8, writable: bool },
    /// `hat_unload` of one page.
    Unmap { va: u8 },
    /// `htable_reap`.
    Reap,
    /// `hat_pageunload`.
    PageUnload { page: u8 },
    /// `hati_page_clrwrt`.
    ClrWrt { page: u8 },
    /// CPU 0 reads or writes.
    Access { va: u8, write: bool },
}

impl Arbitrary for Op {
    fn arbitrary(g: &mut Gen) -> Self {
        let va = u8::arbitrary(g) % VPAGES;
        let page = u8::arbitrary(g) % PAGES;
        match u8::arbitrary(g) % 6 {
            0 | 1 => Op::Map {
                va,
                page,
                writable: bool::arbitrary(g),
            },
            2 => Op::Unmap { va },
            3 => Op::Reap,
            4 => match bool::arbitrary(g) {
                true => Op::PageUnload { page },
                false => Op::ClrWrt { page },
            },
            _ => Op::Access {
                va,
                write: bool::arbitrary(g),
            },
        }
    }
}

fn va(v: u8) -> u64 {
    u64::from(v) << 12
}

fn world() -> (Arc<World>, HatId) {
    let w = World::new(Config {
        htables: 8,
        pages: u32::from(PAGES),
        ptables: 5,
        mmu: MmuConfig {
            tables: 6,
            ..Default::default()
        },
        ..Config::default()
    });
    let hat = w.hat_alloc(true);
    (w, hat)
}

/// The reference: virtual page -> (page, writable).
type Space = BTreeMap<u8, (u8, bool)>;

/// The program the scenario bodies run (a `fn()` takes no arguments);
/// tests run in parallel, so one program runs at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
static SEQUENTIAL: Mutex<Vec<Op>> = Mutex::new(Vec::new());

/// What the page tables translate `v` to: (pfn, writable).
fn translation(w: &World, hat: HatId, v: u8) -> Option<(u64, bool)> {
    let (ht, _, pte) = w.htable_getpte(hat, va(v), 0)?;
    w.htable_release(Some(ht));
    pte_valid(pte).then(|| (pte_pfn(pte), pte & PT_WRITABLE != 0))
}

fn sequential_body() {
    let ops = SEQUENTIAL.lock().unwrap().clone();
    let (w, hat) = world();
    let mut space = Space::new();
    for (i, op) in ops.iter().enumerate() {
        match *op {
            Op::Map {
                va: v,
                page,
                writable,
            } => {
                // The VM layer never remaps a mapped address to another
                // page without unloading it first.
                if space.get(&v).is_some_and(|m| m.0 != page) {
                    continue;
                }
                w.hat_memload(hat, va(v), PageId(page.into()), writable, 0);
                space.insert(v, (page, writable));
            }
            Op::Unmap { va: v } => {
                w.hat_unload(hat, va(v), PAGESIZE, 0);
                space.remove(&v);
            }
            Op::Reap => {
                // Every leaf table is idle and unlocked: all are stolen.
                w.htable_reap();
                space.clear();
            }
            Op::PageUnload { page } => {
                w.hat_pageunload(PageId(page.into()));
                space.retain(|_, m| m.0 != page);
            }
            Op::ClrWrt { page } => {
                w.hati_page_clrwrt(PageId(page.into()));
                space
                    .values_mut()
                    .filter(|m| m.0 == page)
                    .for_each(|m| m.1 = false);
            }
            Op::Access { va: v, write } => {
                let got = w.cpu_access(0, va(v), write).ok();
                let want = space
                    .get(&v)
                    .filter(|m| !write || m.1)
                    .map(|m| PageId(m.0.into()).pfn());
                assert_eq!(got, want, "step {i} {op:?}: access after {ops:?}");
            }
        }
        for v in 0..VPAGES {
            let want = space.get(&v).map(|m| (PageId(m.0.into()).pfn(), m.1));
            assert_eq!(
                translation(&w, hat, v),
                want,
                "step {i} {op:?}: translation of {:#x} after {ops:?}",
                va(v)
            );
        }
    }
    w.check_quiescent();
}

const SEQUENTIAL_SCENARIO: Scenario = Scenario {
    id: "htable/refine-sequential",
    summary: "a generated sequential program against the reference address space",
    threads: 1,
    loom_bound: None,
    pct_depth: 1,
    expect: Expect::Pass,
    mutants: &[],
    orders: &[&LOCK_ORDER],
    params: &[],
    body: sequential_body,
};

/// Runs `ops` on the port and the reference; returns the violations.
fn sequential(ops: Vec<Op>, mutant: Option<&str>) -> Vec<&'static str> {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    *SEQUENTIAL.lock().unwrap() = ops;
    let mut spec = RunSpec::new(&SEQUENTIAL_SCENARIO, Sched::Dfs { max: Some(1) });
    spec.mutant = mutant.map(String::from);
    let o = run(&spec);
    if let Some(f) = o.found.first() {
        eprintln!("{}", f.captured.violation);
    }
    o.checks()
}

#[test]
fn sequential_programs_refine_the_reference() {
    fn prop(ops: Vec<Op>) -> bool {
        sequential(ops.into_iter().take(12).collect(), None).is_empty()
    }
    QuickCheck::new()
        .tests(300)
        .quickcheck(prop as fn(Vec<Op>) -> bool);
}

/// The reference comparison itself fails on a port that loses a
/// write-protection: `hati_page_clrwrt` skipping its shootdown leaves a
/// writable translation (H5 fires first; without the point check the
/// CPU's write would succeed where the reference faults).
#[test]
fn the_sequential_property_can_fail() {
    let ops = vec![
        Op::Map {
            va: 0,
            page: 0,
            writable: true,
        },
        Op::Access {
            va: 0,
            write: false,
        },
        Op::ClrWrt { page: 0 },
        Op::Access { va: 0, write: true },
    ];
    assert!(sequential(ops.clone(), None).is_empty());
    assert_eq!(
        sequential(ops, Some("update-no-inval")),
        vec![subsys::htable::HTABLE_H5]
    );
}

/// Two software threads and a CPU actor; each virtual page always maps the
/// same page, so that no interleaving remaps an address to another page.
#[derive(Clone, Debug)]
struct Concurrent {
    a: Vec<Op>,
    b: Vec<Op>,
    cpu: Vec<(u8, bool)>,
}

impl Arbitrary for Concurrent {
    fn arbitrary(g: &mut Gen) -> Self {
        let fixed = |op: Op| match op {
            Op::Map { va, writable, .. } => Op::Map {
                va,
                page: va % PAGES,
                writable,
            },
            Op::Access { .. } => Op::Reap,
            op => op,
        };
        let ops = |g: &mut Gen| -> Vec<Op> {
            (0..1 + usize::arbitrary(g) % 3)
                .map(|_| fixed(Op::arbitrary(g)))
                .collect()
        };
        Concurrent {
            a: ops(g),
            b: ops(g),
            cpu: (0..usize::arbitrary(g) % 3)
                .map(|_| (u8::arbitrary(g) % VPAGES, bool::arbitrary(g)))
                .collect(),
        }
    }

    fn shrink(&self) -> Box<dyn Iterator<Item = Self>> {
        let me = self.clone();
        let a = self.a.clone().shrink().map({
            let me = me.clone();
            move |a| Concurrent { a, ..me.clone() }
        });
        let b = self.b.clone().shrink().map({
            let me = me.clone();
            move |b| Concurrent { b, ..me.clone() }
        });
        let c = self
            .cpu
            .clone()
            .shrink()
            .map(move |cpu| Concurrent { cpu, ..me.clone() });
        Box::new(a.chain(b).chain(c))
    }
}

static CONCURRENT: Mutex<Option<Concurrent>> = Mutex::new(None);

fn apply(w: &World, hat: HatId, op: Op) {
    match op {
        Op::Map {
            va: v,
            page,
            writable,
        } => w.hat_memload(hat, va(v), PageId(page.into()), writable, 0),
        Op::Unmap { va: v } => w.hat_unload(hat, va(v), PAGESIZE, 0),
        Op::Reap => w.htable_reap(),
        Op::PageUnload { page } => w.hat_pageunload(PageId(page.into())),
        Op::ClrWrt { page } => w.hati_page_clrwrt(PageId(page.into())),
        Op::Access { va: v, write } => {
            let _ = w.cpu_access(0, va(v), write);
        }
    }
}

fn concurrent_body() {
    let p = CONCURRENT.lock().unwrap().clone().expect("a program");
    let (w, hat) = world();
    w.hat_memload(hat, 0, PageId(0), true, 0);
    let threads: Vec<_> = [p.a.clone(), p.b.clone()]
        .into_iter()
        .map(|ops| {
            let w = w.clone();
            spawn("ops", move || {
                ops.into_iter().for_each(|op| apply(&w, hat, op))
            })
        })
        .collect();
    let wc = w.clone();
    let cpu = spawn("cpu0", move || {
        for (v, write) in p.cpu {
            let _ = wc.cpu_access(0, va(v), write);
        }
    });
    for t in threads {
        t.join();
    }
    cpu.join();
    w.check_quiescent();
    // Tear the address space down as exit does.
    w.cpus_leave();
    w.hat_free_start(hat);
    w.hat_unload(hat, 0, va(VPAGES), 0);
    w.hat_free_end(hat);
    w.check_quiescent();
}

const CONCURRENT_SCENARIO: Scenario = Scenario {
    id: "htable/generated",
    summary: "a generated two-thread program with a CPU actor",
    threads: 4,
    loom_bound: None,
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[],
    orders: &[&LOCK_ORDER],
    params: &[],
    body: concurrent_body,
};

/// Runs program `p` under PCT; returns the violations.
fn concurrent(p: Concurrent, mutant: Option<&str>) -> Vec<&'static str> {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    *CONCURRENT.lock().unwrap() = Some(p);
    let mut spec = RunSpec::new(
        &CONCURRENT_SCENARIO,
        Sched::Pct {
            depth: 3,
            iterations: 200,
            seed: 7,
        },
    );
    spec.mutant = mutant.map(String::from);
    let o = run(&spec);
    if let Some(f) = o.found.first() {
        eprintln!("{}", f.captured.violation);
    }
    o.checks()
}

#[test]
fn generated_concurrent_programs_hold_every_check() {
    fn prop(p: Concurrent) -> bool {
        concurrent(p, None).is_empty()
    }
    QuickCheck::new()
        .tests(60)
        .quickcheck(prop as fn(Concurrent) -> bool);
}

/// A stealer racing a mapper in a generated program is caught when the
/// stealer's re-check is gone.
#[test]
fn the_concurrent_property_can_fail() {
    let p = Concurrent {
        a: vec![Op::Map {
            va: 1,
            page: 1,
            writable: true,
        }],
        b: vec![Op::Reap],
        cpu: vec![],
    };
    assert!(concurrent(p.clone(), None).is_empty());
    assert!(concurrent(p, Some("steal-no-recheck")).contains(&subsys::htable::HTABLE_H2));
}

//! `arbitrary`-generated multi-thread pvn programs under PCT: per thread,
//! walks with every flag combination, single-page putpages, CPU reads and
//! writes through the mappings (faulting pages in), read-ahead creating
//! pages, truncation destroying them, `pvn_vplist_setdirty`, mlock and
//! munlock; the file has 2 or 3 pages, `VMODSORT` or not, memory plenty or
//! low, some pages whose writes fail, klusters of 1 or 2 pages, and
//! asynchronous writes complete on the I/O actor. With every fix on, every
//! invariant holds.

use arbitrary::{Arbitrary, Unstructured};
use harness::{Expect, Scenario};
use model::sync::spawn;
use std::sync::Mutex;
use subsys::pvn::{
    Fixes, Memory, Pvn, PvnConfig, B_ASYNC, B_DONTNEED, B_FREE, B_INVAL, B_TRUNC,
    CK_REFMOD_UNLOADS, LOCK_ORDER, MODSORT_EXIT, PAGE_LOCK_DROPS, PASSES_CREATED,
    WRITE_ERROR_REDIRTIES,
};
use subsys::vm::param::PAGESIZE;

#[derive(Arbitrary, Clone, Debug)]
struct RawProgram {
    threads: u8,
    shape: u8,
    failing: u8,
    ops: Vec<Vec<(u8, u8, u8)>>,
}

const FLAGS: [u32; 8] = [
    0,
    B_ASYNC,
    B_INVAL,
    B_FREE,
    B_ASYNC | B_FREE,
    B_ASYNC | B_INVAL,
    B_FREE | B_DONTNEED,
    B_ASYNC | B_FREE | B_DONTNEED,
];

#[derive(Clone, Copy, Debug)]
enum Op {
    Walk(u64, u32),
    Putpage(u64, u32),
    Access(usize, u64, bool),
    ReadAhead(u64),
    Truncate(u64),
    Setdirty(u64),
    Mlock(u64),
}

#[derive(Clone, Debug)]
struct Program {
    cfg: PvnConfig,
    threads: Vec<Vec<Op>>,
}

impl From<RawProgram> for Program {
    fn from(r: RawProgram) -> Self {
        let mut cfg = PvnConfig::new(2 + u32::from(r.shape % 2));
        cfg.modsort = r.shape & 2 != 0;
        cfg.memory = if r.shape & 4 != 0 {
            Memory::Low
        } else {
            Memory::Plenty
        };
        cfg.kluster = 1 + u32::from(r.shape >> 3 & 1);
        cfg.failing = u64::from(r.failing % 8) & if r.shape & 16 != 0 { 7 } else { 0 };
        cfg.cpus = 2;
        cfg.io_actor = true;
        cfg.fixes = Fixes::ALL;
        let pages = u64::from(cfg.npages);
        let n = usize::from(r.threads % 2) + 2;
        let mut threads: Vec<Vec<Op>> = (0..n)
            .map(|t| {
                let ops = r.ops.get(t).cloned().unwrap_or_default();
                let mut v: Vec<Op> = ops
                    .iter()
                    .take(3)
                    .map(|&(k, a, b)| {
                        let p = u64::from(a) % pages;
                        let flags = FLAGS[usize::from(b) % FLAGS.len()];
                        match k % 10 {
                            0 | 1 => Op::Walk(u64::from(b >> 4) % pages, flags),
                            2 => Op::Putpage(p, flags),
                            3 | 4 => Op::Access(t % 2, p, b & 1 != 0),
                            5 => Op::ReadAhead(p),
                            6 => Op::Truncate(p),
                            7 => Op::Setdirty(p),
                            _ => Op::Mlock(p),
                        }
                    })
                    .collect();
                if v.is_empty() {
                    v.push(Op::Walk(0, 0));
                }
                v
            })
            .collect();
        // Truncating a page locked in memory is the file system's bug,
        // not pvn's (page_free panics): a program does one or the other.
        if threads.iter().flatten().any(|o| matches!(o, Op::Mlock(_))) {
            for t in &mut threads {
                t.retain(|o| !matches!(o, Op::Truncate(_)));
                if t.is_empty() {
                    t.push(Op::Walk(0, 0));
                }
            }
        }
        Program { cfg, threads }
    }
}

static PROGRAM: Mutex<Option<Program>> = Mutex::new(None);

fn body() {
    let p = PROGRAM.lock().unwrap().clone().expect("no program");
    let pvn = Pvn::new(p.cfg);
    // Every page but the last in memory and written; the last is created
    // by a program's fault or read-ahead, if at all.
    for n in 0..u64::from(p.cfg.npages) - 1 {
        pvn.populate(n * PAGESIZE);
        pvn.cpu_access(0, n * PAGESIZE, true);
    }
    let handles: Vec<_> = p
        .threads
        .into_iter()
        .map(|ops| {
            let pvn = pvn.clone();
            spawn("program", move || {
                let mut locked = Vec::new();
                for op in ops {
                    match op {
                        Op::Walk(from, flags) => {
                            pvn.pvn_vplist_dirty(from * PAGESIZE, flags);
                        }
                        Op::Putpage(n, flags) => {
                            pvn.putpage(n * PAGESIZE, flags);
                        }
                        Op::Access(cpu, n, write) => {
                            pvn.cpu_access(cpu, n * PAGESIZE, write);
                        }
                        Op::ReadAhead(n) => pvn.read_ahead(n * PAGESIZE, 1),
                        Op::Truncate(n) => {
                            pvn.putpage(n * PAGESIZE, B_INVAL | B_TRUNC);
                        }
                        Op::Setdirty(n) => pvn.pvn_vplist_setdirty(|o| o == n * PAGESIZE),
                        Op::Mlock(n) => {
                            if pvn.mlock(n * PAGESIZE, false) {
                                locked.push(n);
                            }
                        }
                    }
                }
                for n in locked {
                    pvn.munlock(n * PAGESIZE, false);
                }
            })
        })
        .collect();
    for h in handles {
        h.join();
    }
    pvn.finish();
}

static PROGRAMS: Scenario = Scenario {
    id: "pvn/generated",
    summary: "an arbitrary-generated program",
    threads: 5,
    loom_bound: None,
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[],
    orders: &[&LOCK_ORDER],
    params: &[],
    body,
};

#[test]
fn generated_programs_pass_under_pct() {
    harness::testing::assert_generated_programs(
        &PROGRAMS,
        40,
        |bytes| {
            let raw = RawProgram::arbitrary(&mut Unstructured::new(bytes)).unwrap();
            let p = Program::from(raw);
            *PROGRAM.lock().unwrap() = Some(p.clone());
            format!("{p:?}")
        },
        &[
            PAGE_LOCK_DROPS,
            PASSES_CREATED,
            CK_REFMOD_UNLOADS,
            WRITE_ERROR_REDIRTIES,
            MODSORT_EXIT,
        ],
    );
}

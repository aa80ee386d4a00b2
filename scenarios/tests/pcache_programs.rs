//! `arbitrary`-generated multi-thread pcache programs under PCT: per
//! thread, pagelock/pageunlock pairs over a few ranges of a segment or an
//! anon map (read or write, of several lengths, so duplicates arise), a
//! wired list held across the thread's other operations, `seg_ppurge`,
//! unforced and forced async purges, `seg_p_disable`/`seg_p_enable`,
//! `seg_ppurge_wiredpp`; cache sizes vary (1 or 2 buckets, window 2-8,
//! memory plenty or low). With every fix on, every invariant holds.

use arbitrary::{Arbitrary, Unstructured};
use harness::{Expect, Scenario};
use model::sync::spawn;
use std::sync::{Arc, Mutex};
use subsys::pcache::{
    Fixes, Memory, Pcache, PcacheConfig, Request, ASYNC_CLAIMS, CHECKDUP_DROPS, DISABLE_EMPTIES,
    INACTIVE_DUP, LOCK_ORDER,
};

#[derive(Arbitrary, Clone, Debug)]
struct RawProgram {
    threads: u8,
    two_buckets: bool,
    window: u8,
    low_memory: bool,
    ops: Vec<Vec<(u8, u8, u8)>>,
}

#[derive(Clone, Copy, Debug)]
enum Op {
    /// pagelock + pageunlock of (amp?, addr, len, write).
    Lock(bool, u64, u64, bool),
    /// A wired list locked now and unlocked at the thread's end.
    Wired,
    Purge(bool),
    Async(bool),
    Disable,
    WiredPp,
}

#[derive(Clone, Debug)]
struct Program {
    cfg: PcacheConfig,
    threads: Vec<Vec<Op>>,
}

impl From<RawProgram> for Program {
    fn from(r: RawProgram) -> Self {
        let mut cfg = PcacheConfig::tiny();
        cfg.hash_win = if r.two_buckets { 2 } else { 1 };
        cfg.max_window = 2 + u64::from(r.window % 7);
        cfg.memory = if r.low_memory {
            Memory::Low
        } else {
            Memory::Plenty
        };
        cfg.fixes = Fixes::ALL;
        cfg.entries = 16;
        let n = usize::from(r.threads % 2) + 2;
        let threads = (0..n)
            .map(|t| {
                let ops = r.ops.get(t).cloned().unwrap_or_default();
                let mut v: Vec<Op> = ops
                    .iter()
                    .take(3)
                    .map(|&(k, a, b)| match k % 10 {
                        0..=4 => Op::Lock(
                            a & 1 != 0,
                            u64::from(a >> 1) % 3,
                            1 + u64::from(b % 2),
                            b & 2 != 0,
                        ),
                        5 => Op::Wired,
                        6 => Op::Purge(a & 1 != 0),
                        7 => Op::Async(a & 1 != 0),
                        8 => Op::Disable,
                        _ => Op::WiredPp,
                    })
                    .collect();
                if v.is_empty() {
                    v.push(Op::Lock(false, t as u64, 1, false));
                }
                v
            })
            .collect();
        Program { cfg, threads }
    }
}

static PROGRAM: Mutex<Option<Program>> = Mutex::new(None);

fn body() {
    let p = PROGRAM.lock().unwrap().clone().expect("no program");
    let pc = Arc::new(Pcache::new(p.cfg));
    let seg = pc.seg_alloc(false);
    let amp = pc.seg_alloc(true);
    let handles: Vec<_> = p
        .threads
        .into_iter()
        .map(|ops| {
            let pc = pc.clone();
            spawn("program", move || {
                let mut wired = Vec::new();
                for op in ops {
                    match op {
                        Op::Lock(use_amp, addr, len, write) => {
                            let mut r = Request::new(seg, addr, len);
                            r.amp = use_amp.then_some(amp);
                            r.write = write;
                            let l = pc.pagelock(r);
                            pc.pageunlock(l);
                        }
                        Op::Wired => {
                            let mut r = Request::new(seg, 0, 2);
                            r.wired = true;
                            wired.push(pc.pagelock(r));
                        }
                        Op::Purge(use_amp) => pc.seg_ppurge(seg, use_amp.then_some(amp), false),
                        Op::Async(force) => pc.seg_ppurge_async(force),
                        Op::Disable => {
                            pc.seg_p_disable();
                            pc.seg_p_enable();
                        }
                        Op::WiredPp => {
                            if let Some(l) = wired.first() {
                                pc.seg_ppurge_wiredpp(l.pp);
                            }
                        }
                    }
                }
                for l in wired {
                    pc.pageunlock(l);
                }
            })
        })
        .collect();
    for h in handles {
        h.join();
    }
    pc.check_quiescent();
    pc.seg_unmap(seg, Some(amp), false);
    pc.seg_ppurge(seg, None, true);
    pc.seg_unmap(seg, None, false);
    pc.check_quiescent();
}

static PROGRAMS: Scenario = Scenario {
    id: "pcache/generated",
    summary: "an arbitrary-generated program",
    threads: 4,
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
        &[CHECKDUP_DROPS, INACTIVE_DUP, ASYNC_CLAIMS, DISABLE_EMPTIES],
    );
}

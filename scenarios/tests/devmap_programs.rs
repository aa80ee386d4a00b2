//! `arbitrary`-generated multi-thread devmap programs under PCT: per
//! thread, F_SOFTLOCK/F_SOFTUNLOCK pairs and F_INVALs through the shared
//! softlock (processes 0 and 1 under `devmap_default_access`), faults
//! and remaps of a remappable page (process 2), CPU loads, signals to
//! another thread; every fix on, every invariant holds, and at the end
//! every process unmaps.

use arbitrary::{Arbitrary, Unstructured};
use harness::{Expect, Scenario};
use model::sync::{post_signal, spawn};
use std::sync::{Arc, Mutex};
use subsys::devmap::{
    Access, Devmap, DevmapConfig, FaultType, Fixes, HandleSpec, SegRw, SegSpec, EXIT_WAKES,
    INVAL_WAITS, LOCK_ORDER, REMAP_UNLOADS, SOFTLOCK_WAITS,
};
use subsys::vm::hat::DEVICE_PFN_BASE;
use subsys::vm::kmap::KHat;
use subsys::vm::page::Pages;

#[derive(Arbitrary, Clone, Debug)]
struct RawProgram {
    threads: u8,
    ops: Vec<Vec<(u8, u8)>>,
}

#[derive(Clone, Copy, Debug)]
enum Op {
    /// F_SOFTLOCK then F_SOFTUNLOCK of process `p` (0 or 1).
    Lock(usize),
    /// F_INVAL of process `p` (0..3).
    Inval(usize),
    /// Remap of process 2's page to frame `n`.
    Remap(u64),
    /// A load by CPU `c` of process `p`'s page.
    Access(usize, usize),
    /// A signal to the first thread.
    Signal,
}

#[derive(Clone, Debug)]
struct Program {
    threads: Vec<Vec<Op>>,
}

impl From<RawProgram> for Program {
    fn from(r: RawProgram) -> Self {
        let n = usize::from(r.threads % 2) + 2;
        let threads = (0..n)
            .map(|t| {
                let ops = r.ops.get(t).cloned().unwrap_or_default();
                let mut v: Vec<Op> = ops
                    .iter()
                    .take(3)
                    .map(|&(k, a)| match k % 9 {
                        0..=2 => Op::Lock(usize::from(a & 1)),
                        3..=5 => Op::Inval(usize::from(a % 3)),
                        6 => Op::Remap(u64::from(a % 2)),
                        7 => Op::Access(usize::from(a & 1), usize::from(a >> 1) % 3),
                        _ => Op::Signal,
                    })
                    .collect();
                if v.is_empty() {
                    v.push(Op::Lock(t % 2));
                }
                v
            })
            .collect();
        Program { threads }
    }
}

static PROGRAM: Mutex<Option<Program>> = Mutex::new(None);

fn body() {
    let p = PROGRAM.lock().unwrap().clone().expect("no program");
    let hat = KHat::new(3, 2, Arc::new(Pages::frames(0)));
    let dm = Devmap::new(
        DevmapConfig {
            fixes: Fixes::ALL,
            ..DevmapConfig::default()
        },
        Arc::new(hat),
    );
    for n in 0..2 {
        dm.map(&SegSpec::new(vec![HandleSpec {
            access: Some(Access::Default),
            ..HandleSpec::devmem(1, DEVICE_PFN_BASE + 0x10 * n)
        }]));
    }
    dm.map(&SegSpec::new(vec![HandleSpec {
        remap: true,
        ..HandleSpec::devmem(1, DEVICE_PFN_BASE + 0x40)
    }]));
    let first = Arc::new(Mutex::new(None));
    let handles: Vec<_> = p
        .threads
        .into_iter()
        .map(|ops| {
            let (dm, first) = (dm.clone(), first.clone());
            spawn("program", move || {
                for op in ops {
                    match op {
                        Op::Lock(p) => {
                            if dm
                                .as_fault(p, 0, 1, FaultType::SoftLock, SegRw::Read)
                                .is_ok()
                            {
                                let _ = dm.as_fault(p, 0, 1, FaultType::SoftUnlock, SegRw::Read);
                            }
                        }
                        Op::Inval(p) => {
                            let _ = dm.as_fault(p, 0, 1, FaultType::Inval, SegRw::Read);
                        }
                        Op::Remap(n) => {
                            dm.devmap_devmem_remap(2, 0, Some(DEVICE_PFN_BASE + 0x40 + 8 * n));
                        }
                        Op::Access(c, p) => {
                            let _ = dm.access(c, p, 0, false);
                        }
                        Op::Signal => {
                            if let Some(t) = *first.lock().unwrap() {
                                post_signal(t);
                            }
                        }
                    }
                }
            })
        })
        .collect();
    *first.lock().unwrap() = handles.first().map(|h| h.tid());
    for h in handles {
        h.join();
    }
    dm.check_quiescent();
    for p in 0..3 {
        dm.as_unmap(p);
    }
    dm.check_quiescent();
}

static PROGRAMS: Scenario = Scenario {
    id: "devmap/generated",
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
        &[SOFTLOCK_WAITS, INVAL_WAITS, EXIT_WAKES, REMAP_UNLOADS],
    );
}

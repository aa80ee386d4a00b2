//! Random single-thread pvn programs refine the sequential reference
//! model (`scenarios::pvn::sequential`): every walk and putpage returns
//! what the model predicts, and after every step each page of the file is
//! in memory, free, modified, mapped and written back as often as the
//! model says; every invariant holds at the end. Runs outside any explorer
//! (one real thread, no I/O actor: asynchronous writes complete at once).

use quickcheck::{QuickCheck, TestResult};
use scenarios::pvn::sequential::{refine, SeqOp};
use subsys::pvn::{Memory, Pvn, PvnConfig, B_ASYNC, B_FREE, B_INVAL};

const WALK_FLAGS: [u32; 5] = [0, B_ASYNC, B_INVAL, B_FREE, B_ASYNC | B_FREE];
const PUTPAGE_FLAGS: [u32; 5] = [0, B_ASYNC, B_FREE, B_ASYNC | B_FREE, B_INVAL];

fn program(npages: usize, ops: &[(u8, u8, u8)]) -> Vec<SeqOp> {
    ops.iter()
        .map(|&(k, a, b)| {
            let p = usize::from(a) % npages;
            match k % 13 {
                0..=2 => SeqOp::Access(p, b & 1 != 0),
                3 | 4 => SeqOp::Walk(WALK_FLAGS[usize::from(b) % WALK_FLAGS.len()]),
                5 | 6 => SeqOp::Putpage(p, PUTPAGE_FLAGS[usize::from(b) % PUTPAGE_FLAGS.len()]),
                7 => SeqOp::ReadAhead(p),
                12 => SeqOp::Prefetch(p),
                8 => SeqOp::Mlock(p),
                9 => SeqOp::Munlock(p),
                10 => SeqOp::Setdirty(p),
                _ => SeqOp::Truncate(p),
            }
        })
        .collect()
}

fn refines(shape: u8, failing: u8, ops: Vec<(u8, u8, u8)>) -> TestResult {
    let mut cfg = PvnConfig::new(2 + u32::from(shape % 2));
    cfg.modsort = shape & 2 != 0;
    cfg.memory = if shape & 4 != 0 {
        Memory::Low
    } else {
        Memory::Plenty
    };
    cfg.failing = if shape & 8 != 0 {
        u64::from(failing % 4)
    } else {
        0
    };
    let pvn = Pvn::new(cfg);
    match refine(&pvn, &program(cfg.npages as usize, &ops)) {
        Ok(()) => {
            pvn.finish();
            TestResult::passed()
        }
        Err(e) => TestResult::error(format!("{cfg:?}: {e}")),
    }
}

#[test]
fn random_sequences_refine_the_model() {
    QuickCheck::new()
        .tests(1000)
        .quickcheck(refines as fn(u8, u8, Vec<(u8, u8, u8)>) -> TestResult);
}

//! Random single-thread pcache programs refine the sequential reference
//! model (`scenarios::pcache::sequential`): every pagelock hits or misses
//! as the model predicts, with the list it predicts, and after every step
//! the cached entries (newest first, with their active counts and
//! reference bits) and the accounting equal the model's; every invariant
//! holds at the end. Runs outside any explorer (one real thread).

use quickcheck::{QuickCheck, TestResult};
use scenarios::pcache::sequential::{refine, SeqOp};
use subsys::pcache::{Pcache, PcacheConfig};

fn program(ops: &[(u8, u8, u8)]) -> Vec<SeqOp> {
    ops.iter()
        .map(|&(k, a, b)| match k % 8 {
            0..=2 => SeqOp::Lock(a & 1 != 0, u64::from(a >> 1) % 3, 1 + u64::from(b % 3)),
            3 | 4 => SeqOp::Unlock(usize::from(a)),
            5 => SeqOp::Purge(a & 1 != 0),
            6 => SeqOp::Async(a & 1 != 0),
            _ => SeqOp::DisableOrEnable,
        })
        .collect()
}

fn refines(window: u8, ops: Vec<(u8, u8, u8)>) -> TestResult {
    let mut cfg = PcacheConfig::tiny();
    cfg.max_window = 2 + u64::from(window % 7);
    cfg.entries = 64;
    let pc = Pcache::new(cfg);
    match refine(&pc, cfg.max_window, &program(&ops)) {
        Ok(()) => {
            pc.check_quiescent();
            TestResult::passed()
        }
        Err(e) => TestResult::error(e),
    }
}

#[test]
fn random_sequences_refine_the_model() {
    QuickCheck::new()
        .tests(1000)
        .quickcheck(refines as fn(u8, Vec<(u8, u8, u8)>) -> TestResult);
}

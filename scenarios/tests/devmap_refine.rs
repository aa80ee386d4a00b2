//! Random single-thread devmap programs refine the sequential reference
//! model (`scenarios::devmap::sequential`): every fault succeeds or fails
//! as the model predicts, every CPU load reaches the frame it predicts
//! (or faults), and after every step the softlock count and
//! `softlockcnt` equal the model's; every invariant holds at the end.
//! Runs outside any explorer (one real thread).

use quickcheck::{QuickCheck, TestResult};
use scenarios::devmap::sequential::{refine, world, SeqOp};

fn program(ops: &[(u8, u8)]) -> Vec<SeqOp> {
    ops.iter()
        .map(|&(k, a)| match k % 7 {
            0 => SeqOp::SoftLock,
            1 => SeqOp::SoftUnlock,
            2 => SeqOp::Inval(usize::from(a & 1)),
            3 => SeqOp::SoftLockRemappable,
            4 => SeqOp::Remap(u64::from(a % 3)),
            _ => SeqOp::Access(usize::from(a & 1), usize::from((a >> 1) & 1)),
        })
        .collect()
}

fn refines(ops: Vec<(u8, u8)>) -> TestResult {
    let dm = world();
    match refine(&dm, &program(&ops)) {
        Ok(()) => {
            dm.check_quiescent();
            TestResult::passed()
        }
        Err(e) => TestResult::error(e),
    }
}

#[test]
fn random_sequences_refine_the_model() {
    QuickCheck::new()
        .tests(1000)
        .quickcheck(refines as fn(Vec<(u8, u8)>) -> TestResult);
}

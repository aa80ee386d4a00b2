//! Random single-thread programs refine the sequential reference model:
//! every getmap returns the slot `subsys::segmap::spec` predicts, and every
//! invariant holds at the end, with segkpm off and on (kpm read windows),
//! on one to four freelists of one or two colours.
//! Runs outside any explorer (one real thread).

use quickcheck::{QuickCheck, TestResult};
use scenarios::segmap::sequential::{refine, SeqOp};
use subsys::segmap::{PageUniverse, Segmap, SegmapConfig};

fn program(ops: &[(bool, u8, u8)]) -> Vec<SeqOp> {
    ops.iter()
        .map(|&(get, a, b)| {
            if get {
                SeqOp::Get(u64::from(a % 8))
            } else {
                SeqOp::Release(usize::from(a), usize::from(b))
            }
        })
        .collect()
}

fn refines(npages: u8, hashsz: bool, kpm: bool, lists: u8, ops: Vec<(bool, u8, u8)>) -> TestResult {
    let mut cfg = SegmapConfig::new(usize::from(npages % 4) + 1);
    cfg.hashsz = Some(if hashsz { 2 } else { 1 });
    // Freelists per colour, and colours: the walk and the rotors.
    (cfg.nfreelist, cfg.ncolor) = [(1, 1), (2, 1), (4, 1), (1, 2), (2, 2)][usize::from(lists % 5)];
    if kpm {
        // Keys 0..8 of vnode 1, each with its pages.
        cfg.kpm = true;
        cfg.pages = PageUniverse {
            vnodes: 1,
            blocks: 8,
            holes: 0,
        };
    }
    let sm = Segmap::create(cfg);
    match refine(&sm, &program(&ops)) {
        Ok(()) => {
            sm.check_quiescent();
            TestResult::passed()
        }
        Err(e) => TestResult::error(e),
    }
}

#[test]
fn random_sequences_refine_the_model() {
    QuickCheck::new()
        .tests(1000)
        .quickcheck(refines as fn(u8, bool, bool, u8, Vec<(bool, u8, u8)>) -> TestResult);
}

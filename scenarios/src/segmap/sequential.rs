//! One thread, a long sequence of getmaps and releases, each result
//! compared with the sequential reference model (`subsys::segmap::spec`).

use super::common::{key, segmap, BASE, VP};
use harness::{Mutant, Scenario};
use model::check::fail;
use subsys::segmap::spec::SegmapSpec;
use subsys::segmap::{
    Fixes, SegRw, Segmap, PAGESIZE, SEGMAP_SPEC, SM_ASYNC, SM_DESTROY, SM_DONTNEED, SM_FAULT,
    SM_FREE, SM_INVAL, SM_WRITE,
};

/// One step of a sequential program.
#[derive(Clone, Copy, Debug)]
pub enum SeqOp {
    /// `getmap` key `n` (skipped when every slot is held and `n` is not
    /// cached: one thread would sleep for ever).
    Get(u64),
    /// Release the `i % held`th window held, with `FLAGS[f % FLAGS.len()]`.
    Release(usize, usize),
}

/// The release flags a program may pass.
pub const FLAGS: &[u32] = &[
    0,
    SM_WRITE,
    SM_WRITE | SM_ASYNC,
    SM_FREE,
    SM_FREE | SM_DONTNEED,
    SM_DONTNEED,
    SM_INVAL,
    SM_DESTROY,
];

/// Runs `ops` on `sm` and on a fresh model of the same size; returns the
/// first step whose slot differs from the model's. Releases every window
/// still held at the end.
pub fn refine(sm: &Segmap, ops: &[SeqOp]) -> Result<(), String> {
    let mut spec = SegmapSpec::new(sm.npages(), sm.nfree(), sm.ncolor());
    let mut held: Vec<(u64, usize)> = Vec::new();
    for (step, op) in ops.iter().enumerate() {
        match *op {
            SeqOp::Get(n) => {
                let Some(want) = spec.getmap((VP.0, key(n))) else {
                    continue;
                };
                // With segkpm, a read window (kpm address of a locked page).
                let addr = if sm.kpm() {
                    sm.getmapflt(VP, key(n), PAGESIZE, SM_FAULT, SegRw::Read)
                } else {
                    sm.getmap(VP, key(n))
                };
                let got = sm.window_slot(addr);
                if got != want {
                    return Err(format!(
                        "step {step}: getmap(key {n}) returned slot {got}, the model slot {want}"
                    ));
                }
                held.push((addr, got));
            }
            SeqOp::Release(i, f) => {
                if held.is_empty() {
                    continue;
                }
                let (addr, slot) = held.remove(i % held.len());
                let flags = FLAGS[f % FLAGS.len()];
                sm.release(addr, flags);
                spec.release(slot, flags & (SM_INVAL | SM_DESTROY) != 0);
            }
        }
    }
    for (addr, _) in held {
        sm.release(addr, 0);
    }
    Ok(())
}

/// A fixed pseudo-random program over 6 keys and 3 slots (short enough
/// for loom's branch limit, which counts every atomic access).
fn program() -> Vec<SeqOp> {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    (0..100)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if x % 5 < 3 {
                SeqOp::Get(x % 6)
            } else {
                SeqOp::Release((x >> 8) as usize, (x >> 16) as usize)
            }
        })
        .collect()
}

fn body() {
    let sm = segmap(3, Fixes::default());
    if let Err(e) = refine(&sm, &program()) {
        fail(SEGMAP_SPEC, e);
    }
    sm.check_quiescent();
}

pub const SEQUENTIAL: Scenario = Scenario {
    id: "segmap/sequential",
    summary: "one thread, 100 getmaps and releases, each slot as the sequential model predicts",
    threads: 1,
    loom_bound: Some(1),
    pct_depth: 1,
    mutants: &[Mutant {
        name: subsys::segmap::mutants::SMAPADD_AT_HEAD,
        catches: SEGMAP_SPEC,
        summary: "a released slot goes to the head of the release queue, so the newest is reused first (seg_map.c:980-983)",
    }],
    body,
    ..BASE
};

//! `arbitrary`-generated multi-thread segmap programs (sizes, colours,
//! hash size, keys, release flags, fixes, segkpm off or on) under PCT:
//! every invariant and refinement check holds. Programs with every fix
//! on (`Fixes::ALL`) may have one slot per colour and two freelists per
//! colour, so threads wait for slots on any list; programs of the seed as
//! written stay clear of its findings: one freelist per colour (F3), and
//! enough slots per colour that no thread ever waits (F1, F2, F4).

use arbitrary::{Arbitrary, Unstructured};
use harness::{Expect, Scenario};
use model::sync::spawn;
use std::sync::{Arc, Mutex};
use subsys::segmap::windows::{COLOUR_WAKE, GET_NOFREE, KPM_LOCKPROTO, NEXT_FREELIST};
use subsys::segmap::{
    Fixes, PageUniverse, SegRw, Segmap, SegmapConfig, Vnode, LOCK_ORDER, MAXBSIZE, PAGESIZE,
    SM_FAULT, SM_LOCKPROTO,
};

#[derive(Arbitrary, Clone, Debug)]
struct RawProgram {
    threads: u8,
    slots_per_colour: u8,
    two_colours: bool,
    two_chains: bool,
    two_freelists: bool,
    fixed: bool,
    kpm: bool,
    ops: Vec<Vec<(u8, u8, u8)>>,
}

/// A normalized program: per thread, windows taken and released in turn.
#[derive(Clone, Debug)]
struct Program {
    npages: usize,
    ncolor: u32,
    /// Freelists per colour.
    nfreelist: u32,
    hashsz: usize,
    fixes: Fixes,
    /// segkpm on: windows are kpm read windows of the file's pages.
    kpm: bool,
    /// Per thread: (vnode, block, release flags, kpm getmap with
    /// SM_LOCKPROTO rather than SM_FAULT).
    threads: Vec<Vec<(u32, u64, u32, bool)>>,
}

const FLAGS: &[u32] = scenarios::segmap::sequential::FLAGS;

/// In kpm programs, block 4 of each file is a hole: an SM_LOCKPROTO
/// getmap of it falls back to segkmap (seg_map.c:1921-1931).
const HOLES: u64 = 1 << 4;

impl From<RawProgram> for Program {
    fn from(r: RawProgram) -> Self {
        let nthreads = usize::from(r.threads % 2) + 2;
        let ncolor = if r.two_colours { 2 } else { 1 };
        // Without the fixes, a colour needs a slot per thread so that
        // nobody waits (F1, F2, F4); with them, one slot per colour will do.
        let min = if r.fixed { 1 } else { nthreads };
        let per_colour = min + usize::from(r.slots_per_colour % 2);
        let threads = (0..nthreads)
            .map(|t| {
                let ops = r.ops.get(t).cloned().unwrap_or_default();
                let mut v: Vec<(u32, u64, u32, bool)> = ops
                    .iter()
                    .take(3)
                    .map(|&(vp, block, f)| {
                        (
                            u32::from(vp % 2) + 1,
                            u64::from(block % 5),
                            FLAGS[usize::from(f & 0x7f) % FLAGS.len()],
                            f & 0x80 != 0,
                        )
                    })
                    .collect();
                if v.is_empty() {
                    v.push((1, t as u64, 0, false));
                }
                v
            })
            .collect();
        Program {
            npages: per_colour * ncolor as usize,
            ncolor,
            hashsz: if r.two_chains { 2 } else { 1 },
            nfreelist: if r.fixed && r.two_freelists { 2 } else { 1 },
            fixes: if r.fixed {
                Fixes::ALL
            } else {
                Fixes::default()
            },
            kpm: r.kpm,
            threads,
        }
    }
}

/// The program the scenario body runs (scenario bodies take no argument).
static PROGRAM: Mutex<Option<Program>> = Mutex::new(None);

fn body() {
    let p = PROGRAM.lock().unwrap().clone().expect("no program");
    let mut cfg = SegmapConfig::new(p.npages);
    cfg.ncolor = p.ncolor;
    cfg.nfreelist = p.nfreelist;
    cfg.hashsz = Some(p.hashsz);
    cfg.fixes = p.fixes;
    if p.kpm {
        cfg.kpm = true;
        cfg.pages = PageUniverse {
            vnodes: 2,
            blocks: 5,
            holes: HOLES,
        };
    }
    let kpm = p.kpm;
    let sm = Arc::new(Segmap::create(cfg));
    let handles: Vec<_> = p
        .threads
        .into_iter()
        .map(|ops| {
            let sm = sm.clone();
            spawn("program", move || {
                for (vp, block, flags, lockproto) in ops {
                    let a = if kpm {
                        let off = block * MAXBSIZE;
                        let ff = if lockproto { SM_LOCKPROTO } else { SM_FAULT };
                        sm.getmapflt(Vnode(vp), off, PAGESIZE, ff, SegRw::Read)
                    } else {
                        sm.getmap(Vnode(vp), block * MAXBSIZE)
                    };
                    sm.release(a, flags);
                }
            })
        })
        .collect();
    for h in handles {
        h.join();
    }
    sm.check_quiescent();
}

static PROGRAMS: Scenario = Scenario {
    id: "segmap/generated",
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
    // The programs wait for slots, on more than one freelist of a colour
    // too, so they test the fixes' wakeups, not only the fast paths.
    harness::testing::assert_generated_programs(
        &PROGRAMS,
        120,
        |bytes| {
            let raw = RawProgram::arbitrary(&mut Unstructured::new(bytes)).unwrap();
            let p = Program::from(raw);
            *PROGRAM.lock().unwrap() = Some(p.clone());
            format!("{p:?}")
        },
        &[
            GET_NOFREE.point,
            NEXT_FREELIST.point,
            COLOUR_WAKE.point,
            KPM_LOCKPROTO.point,
        ],
    );
}

//! The window limit: two callers cache more than `seg_pmaxwindow` allows
//! between them (PCACHE-J8), one of them an anon map's.

use super::common::{finish, run_threads, Body, BASE};
use harness::{Mutant, Scenario};
use std::sync::Arc;
use subsys::pcache::{Pcache, PcacheConfig, Request, PCACHE_J8};

fn body() {
    let mut cfg = PcacheConfig::tiny();
    cfg.max_window = 2;
    let pc = Arc::new(Pcache::new(cfg));
    let seg = pc.seg_alloc(false);
    let amp = pc.seg_alloc(true);
    let bodies: Vec<(&str, Body)> = vec![
        (
            "seg",
            Box::new(move |pc: &Pcache| {
                let l = pc.pagelock(Request::new(seg, 0, 2));
                pc.pageunlock(l);
            }),
        ),
        (
            "amp",
            Box::new(move |pc: &Pcache| {
                let mut r = Request::new(seg, 4, 2);
                r.amp = Some(amp);
                let l = pc.pagelock(r);
                pc.pageunlock(l);
            }),
        ),
    ];
    run_threads(&pc, bodies);
    finish(&pc, &[(seg, None, false), (seg, Some(amp), false)]);
}

pub const WINDOW_FULL: Scenario = Scenario {
    id: "pcache/window-full",
    summary: "a segment and an anon map cache lists that together exceed seg_pmaxwindow",
    mutants: &[Mutant {
        name: subsys::pcache::mutants::WINDOW_UNCHECKED,
        catches: PCACHE_J8,
        summary:
            "seg_pinsert_check and seg_pinsert do not test the window limit (vm_seg.c:760, 833)",
    }],
    body,
    ..BASE
};

//! Pages locked in memory (`p_lckcnt`, `p_cowcnt`) against a page-out
//! that frees (vm_pvn.c:588-597, 464-470).

use super::common::BASE;
use super::common::{off, run_threads, walk, world, Body};
use harness::{Mutant, Scenario};
use subsys::pvn::{mutants, Pvn, PvnConfig, B_FREE, PVN_V4};

/// A page-out of the file (`B_FREE`): page 0 dirty, page 1 clean, both
/// mapped; meanwhile an mlock locks page 0 in memory and a copy-on-write
/// share pins page 1 (`p_cowcnt`). Locked pages are written but not
/// freed.
fn body() {
    let pvn = world(PvnConfig::new(2), &[0, 1], &[0]);
    let mlock: Body = Box::new(|pvn: &Pvn| {
        pvn.mlock(off(1), true);
        pvn.mlock(off(0), false);
    });
    run_threads(&pvn, vec![("pageout", walk(B_FREE)), ("mlock", mlock)]);
}

pub const MLOCK_VS_PAGEOUT: Scenario = Scenario {
    id: "pvn/mlock-vs-pageout",
    summary: "a B_FREE walk frees the file's pages while another thread locks them in memory",
    mutants: &[
        Mutant {
            name: mutants::GETDIRTY_NO_LCKCNT,
            catches: PVN_V4,
            summary: "pvn_getdirty frees a clean page locked in memory (vm_pvn.c:593-597)",
        },
        Mutant {
            name: mutants::WRITE_DONE_NO_LCKCNT,
            catches: PVN_V4,
            summary: "pvn_write_done frees a written page locked in memory during the write (vm_pvn.c:470)",
        },
        Mutant {
            name: mutants::GETDIRTY_FREE_WITHOUT_UNLOAD,
            catches: PVN_V4,
            summary: "pvn_getdirty only syncs REF/MOD for B_FREE (vm_pvn.c:630-631): a clean page is freed still mapped",
        },
    ],
    body,
    ..BASE
};

//! A walk meets a page under I/O: a synchronous walk waits for the I/O
//! lock (vm_pvn.c:617), an asynchronous one skips the page (611-615).

use super::common::BASE;
use super::common::{off, run_threads, walk, world, Body};
use harness::{Mutant, Scenario};
use model::check::SYNC_LOCKORDER;
use subsys::pvn::{mutants, Pvn, PvnConfig, B_ASYNC, B_FREE, PVN_V1, PVN_V5};

/// Page 0 is dirty; the page-out daemon starts its write asynchronously
/// and will free it (`VOP_PUTPAGE(B_ASYNC | B_FREE)`: the page held
/// exclusive until `pvn_getdirty` downgrades it; the I/O actor completes
/// the write) while a walk with `flags` runs over the file.
fn body(flags: u32) {
    let mut cfg = PvnConfig::new(1);
    cfg.io_actor = true;
    let pvn = world(cfg, &[0], &[0]);
    let pageout: Body = Box::new(|pvn: &Pvn| {
        pvn.putpage(off(0), B_ASYNC | B_FREE);
    });
    run_threads(&pvn, vec![("walk", walk(flags)), ("pageout", pageout)]);
}

fn sync_body() {
    body(0);
}

pub const IOLOCKED_SYNC: Scenario = Scenario {
    id: "pvn/walk-meets-io-sync",
    summary: "fsync meets a page whose asynchronous write is in flight: pvn_getdirty waits for its I/O lock",
    threads: 3,
    body: sync_body,
    ..BASE
};

fn async_body() {
    body(B_ASYNC);
}

pub const IOLOCKED_ASYNC: Scenario = Scenario {
    id: "pvn/walk-meets-io-async",
    summary: "the async write-back meets a page whose asynchronous write is in flight: its I/O trylock fails and it goes on",
    threads: 3,
    mutants: &[
        Mutant {
            name: mutants::GETDIRTY_SKIPS_IOLOCK,
            catches: PVN_V5,
            summary: "pvn_getdirty goes on without the I/O lock when its try fails (vm_pvn.c:612-615): two writes of the page at once",
        },
        Mutant {
            name: mutants::WALK_TRYLOCK_BLOCKS,
            catches: SYNC_LOCKORDER,
            summary: "the async write-back waits for the page lock under the vnode page mutex instead of trying (vm_pvn.c:930)",
        },
    ],
    body: async_body,
    ..BASE
};

/// A page-out of the file (`B_FREE`) klusters page 0 with its dirty
/// neighbour, page 1 (`pvn_write_kluster`, both in one I/O, each taken
/// exclusive), while an mlock of page 1 holds it shared for a moment: the
/// kluster takes it only if its try succeeds.
fn kluster_body() {
    let mut cfg = PvnConfig::new(2);
    cfg.kluster = 2;
    let pvn = world(cfg, &[0, 1], &[0, 1]);
    let mlock: Body = Box::new(|pvn: &Pvn| {
        if pvn.mlock(off(1), false) {
            pvn.munlock(off(1), false);
        }
    });
    run_threads(&pvn, vec![("pageout", walk(B_FREE)), ("mlock", mlock)]);
}

pub const KLUSTER_BUSY: Scenario = Scenario {
    id: "pvn/kluster-vs-lock",
    summary: "a page-out klusters two dirty pages into one write while another thread locks the neighbour",
    mutants: &[
        Mutant {
            name: mutants::WALK_SKIPS_BUSY,
            catches: PVN_V1,
            summary: "the walk passes the page the mlock holds instead of waiting for it and looking again (vm_pvn.c:909-910)",
        },
        Mutant {
            name: mutants::KLUSTER_BLOCKING_LOOKUP,
            catches: SYNC_LOCKORDER,
            summary: "pvn_write_kluster waits for a neighbour's lock with page_lookup instead of page_lookup_nowait (vm_pvn.c:275, 287)",
        },
    ],
    body: kluster_body,
    ..BASE
};

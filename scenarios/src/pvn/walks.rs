//! Walkers meeting each other: `VVMLOCK` with `v_cv`, and `EAGAIN` for
//! an asynchronous caller (vm_pvn.c:762-783, 974-985).

use super::common::run_threads;
use super::common::BASE;
use super::common::{walk, walk_from, world};
use harness::scenario::UNBOUNDED;
use harness::{Mutant, Scenario};
use model::check::SYNC_DEADLOCK;
use subsys::pvn::{mutants, PvnConfig, B_ASYNC, B_INVAL, PVN_V3};

/// Two synchronous write-backs of a file with two dirty pages, of the
/// whole file and of page 1 on: one walks, the other waits on `v_cv` for
/// `VVMLOCK`, then walks (passing page 0 if its range starts after it).
fn two_sync_body() {
    let pvn = world(PvnConfig::new(2), &[0, 1], &[0, 1]);
    run_threads(&pvn, vec![("fsync", walk(0)), ("range", walk_from(1, 0))]);
}

pub const TWO_SYNC_WALKS: Scenario = Scenario {
    id: "pvn/two-sync-walks",
    loom_bound: Some(UNBOUNDED),
    summary: "two synchronous walks of one vnode with two dirty pages: VVMLOCK serializes them, v_cv wakes the second",
    mutants: &[
        Mutant {
            name: mutants::WALK_NO_VVMLOCK,
            catches: PVN_V3,
            summary: "the walk does not set VVMLOCK (vm_pvn.c:782): both walk at once",
        },
        Mutant {
            name: mutants::EXIT_NO_BROADCAST,
            catches: SYNC_DEADLOCK,
            summary: "the exit clears VVMLOCK without cv_broadcast (vm_pvn.c:983): the waiter sleeps forever",
        },
        Mutant {
            name: mutants::EXIT_KEEPS_MARKERS,
            catches: PVN_V3,
            summary: "the exit leaves its markers on the ring (vm_pvn.c:971-972)",
        },
    ],
    body: two_sync_body,
    ..BASE
};

/// `sync()`'s async write-back meets an fsync: it gets `EAGAIN` if the
/// fsync holds `VVMLOCK`, else writes the dirty page asynchronously (the
/// I/O actor completes it) while the fsync waits.
fn async_body() {
    let mut cfg = PvnConfig::new(1);
    cfg.io_actor = true;
    let pvn = world(cfg, &[0], &[0]);
    run_threads(&pvn, vec![("fsync", walk(0)), ("sync", walk(B_ASYNC))]);
}

/// An msync(MS_INVALIDATE) (`B_INVAL`) and an fsync of a one-page file:
/// the fsync may wait for `VVMLOCK` and find the file empty, or walk
/// first.
fn inval_fsync_body() {
    let pvn = world(PvnConfig::new(1), &[0], &[0]);
    run_threads(
        &pvn,
        vec![("msync-inval", walk(B_INVAL)), ("fsync", walk(0))],
    );
}

pub const INVAL_VS_FSYNC: Scenario = Scenario {
    id: "pvn/inval-vs-fsync",
    summary: "an invalidating walk and an fsync of a one-page file: VVMLOCK, then an empty ring",
    body: inval_fsync_body,
    ..BASE
};

pub const ASYNC_MEETS_VVMLOCK: Scenario = Scenario {
    id: "pvn/async-meets-vvmlock",
    summary: "an async write-back (sync()) meets an fsync of the same vnode: EAGAIN, or it writes and the fsync waits",
    threads: 3,
    body: async_body,
    ..BASE
};

//! The device context: a hand-off between two processes with the
//! hysteresis callout racing `devmap_ctx_rele`, a cleared timeout, and
//! the context callback failing while another process waits (finding
//! D4).

use super::common::{cfg, dev, finish, inval, kmap, start};
use harness::{Expect, Mutant, Scenario};
use model::check::SYNC_DEADLOCK;
use subsys::devmap::{
    mutants, Access, Fixes, HandleSpec, SegSpec, DEVMAP_K2, DEVMAP_K3, LOCK_ORDER,
};

const BASE: Scenario = Scenario {
    id: "",
    summary: "",
    threads: 3,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[],
    orders: &[&LOCK_ORDER],
    params: &[],
    body: || {},
};

/// One page of device memory `n` under the context-management driver,
/// with hysteresis `timeout` (0: none).
fn ctx_handle(n: u64, fails: bool, timeout: u64) -> HandleSpec {
    HandleSpec {
        timeout,
        ..dev(n, Some(Access::CtxMgt { fails }))
    }
}

/// Process 0 faults and keeps the context (its hysteresis callout
/// pending); process 1 faults, waits for the callout to give it back
/// (2633-2634, 347-355), takes it and unmaps; process 0 unmaps. The last
/// `devmap_ctx_rele` cancels the pending callout with the context mutex
/// dropped, while the callout may be running (3023-3031).
fn handoff() {
    let dm = kmap(2, cfg(Fixes::default(), true));
    dm.map(&SegSpec::new(vec![ctx_handle(0, false, 1)]));
    dm.map(&SegSpec::new(vec![ctx_handle(1, false, 1)]));
    inval(&dm, 0, 0);
    let t = start(
        &dm,
        "p1",
        Box::new(|dm| {
            inval(dm, 1, 0);
            dm.as_unmap(1);
        }),
    );
    dm.as_unmap(0);
    t.join();
    dm.check_quiescent();
    dm.shutdown();
}

pub const CTX_HANDOFF: Scenario = Scenario {
    id: "devmap/ctx-handoff",
    summary: "the device context handed from one process to another by the hysteresis callout, racing devmap_ctx_rele",
    mutants: &[
        Mutant {
            name: mutants::CTX_NO_HYSTERESIS_WAIT,
            catches: DEVMAP_K3,
            summary: "a process takes the context while the other's callout holds it (seg_dev.c:2633-2634)",
        },
        Mutant {
            name: mutants::CTXTO_NO_SIGNAL,
            catches: SYNC_DEADLOCK,
            summary: "devmap_ctxto gives the context back without waking the waiter (seg_dev.c:354)",
        },
        Mutant {
            name: mutants::CTX_RELE_UNTIMEOUT_LOCKED,
            catches: SYNC_DEADLOCK,
            summary: "devmap_ctx_rele keeps the context mutex across untimeout of a running devmap_ctxto (seg_dev.c:3028-3030)",
        },
        Mutant {
            name: mutants::CTX_RELE_NO_UNTIMEOUT,
            catches: DEVMAP_K2,
            summary: "the context is freed with its callout pending (seg_dev.c:3023-3031)",
        },
        Mutant {
            name: mutants::CTX_RELE_FREES_EARLY,
            catches: DEVMAP_K2,
            summary: "the first unmap frees the context the other process refers to (seg_dev.c:3018)",
        },
        Mutant {
            name: mutants::CTX_TIMEOUT_NOT_RECORDED,
            catches: DEVMAP_K2,
            summary: "devmap_do_ctxmgt does not record its callout, so the last release cannot cancel it (seg_dev.c:2675-2676)",
        },
    ],
    body: handoff,
    ..BASE
};

/// The driver clears the handle's hysteresis (`devmap_set_ctx_timeout`,
/// an unlocked write, 3771) while the process faults: the fault read it
/// set at 2627 and may read it cleared at 2672, then gives the context
/// back at once (2677-2686).
fn timeout_cleared() {
    let dm = kmap(1, cfg(Fixes::default(), true));
    dm.map(&SegSpec::new(vec![ctx_handle(0, false, 1)]));
    let t = start(
        &dm,
        "driver",
        Box::new(|dm| dm.devmap_set_ctx_timeout(0, 0, 0)),
    );
    inval(&dm, 0, 0);
    t.join();
    finish(&dm, 1);
}

pub const CTX_TIMEOUT_CLEARED: Scenario = Scenario {
    id: "devmap/ctx-timeout-cleared",
    summary: "devmap_set_ctx_timeout clears the hysteresis while a fault takes the context",
    mutants: &[Mutant {
        name: mutants::CTX_TIMEOUT_NOT_RECORDED,
        catches: DEVMAP_K2,
        summary: "the unrecorded callout is still pending when the context is freed (seg_dev.c:2675-2676)",
    }],
    body: timeout_cleared,
    ..BASE
};

/// Process 0 holds the context (callout pending). Process 1's handle has
/// no hysteresis and its context callback fails: the error path reads
/// `oncpu` unlocked (2658), finds process 0's hold and clears it. Process
/// 2, with hysteresis, then takes the context while process 0's callout
/// still holds it, and sets a second callout.
fn error(fixes: Fixes) {
    let dm = kmap(3, cfg(fixes, true));
    dm.map(&SegSpec::new(vec![ctx_handle(0, false, 1)]));
    dm.map(&SegSpec::new(vec![ctx_handle(1, true, 0)]));
    dm.map(&SegSpec::new(vec![ctx_handle(2, false, 1)]));
    inval(&dm, 0, 0);
    let b = start(&dm, "p1-fails", Box::new(|dm| inval(dm, 1, 0)));
    let c = start(&dm, "p2", Box::new(|dm| inval(dm, 2, 0)));
    b.join();
    c.join();
    finish(&dm, 3);
}

fn error_seed() {
    error(Fixes::default());
}

/// Finding D4.
pub const CTX_ERROR: Scenario = Scenario {
    id: "devmap/ctx-error",
    summary: "FINDING D4: a failing context callback without hysteresis gives back the context another process holds",
    threads: 4,
    loom_bound: Some(3),
    expect: Expect::Finding(&[DEVMAP_K3]),
    body: error_seed,
    ..BASE
};

fn error_fixed() {
    error(Fixes {
        ctx_error_own_only: true,
        ..Fixes::default()
    });
}

pub const CTX_ERROR_FIXED: Scenario = Scenario {
    id: "devmap/ctx-error-fixed",
    summary: "the failing callout's error path gives back only a context it took (fix D4)",
    threads: 4,
    loom_bound: Some(3),
    mutants: &[Mutant {
        name: mutants::CTX_NO_HYSTERESIS_WAIT,
        catches: DEVMAP_K3,
        summary:
            "process 2 takes the context while process 0's callout holds it (seg_dev.c:2633-2634)",
    }],
    body: error_fixed,
    ..BASE
};

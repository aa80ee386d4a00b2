//! The softlock: two F_SOFTLOCKs on one shared softlock, an F_SOFTLOCK
//! against two F_INVALs, and an interrupted waiter with another behind
//! it (finding D1).

use super::common::{cfg, dev, finish, inval, kmap, softlock_unlock, start};
use harness::scenario::UNBOUNDED;
use harness::{Expect, Mutant, Scenario};
use model::check::SYNC_DEADLOCK;
use model::sync::post_signal;
use subsys::devmap::{mutants, Access, Fixes, SegSpec, DEVMAP_K1, DEVMAP_K2, LOCK_ORDER};

const BASE: Scenario = Scenario {
    id: "",
    summary: "",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[],
    orders: &[&LOCK_ORDER],
    params: &[],
    body: || {},
};

/// Two processes map the device with `devmap_default_access`: one
/// softlock (same device and access, seg_dev.c:3232) serialises their
/// F_SOFTLOCKs (1259-1267).
fn two_softlocks() {
    let dm = kmap(2, cfg(Fixes::default(), false));
    for n in 0..2 {
        dm.map(&SegSpec::new(vec![dev(n, Some(Access::Default))]));
    }
    let t = start(&dm, "p1", Box::new(|dm| softlock_unlock(dm, 1, 0, 1)));
    softlock_unlock(&dm, 0, 0, 1);
    t.join();
    finish(&dm, 2);
}

pub const TWO_SOFTLOCKS: Scenario = Scenario {
    id: "devmap/two-softlocks",
    loom_bound: Some(UNBOUNDED),
    summary: "two processes F_SOFTLOCK (and F_SOFTUNLOCK) through one shared softlock",
    mutants: &[
        Mutant {
            name: mutants::SOFTLOCK_ENTER_NO_WAIT,
            catches: DEVMAP_K1,
            summary: "an F_SOFTLOCK enters while the other holds the softlock (seg_dev.c:1260)",
        },
        Mutant {
            name: mutants::SOFTLOCK_EXIT_NO_SIGNAL,
            catches: SYNC_DEADLOCK,
            summary: "the exit to zero wakes nobody: the waiting F_SOFTLOCK sleeps forever (seg_dev.c:1298-1299)",
        },
        Mutant {
            name: mutants::SOFTLOCK_INIT_NO_REF,
            catches: DEVMAP_K2,
            summary: "devmap_softlock_init does not count the second handle (seg_dev.c:2935)",
        },
        Mutant {
            name: mutants::SOFTLOCK_RELE_FREES_EARLY,
            catches: DEVMAP_K2,
            summary: "the first unmap frees the softlock the other process still refers to (seg_dev.c:2966)",
        },
    ],
    body: two_softlocks,
    ..BASE
};

/// One process: an F_SOFTLOCK (and its F_SOFTUNLOCK) against two F_INVALs
/// of the same page (1269-1278, 1301-1306).
fn softlock_vs_invals() {
    let dm = kmap(1, cfg(Fixes::default(), false));
    dm.map(&SegSpec::new(vec![dev(0, Some(Access::Default))]));
    let a = start(&dm, "inval-a", Box::new(|dm| inval(dm, 0, 0)));
    let b = start(&dm, "inval-b", Box::new(|dm| inval(dm, 0, 0)));
    softlock_unlock(&dm, 0, 0, 1);
    a.join();
    b.join();
    finish(&dm, 1);
}

pub const SOFTLOCK_VS_INVALS: Scenario = Scenario {
    id: "devmap/softlock-vs-invals",
    summary: "an F_SOFTLOCK against two F_INVALs on one softlock",
    threads: 3,
    loom_bound: Some(3),
    mutants: &[
        Mutant {
            name: mutants::INVAL_ENTER_IGNORES_SOFTLOCK,
            catches: DEVMAP_K1,
            summary: "an F_INVAL enters while the F_SOFTLOCK holds the softlock (seg_dev.c:1271)",
        },
        Mutant {
            name: mutants::INVAL_NO_EXIT,
            catches: DEVMAP_K1,
            summary: "segdev_fault returns from an F_INVAL still holding its softlock pages (seg_dev.c:1888-1889)",
        },
    ],
    body: softlock_vs_invals,
    ..BASE
};

/// An F_SOFTLOCK holds the softlock; two F_INVALs wait (1271-1276); the
/// first waiter gets a signal; the F_SOFTUNLOCK's exit wakes one waiter
/// with `cv_signal` (1305-1306... 1298-1299). If that was the interrupted
/// one, it returns EINTR and nobody wakes the other.
fn interrupted(fixes: Fixes) {
    let dm = kmap(1, cfg(fixes, false));
    dm.map(&SegSpec::new(vec![dev(0, Some(Access::Default))]));
    assert!(dm
        .as_fault(
            0,
            0,
            1,
            subsys::devmap::FaultType::SoftLock,
            subsys::devmap::SegRw::Read
        )
        .is_ok());
    let w1 = start(&dm, "inval-1", Box::new(|dm| inval(dm, 0, 0)));
    let w2 = start(&dm, "inval-2", Box::new(|dm| inval(dm, 0, 0)));
    post_signal(w1.tid());
    let _ = dm.as_fault(
        0,
        0,
        1,
        subsys::devmap::FaultType::SoftUnlock,
        subsys::devmap::SegRw::Read,
    );
    w1.join();
    w2.join();
    finish(&dm, 1);
}

fn interrupted_seed() {
    interrupted(Fixes::default());
}

/// Finding D1.
pub const INTERRUPTED_WAITER: Scenario = Scenario {
    id: "devmap/interrupted-waiter",
    summary: "FINDING D1: the waiter cv_signal chose is interrupted (cv_wait_sig), the other F_INVAL sleeps forever",
    threads: 3,
    loom_bound: Some(3),
    expect: Expect::Finding(&[SYNC_DEADLOCK]),
    body: interrupted_seed,
    ..BASE
};

fn interrupted_fixed() {
    interrupted(Fixes {
        softlock_broadcast: true,
        ..Fixes::default()
    });
}

pub const INTERRUPTED_WAITER_FIXED: Scenario = Scenario {
    id: "devmap/interrupted-waiter-fixed",
    summary: "an interrupted softlock waiter with another behind it, exits broadcasting (fix D1)",
    threads: 3,
    loom_bound: Some(3),
    mutants: &[Mutant {
        name: mutants::SOFTLOCK_EXIT_NO_SIGNAL,
        catches: SYNC_DEADLOCK,
        summary: "the exit to zero wakes nobody (seg_dev.c:1298-1299, 1305-1306)",
    }],
    body: interrupted_fixed,
    ..BASE
};

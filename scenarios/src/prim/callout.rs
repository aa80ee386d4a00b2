//! `timeout()` / `untimeout()`: a cancelled callout never runs, untimeout
//! of a running callout waits for its handler, and a handler may untimeout
//! itself.

use super::await_set;
use harness::{Expect, Mutant, Scenario};
use model::check::PANIC;
use model::sync::{spawn, AtomicU32, CalloutId, Callouts, Ordering};
use std::sync::{Arc, Mutex};

/// A callout is set and cancelled at once: either untimeout cancels it,
/// and it never runs, or it already ran. Both outcomes are covered.
fn untimeout_cancels_body() {
    let co = Callouts::start();
    let ran = Arc::new(AtomicU32::new("prim.ran", 0, 0));
    let r2 = ran.clone();
    let id = co.timeout(Box::new(move || r2.store(1, Ordering::Relaxed)));
    let cancelled = co.untimeout(id);
    co.shutdown();
    let ran = ran.load(Ordering::Relaxed) == 1;
    if model::mutant("cancel-ignored") {
        assert!(!ran, "the callout ran");
    }
    assert_eq!(cancelled, !ran, "cancelled={cancelled} ran={ran}");
    model::cover(if cancelled {
        "prim.untimeout-cancels.cancelled-never-ran"
    } else {
        "prim.untimeout-cancels.ran"
    });
}

pub const UNTIMEOUT_CANCELS: Scenario = Scenario {
    id: "prim/untimeout-cancels",
    summary: "a callout cancelled by untimeout never runs",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[Mutant {
        name: "cancel-ignored",
        catches: PANIC,
        summary: "the program assumes untimeout always cancels",
    }],
    orders: &[],
    params: &[],
    body: untimeout_cancels_body,
};

/// The handler, once started, waits for a third thread; the main thread
/// untimeouts it after it started. If the third thread had not released
/// the handler when untimeout was called, untimeout must still return
/// only after the handler finished (covered when it happens).
fn untimeout_waits_body() {
    let co = Callouts::start();
    let started = Arc::new(AtomicU32::new("prim.started", 0, 0));
    let go = Arc::new(AtomicU32::new("prim.go", 0, 0));
    let done = Arc::new(AtomicU32::new("prim.done", 0, 0));
    let (s2, g2, d2) = (started.clone(), go.clone(), done.clone());
    let id = co.timeout(Box::new(move || {
        s2.store(1, Ordering::Release);
        await_set(&g2);
        d2.store(1, Ordering::Release);
    }));
    let g3 = go.clone();
    let releaser = spawn("releaser", move || g3.store(1, Ordering::Release));
    await_set(&started);
    let running = go.load(Ordering::Acquire) == 0;
    let cancelled = if model::mutant("no-untimeout") {
        false
    } else {
        co.untimeout(id)
    };
    assert!(!cancelled, "cancelled a started callout");
    assert_eq!(done.load(Ordering::Acquire), 1, "untimeout did not wait");
    if running {
        model::cover("prim.untimeout-waits.waited-for-running-handler");
    }
    releaser.join();
    co.shutdown();
}

pub const UNTIMEOUT_WAITS: Scenario = Scenario {
    id: "prim/untimeout-waits",
    summary: "untimeout of a running callout waits for its handler",
    threads: 3,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[Mutant {
        name: "no-untimeout",
        catches: PANIC,
        summary: "the program does not untimeout before using the handler's result",
    }],
    orders: &[],
    params: &[],
    body: untimeout_waits_body,
};

/// A handler untimeouts its own callout: no wait, "not cancelled". The
/// callout's id reaches the handler through `slot`, written before
/// `published` is set and read only after: a hand-off, never contended,
/// so a plain std mutex is enough (the atomic orders it for the model).
fn self_untimeout_body() {
    let co = Arc::new(Callouts::start());
    let published = Arc::new(AtomicU32::new("prim.published", 0, 0));
    let slot: Arc<Mutex<Option<CalloutId>>> = Arc::new(Mutex::new(None));
    let (co2, p2, s2) = (co.clone(), published.clone(), slot.clone());
    let id = co.timeout(Box::new(move || {
        await_set(&p2);
        let id = s2.lock().unwrap().expect("published");
        assert!(!co2.untimeout(id), "a running callout was cancelled");
    }));
    *slot.lock().unwrap() = Some(id);
    published.store(1, Ordering::Release);
    co.shutdown();
}

pub const SELF_UNTIMEOUT: Scenario = Scenario {
    id: "prim/self-untimeout",
    summary: "a handler may untimeout its own callout without deadlock",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[],
    orders: &[],
    params: &[],
    body: self_untimeout_body,
};

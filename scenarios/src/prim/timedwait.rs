//! `cv_timedwait` on the callout wheel: the wait ends by signal or by
//! timeout, and a timed-out waiter chosen by `cv_signal` passes the wakeup
//! on.

use harness::{Expect, Mutant, Scenario};
use model::check::SYNC_MISUSE;
use model::lockdep::LockOrder;
use model::sync::{spawn, AtomicU32, Callouts, KCondvar, KMutex, Ordering, Wakeup};
use std::sync::Arc;

const CV_MTX: &str = "prim.cv-mutex";
const CV: &str = "prim.cv";

/// One mutex, never nested.
pub static ORDER: LockOrder = LockOrder {
    subsystem: "prim-cv",
    ranks: &[&[CV_MTX]],
    exceptions: &[],
};

/// A waiter with a timeout and a signaller: the wait ends either way, and
/// both ways are covered.
fn timed_wait_body() {
    let co = Callouts::start();
    let m = Arc::new(KMutex::new(CV_MTX, 0));
    let cv = Arc::new(KCondvar::new(CV, 0));
    let flag = Arc::new(AtomicU32::new("prim.flag", 0, 0));
    let (m2, cv2, f2) = (m.clone(), cv.clone(), flag.clone());
    let t = spawn("signaller", move || {
        m2.enter();
        f2.store(1, Ordering::Relaxed);
        cv2.signal();
        m2.exit();
    });
    m.enter();
    if flag.load(Ordering::Relaxed) == 0 {
        match cv.timed_wait(&m, &co) {
            Wakeup::Signalled => {
                assert_eq!(flag.load(Ordering::Relaxed), 1, "signalled by nobody");
                model::cover("prim.timed-wait.signalled");
            }
            Wakeup::TimedOut => model::cover("prim.timed-wait.timed-out"),
            Wakeup::Interrupted => unreachable!("no signal posted"),
        }
        assert!(m.held());
    }
    m.exit();
    t.join();
    if !model::mutant("no-shutdown") {
        co.shutdown();
    }
}

pub const TIMED_WAIT: Scenario = Scenario {
    id: "prim/timed-wait",
    summary: "cv_timedwait returns by timeout or by signal",
    threads: 3,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[Mutant {
        name: "no-shutdown",
        catches: SYNC_MISUSE,
        summary: "the callout wheel is dropped without shutdown",
    }],
    orders: &[&ORDER],
    params: &[],
    body: timed_wait_body,
};

/// Nobody signals: the timeout alone must end the wait.
fn timed_wait_alone_body() {
    let co = Callouts::start();
    let m = KMutex::new(CV_MTX, 0);
    let cv = KCondvar::new(CV, 0);
    m.enter();
    assert_eq!(cv.timed_wait(&m, &co), Wakeup::TimedOut);
    m.exit();
    co.shutdown();
}

pub const TIMED_WAIT_ALONE: Scenario = Scenario {
    id: "prim/timed-wait-alone",
    summary: "cv_timedwait with no signaller returns by timeout",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[],
    orders: &[&ORDER],
    params: &[],
    body: timed_wait_alone_body,
};

/// One signal, two waiters: a timed one that leaves whatever happens (and
/// passes on a signal it got), and a plain one that needs the signal. If
/// the timed waiter timed out after the signal chose it, the wait must
/// pass the signal on, or the plain waiter sleeps forever. Both ends of
/// the timed wait are covered.
fn passes_signal_body() {
    let co = Arc::new(Callouts::start());
    let m = Arc::new(KMutex::new(CV_MTX, 0));
    let cv = Arc::new(KCondvar::new(CV, 0));
    let token = Arc::new(AtomicU32::new("prim.token", 0, 0));
    let (m2, cv2, co2) = (m.clone(), cv.clone(), co.clone());
    let timed = spawn("timed", move || {
        m2.enter();
        if cv2.timed_wait(&m2, &co2) == Wakeup::Signalled {
            cv2.signal();
            model::cover("prim.timed-pass.timed-waiter-signalled");
        } else {
            model::cover("prim.timed-pass.timed-waiter-timed-out");
        }
        m2.exit();
    });
    let (m3, cv3, t3) = (m.clone(), cv.clone(), token.clone());
    let plain = spawn("plain", move || {
        m3.enter();
        while t3.load(Ordering::Relaxed) == 0 {
            cv3.wait(&m3);
        }
        m3.exit();
    });
    m.enter();
    token.store(1, Ordering::Relaxed);
    cv.signal();
    m.exit();
    timed.join();
    plain.join();
    co.shutdown();
}

pub const PASSES_SIGNAL: Scenario = Scenario {
    id: "prim/timed-wait-passes-signal",
    summary: "a timed-out waiter chosen by cv_signal passes the wakeup on",
    threads: 4,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[],
    orders: &[&ORDER],
    params: &[],
    body: passes_signal_body,
};

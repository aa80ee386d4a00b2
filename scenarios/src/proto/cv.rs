//! Condition-variable hand-offs: each wakeup must reach a thread that can
//! use it. These scenarios prove that `signal` wakes exactly one waiter
//! and that an interrupted `wait_sig` consumes the wakeup that chose it, so
//! both classic lost-wakeup bugs are observable.

use harness::{Expect, Mutant, Scenario};
use model::check::{SYNC_DEADLOCK, SYNC_UNLOCKED};
use model::lockdep::LockOrder;
use model::sync::{post_signal, spawn, KCondvar, KMutex, Locked, Wakeup};
use std::sync::Arc;

const POOL: &str = "proto.pool";

/// One mutex, never nested.
pub static ORDER: LockOrder = LockOrder {
    subsystem: "proto-cv",
    ranks: &[&[POOL]],
    exceptions: &[],
};

/// A counted pool of items under one mutex, with a cv for "not empty".
struct Pool {
    /// The pool mutex.
    m: KMutex,
    /// Signalled when items are added; waits hold `m`.
    cv: KCondvar,
    /// (m) items available.
    items: Locked<u32>,
}

fn pool() -> Arc<Pool> {
    let m = KMutex::new(POOL, 0);
    let items = Locked::new(&m, 0);
    Arc::new(Pool {
        m,
        cv: KCondvar::new("proto.pool-cv", 0),
        items,
    })
}

impl Pool {
    /// Takes one item, sleeping until there is one.
    fn take(&self) {
        if model::mutant("peek-unlocked") && *self.items.get(&self.m) > 0 {
            // A racy fast path: reads the count without the pool mutex.
            model::cover("proto.peek");
        }
        self.m.enter();
        while *self.items.get(&self.m) == 0 {
            self.cv.wait(&self.m);
        }
        *self.items.get(&self.m) -= 1;
        self.m.exit();
    }
}

fn lost_wakeup_body() {
    let p = pool();
    let waiters: Vec<_> = (0..2)
        .map(|_| {
            let p = p.clone();
            spawn("consumer", move || p.take())
        })
        .collect();
    // Two items at once: both sleepers must be woken.
    p.m.enter();
    *p.items.get(&p.m) += 2;
    if model::mutant("signal-not-broadcast") {
        p.cv.signal();
    } else {
        p.cv.broadcast();
    }
    p.m.exit();
    for w in waiters {
        w.join();
    }
}

pub const SIGNAL_LOST_WAKEUP: Scenario = Scenario {
    id: "proto/signal-lost-wakeup",
    summary: "two sleepers, two items: broadcast wakes both; one signal strands one",
    threads: 3,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[
        Mutant {
            name: "signal-not-broadcast",
            catches: SYNC_DEADLOCK,
            summary: "cv_signal where cv_broadcast is needed",
        },
        Mutant {
            name: "peek-unlocked",
            catches: SYNC_UNLOCKED,
            summary: "a consumer reads the item count before taking the pool mutex",
        },
    ],
    orders: &[&ORDER],
    params: &[],
    body: lost_wakeup_body,
};

/// Waits interruptibly for an item; returns whether it got one. An
/// interrupted waiter may have consumed a `cv_signal` meant for "someone",
/// so it passes the wakeup on before giving up.
fn take_sig(p: &Pool) -> bool {
    p.m.enter();
    let got = loop {
        if *p.items.get(&p.m) > 0 {
            *p.items.get(&p.m) -= 1;
            break true;
        }
        if p.cv.wait_sig(&p.m) == Wakeup::Interrupted {
            if !model::mutant("no-resignal") {
                p.cv.signal();
            }
            break false;
        }
    };
    p.m.exit();
    got
}

fn wait_sig_body() {
    let p = pool();
    let p1 = p.clone();
    let w1 = spawn("wait-sig", move || take_sig(&p1));
    let p2 = p.clone();
    let w2 = spawn("wait", move || p2.take());
    let victim = w1.tid();
    let intr = spawn("interrupter", move || post_signal(victim));
    // One item, one signal: whoever the signal picks must pass it on if it
    // cannot use it.
    p.m.enter();
    *p.items.get(&p.m) += 1;
    p.cv.signal();
    p.m.exit();
    if w1.join() {
        // The interruptible waiter took the item: give the other one its own.
        p.m.enter();
        *p.items.get(&p.m) += 1;
        p.cv.signal();
        p.m.exit();
    }
    w2.join();
    intr.join();
}

pub const WAIT_SIG_EATS_SIGNAL: Scenario = Scenario {
    id: "proto/wait-sig-eats-signal",
    summary:
        "an interrupted cv_wait_sig consumes the signal that chose it; re-signalling passes it on",
    threads: 4,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[Mutant {
        name: "no-resignal",
        catches: SYNC_DEADLOCK,
        summary: "the interrupted waiter returns without passing the wakeup on",
    }],
    orders: &[&ORDER],
    params: &[],
    body: wait_sig_body,
};

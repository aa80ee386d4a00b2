//! Two instances of one lock class nested, as a range of pages is locked
//! (segmap's page -> page exception): a table may allow a class in itself
//! by a blocking exception, and then its instances nest only upward.

use harness::{Expect, Mutant, Scenario};
use model::check::SYNC_LOCKORDER;
use model::lockdep::{Exception, LockOrder, Nesting};
use model::sync::{spawn, KMutex};
use std::sync::Arc;

const NODE: &str = "proto.node";

/// One class, nested in itself blocking: upward only.
pub static ORDER: LockOrder = LockOrder {
    subsystem: "proto",
    ranks: &[&[NODE]],
    exceptions: &[Exception {
        held: NODE,
        taken: NODE,
        nesting: Nesting::Blocking,
        why: "nodes are locked in ascending index order (a range of pages)",
    }],
};

/// Takes node 0 and node 1, upward (downward with the mutant).
fn both(n: &[KMutex; 2]) {
    let (first, second) = if model::mutant("nest-downward") {
        (&n[1], &n[0])
    } else {
        (&n[0], &n[1])
    };
    first.enter();
    second.enter();
    second.exit();
    first.exit();
}

fn body() {
    let n = Arc::new([KMutex::new(NODE, 0), KMutex::new(NODE, 1)]);
    let n2 = n.clone();
    let a = spawn("upward", move || {
        n2[0].enter();
        n2[1].enter();
        n2[1].exit();
        n2[0].exit();
    });
    both(&n);
    a.join();
}

pub const UPWARD: Scenario = Scenario {
    id: "proto/upward-nesting",
    summary: "two instances of one class nested upward by two threads: allowed by the table's self-exception",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 2,
    expect: Expect::Pass,
    mutants: &[Mutant {
        name: "nest-downward",
        catches: SYNC_LOCKORDER,
        summary: "one thread takes the higher instance first",
    }],
    orders: &[&ORDER],
    params: &[],
    body,
};

//! loom 0.7.2 keeps only the last access of an atomic for DPOR, so a
//! thread's own load hides another thread's earlier load from its store
//! (tokio-rs/loom#392). The facade's loom atomics must still explore the
//! execution in which the main thread's load sees the spawned thread's
//! store.

use model::exec::{Backend, Exec, RunConfig, RunShared};
use model::sync::{spawn, AtomicU32, Ordering::Relaxed};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

static SAW_STORE: AtomicBool = AtomicBool::new(false);

fn body() {
    let a = Arc::new(AtomicU32::new("x", 0, 0));
    let a2 = a.clone();
    let t = spawn("load-then-store", move || {
        let v = a2.load(Relaxed);
        a2.store(v + 1, Relaxed);
    });
    if a.load(Relaxed) == 1 {
        SAW_STORE.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    t.join();
}

#[test]
fn a_load_before_a_store_does_not_hide_an_earlier_load() {
    let run = Arc::new(RunShared::new(RunConfig::default()));
    let r = run.clone();
    let mut b = loom::model::Builder::new();
    b.preemption_bound = Some(2);
    b.check(move || {
        let _e = Exec::begin(Backend::Loom, r.clone());
        body();
        model::exec::exit_execution();
    });
    assert!(
        SAW_STORE.load(std::sync::atomic::Ordering::Relaxed),
        "loom explored {} executions and never ran the store before the main thread's load",
        run.executions()
    );
}

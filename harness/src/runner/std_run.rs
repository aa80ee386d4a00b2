//! Real threads: the scenario body run many times on OS threads, with a
//! watchdog that reports a deadlock instead of hanging.

use model::check::SYNC_DEADLOCK;
use model::exec::{self, Backend, Exec, RunShared};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Arc};
use std::time::Duration;

pub(super) fn run(shared: &Arc<RunShared>, body: fn(), iterations: usize, watchdog: Duration) {
    for _ in 0..iterations {
        let exec = Exec::new(Backend::Std, shared.clone());
        let (tx, rx) = mpsc::channel();
        let e = exec.clone();
        std::thread::spawn(move || {
            e.enter();
            let _ = catch_unwind(AssertUnwindSafe(body));
            exec::exit_execution();
            let _ = tx.send(());
        });
        if rx.recv_timeout(watchdog).is_err() {
            // The threads stay blocked; the process exits without them.
            let v = exec.violation_by(
                None,
                SYNC_DEADLOCK,
                format!("no progress for {watchdog:?} on real threads"),
                true,
            );
            shared.record(v, exec.events());
            return;
        }
        if shared.has_fatal() {
            return;
        }
    }
}

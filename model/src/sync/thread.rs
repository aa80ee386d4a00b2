//! Model threads: spawn, join, and the retry hint.

use crate::exec::{self, set_tid, Backend, Exec, Tid, WaitFor};
use crate::trace::{ObjName, Op};
use std::panic::Location;
use std::sync::Arc;

enum Handle<T> {
    Std(std::thread::JoinHandle<T>),
    Loom(loom::thread::JoinHandle<T>),
    Shuttle(shuttle::thread::JoinHandle<T>),
}

/// A spawned model thread.
pub struct JoinHandle<T> {
    handle: Handle<T>,
    name: &'static str,
    tid: Tid,
    exec: Arc<Exec>,
}

fn thread_obj(name: &'static str, tid: Tid) -> ObjName {
    ObjName {
        kind: "thread",
        class: name,
        index: tid as u32,
    }
}

/// Spawns model thread `name` running `f`. loom allows at most 5 threads
/// per execution, the main one included.
#[track_caller]
pub fn spawn<F, T>(name: &'static str, f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let site = Location::caller();
    let exec = exec::current().expect("vmspec: spawn outside a model execution");
    let tid = exec.new_thread(name);
    exec.event(
        exec::tid(),
        Op::Spawn,
        thread_obj(name, tid),
        tid as u64,
        0,
        site,
    );
    let backend = exec.backend;
    let child_exec = exec.clone();
    let body = move || {
        if backend == Backend::Std {
            exec::enter_execution(child_exec.clone());
        }
        set_tid(backend, tid);
        let r = f();
        child_exec.event(tid, Op::Finish, thread_obj(name, tid), 0, 0, site);
        child_exec.thread_done(tid);
        r
    };
    let handle = match backend {
        Backend::Std => Handle::Std(std::thread::spawn(body)),
        Backend::Loom => Handle::Loom(loom::thread::spawn(body)),
        Backend::Shuttle => Handle::Shuttle(shuttle::thread::spawn(body)),
    };
    JoinHandle {
        handle,
        name,
        tid,
        exec,
    }
}

impl<T> JoinHandle<T> {
    /// The model thread's id.
    pub fn tid(&self) -> Tid {
        self.tid
    }

    /// Waits for the thread to finish; a panic in it (a failed check)
    /// propagates to the joiner.
    #[track_caller]
    pub fn join(self) -> T {
        let site = Location::caller();
        let me = exec::tid();
        self.exec.set_waiting(me, Some(WaitFor::Join(self.tid)));
        let r = match self.handle {
            Handle::Std(h) => h.join(),
            Handle::Loom(h) => h.join(),
            Handle::Shuttle(h) => h.join(),
        };
        self.exec.set_waiting(me, None);
        match r {
            Ok(v) => {
                let obj = thread_obj(self.name, self.tid);
                self.exec.event(me, Op::Join, obj, self.tid as u64, 0, site);
                v
            }
            Err(payload) => std::panic::resume_unwind(payload),
        }
    }
}

/// The hint every retry loop calls before it goes round again (the seeds'
/// `goto retry`): it yields, so loom and shuttle run another thread instead
/// of spinning, and loom's preemption bound keeps the loop finite. It also
/// counts the pass ([`went_round`]), so that a loop still going round when
/// the explorer's step limit ends the execution is named in the
/// SCHED-LIVELOCK report.
#[track_caller]
pub fn retry() {
    went_round_at(Location::caller());
    match exec::backend() {
        Some(Backend::Loom) => loom::thread::yield_now(),
        Some(Backend::Shuttle) => shuttle::thread::yield_now(),
        _ => std::thread::yield_now(),
    }
}

/// Counts one more pass of the loop at the caller without yielding
/// (ghost; no scheduling point): for loops that go round on their own
/// progress rather than wait for another thread (a seed's `for (;;)` that
/// pops a list), so that one that never ends is named as a livelock.
#[track_caller]
pub fn went_round() {
    went_round_at(Location::caller());
}

fn went_round_at(site: &'static Location<'static>) {
    if let Some(e) = exec::current() {
        e.went_round(exec::tid(), site);
    }
}

//! `timeout()` / `untimeout()`: the callout wheel as an actor thread.

use super::lockobj::{register, wait};
use super::monitor::Monitor;
use super::thread::{spawn, JoinHandle};
use crate::exec::{self, Exec, ObjId, Tid, WaitFor};
use crate::trace::{ObjName, Op};
use std::collections::VecDeque;
use std::panic::Location;
use std::sync::{Arc, Mutex};

/// A callout handler: runs once, on the callout actor.
pub type Handler = Box<dyn FnOnce() + Send>;

/// Names a callout set by [`Callouts::timeout`] (`timeout_id_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CalloutId {
    /// Sequence number within the wheel (the index in traces).
    seq: u64,
    /// The callout's ghost object, which untimeout waits for.
    obj: ObjId,
}

struct Pending {
    id: CalloutId,
    handler: Handler,
}

/// All fields are under the wheel's monitor.
#[derive(Default)]
struct Wheel {
    /// The next callout's sequence number.
    next: u64,
    /// Callouts set and not yet started, in the order they were set.
    pending: VecDeque<Pending>,
    /// The callout whose handler is running, if any.
    running: Option<u64>,
    /// Set by `shutdown`: the actor stops once `pending` is empty.
    stopping: bool,
}

fn callout_name(seq: u64) -> ObjName {
    ObjName {
        kind: "callout",
        class: "callout",
        index: seq as u32,
    }
}

/// The callout wheel: `timeout(handler)` runs `handler` once, on the
/// wheel's actor thread, at a later step the scheduler chooses, unless
/// `untimeout` cancels it first (the seeds' `devmap_ctxto`,
/// seg_dev.c:2675, cancelled at seg_dev.c:3029).
///
/// `untimeout` of a callout whose handler is running waits until the
/// handler returns, as illumos `untimeout` does, so a caller that holds a
/// lock the handler takes deadlocks (seg_dev.c:3028 drops `devctx->lock`
/// first for this reason); the wait is reported under the callout's name,
/// and a cycle through it as `SYNC-DEADLOCK`. A handler that untimeouts
/// its own callout does not wait (it would wait for itself) and gets
/// "not cancelled", as in illumos.
///
/// Backend mapping: the pending queue in a backend monitor, drained by one
/// actor thread spawned by [`Callouts::start`]; under loom the actor counts
/// against the limit of 5 threads (main included). Every scenario that
/// starts a wheel must call [`Callouts::shutdown`], which joins the actor;
/// dropping a wheel that was not shut down is a `SYNC-MISUSE` violation.
///
/// Deviations from illumos: there is no clock, so a timeout's delay is not
/// modelled and callouts fire in the order they were set (one at a time,
/// where illumos may run callouts of different CPUs in parallel);
/// `untimeout` returns whether it cancelled the callout instead of the
/// time left.
pub struct Callouts {
    st: Arc<Monitor<Wheel>>,
    /// (c) the actor's thread id.
    actor_tid: Tid,
    /// The actor, taken by `shutdown` (only the thread that ends the
    /// wheel touches it).
    actor: Mutex<Option<JoinHandle<()>>>,
    exec: Option<Arc<Exec>>,
}

impl std::fmt::Debug for Callouts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "callouts (actor thread {})", self.actor_tid)
    }
}

impl Callouts {
    /// Starts the wheel: spawns its actor thread. Must run inside a model
    /// execution.
    #[track_caller]
    pub fn start() -> Self {
        let st: Arc<Monitor<Wheel>> = Arc::new(Monitor::new(Wheel::default()));
        let exec = exec::current();
        let (st2, exec2) = (st.clone(), exec.clone());
        let actor = spawn("callout", move || run(&st2, exec2.as_deref()));
        Callouts {
            st,
            actor_tid: actor.tid(),
            actor: Mutex::new(Some(actor)),
            exec,
        }
    }

    /// The actor thread: handlers run on it (a lock handed to a handler is
    /// handed to this thread).
    pub fn actor(&self) -> Tid {
        self.actor_tid
    }

    fn event(&self, me: Tid, op: Op, id: CalloutId, a: u64, site: &'static Location<'static>) {
        if let Some(e) = &self.exec {
            e.event(me, op, callout_name(id.seq), a, 0, site);
        }
    }

    fn misuse(&self, me: Tid, what: &str) -> ! {
        crate::check::fail(crate::check::SYNC_MISUSE, format!("thread {me}: {what}"))
    }

    /// `timeout`: sets a callout that runs `handler` once, later.
    #[track_caller]
    pub fn timeout(&self, handler: Handler) -> CalloutId {
        let site = Location::caller();
        let me = exec::tid();
        let id = self.st.with(|w| {
            if w.stopping {
                return (None, false);
            }
            let seq = w.next;
            w.next += 1;
            let obj = self
                .exec
                .as_ref()
                .map_or(ObjId(0), |e| e.register(callout_name(seq)));
            let id = CalloutId { seq, obj };
            w.pending.push_back(Pending { id, handler });
            (Some(id), true)
        });
        let Some(id) = id else {
            self.misuse(me, "timeout after Callouts::shutdown");
        };
        self.event(me, Op::Timeout, id, 0, site);
        id
    }

    /// `untimeout`: cancels callout `id` if its handler has not started,
    /// and returns `true`; it will then never run. Otherwise returns
    /// `false`, after waiting for a running handler to return (unless the
    /// caller is that handler).
    #[track_caller]
    pub fn untimeout(&self, id: CalloutId) -> bool {
        let site = Location::caller();
        let me = exec::tid();
        let w = WaitFor::Callout(id.obj);
        let (cancelled, running) = self.st.with(|wh| {
            if let Some(i) = wh.pending.iter().position(|p| p.id == id) {
                return ((wh.pending.remove(i), false), false);
            }
            let running = wh.running == Some(id.seq) && me != self.actor_tid;
            if running {
                register(self.exec.as_deref(), me, w);
            }
            ((None, running), false)
        });
        if running {
            wait(self.exec.as_deref(), me, w, &self.st, |wh| {
                (wh.running != Some(id.seq)).then_some(())
            });
        }
        let was_pending = cancelled.is_some();
        // The handler is dropped unrun, outside the monitor.
        drop(cancelled);
        self.event(me, Op::Untimeout, id, u64::from(was_pending), site);
        was_pending
    }

    /// Stops the wheel: callouts already set still run, then the actor
    /// exits and is joined. Setting a callout afterwards is a
    /// `SYNC-MISUSE` violation, and so is a second shutdown or one from a
    /// handler.
    #[track_caller]
    pub fn shutdown(&self) {
        let me = exec::tid();
        let actor = self.actor.lock().unwrap_or_else(|e| e.into_inner()).take();
        let Some(actor) = actor.filter(|_| me != self.actor_tid) else {
            self.misuse(me, "Callouts::shutdown twice or from a callout handler");
        };
        self.st.with(|w| {
            w.stopping = true;
            ((), true)
        });
        actor.join();
    }
}

impl Drop for Callouts {
    /// A wheel dropped without `shutdown` leaves its actor blocked forever
    /// (and uncounted by runners that wait only for the main thread): a
    /// `SYNC-MISUSE` violation. Not after the run already failed: on real
    /// threads the scenario's main thread unwinds from its violation while
    /// another thread goes on and may drop the wheel last.
    fn drop(&mut self) {
        let running = self.actor.get_mut().map_or(true, |a| a.is_some());
        let failed = self.exec.as_ref().is_some_and(|e| e.run.has_fatal());
        if running && exec::in_model() && !std::thread::panicking() && !failed {
            self.misuse(exec::tid(), "Callouts dropped without shutdown");
        }
    }
}

/// The actor: runs pending handlers one at a time until shut down.
fn run(st: &Monitor<Wheel>, exec: Option<&Exec>) {
    let me = exec::tid();
    let site = Location::caller();
    let next = |w: &mut Wheel| match w.pending.pop_front() {
        Some(p) => {
            w.running = Some(p.id.seq);
            if let Some(e) = exec {
                e.set_runner(p.id.obj, Some(me));
            }
            Some(Some(p))
        }
        None => w.stopping.then_some(None),
    };
    while let Some(p) = st.wait_until(&next) {
        let name = callout_name(p.id.seq);
        if let Some(e) = exec {
            e.event(me, Op::Callout, name, 0, 0, site);
        }
        (p.handler)();
        if let Some(e) = exec {
            e.event(me, Op::CalloutDone, name, 0, 0, site);
        }
        st.with(|w| {
            w.running = None;
            if let Some(e) = exec {
                e.set_runner(p.id.obj, None);
            }
            ((), true)
        });
    }
}

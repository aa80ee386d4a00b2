//! What every lock of the facade shares: its identity in the execution,
//! lock-order validation, the ghost record of who holds it, and blocking
//! with deadlock detection. Each lock keeps its own state machine in a
//! [`Monitor`]; this module only does the bookkeeping around it.
//!
//! Ghost updates follow one rule so that a deadlock report never names a
//! thread that is not really stuck: a thread is registered as waiting in
//! the same monitor critical section that decides it must wait, and is
//! unregistered (and, for a lock, recorded as holder) in the critical
//! section that lets it go. Plain acquisitions and releases may lag the
//! modelled state, but only in the direction of "not held", which can
//! delay a cycle report to the next waiter, never invent one.

use super::monitor::Monitor;
use crate::check::{fail, SYNC_DEADLOCK, SYNC_MISUSE};
use crate::exec::{self, Exec, Held, ObjId, Tid, WaitFor};
use crate::lockdep::{self, How};
use crate::trace::{ObjName, Op};
use std::panic::Location;
use std::sync::Arc;

/// A lock's name, ghost id and execution (`exec` is `None` outside a
/// model, where locks still work but record nothing).
pub(crate) struct LockObj {
    pub(crate) name: ObjName,
    pub(crate) id: ObjId,
    pub(crate) exec: Option<Arc<Exec>>,
}

impl LockObj {
    /// Registers a lock of `kind` in the calling execution.
    pub(crate) fn new(kind: &'static str, class: &'static str, index: u32) -> Self {
        let name = ObjName { kind, class, index };
        let exec = exec::current();
        let id = exec.as_ref().map_or(ObjId(0), |e| e.register(name));
        LockObj { name, id, exec }
    }

    /// Validates the acquisition against the locks `me` holds (before a
    /// blocking acquisition blocks, or after a try succeeds).
    pub(crate) fn order(&self, me: Tid, how: How, site: &'static Location<'static>) {
        if let Some(e) = &self.exec {
            lockdep::acquire(e, me, self.name, how, site);
        }
    }

    fn held(&self, shared: bool, how: How, site: &'static Location<'static>) -> Held {
        Held {
            obj: self.id,
            name: self.name,
            by_try: how == How::Try,
            shared,
            site,
        }
    }

    /// Records that `me` holds the lock (after an acquisition that did not
    /// wait).
    pub(crate) fn hold(&self, me: Tid, shared: bool, how: How, site: &'static Location<'static>) {
        if let Some(e) = &self.exec {
            e.hold(me, self.held(shared, how, site));
        }
    }

    /// Records that `tid`, registered as waiting for the lock, now holds
    /// it; called inside the critical section that grants it (by `tid`
    /// itself, or by the thread that hands the lock off to it).
    pub(crate) fn granted(&self, tid: Tid, shared: bool, site: &'static Location<'static>) {
        if let Some(e) = &self.exec {
            e.grant(tid, self.held(shared, How::Blocking, site));
        }
    }

    /// After a try operation: validates and records the hold if it
    /// succeeded (a try adds no ordering edge), and traces the outcome
    /// with `mode` (the lock's mode code, 0 for a plain lock).
    pub(crate) fn tried(
        &self,
        me: Tid,
        got: bool,
        shared: bool,
        mode: u64,
        site: &'static Location<'static>,
    ) {
        if got {
            self.order(me, How::Try, site);
            self.hold(me, shared, How::Try, site);
        }
        let op = if got {
            Op::TryEnterOk
        } else {
            Op::TryEnterFail
        };
        self.event(me, op, mode, site);
    }

    /// Records that `me` now holds the lock in the other mode (after a
    /// downgrade or an upgrade).
    pub(crate) fn set_mode(&self, me: Tid, shared: bool) {
        if let Some(e) = &self.exec {
            e.set_shared(me, self.id, shared);
        }
    }

    /// Moves `from`'s hold to `to` (a lock handed to the thread that will
    /// release it), in the mode `from` held it; a [`SYNC_MISUSE`]
    /// violation if `from` held none. Traced as `from`'s exit and `to`'s
    /// enter, with the lock's `mode` code.
    pub(crate) fn transfer(&self, from: Tid, to: Tid, mode: u64, site: &'static Location<'static>) {
        let Some(e) = &self.exec else { return };
        let shared = self.mode_of(from).unwrap_or(false);
        if !e.release(from, self.id) {
            self.misuse(from, &format!("hand-off of {} it does not hold", self.name));
        }
        e.hold(to, self.held(shared, How::Blocking, site));
        e.event(from, Op::Exit, self.name, mode, 0, site);
        e.event(to, Op::Enter, self.name, mode, 0, site);
    }

    /// Drops `me`'s hold; a [`SYNC_MISUSE`] violation if it held none.
    pub(crate) fn release(&self, me: Tid, what: &str) {
        if let Some(e) = &self.exec {
            if !e.release(me, self.id) {
                self.misuse(me, &format!("{what} {} it does not hold", self.name));
            }
        }
    }

    /// Fails [`SYNC_MISUSE`] for thread `me`.
    pub(crate) fn misuse(&self, me: Tid, what: &str) -> ! {
        fail(SYNC_MISUSE, format!("thread {me}: {what}"))
    }

    /// Threads holding the lock, each with whether it holds it shared
    /// (ghost state: for assertions and reports, no scheduling point).
    /// `None` outside a model.
    pub(crate) fn holds(&self) -> Option<Vec<(Tid, bool)>> {
        self.exec.as_ref().map(|e| e.holds(self.id))
    }

    /// How `me` holds the lock: `Some(shared)` or `None` (ghost; `None`
    /// outside a model too).
    pub(crate) fn mode_of(&self, me: Tid) -> Option<bool> {
        self.holds()?
            .into_iter()
            .find(|&(t, _)| t == me)
            .map(|(_, shared)| shared)
    }

    pub(crate) fn event(&self, me: Tid, op: Op, a: u64, site: &'static Location<'static>) {
        if let Some(e) = &self.exec {
            e.event(me, op, self.name, a, 0, site);
        }
    }

    /// Registers `me` as waiting for the lock; call inside the critical
    /// section that decides to wait.
    #[track_caller]
    pub(crate) fn register(&self, me: Tid) {
        register(self.exec.as_deref(), me, WaitFor::Lock(self.id));
    }

    /// Unregisters the wait of `tid`, woken without being granted the
    /// lock; call inside the critical section that wakes it.
    pub(crate) fn unregister(&self, tid: Tid) {
        if let Some(e) = &self.exec {
            e.set_waiting(tid, None);
        }
    }

    /// After [`LockObj::register`]: the lock cycle this wait would close,
    /// described, if any.
    pub(crate) fn cycle(&self, me: Tid) -> Option<String> {
        self.exec
            .as_deref()
            .and_then(|e| cycle(e, me, WaitFor::Lock(self.id)))
    }

    /// After [`LockObj::register`]: checks for a deadlock, then waits on
    /// `st` until `grant` returns `Some`.
    pub(crate) fn wait<T, R>(
        &self,
        me: Tid,
        st: &Monitor<T>,
        grant: impl FnMut(&mut T) -> Option<R>,
    ) -> R {
        wait(self.exec.as_deref(), me, WaitFor::Lock(self.id), st, grant)
    }
}

/// Registers `me` as waiting for `w`; call inside the critical section that
/// decides to wait. The trace gets an [`Op::Blocks`] event: the wait that
/// `vmspec replay --story` shows (an uncontended acquisition logs none).
#[track_caller]
pub(crate) fn register(exec: Option<&Exec>, me: Tid, w: WaitFor) {
    if let Some(e) = exec {
        e.set_waiting(me, Some(w));
        if let WaitFor::Lock(o) | WaitFor::Callout(o) = w {
            e.event(me, Op::Blocks, e.obj_name(o), 0, 0, Location::caller());
        }
    }
}

/// After [`register`]: fails [`SYNC_DEADLOCK`] if the wait closes a cycle,
/// then waits on `st` until `grant` returns `Some`, and unregisters the
/// wait in the critical section where it returns.
pub(crate) fn wait<T, R>(
    exec: Option<&Exec>,
    me: Tid,
    w: WaitFor,
    st: &Monitor<T>,
    mut grant: impl FnMut(&mut T) -> Option<R>,
) -> R {
    if let Some(msg) = exec.and_then(|e| cycle(e, me, w)) {
        fail(SYNC_DEADLOCK, msg);
    }
    st.wait_until(|s| {
        let r = grant(s);
        if r.is_some() {
            if let Some(e) = exec {
                e.set_waiting(me, None);
            }
        }
        r
    })
}

/// If `me`, registered as waiting for `w`, closes a cycle of threads each
/// waiting for something the next one holds, describes the cycle.
pub(crate) fn cycle(e: &Exec, me: Tid, w: WaitFor) -> Option<String> {
    let cycle = e.lock_cycle(me, w)?;
    let n = cycle.len();
    let desc: Vec<String> = (0..n)
        .map(|i| {
            let (t, o) = cycle[i];
            let holder = cycle[(i + 1) % n].0;
            let name = e.obj_name(o);
            let verb = if name.kind == "callout" {
                "running on"
            } else {
                "held by"
            };
            format!("thread {t} waits for {name} {verb} thread {holder}")
        })
        .collect();
    Some(format!("lock cycle: {}", desc.join("; ")))
}

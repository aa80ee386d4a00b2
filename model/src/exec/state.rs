use super::{current::set_tid, Backend, RunShared, Tid, Violation};
use crate::trace::{Event, ObjName, Op};
use std::any::{Any, TypeId};
use std::fmt;
use std::panic::Location;
use std::sync::{Arc, Mutex, MutexGuard};

/// Identity of a modelled object within one execution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjId(pub u32);

/// What a blocked thread waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitFor {
    /// A lock instance (mutex, rwlock, page lock) held by other threads.
    Lock(ObjId),
    /// A condition variable.
    Cv(ObjId),
    /// Another thread's exit.
    Join(Tid),
    /// A running callout handler (`untimeout`).
    Callout(ObjId),
}

impl WaitFor {
    /// The object a lock or callout wait is for; `None` for waits that
    /// lock cycles do not follow (condvars, joins).
    fn object(self) -> Option<ObjId> {
        match self {
            WaitFor::Lock(o) | WaitFor::Callout(o) => Some(o),
            WaitFor::Cv(_) | WaitFor::Join(_) => None,
        }
    }
}

/// One lock a thread holds.
#[derive(Clone, Copy, Debug)]
pub struct Held {
    pub obj: ObjId,
    pub name: ObjName,
    /// Taken by a try operation (adds no ordering edge).
    pub by_try: bool,
    /// Held shared (a reader of an rwlock, a shared page lock); several
    /// threads may hold the lock at once.
    pub shared: bool,
    pub site: &'static Location<'static>,
}

#[derive(Debug, Default)]
struct ThreadGhost {
    name: &'static str,
    held: Vec<Held>,
    waiting: Option<WaitFor>,
    seed: Option<&'static str>,
    last: Option<Event>,
    done: bool,
    /// The loop the thread last went round, see [`Spin`].
    spin: Option<Spin>,
}

/// The loop a thread went round last: where it goes round (the retry
/// hint's caller), the seed line it was at on the first of those passes,
/// and how many passes it made there in a row.
#[derive(Clone, Copy, Debug)]
pub struct Spin {
    pub site: &'static std::panic::Location<'static>,
    pub seed: Option<&'static str>,
    pub passes: u32,
}

#[derive(Debug)]
struct ObjGhost {
    name: ObjName,
    holders: Vec<Tid>,
}

#[derive(Debug, Default)]
struct Ghost {
    threads: Vec<ThreadGhost>,
    objs: Vec<ObjGhost>,
    events: Vec<Event>,
}

/// One execution of a scenario.
#[derive(Debug)]
pub struct Exec {
    pub backend: Backend,
    pub run: Arc<RunShared>,
    /// 1-based execution number within the run.
    pub number: u64,
    ghost: Mutex<Ghost>,
    /// Per-execution state the layers above keep here (the sync layer's
    /// pending signals), one value per type: see [`Exec::local`].
    locals: Mutex<Vec<(TypeId, Arc<dyn Any + Send + Sync>)>>,
}

/// A thread's state as reports show it.
#[derive(Clone, Debug)]
pub struct ThreadSnapshot {
    pub tid: Tid,
    pub name: &'static str,
    pub holds: Vec<String>,
    pub waits: Option<String>,
    pub last: Option<String>,
    pub done: bool,
}

impl fmt::Display for ThreadSnapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "thread {} ({})", self.tid, self.name)?;
        if self.done {
            return write!(f, ": finished");
        }
        if self.holds.is_empty() {
            write!(f, ": holds nothing")?;
        } else {
            write!(f, ": holds [{}]", self.holds.join(", "))?;
        }
        if let Some(w) = &self.waits {
            write!(f, "; waits for {w}")?;
        }
        if let Some(l) = &self.last {
            write!(f, "; last: {l}")?;
        }
        Ok(())
    }
}

impl Exec {
    /// Creates the next execution of `run` on `backend` and makes it
    /// current; the calling thread becomes model thread 0. Must be called
    /// inside the backend's execution (loom and shuttle objects are created
    /// per execution).
    pub fn begin(backend: Backend, run: Arc<RunShared>) -> Arc<Exec> {
        let exec = Exec::new(backend, run);
        exec.enter();
        exec
    }

    /// Creates the next execution of `run` without entering it.
    pub fn new(backend: Backend, run: Arc<RunShared>) -> Arc<Exec> {
        let number = run.begin_execution();
        Arc::new(Exec {
            backend,
            run,
            number,
            ghost: Mutex::new(Ghost {
                threads: vec![ThreadGhost {
                    name: "main",
                    ..Default::default()
                }],
                ..Default::default()
            }),
            locals: Mutex::new(Vec::new()),
        })
    }

    /// Whether one model thread runs at a time (loom, shuttle), so that
    /// ghost state checked between two steps equals the modelled state;
    /// under real threads it may lag, and checks made while other threads
    /// run must be skipped.
    pub fn serialized(&self) -> bool {
        self.backend != Backend::Std
    }

    /// Makes this execution current on the calling OS thread, as thread 0.
    pub fn enter(self: &Arc<Self>) {
        super::enter_execution(self.clone());
        set_tid(self.backend, 0);
    }

    /// This execution's value of type `T`, made by `init` on first use:
    /// state a layer above the execution keeps per execution (the sync
    /// layer's pending signals) without the execution naming its type.
    pub fn local<T: Any + Send + Sync>(&self, init: impl FnOnce() -> T) -> Arc<T> {
        let id = TypeId::of::<T>();
        let mut locals = self.locals.lock().unwrap_or_else(|e| e.into_inner());
        let any = match locals.iter().find(|(t, _)| *t == id) {
            Some((_, v)) => v.clone(),
            None => {
                let v: Arc<dyn Any + Send + Sync> = Arc::new(init());
                locals.push((id, v.clone()));
                v
            }
        };
        any.downcast::<T>().expect("one value per type")
    }

    fn g(&self) -> MutexGuard<'_, Ghost> {
        self.ghost.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers a modelled object and returns its id.
    pub fn register(&self, name: ObjName) -> ObjId {
        let mut g = self.g();
        g.objs.push(ObjGhost {
            name,
            holders: Vec::new(),
        });
        ObjId(g.objs.len() as u32 - 1)
    }

    pub fn obj_name(&self, id: ObjId) -> ObjName {
        self.g().objs[id.0 as usize].name
    }

    /// Allocates the next thread id (spawn order).
    pub(crate) fn new_thread(&self, name: &'static str) -> Tid {
        let mut g = self.g();
        g.threads.push(ThreadGhost {
            name,
            ..Default::default()
        });
        g.threads.len() - 1
    }

    pub(crate) fn thread_done(&self, tid: Tid) {
        let mut g = self.g();
        let t = &mut g.threads[tid];
        t.done = true;
        t.waiting = None;
    }

    /// Thread `tid` goes round the loop at `site` once more (ghost).
    pub(crate) fn went_round(&self, tid: Tid, site: &'static std::panic::Location<'static>) {
        if let Some(t) = self.g().threads.get_mut(tid) {
            match &mut t.spin {
                Some(s) if s.site == site => s.passes += 1,
                _ => {
                    t.spin = Some(Spin {
                        site,
                        seed: t.seed,
                        passes: 1,
                    })
                }
            }
        }
    }

    /// The loop thread `tid` went round last, if any.
    pub fn spin(&self, tid: Tid) -> Option<Spin> {
        self.g().threads.get(tid).and_then(|t| t.spin)
    }

    pub(crate) fn set_seed(&self, tid: Tid, line: &'static str) {
        if let Some(t) = self.g().threads.get_mut(tid) {
            t.seed = Some(line);
        }
    }

    /// Appends an event of thread `tid` to the log.
    pub fn event(
        &self,
        tid: Tid,
        op: Op,
        obj: ObjName,
        a: u64,
        b: u64,
        site: &'static Location<'static>,
    ) {
        let mut g = self.g();
        let seed = g.threads.get(tid).and_then(|t| t.seed);
        let ev = Event {
            tid,
            op,
            obj,
            a,
            b,
            site,
            seed,
        };
        if let Some(t) = g.threads.get_mut(tid) {
            t.last = Some(ev);
        }
        g.events.push(ev);
        let step = g.events.len() - 1;
        drop(g);
        if self.run.config.break_at == Some(step) {
            super::vmspec_break(step, &ev);
        }
    }

    /// The events of this execution so far.
    pub fn events(&self) -> Vec<Event> {
        self.g().events.clone()
    }

    /// The last event logged, if any.
    pub fn last_event(&self) -> Option<Event> {
        self.g().events.last().copied()
    }

    /// How many events this execution has logged (the guide scheduler uses
    /// it to follow a recorded trace).
    pub fn event_count(&self) -> usize {
        self.g().events.len()
    }

    /// Records that `tid` now holds lock `obj`.
    pub(crate) fn hold(&self, tid: Tid, held: Held) {
        let mut g = self.g();
        g.objs[held.obj.0 as usize].holders.push(tid);
        g.threads[tid].held.push(held);
    }

    /// Records that `tid`, which waited for lock `held.obj`, now holds it
    /// and waits no more (one step, so no report sees half of it).
    pub(crate) fn grant(&self, tid: Tid, held: Held) {
        let mut g = self.g();
        g.objs[held.obj.0 as usize].holders.push(tid);
        let t = &mut g.threads[tid];
        t.held.push(held);
        t.waiting = None;
    }

    /// Records that `tid` released lock `obj`; returns whether it held it.
    pub(crate) fn release(&self, tid: Tid, obj: ObjId) -> bool {
        let mut g = self.g();
        let holders = &mut g.objs[obj.0 as usize].holders;
        if let Some(i) = holders.iter().position(|&t| t == tid) {
            holders.swap_remove(i);
        }
        let held = &mut g.threads[tid].held;
        match held.iter().rposition(|h| h.obj == obj) {
            Some(i) => {
                held.remove(i);
                true
            }
            None => false,
        }
    }

    /// Locks `tid` holds, oldest first.
    pub fn held(&self, tid: Tid) -> Vec<Held> {
        self.g().threads[tid].held.clone()
    }

    /// Whether `tid` holds no lock (cheaper than [`Exec::held`]).
    pub fn holds_nothing(&self, tid: Tid) -> bool {
        self.g().threads[tid].held.is_empty()
    }

    /// Threads holding lock `obj` (a thread that holds it twice, as a
    /// recursive reader, is listed twice).
    pub fn holders(&self, obj: ObjId) -> Vec<Tid> {
        self.g().objs[obj.0 as usize].holders.clone()
    }

    /// Threads holding lock `obj`, each with whether it holds it shared.
    pub fn holds(&self, obj: ObjId) -> Vec<(Tid, bool)> {
        let g = self.g();
        g.objs[obj.0 as usize]
            .holders
            .iter()
            .map(|&t| {
                let shared = g.threads[t]
                    .held
                    .iter()
                    .rev()
                    .find(|h| h.obj == obj)
                    .is_some_and(|h| h.shared);
                (t, shared)
            })
            .collect()
    }

    /// Records that `tid` now holds `obj` in the other mode (downgrade or
    /// upgrade).
    pub(crate) fn set_shared(&self, tid: Tid, obj: ObjId, shared: bool) {
        let mut g = self.g();
        if let Some(h) = g.threads[tid].held.iter_mut().rev().find(|h| h.obj == obj) {
            h.shared = shared;
        }
    }

    /// Records that `tid` runs object `obj` (a callout handler) without
    /// holding it as a lock: waiters on `obj` then wait for `tid` in
    /// deadlock reports, but lock order is not involved. `None` clears it.
    pub(crate) fn set_runner(&self, obj: ObjId, tid: Option<Tid>) {
        self.g().objs[obj.0 as usize].holders = tid.into_iter().collect();
    }

    pub(crate) fn set_waiting(&self, tid: Tid, w: Option<WaitFor>) {
        self.g().threads[tid].waiting = w;
    }

    /// If `tid`, still registered as waiting for `w` (a lock, or a running
    /// callout), would close a cycle of threads each waiting for an object
    /// that the next one holds, returns the cycle as (thread, object it
    /// waits for) pairs starting with `tid`. Every holder of a shared lock
    /// is followed: a waiter needs all of them to let go, so a cycle
    /// through any one of them is a deadlock. A thread that a wakeup has
    /// already released from `w` is not waiting, so it closes no cycle.
    pub(crate) fn lock_cycle(&self, tid: Tid, w: WaitFor) -> Option<Vec<(Tid, ObjId)>> {
        let g = self.g();
        if g.threads[tid].waiting != Some(w) {
            return None;
        }
        let mut path = vec![(tid, w.object()?)];
        let mut dead = vec![false; g.threads.len()];
        dead[tid] = true;
        cycle_from(&g, tid, &mut path, &mut dead).then_some(path)
    }

    /// Every thread's state, for a report.
    pub fn snapshot(&self) -> Vec<ThreadSnapshot> {
        let g = self.g();
        g.threads
            .iter()
            .enumerate()
            .map(|(tid, t)| ThreadSnapshot {
                tid,
                name: t.name,
                holds: t
                    .held
                    .iter()
                    .map(|h| {
                        let shared = if h.shared { " (shared)" } else { "" };
                        let how = if h.by_try { " (try)" } else { "" };
                        format!("{}{shared}{how}", h.name)
                    })
                    .collect(),
                waits: t.waiting.map(|w| match w {
                    WaitFor::Lock(o) | WaitFor::Callout(o) => {
                        let o = &g.objs[o.0 as usize];
                        let by: Vec<String> =
                            o.holders.iter().map(|h| format!("thread {h}")).collect();
                        let verb = if matches!(w, WaitFor::Lock(_)) {
                            "held"
                        } else {
                            "running"
                        };
                        format!("{} ({verb} by {})", o.name, by.join(", "))
                    }
                    WaitFor::Cv(o) => g.objs[o.0 as usize].name.to_string(),
                    WaitFor::Join(t) => format!("thread {t} to exit (join)"),
                }),
                last: t.last.map(|e| e.to_string()),
                done: t.done,
            })
            .collect()
    }

    /// Builds a violation of `check` detected by the calling thread.
    pub fn violation(&self, check: &'static str, message: String, fatal: bool) -> Violation {
        self.violation_by(Some(super::tid()), check, message, fatal)
    }

    /// Builds a violation detected by thread `tid`, or by the backend's
    /// scheduler (`None`: a panic hook must not ask the backend which
    /// thread runs, since the backend may be mid-update).
    pub fn violation_by(
        &self,
        tid: Option<Tid>,
        check: &'static str,
        message: String,
        fatal: bool,
    ) -> Violation {
        Violation {
            check,
            message,
            tid,
            fatal,
            threads: self.snapshot(),
        }
    }
}

/// Depth-first search for a path from the holders of the last object on
/// `path` back to `path[0].0`; extends `path` along the way. `dead` marks
/// threads already explored (or on the path).
fn cycle_from(g: &Ghost, start: Tid, path: &mut Vec<(Tid, ObjId)>, dead: &mut [bool]) -> bool {
    let (_, obj) = *path.last().expect("path starts non-empty");
    for &h in &g.objs[obj.0 as usize].holders {
        if h == start {
            return true;
        }
        if dead[h] {
            continue;
        }
        dead[h] = true;
        let Some(next) = g.threads[h].waiting.and_then(WaitFor::object) else {
            continue;
        };
        path.push((h, next));
        if cycle_from(g, start, path, dead) {
            return true;
        }
        path.pop();
    }
    false
}

//! `kmutex_t`: an adaptive kernel mutex with an owner.

use super::monitor::Monitor;
use crate::check::{fail, SYNC_DEADLOCK, SYNC_MISUSE};
use crate::exec::{self, Exec, Held, ObjId, Tid, WaitFor};
use crate::lockdep::{self, How};
use crate::trace::{ObjName, Op};
use std::panic::Location;
use std::sync::Arc;

#[derive(Default)]
struct State {
    owner: Option<Tid>,
    waiters: u32,
}

/// A kernel mutex (`mutex_enter` / `mutex_tryenter` / `mutex_exit` /
/// `MUTEX_HELD`). Instances of one *class* (all segmap slot mutexes, say)
/// share a lock-order rank; `index` tells instances apart in reports.
///
/// Backend mapping: an owner word inside a backend monitor. `enter` waits
/// on the monitor's condvar while another thread owns the mutex; `tryenter`
/// never waits (loom's own `try_lock` is not used, GUIDE trap 1). Deviation
/// from illumos: no adaptive spinning (it changes no outcome), and `exit`
/// by a non-owner or a recursive `enter` is a [`SYNC_MISUSE`] violation
/// where illumos would panic.
pub struct KMutex {
    st: Monitor<State>,
    name: ObjName,
    id: ObjId,
    exec: Option<Arc<Exec>>,
}

impl std::fmt::Debug for KMutex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.name)
    }
}

impl KMutex {
    pub fn new(class: &'static str, index: u32) -> Self {
        let name = ObjName {
            kind: "mutex",
            class,
            index,
        };
        let exec = exec::current();
        let id = exec.as_ref().map_or(ObjId(0), |e| e.register(name));
        KMutex {
            st: Monitor::new(State::default()),
            name,
            id,
            exec,
        }
    }

    pub fn name(&self) -> ObjName {
        self.name
    }

    /// `mutex_enter`: blocks until the mutex is free, then owns it.
    #[track_caller]
    pub fn enter(&self) {
        let site = Location::caller();
        let me = exec::tid();
        if self.owner() == Some(me) {
            fail(
                SYNC_MISUSE,
                format!("thread {me}: recursive mutex_enter of {}", self.name),
            );
        }
        self.acquire(me, site);
        if let Some(e) = &self.exec {
            e.event(me, Op::Enter, self.name, 0, 0, site);
        }
    }

    /// Validates the order, waits for the mutex, owns it and records the
    /// hold (shared by `enter` and the re-acquisition after a cv wait).
    fn acquire(&self, me: Tid, site: &'static Location<'static>) {
        if let Some(e) = &self.exec {
            lockdep::acquire(e, me, self.name, How::Blocking, site);
        }
        let got = self.st.with(|s| match s.owner {
            None => {
                s.owner = Some(me);
                (true, false)
            }
            Some(_) => {
                s.waiters += 1;
                (false, false)
            }
        });
        if !got {
            self.block(me);
        }
        self.hold(me, How::Blocking, site);
    }

    fn block(&self, me: Tid) {
        if let Some(e) = &self.exec {
            e.set_waiting(me, Some(WaitFor::Lock(self.id)));
            if let Some(cycle) = e.lock_cycle(me, self.id) {
                let n = cycle.len();
                let desc: Vec<String> = (0..n)
                    .map(|i| {
                        let (t, o) = cycle[i];
                        let holder = cycle[(i + 1) % n].0;
                        format!(
                            "thread {t} waits for {} held by thread {holder}",
                            e.obj_name(o)
                        )
                    })
                    .collect();
                fail(SYNC_DEADLOCK, format!("lock cycle: {}", desc.join("; ")));
            }
        }
        self.st.wait_until(|s| match s.owner {
            None => {
                s.owner = Some(me);
                s.waiters -= 1;
                Some(())
            }
            Some(_) => None,
        });
        if let Some(e) = &self.exec {
            e.set_waiting(me, None);
        }
    }

    fn hold(&self, me: Tid, how: How, site: &'static Location<'static>) {
        if let Some(e) = &self.exec {
            e.hold(
                me,
                Held {
                    obj: self.id,
                    name: self.name,
                    by_try: how == How::Try,
                    site,
                },
            );
        }
    }

    /// `mutex_tryenter`: owns the mutex if it is free; never blocks.
    #[track_caller]
    pub fn tryenter(&self) -> bool {
        let site = Location::caller();
        let me = exec::tid();
        let got = self.st.with(|s| match s.owner {
            None => {
                s.owner = Some(me);
                (true, false)
            }
            Some(_) => (false, false),
        });
        if got {
            if let Some(e) = &self.exec {
                lockdep::acquire(e, me, self.name, How::Try, site);
            }
            self.hold(me, How::Try, site);
        }
        if let Some(e) = &self.exec {
            let op = if got {
                Op::TryEnterOk
            } else {
                Op::TryEnterFail
            };
            e.event(me, op, self.name, 0, 0, site);
        }
        got
    }

    /// `mutex_exit`: releases the mutex, which the caller must own.
    #[track_caller]
    pub fn exit(&self) {
        let site = Location::caller();
        let me = exec::tid();
        self.release(me, "mutex_exit of");
        if let Some(e) = &self.exec {
            e.event(me, Op::Exit, self.name, 0, 0, site);
        }
    }

    fn release(&self, me: Tid, what: &str) {
        if let Some(e) = &self.exec {
            if !e.release(me, self.id) {
                fail(
                    SYNC_MISUSE,
                    format!("thread {me}: {what} {} it does not own", self.name),
                );
            }
        }
        self.st.with(|s| {
            s.owner = None;
            ((), s.waiters > 0)
        });
    }

    /// `MUTEX_HELD`: whether the calling thread owns the mutex. Reads the
    /// ghost holder list, so an assertion adds no scheduling point.
    pub fn held(&self) -> bool {
        self.owner() == Some(exec::tid())
    }

    /// The owning thread, if any (ghost state; no scheduling point).
    pub fn owner(&self) -> Option<Tid> {
        match &self.exec {
            Some(e) => e.holder(self.id),
            None => self.st.with(|s| (s.owner, false)),
        }
    }

    /// Releases for a condvar wait (traced as part of the wait).
    pub(crate) fn release_for_wait(&self, me: Tid) {
        self.release(me, "cv_wait on");
    }

    /// Re-acquires after a condvar wait.
    pub(crate) fn reacquire(&self, me: Tid, site: &'static Location<'static>) {
        self.acquire(me, site);
    }
}

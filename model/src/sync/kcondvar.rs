//! `kcondvar_t`: a kernel condition variable with FIFO waiters.

use super::callout::Callouts;
use super::kmutex::KMutex;
use super::monitor::Monitor;
use super::signal::SignalTable;
use crate::exec::{self, Exec, ObjId, WaitFor};
use crate::trace::{ObjName, Op};
use std::panic::Location;
use std::sync::Arc;

/// How a wait ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wakeup {
    /// Chosen by `signal` or `broadcast`.
    Signalled,
    /// A signal was pending (`cv_wait_sig` returned 0). If `signal` had
    /// chosen this waiter too, that wakeup is consumed.
    Interrupted,
    /// The timeout of `timed_wait` fired (`cv_timedwait` returned -1). If
    /// `signal` had chosen this waiter too, the wakeup is passed on.
    TimedOut,
}

struct Waiter {
    tid: usize,
    /// Chosen by `signal` or `broadcast`.
    woken: bool,
    /// Woken by its timeout: off the queue, so `signal` and `broadcast`
    /// pass it by.
    timed_out: bool,
}

#[derive(Default)]
struct CvState {
    waiters: Vec<Waiter>,
}

/// The waiter list, shared with the signal table so a posted signal can
/// wake a `wait_sig` sleeper.
pub(crate) struct CvShared(Monitor<CvState>);

impl CvShared {
    pub(crate) fn wake_all(&self) {
        self.0.with(|_| ((), true));
    }

    /// The timeout handler of `timed_wait` (condvar.c `cv_wakeup`): takes
    /// waiter `tid` off the queue unless a signal already woke it.
    fn time_out(&self, tid: usize) {
        self.0
            .with(|s| match s.waiters.iter_mut().find(|w| w.tid == tid) {
                Some(w) if !w.woken => {
                    w.timed_out = true;
                    ((), true)
                }
                _ => ((), false),
            });
    }
}

/// A kernel condition variable (`cv_wait`, `cv_wait_sig`, `cv_timedwait`,
/// `cv_signal`, `cv_broadcast`).
///
/// Backend mapping: a FIFO list of waiters in a backend monitor; `signal`
/// marks exactly one waiter (the oldest not yet chosen) and `broadcast`
/// marks all, so a signal where a broadcast is needed strands the other
/// waiters and shows as a deadlock. A waiter joins the list before it
/// releases the mutex, so no wakeup is lost between the two. Deviation from
/// illumos: no spurious wakeups (callers' loops are still exercised by
/// broadcasts and interrupted waits); wake order is FIFO, not by priority;
/// a timed wait's timeout has no duration (see [`KCondvar::timed_wait`]).
pub struct KCondvar {
    st: Arc<CvShared>,
    name: ObjName,
    id: ObjId,
    exec: Option<Arc<Exec>>,
}

impl KCondvar {
    pub fn new(class: &'static str, index: u32) -> Self {
        let name = ObjName {
            kind: "cv",
            class,
            index,
        };
        let exec = exec::current();
        let id = exec.as_ref().map_or(ObjId(0), |e| e.register(name));
        KCondvar {
            st: Arc::new(CvShared(Monitor::new(CvState::default()))),
            name,
            id,
            exec,
        }
    }

    /// `cv_wait`: releases `m`, sleeps until signalled, re-acquires `m`.
    #[track_caller]
    pub fn wait(&self, m: &KMutex) {
        self.wait_inner(m, false, Location::caller());
    }

    /// `cv_wait_sig`: like [`KCondvar::wait`], but returns
    /// [`Wakeup::Interrupted`] if a signal is pending for the caller
    /// (checked before sleeping and at every wakeup, with priority over a
    /// `cv_signal` that chose it).
    #[track_caller]
    pub fn wait_sig(&self, m: &KMutex) -> Wakeup {
        self.wait_inner(m, true, Location::caller())
    }

    fn wait_inner(&self, m: &KMutex, sig: bool, site: &'static Location<'static>) -> Wakeup {
        let me = exec::tid();
        self.enqueue(me);
        let signals = if sig {
            self.exec.as_ref().map(|e| {
                let t = SignalTable::of(e);
                t.sleep_on(me, Some(self.st.clone()));
                t
            })
        } else {
            None
        };
        if let Some(e) = &self.exec {
            e.set_waiting(me, Some(WaitFor::Cv(self.id)));
        }
        // The trace shows the mutex's exit, then the wait.
        m.release_for_wait(me, "cv_wait on");
        if let Some(e) = &self.exec {
            e.event(me, Op::CvWait, self.name, 0, 0, site);
        }
        let how = self.st.0.wait_until(|s| {
            let i = s.waiters.iter().position(|w| w.tid == me)?;
            if signals.as_ref().is_some_and(|t| t.pending(me)) {
                s.waiters.remove(i);
                Some(Wakeup::Interrupted)
            } else if s.waiters[i].woken {
                s.waiters.remove(i);
                Some(Wakeup::Signalled)
            } else {
                None
            }
        });
        if let Some(t) = &signals {
            t.sleep_on(me, None);
        }
        self.woken(me, how, site);
        m.reacquire(me, site);
        how
    }

    fn enqueue(&self, me: usize) {
        self.st.0.with(|s| {
            s.waiters.push(Waiter {
                tid: me,
                woken: false,
                timed_out: false,
            });
            ((), false)
        });
    }

    fn woken(&self, me: usize, how: Wakeup, site: &'static Location<'static>) {
        if let Some(e) = &self.exec {
            e.set_waiting(me, None);
            let op = match how {
                Wakeup::Signalled => Op::CvWoken,
                Wakeup::Interrupted => Op::CvInterrupted,
                Wakeup::TimedOut => Op::CvTimedOut,
            };
            e.event(me, op, self.name, 0, 0, site);
        }
    }

    /// `cv_timedwait` / `cv_reltimedwait` (the seeds' reaper sleep,
    /// vm_seg.c:1547): like [`KCondvar::wait`], but a callout set on
    /// `callouts` may end the wait first, at whatever step the scheduler
    /// runs it; the result is then [`Wakeup::TimedOut`].
    ///
    /// As condvar.c `cv_timedwait_hires`: the timeout is set before the
    /// waiter sleeps; once awake (signalled or timed out) the waiter
    /// untimeouts it, and the wait timed out iff the callout was no longer
    /// pending then, even if a signal woke the waiter first; in that case
    /// the waiter passes the signal on with `cv_signal` after re-taking
    /// `m`, so no wakeup is lost. Timing is not modelled: the callout may
    /// fire at any step, so a timeout is always possible.
    #[track_caller]
    pub fn timed_wait(&self, m: &KMutex, callouts: &Callouts) -> Wakeup {
        let site = Location::caller();
        let me = exec::tid();
        self.enqueue(me);
        let cv = self.st.clone();
        let id = callouts.timeout(Box::new(move || cv.time_out(me)));
        if let Some(e) = &self.exec {
            e.set_waiting(me, Some(WaitFor::Cv(self.id)));
        }
        m.release_for_wait(me, "cv_timedwait on");
        if let Some(e) = &self.exec {
            e.event(me, Op::CvWait, self.name, 0, 0, site);
        }
        let signalled = self.st.0.wait_until(|s| {
            let i = s.waiters.iter().position(|w| w.tid == me)?;
            let w = &s.waiters[i];
            let (woken, timed_out) = (w.woken, w.timed_out);
            if woken || timed_out {
                s.waiters.remove(i);
                Some(woken)
            } else {
                None
            }
        });
        let how = if callouts.untimeout(id) {
            Wakeup::Signalled
        } else {
            Wakeup::TimedOut
        };
        self.woken(me, how, site);
        m.reacquire(me, site);
        if how == Wakeup::TimedOut && signalled {
            self.signal();
        }
        how
    }

    /// `cv_signal`: wakes the oldest waiter not yet chosen, if any.
    #[track_caller]
    pub fn signal(&self) {
        self.st.0.with(
            |s| match s.waiters.iter_mut().find(|w| !w.woken && !w.timed_out) {
                Some(w) => {
                    w.woken = true;
                    ((), true)
                }
                None => ((), false),
            },
        );
        self.trace(Op::CvSignal);
    }

    /// `cv_broadcast`: wakes every waiter.
    #[track_caller]
    pub fn broadcast(&self) {
        self.st.0.with(|s| {
            s.waiters
                .iter_mut()
                .filter(|w| !w.timed_out)
                .for_each(|w| w.woken = true);
            ((), !s.waiters.is_empty())
        });
        self.trace(Op::CvBroadcast);
    }

    #[track_caller]
    fn trace(&self, op: Op) {
        if let Some(e) = &self.exec {
            e.event(exec::tid(), op, self.name, 0, 0, Location::caller());
        }
    }
}

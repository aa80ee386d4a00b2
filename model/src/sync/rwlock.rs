//! `krwlock_t`: a readers/writer lock that prefers writers and hands the
//! lock off to the threads it wakes, as illumos `os/rwlock.c` does.

use super::lockobj::LockObj;
use super::monitor::Monitor;
use crate::exec::{self, Tid};
use crate::lockdep::How;
use crate::trace::{ObjName, Op, MODE_EXCL, MODE_SHARED};
use std::collections::VecDeque;
use std::panic::Location;

/// How an rwlock is entered (`krw_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RwMode {
    /// `RW_READER`: shared with other readers.
    Reader,
    /// `RW_WRITER`: exclusive.
    Writer,
}

impl RwMode {
    fn shared(self) -> bool {
        self == RwMode::Reader
    }

    fn code(self) -> u64 {
        match self {
            RwMode::Reader => MODE_SHARED,
            RwMode::Writer => MODE_EXCL,
        }
    }
}

/// A blocked thread; it wakes up already holding the lock.
struct Waiter {
    tid: Tid,
    mode: RwMode,
    site: &'static Location<'static>,
}

/// All fields are under the lock's monitor.
#[derive(Default)]
struct State {
    /// The writer, while write-locked.
    writer: Option<Tid>,
    /// The hold count, while read-locked.
    readers: u32,
    /// Blocked threads in arrival order. Non-empty only while the lock is
    /// held: the final exit always hands it to a waiter.
    queue: VecDeque<Waiter>,
}

impl State {
    /// `RW_WRITE_WANTED`: a writer is blocked.
    fn write_wanted(&self) -> bool {
        self.queue.iter().any(|w| w.mode == RwMode::Writer)
    }

    /// Whether `mode` may enter now. A reader is refused while a writer
    /// waits (writer preference).
    fn admits(&self, mode: RwMode) -> bool {
        match mode {
            RwMode::Reader => self.writer.is_none() && !self.write_wanted(),
            RwMode::Writer => self.writer.is_none() && self.readers == 0,
        }
    }

    fn take(&mut self, me: Tid, mode: RwMode) {
        match mode {
            RwMode::Reader => self.readers += 1,
            RwMode::Writer => self.writer = Some(me),
        }
    }

    fn queued(&self, me: Tid) -> bool {
        self.queue.iter().any(|w| w.tid == me)
    }

    /// Hands the lock, just released by all its holders, to waiters: all
    /// waiting readers if a writer released it (or no writer waits), else
    /// the first waiting writer. Returns the threads that now hold it.
    fn hand_off(&mut self, from_writer: bool) -> Vec<Waiter> {
        let readers_waiting = self.queue.iter().any(|w| w.mode == RwMode::Reader);
        if readers_waiting && (from_writer || !self.write_wanted()) {
            return self.wake_readers();
        }
        let Some(i) = self.queue.iter().position(|w| w.mode == RwMode::Writer) else {
            return Vec::new();
        };
        let w = self.queue.remove(i).expect("index from position");
        self.writer = Some(w.tid);
        vec![w]
    }

    /// Grants the lock to every waiting reader at once.
    fn wake_readers(&mut self) -> Vec<Waiter> {
        let (readers, writers): (Vec<Waiter>, Vec<Waiter>) = std::mem::take(&mut self.queue)
            .into_iter()
            .partition(|w| w.mode == RwMode::Reader);
        self.queue = writers.into();
        self.readers += readers.len() as u32;
        readers
    }
}

/// A kernel readers/writer lock (`rw_enter`, `rw_tryenter`, `rw_exit`,
/// `rw_downgrade`, `rw_tryupgrade`, `RW_READ_HELD`, `RW_WRITE_HELD`,
/// `RW_LOCK_HELD`). Used by the seeds for `s_as->a_lock` (asserted,
/// seg_map.c:316) and the devmap softlock `sdp->lock` (seg_dev.c:1958,
/// 2120).
///
/// Semantics of illumos `rwlock.c`:
/// * Writer preference: once a writer is blocked, new readers block too
///   (and `tryenter(Reader)` fails), even while the lock is only
///   read-locked. So a thread that re-enters as reader while a writer waits
///   deadlocks with it, and a reader/mutex nesting that is harmless on its
///   own deadlocks when a third thread blocks as writer in between (the
///   "big theory" comment of `rwlock.c`); both show as `SYNC-DEADLOCK`.
/// * Direct hand-off: a blocked thread wakes up already holding the lock.
///   The final exit of a writer grants the lock to all waiting readers at
///   once, else to the first waiting writer; the last reader's exit grants
///   it to the first waiting writer (`rw_exit_wakeup`); `downgrade` grants
///   it to all waiting readers.
/// * `tryupgrade` succeeds only for the sole reader and only while no
///   writer waits.
///
/// Backend mapping: writer, hold count and a FIFO queue of blocked threads
/// in a backend monitor; the releasing thread moves waiters from the queue
/// to the holders, and each waiter sleeps until it is off the queue.
///
/// Deviations from illumos: no priorities (every thread has the same, so
/// "readers of at least the top writer's priority" is all waiting readers,
/// and writers are served FIFO); `RW_READER_STARVEWRITER` is not modelled;
/// `enter` by the thread that holds the lock as writer is a `SYNC-MISUSE`
/// violation where illumos panics, and so are `exit`, `downgrade` and
/// `tryupgrade` by a thread that does not hold the lock in the required
/// mode (illumos can check this only for writers: it does not record
/// readers). Lock order does not distinguish modes: a reader acquisition
/// orders like a writer one, because with writer preference a blocked
/// writer can turn a read/read inversion into a deadlock.
pub struct KRwLock {
    st: Monitor<State>,
    lock: LockObj,
}

impl std::fmt::Debug for KRwLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.lock.name)
    }
}

impl KRwLock {
    pub fn new(class: &'static str, index: u32) -> Self {
        KRwLock {
            st: Monitor::new(State::default()),
            lock: LockObj::new("rwlock", class, index),
        }
    }

    pub fn name(&self) -> ObjName {
        self.lock.name
    }

    /// `rw_enter`: blocks until the lock admits `mode`, and holds it.
    #[track_caller]
    pub fn enter(&self, mode: RwMode) {
        let site = Location::caller();
        let me = exec::tid();
        if self.lock.mode_of(me) == Some(false) {
            let what = format!("recursive rw_enter of {} (held as writer)", self.lock.name);
            self.lock.misuse(me, &what);
        }
        self.lock.order(me, How::Blocking, site);
        let got = self.st.with(|s| {
            if s.admits(mode) {
                s.take(me, mode);
                return (true, false);
            }
            s.queue.push_back(Waiter {
                tid: me,
                mode,
                site,
            });
            self.lock.register(me);
            (false, false)
        });
        if got {
            self.lock.hold(me, mode.shared(), How::Blocking, site);
        } else {
            // The thread that hands the lock off records the hold.
            self.lock
                .wait(me, &self.st, |s| (!s.queued(me)).then_some(()));
        }
        self.lock.event(me, Op::Enter, mode.code(), site);
    }

    /// `rw_tryenter`: holds the lock if it admits `mode` now; never blocks.
    #[track_caller]
    pub fn tryenter(&self, mode: RwMode) -> bool {
        let site = Location::caller();
        let me = exec::tid();
        let got = self.st.with(|s| {
            let ok = s.admits(mode);
            if ok {
                s.take(me, mode);
            }
            (ok, false)
        });
        self.lock.tried(me, got, mode.shared(), mode.code(), site);
        got
    }

    /// Grants the lock to the threads `s.hand_off` or `s.wake_readers`
    /// chose; returns whether any was.
    fn grant(&self, woken: Vec<Waiter>) -> bool {
        for w in &woken {
            self.lock.granted(w.tid, w.mode.shared(), w.site);
        }
        !woken.is_empty()
    }

    /// `rw_exit`: releases the caller's hold; the final exit hands the
    /// lock to waiters.
    #[track_caller]
    pub fn exit(&self) {
        let site = Location::caller();
        let me = exec::tid();
        self.lock.release(me, "rw_exit of");
        let mode = self.st.with(|s| {
            let mode = if s.writer == Some(me) {
                s.writer = None;
                RwMode::Writer
            } else if s.readers > 0 {
                s.readers -= 1;
                RwMode::Reader
            } else {
                return (None, false);
            };
            let free = s.writer.is_none() && s.readers == 0;
            let woke = free && self.grant(s.hand_off(mode == RwMode::Writer));
            (Some(mode), woke)
        });
        let Some(mode) = mode else {
            let what = format!("rw_exit of {} it does not hold", self.lock.name);
            self.lock.misuse(me, &what);
        };
        self.lock.event(me, Op::Exit, mode.code(), site);
    }

    /// `rw_downgrade`: turns the caller's write hold into a read hold and
    /// lets the waiting readers in.
    #[track_caller]
    pub fn downgrade(&self) {
        let site = Location::caller();
        let me = exec::tid();
        let ok = self.st.with(|s| {
            if s.writer != Some(me) {
                return (false, false);
            }
            s.writer = None;
            s.readers = 1;
            let woke = self.grant(s.wake_readers());
            (true, woke)
        });
        if !ok {
            let what = format!("rw_downgrade of {} not held as writer", self.lock.name);
            self.lock.misuse(me, &what);
        }
        self.lock.set_mode(me, true);
        self.lock.event(me, Op::Downgrade, 0, site);
    }

    /// `rw_tryupgrade`: turns the caller's read hold into a write hold if
    /// it is the only reader and no writer waits; never blocks.
    #[track_caller]
    pub fn tryupgrade(&self) -> bool {
        let site = Location::caller();
        let me = exec::tid();
        if self.lock.exec.is_some() && self.lock.mode_of(me) != Some(true) {
            let what = format!("rw_tryupgrade of {} not held as reader", self.lock.name);
            self.lock.misuse(me, &what);
        }
        let got = self.st.with(|s| {
            let ok = s.writer.is_none() && s.readers == 1 && !s.write_wanted();
            if ok {
                s.readers = 0;
                s.writer = Some(me);
            }
            (ok, false)
        });
        if got {
            self.lock.set_mode(me, false);
        }
        let op = if got { Op::UpgradeOk } else { Op::UpgradeFail };
        self.lock.event(me, op, 0, site);
        got
    }

    /// `RW_READ_HELD`: read-locked (by any thread). Ghost state in a
    /// model, so an assertion adds no scheduling point.
    pub fn read_held(&self) -> bool {
        match self.lock.holds() {
            Some(h) => h.iter().any(|&(_, shared)| shared),
            None => self.st.with(|s| (s.readers > 0, false)),
        }
    }

    /// `RW_WRITE_HELD`: write-locked by the calling thread (ghost state).
    pub fn write_held(&self) -> bool {
        let me = exec::tid();
        match self.lock.holds() {
            Some(_) => self.lock.mode_of(me) == Some(false),
            None => self.st.with(|s| (s.writer == Some(me), false)),
        }
    }

    /// `RW_LOCK_HELD`: locked in either mode by any thread (ghost state).
    pub fn lock_held(&self) -> bool {
        match self.lock.holds() {
            Some(h) => !h.is_empty(),
            None => self
                .st
                .with(|s| (s.writer.is_some() || s.readers > 0, false)),
        }
    }
}

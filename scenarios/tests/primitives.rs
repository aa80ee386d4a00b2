//! The kernel primitives of the facade beyond mutex and condvar: rwlock,
//! page lock, page I/O lock, callouts and the timed condvar wait. Each
//! scenario is a tiny program run exhaustively under loom (within its
//! bound), under shuttle PCT and on real threads. Positive scenarios must
//! pass; their program mutants and the negative controls must be caught
//! with the expected check; scenarios whose point is that an outcome is
//! *possible* record outcomes in a static and assert that loom reached
//! each of them.

use harness::{run, Expect, Mutant, Outcome, RunSpec, Scenario, Sched};
use model::check::{PANIC, SYNC_DEADLOCK, SYNC_LOCKORDER, SYNC_MISUSE};
use model::lockdep::{Exception, LockOrder, Nesting};
use model::sync::{
    retry, spawn, AtomicU32, Callouts, IoLock, KCondvar, KMutex, KRwLock, Ordering, PageLock,
    RwMode, Se, Wakeup,
};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

// ---------------------------------------------------------------- runner

/// Outcomes a scenario reached, across the executions of one run.
type Seen = Mutex<BTreeSet<&'static str>>;

fn note(seen: &Seen, what: &'static str) {
    seen.lock().unwrap_or_else(|e| e.into_inner()).insert(what);
}

fn take(seen: &Seen) -> BTreeSet<&'static str> {
    std::mem::take(&mut *seen.lock().unwrap_or_else(|e| e.into_inner()))
}

fn one(s: &'static Scenario, sched: Sched, mutant: Option<&str>) -> Outcome {
    let mut spec = RunSpec::new(s, sched);
    spec.mutant = mutant.map(str::to_string);
    let o = run(&spec);
    println!(
        "{} mutant={:?} {}: {} executions, {:?}, checks {:?}",
        s.id,
        mutant,
        o.spec.sched.describe(),
        o.executions,
        o.elapsed,
        o.checks()
    );
    o
}

fn loom(s: &'static Scenario) -> Sched {
    Sched::Loom {
        bound: s.loom_bound.expect("primitive scenarios run under loom"),
        max: None,
    }
}

fn pct(s: &'static Scenario) -> Sched {
    Sched::Pct {
        depth: s.pct_depth,
        iterations: 2000,
        seed: 7,
    }
}

fn std_threads() -> Sched {
    Sched::Std {
        iterations: 100,
        watchdog: Duration::from_secs(5),
    }
}

fn set(checks: &[&'static str]) -> BTreeSet<&'static str> {
    checks.iter().copied().collect()
}

fn explain(o: &Outcome) -> String {
    o.found
        .iter()
        .map(|f| f.captured.violation.to_string())
        .collect()
}

/// Runs `s` under loom, PCT and real threads. loom must find exactly the
/// expected checks; PCT and real threads may miss a narrow window of a
/// negative control but must find nothing else. Returns the outcomes the
/// loom run recorded in `seen`. Then every mutant must be caught, with its
/// check, by loom and by PCT.
fn check(s: &'static Scenario, seen: Option<&Seen>) -> BTreeSet<&'static str> {
    let want = set(s.expect.checks());
    if let Some(seen) = seen {
        take(seen);
    }
    let o = one(s, loom(s), None);
    if std::env::var_os("PRIM_SHOW").is_some() {
        println!("{}", explain(&o));
    }
    assert_eq!(set(&o.checks()), want, "{}: loom\n{}", s.id, explain(&o));
    let reached = seen.map(take).unwrap_or_default();
    for sched in [pct(s), std_threads()] {
        let o = one(s, sched, None);
        let got = set(&o.checks());
        assert!(got.is_subset(&want), "{}: {}", s.id, explain(&o));
        if want.is_empty() {
            assert!(got.is_empty(), "{}: {}", s.id, explain(&o));
        }
    }
    for m in s.mutants {
        for sched in [loom(s), pct(s)] {
            let o = one(s, sched, Some(m.name));
            assert!(
                o.checks().contains(&m.catches),
                "{}: mutant {} not caught by {}: {:?}",
                s.id,
                m.name,
                m.catches,
                o.checks()
            );
        }
    }
    if let Some(seen) = seen {
        take(seen);
    }
    reached
}

/// Spins (with the retry hint) until `a` is non-zero.
fn await_set(a: &AtomicU32) {
    while a.load(Ordering::Acquire) == 0 {
        retry();
    }
}

// ---------------------------------------------------------------- rwlock

const RW: &str = "test.rw";
const MTX: &str = "test.mutex";

/// The rwlock before the mutex.
static RW_ORDER: LockOrder = LockOrder {
    subsystem: "test-rw",
    ranks: &[&[RW], &[MTX]],
    exceptions: &[],
};

/// Writers add 100, readers 1, to a counter while inside; each checks that
/// nobody else excludes it.
const WRITER: u32 = 100;

fn inside(count: &AtomicU32, mode: RwMode) {
    let add = if mode == RwMode::Writer { WRITER } else { 1 };
    let before = count.fetch_add(add, Ordering::Relaxed);
    let ok = match mode {
        RwMode::Writer => before == 0,
        RwMode::Reader => before < WRITER,
    };
    assert!(ok, "rwlock exclusion broken: {before} inside");
    count.fetch_sub(add, Ordering::Relaxed);
}

fn rw_exclusion() {
    let rw = Arc::new(KRwLock::new(RW, 0));
    let count = Arc::new(AtomicU32::new("test.inside", 0, 0));
    let (rw2, c2) = (rw.clone(), count.clone());
    let w = spawn("writer", move || {
        let mode = if model::mutant("writer-enters-as-reader") {
            RwMode::Reader
        } else {
            RwMode::Writer
        };
        rw2.enter(mode);
        inside(&c2, RwMode::Writer);
        rw2.exit();
    });
    let (rw3, c3) = (rw.clone(), count.clone());
    let w2 = spawn("writer", move || {
        rw3.enter(RwMode::Writer);
        inside(&c3, RwMode::Writer);
        rw3.exit();
        if model::mutant("exit-twice") {
            rw3.exit();
        }
    });
    rw.enter(RwMode::Reader);
    inside(&count, RwMode::Reader);
    rw.exit();
    w.join();
    w2.join();
}

static RW_EXCLUSION: Scenario = Scenario {
    id: "prim/rw-exclusion",
    summary: "two writers and a reader: writers exclude everyone",
    threads: 3,
    loom_bound: Some(2),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[
        Mutant {
            name: "writer-enters-as-reader",
            catches: PANIC,
            summary: "a writer enters as reader: it overlaps the reader",
        },
        Mutant {
            name: "exit-twice",
            catches: SYNC_MISUSE,
            summary: "rw_exit of a lock the thread no longer holds",
        },
    ],
    orders: &[&RW_ORDER],
    body: rw_exclusion,
};

#[test]
fn rw_exclusion_holds_and_mutants_are_caught() {
    check(&RW_EXCLUSION, None);
}

fn rw_abba() {
    let rw = Arc::new(KRwLock::new(RW, 0));
    let m = Arc::new(KMutex::new(MTX, 0));
    let (rw2, m2) = (rw.clone(), m.clone());
    let t = spawn("mutex-first", move || {
        m2.enter();
        rw2.enter(RwMode::Reader);
        rw2.exit();
        m2.exit();
    });
    rw.enter(RwMode::Writer);
    m.enter();
    m.exit();
    rw.exit();
    t.join();
}

static RW_ABBA: Scenario = Scenario {
    id: "prim/rw-mutex-abba",
    summary: "rwlock->mutex vs mutex->rwlock (negative control)",
    threads: 2,
    loom_bound: Some(2),
    pct_depth: 3,
    expect: Expect::Control(&[SYNC_DEADLOCK, SYNC_LOCKORDER]),
    mutants: &[],
    orders: &[&RW_ORDER],
    body: rw_abba,
};

#[test]
fn rw_mutex_inversion_deadlocks() {
    check(&RW_ABBA, None);
}

static PREF_SEEN: Seen = Mutex::new(BTreeSet::new());

/// The main thread holds the lock as reader throughout; a writer blocks
/// on it; a second reader's tryenter then fails although only readers
/// hold the lock.
fn rw_writer_preference() {
    let rw = Arc::new(KRwLock::new(RW, 0));
    rw.enter(RwMode::Reader);
    let rw2 = rw.clone();
    let w = spawn("writer", move || {
        rw2.enter(RwMode::Writer);
        assert!(rw2.write_held() && !rw2.read_held());
        rw2.exit();
    });
    let rw3 = rw.clone();
    let r = spawn("reader", move || {
        if rw3.tryenter(RwMode::Reader) {
            note(&PREF_SEEN, "reader admitted");
            rw3.exit();
        } else {
            note(&PREF_SEEN, "reader refused");
        }
    });
    r.join();
    assert!(rw.read_held() && !rw.write_held());
    rw.exit();
    w.join();
}

static RW_PREF: Scenario = Scenario {
    id: "prim/rw-writer-preference",
    summary: "a waiting writer makes tryenter(Reader) fail on a read-locked rwlock",
    threads: 3,
    loom_bound: Some(2),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[],
    orders: &[&RW_ORDER],
    body: rw_writer_preference,
};

#[test]
fn rw_waiting_writer_refuses_new_readers() {
    let reached = check(&RW_PREF, Some(&PREF_SEEN));
    assert_eq!(reached, set(&["reader admitted", "reader refused"]));
}

fn rw_recursive_read() {
    let rw = Arc::new(KRwLock::new(RW, 0));
    rw.enter(RwMode::Reader);
    let rw2 = rw.clone();
    let w = spawn("writer", move || {
        rw2.enter(RwMode::Writer);
        rw2.exit();
    });
    rw.enter(RwMode::Reader);
    rw.exit();
    rw.exit();
    w.join();
}

static RW_RECURSIVE: Scenario = Scenario {
    id: "prim/rw-recursive-read",
    summary: "re-entering as reader deadlocks once a writer waits (negative control)",
    threads: 2,
    loom_bound: Some(2),
    pct_depth: 3,
    expect: Expect::Control(&[SYNC_DEADLOCK, SYNC_LOCKORDER]),
    mutants: &[],
    orders: &[&RW_ORDER],
    body: rw_recursive_read,
};

#[test]
fn rw_recursive_read_deadlocks_behind_a_writer() {
    check(&RW_RECURSIVE, None);
}

/// The case of the `rwlock.c` big theory comment: a reader that then takes
/// a mutex, and a mutex holder that then reads, deadlock only once a third
/// thread blocks as writer in between. The cycle goes through a shared
/// hold: the mutex holder waits for the rwlock, whose (only) holder waits
/// for the mutex.
fn rw_reader_mutex_writer() {
    let rw = Arc::new(KRwLock::new(RW, 0));
    let m = Arc::new(KMutex::new(MTX, 0));
    let (rw2, m2) = (rw.clone(), m.clone());
    let t = spawn("mutex-then-read", move || {
        m2.enter();
        rw2.enter(RwMode::Reader);
        rw2.exit();
        m2.exit();
    });
    let rw3 = rw.clone();
    let w = spawn("writer", move || {
        rw3.enter(RwMode::Writer);
        rw3.exit();
    });
    rw.enter(RwMode::Reader);
    m.enter();
    m.exit();
    rw.exit();
    t.join();
    w.join();
}

static RW_READER_MUTEX_WRITER: Scenario = Scenario {
    id: "prim/rw-reader-mutex-writer",
    summary: "read->mutex vs mutex->read deadlocks behind a waiting writer (negative control)",
    threads: 3,
    loom_bound: Some(2),
    pct_depth: 3,
    expect: Expect::Control(&[SYNC_DEADLOCK, SYNC_LOCKORDER]),
    mutants: &[],
    orders: &[&RW_ORDER],
    body: rw_reader_mutex_writer,
};

#[test]
fn rw_reader_mutex_inversion_deadlocks_behind_a_writer() {
    check(&RW_READER_MUTEX_WRITER, None);
}

/// Downgrade lets a reader in; tryupgrade fails while it shares the lock
/// and succeeds once the caller is the only reader.
fn rw_downgrade_upgrade() {
    let rw = Arc::new(KRwLock::new(RW, 0));
    let entered = Arc::new(AtomicU32::new("test.entered", 0, 0));
    let leave = Arc::new(AtomicU32::new("test.leave", 0, 0));
    rw.enter(RwMode::Writer);
    assert!(rw.write_held() && !rw.read_held());
    let (rw2, e2, l2) = (rw.clone(), entered.clone(), leave.clone());
    let r = spawn("reader", move || {
        rw2.enter(RwMode::Reader);
        e2.store(1, Ordering::Release);
        await_set(&l2);
        rw2.exit();
    });
    rw.downgrade();
    assert!(rw.read_held() && !rw.write_held());
    await_set(&entered);
    assert!(!rw.tryupgrade(), "tryupgrade with another reader");
    leave.store(1, Ordering::Release);
    r.join();
    assert!(rw.tryupgrade(), "tryupgrade as the only reader");
    assert!(rw.write_held());
    if model::mutant("tryupgrade-unheld") {
        rw.exit();
        rw.tryupgrade();
    }
    rw.exit();
    assert!(!rw.lock_held());
}

static RW_DOWN_UP: Scenario = Scenario {
    id: "prim/rw-downgrade-upgrade",
    summary: "downgrade admits a reader; tryupgrade fails with another reader",
    threads: 2,
    loom_bound: Some(2),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[Mutant {
        name: "tryupgrade-unheld",
        catches: SYNC_MISUSE,
        summary: "rw_tryupgrade by a thread that does not hold the lock",
    }],
    orders: &[&RW_ORDER],
    body: rw_downgrade_upgrade,
};

#[test]
fn rw_downgrade_and_tryupgrade() {
    check(&RW_DOWN_UP, None);
}

// ---------------------------------------------------------------- page lock

const PAGE: &str = "test.page";
const VPH: &str = "test.vph";
const IO: &str = "test.page-io";

/// Page lock before the vnode-page mutex; the reverse only by a try (or a
/// page_lock that drops the mutex, vm_pvn.c:909).
static PAGE_ORDER: LockOrder = LockOrder {
    subsystem: "test-page",
    ranks: &[&[PAGE], &[IO], &[VPH]],
    exceptions: &[Exception {
        held: VPH,
        taken: PAGE,
        nesting: Nesting::TryOnly,
        why: "page_lock given the vph mutex drops it before it blocks (vm_pvn.c:909)",
    }],
};

static DROP_SEEN: Seen = Mutex::new(BTreeSet::new());

/// The other thread takes the page, then the mutex; the main thread holds
/// the mutex and locks the page through it. Only the mutex drop avoids the
/// deadlock.
fn page_lock_drops_mutex() {
    let page = Arc::new(PageLock::new(PAGE, 0));
    let vph = Arc::new(KMutex::new(VPH, 0));
    let (p2, m2) = (page.clone(), vph.clone());
    let t = spawn("page-first", move || {
        assert!(p2.page_lock(Se::Excl, None));
        m2.enter();
        m2.exit();
        p2.page_unlock();
    });
    vph.enter();
    let mutex = if model::mutant("page-lock-keeps-mutex") {
        None
    } else {
        Some(&*vph)
    };
    let got = page.page_lock(Se::Excl, mutex);
    assert!(vph.held(), "page_lock returned without the mutex");
    if got {
        assert!(page.held() && page.excl());
        note(&DROP_SEEN, "locked");
        page.page_unlock();
    } else {
        assert!(!page.held(), "page_lock failed but holds the page");
        note(&DROP_SEEN, "dropped mutex, failed");
    }
    vph.exit();
    t.join();
}

static PAGE_DROP: Scenario = Scenario {
    id: "prim/page-lock-drops-mutex",
    summary: "page_lock(se, vphm) drops vphm, waits, retakes it and fails",
    threads: 2,
    loom_bound: Some(2),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[Mutant {
        name: "page-lock-keeps-mutex",
        catches: SYNC_DEADLOCK,
        summary: "the caller blocks on the page holding the mutex",
    }],
    orders: &[&PAGE_ORDER],
    body: page_lock_drops_mutex,
};

#[test]
fn page_lock_with_mutex_fails_after_dropping_it() {
    let reached = check(&PAGE_DROP, Some(&DROP_SEEN));
    assert_eq!(reached, set(&["dropped mutex, failed", "locked"]));
}

/// tryupgrade and an exclusive trylock fail while another thread shares
/// the page; tryupgrade succeeds once the caller is the only sharer.
fn page_tryupgrade() {
    let page = Arc::new(PageLock::new(PAGE, 0));
    let entered = Arc::new(AtomicU32::new("test.entered", 0, 0));
    let leave = Arc::new(AtomicU32::new("test.leave", 0, 0));
    assert!(page.page_lock(Se::Shared, None));
    let (p2, e2, l2) = (page.clone(), entered.clone(), leave.clone());
    let t = spawn("sharer", move || {
        assert!(p2.page_lock(Se::Shared, None));
        e2.store(1, Ordering::Release);
        await_set(&l2);
        p2.page_unlock();
    });
    await_set(&entered);
    assert!(!page.page_tryupgrade(), "tryupgrade with another sharer");
    assert!(!page.page_trylock(Se::Excl));
    assert!(page.shared() && !page.excl());
    leave.store(1, Ordering::Release);
    t.join();
    assert!(page.page_tryupgrade(), "tryupgrade as the only sharer");
    assert!(page.excl() && !page.shared());
    page.page_downgrade();
    assert!(page.shared() && page.held());
    page.page_unlock();
    if model::mutant("unlock-twice") {
        page.page_unlock();
    }
    assert!(!page.locked());
}

static PAGE_UPGRADE: Scenario = Scenario {
    id: "prim/page-tryupgrade",
    summary: "page_tryupgrade fails with another sharer, succeeds alone",
    threads: 2,
    loom_bound: Some(2),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[Mutant {
        name: "unlock-twice",
        catches: SYNC_MISUSE,
        summary: "page_unlock of a page the thread no longer holds",
    }],
    orders: &[&PAGE_ORDER],
    body: page_tryupgrade,
};

#[test]
fn page_tryupgrade_needs_sole_sharer() {
    check(&PAGE_UPGRADE, None);
}

static IO_SEEN: Seen = Mutex::new(BTreeSet::new());

/// Two threads take the I/O lock (one by a try); they never overlap. A
/// third waits for it without taking it, and must see the holder's work.
fn io_lock() {
    let io = Arc::new(IoLock::new(IO, 0));
    let count = Arc::new(AtomicU32::new("test.inside", 0, 0));
    let done = Arc::new(AtomicU32::new("test.done", 0, 0));
    io.page_io_lock();
    let (io2, c2, d2) = (io.clone(), count.clone(), done.clone());
    let waiter = spawn("io-wait", move || {
        io2.page_io_wait();
        assert_eq!(d2.load(Ordering::Relaxed), 1, "page_io_wait returned early");
        if io2.page_io_trylock() {
            note(&IO_SEEN, "trylock ok");
            inside(&c2, RwMode::Writer);
            io2.page_io_unlock();
        } else {
            note(&IO_SEEN, "trylock failed");
        }
    });
    done.store(1, Ordering::Relaxed);
    io.page_io_unlock();
    io.page_io_lock();
    assert!(io.page_io_locked());
    inside(&count, RwMode::Writer);
    io.page_io_unlock();
    if model::mutant("io-unlock-twice") {
        io.page_io_unlock();
    }
    waiter.join();
}

static IO_LOCK: Scenario = Scenario {
    id: "prim/io-lock",
    summary: "page_io_lock excludes page_io_trylock; page_io_wait waits for the unlock",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[Mutant {
        name: "io-unlock-twice",
        catches: SYNC_MISUSE,
        summary: "page_io_unlock of an unlocked I/O lock",
    }],
    orders: &[&PAGE_ORDER],
    body: io_lock,
};

#[test]
fn io_lock_excludes_and_io_wait_waits() {
    let reached = check(&IO_LOCK, Some(&IO_SEEN));
    assert_eq!(reached, set(&["trylock failed", "trylock ok"]));
}

// ---------------------------------------------------------------- callouts

static CANCEL_SEEN: Seen = Mutex::new(BTreeSet::new());

/// A callout is set and cancelled at once: either untimeout cancels it,
/// and it never runs, or it already ran.
fn untimeout_cancels() {
    let co = Callouts::start();
    let ran = Arc::new(AtomicU32::new("test.ran", 0, 0));
    let r2 = ran.clone();
    let id = co.timeout(Box::new(move || r2.store(1, Ordering::Relaxed)));
    let cancelled = co.untimeout(id);
    co.shutdown();
    let ran = ran.load(Ordering::Relaxed) == 1;
    if model::mutant("cancel-ignored") {
        assert!(!ran, "the callout ran");
    }
    assert_eq!(cancelled, !ran, "cancelled={cancelled} ran={ran}");
    note(
        &CANCEL_SEEN,
        if cancelled {
            "cancelled, never ran"
        } else {
            "ran"
        },
    );
}

static UNTIMEOUT_CANCEL: Scenario = Scenario {
    id: "prim/untimeout-cancels",
    summary: "a callout cancelled by untimeout never runs",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[Mutant {
        name: "cancel-ignored",
        catches: PANIC,
        summary: "the program assumes untimeout always cancels",
    }],
    orders: &[],
    body: untimeout_cancels,
};

#[test]
fn cancelled_callout_never_runs() {
    let reached = check(&UNTIMEOUT_CANCEL, Some(&CANCEL_SEEN));
    assert_eq!(reached, set(&["cancelled, never ran", "ran"]));
}

static WAIT_SEEN: Seen = Mutex::new(BTreeSet::new());

/// The handler, once started, waits for a third thread; the main thread
/// untimeouts it after it started. If the third thread had not released
/// the handler when untimeout was called, untimeout must still return
/// only after the handler finished.
fn untimeout_waits() {
    let co = Callouts::start();
    let started = Arc::new(AtomicU32::new("test.started", 0, 0));
    let go = Arc::new(AtomicU32::new("test.go", 0, 0));
    let done = Arc::new(AtomicU32::new("test.done", 0, 0));
    let (s2, g2, d2) = (started.clone(), go.clone(), done.clone());
    let id = co.timeout(Box::new(move || {
        s2.store(1, Ordering::Release);
        await_set(&g2);
        d2.store(1, Ordering::Release);
    }));
    let g3 = go.clone();
    let releaser = spawn("releaser", move || g3.store(1, Ordering::Release));
    await_set(&started);
    let running = go.load(Ordering::Acquire) == 0;
    let cancelled = if model::mutant("no-untimeout") {
        false
    } else {
        co.untimeout(id)
    };
    assert!(!cancelled, "cancelled a started callout");
    assert_eq!(done.load(Ordering::Acquire), 1, "untimeout did not wait");
    if running {
        note(&WAIT_SEEN, "untimeout waited for the running handler");
    }
    releaser.join();
    co.shutdown();
}

static UNTIMEOUT_WAITS: Scenario = Scenario {
    id: "prim/untimeout-waits",
    summary: "untimeout of a running callout waits for its handler",
    threads: 3,
    loom_bound: Some(2),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[Mutant {
        name: "no-untimeout",
        catches: PANIC,
        summary: "the program does not untimeout before using the handler's result",
    }],
    orders: &[],
    body: untimeout_waits,
};

#[test]
fn untimeout_waits_for_running_handler() {
    let reached = check(&UNTIMEOUT_WAITS, Some(&WAIT_SEEN));
    assert_eq!(reached, set(&["untimeout waited for the running handler"]));
}

/// A handler untimeouts its own callout: no wait, "not cancelled".
fn self_untimeout() {
    let co = Arc::new(Callouts::start());
    let published = Arc::new(AtomicU32::new("test.published", 0, 0));
    let slot = Arc::new(Mutex::new(None));
    let (co2, p2, s2) = (co.clone(), published.clone(), slot.clone());
    let id = co.timeout(Box::new(move || {
        await_set(&p2);
        let id = s2.lock().unwrap().expect("published");
        assert!(!co2.untimeout(id), "a running callout was cancelled");
    }));
    *slot.lock().unwrap() = Some(id);
    published.store(1, Ordering::Release);
    co.shutdown();
}

static SELF_UNTIMEOUT: Scenario = Scenario {
    id: "prim/self-untimeout",
    summary: "a handler may untimeout its own callout without deadlock",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[],
    orders: &[],
    body: self_untimeout,
};

#[test]
fn handler_untimeouts_itself() {
    check(&SELF_UNTIMEOUT, None);
}

// ---------------------------------------------------------------- timed wait

const CV_MTX: &str = "test.cv-mutex";

static CV_ORDER: LockOrder = LockOrder {
    subsystem: "test-cv",
    ranks: &[&[CV_MTX]],
    exceptions: &[],
};

static TIMED_SEEN: Seen = Mutex::new(BTreeSet::new());

/// A waiter with a timeout and a signaller: the wait ends either way.
fn timed_wait() {
    let co = Callouts::start();
    let m = Arc::new(KMutex::new(CV_MTX, 0));
    let cv = Arc::new(KCondvar::new("test.cv", 0));
    let flag = Arc::new(AtomicU32::new("test.flag", 0, 0));
    let (m2, cv2, f2) = (m.clone(), cv.clone(), flag.clone());
    let t = spawn("signaller", move || {
        m2.enter();
        f2.store(1, Ordering::Relaxed);
        cv2.signal();
        m2.exit();
    });
    m.enter();
    if flag.load(Ordering::Relaxed) == 0 {
        match cv.timed_wait(&m, &co) {
            Wakeup::Signalled => {
                assert_eq!(flag.load(Ordering::Relaxed), 1, "signalled by nobody");
                note(&TIMED_SEEN, "signalled");
            }
            Wakeup::TimedOut => note(&TIMED_SEEN, "timed out"),
            Wakeup::Interrupted => unreachable!("no signal posted"),
        }
        assert!(m.held());
    }
    m.exit();
    t.join();
    if !model::mutant("no-shutdown") {
        co.shutdown();
    }
}

static TIMED_WAIT: Scenario = Scenario {
    id: "prim/timed-wait",
    summary: "cv_timedwait returns by timeout or by signal",
    threads: 3,
    loom_bound: Some(2),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[Mutant {
        name: "no-shutdown",
        catches: SYNC_MISUSE,
        summary: "the callout wheel is dropped without shutdown",
    }],
    orders: &[&CV_ORDER],
    body: timed_wait,
};

#[test]
fn timed_wait_can_time_out_or_be_signalled() {
    let reached = check(&TIMED_WAIT, Some(&TIMED_SEEN));
    assert_eq!(reached, set(&["signalled", "timed out"]));
}

/// Nobody signals: the timeout alone must end the wait.
fn timed_wait_alone() {
    let co = Callouts::start();
    let m = KMutex::new(CV_MTX, 0);
    let cv = KCondvar::new("test.cv", 0);
    m.enter();
    assert_eq!(cv.timed_wait(&m, &co), Wakeup::TimedOut);
    m.exit();
    co.shutdown();
}

static TIMED_ALONE: Scenario = Scenario {
    id: "prim/timed-wait-alone",
    summary: "cv_timedwait with no signaller returns by timeout",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[],
    orders: &[&CV_ORDER],
    body: timed_wait_alone,
};

#[test]
fn timed_wait_times_out_alone() {
    check(&TIMED_ALONE, None);
}

static PASS_SEEN: Seen = Mutex::new(BTreeSet::new());

/// One signal, two waiters: a timed one that leaves whatever happens (and
/// passes on a signal it got), and a plain one that needs the signal. If
/// the timed waiter timed out after the signal chose it, the wait must
/// pass the signal on, or the plain waiter sleeps forever.
fn timed_wait_passes_signal() {
    let co = Arc::new(Callouts::start());
    let m = Arc::new(KMutex::new(CV_MTX, 0));
    let cv = Arc::new(KCondvar::new("test.cv", 0));
    let token = Arc::new(AtomicU32::new("test.token", 0, 0));
    let (m2, cv2, co2) = (m.clone(), cv.clone(), co.clone());
    let timed = spawn("timed", move || {
        m2.enter();
        if cv2.timed_wait(&m2, &co2) == Wakeup::Signalled {
            cv2.signal();
            note(&PASS_SEEN, "timed waiter signalled");
        } else {
            note(&PASS_SEEN, "timed waiter timed out");
        }
        m2.exit();
    });
    let (m3, cv3, t3) = (m.clone(), cv.clone(), token.clone());
    let plain = spawn("plain", move || {
        m3.enter();
        while t3.load(Ordering::Relaxed) == 0 {
            cv3.wait(&m3);
        }
        m3.exit();
    });
    m.enter();
    token.store(1, Ordering::Relaxed);
    cv.signal();
    m.exit();
    timed.join();
    plain.join();
    co.shutdown();
}

static TIMED_PASS: Scenario = Scenario {
    id: "prim/timed-wait-passes-signal",
    summary: "a timed-out waiter chosen by cv_signal passes the wakeup on",
    threads: 4,
    loom_bound: Some(2),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[],
    orders: &[&CV_ORDER],
    body: timed_wait_passes_signal,
};

#[test]
fn timed_wait_does_not_consume_a_signal() {
    let reached = check(&TIMED_PASS, Some(&PASS_SEEN));
    assert_eq!(
        reached,
        set(&["timed waiter signalled", "timed waiter timed out"])
    );
}

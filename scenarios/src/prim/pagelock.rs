//! The page lock (`page_lock`, `page_trylock`, `page_tryupgrade`,
//! `page_downgrade`): a page_lock given the vnode-page mutex drops it to
//! block, and upgrades need the caller to be the only sharer.

use super::await_set;
use harness::{Expect, Mutant, Scenario};
use model::check::{SYNC_DEADLOCK, SYNC_MISUSE};
use model::lockdep::{Exception, LockOrder, Nesting};
use model::sync::{spawn, AtomicU32, KMutex, Ordering, PageLock, Se};
use std::sync::Arc;

const PAGE: &str = "prim.page";
const VPH: &str = "prim.vph";
/// The page I/O lock class (see `iolock`).
pub(super) const IO: &str = "prim.page-io";

/// Page lock, then page I/O lock, then the vnode-page mutex; the mutex
/// before the page only by a try (or a page_lock that drops the mutex,
/// vm_pvn.c:909).
pub static ORDER: LockOrder = LockOrder {
    subsystem: "prim-page",
    ranks: &[&[PAGE], &[IO], &[VPH]],
    exceptions: &[Exception {
        held: VPH,
        taken: PAGE,
        nesting: Nesting::TryOnly,
        why: "page_lock given the vph mutex drops it before it blocks (vm_pvn.c:909)",
    }],
};

/// The other thread takes the page, then the mutex; the main thread holds
/// the mutex and locks the page through it. Only the mutex drop avoids the
/// deadlock. Both outcomes of the page_lock are covered.
fn drops_mutex_body() {
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
        model::cover("prim.page-drop.locked");
        page.page_unlock();
    } else {
        assert!(!page.held(), "page_lock failed but holds the page");
        model::cover("prim.page-drop.dropped-mutex-failed");
    }
    vph.exit();
    t.join();
}

pub const DROPS_MUTEX: Scenario = Scenario {
    id: "prim/page-lock-drops-mutex",
    summary: "page_lock(se, vphm) drops vphm, waits, retakes it and fails",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[Mutant {
        name: "page-lock-keeps-mutex",
        catches: SYNC_DEADLOCK,
        summary: "the caller blocks on the page holding the mutex",
    }],
    orders: &[&ORDER],
    params: &[],
    body: drops_mutex_body,
};

/// tryupgrade and an exclusive trylock fail while another thread shares
/// the page; tryupgrade succeeds once the caller is the only sharer.
fn tryupgrade_body() {
    let page = Arc::new(PageLock::new(PAGE, 0));
    let entered = Arc::new(AtomicU32::new("prim.entered", 0, 0));
    let leave = Arc::new(AtomicU32::new("prim.leave", 0, 0));
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

pub const TRYUPGRADE: Scenario = Scenario {
    id: "prim/page-tryupgrade",
    summary: "page_tryupgrade fails with another sharer, succeeds alone",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[Mutant {
        name: "unlock-twice",
        catches: SYNC_MISUSE,
        summary: "page_unlock of a page the thread no longer holds",
    }],
    orders: &[&ORDER],
    params: &[],
    body: tryupgrade_body,
};

//! Negative controls for two checks that no port mutant reaches first: the
//! checks at rest (every lock and page free when a scenario ends) and the
//! seed's `ASSERT(smp->sm_refcnt > 0)` of a window operation. Each program
//! is wrong on purpose; the check must fire. cargo-mutants found either
//! check removable with every scenario still passing (MUTANTS.md).

use super::common::{key, segmap_with_pages, VP};
use harness::{Expect, Scenario};
use model::check::SYNC_MISUSE;
use subsys::segmap::{FaultType, Fixes, SegRw, LOCK_ORDER, PAGESIZE, SEGMAP_REFCNT};

/// A window's page created by `segmap_pagecreate` and never unlocked with
/// `segmap_pageunlock`: still locked when the scenario ends.
fn page_left_locked() {
    let sm = segmap_with_pages(1, 1, 1, Fixes::default());
    let w = sm.getmap(VP, key(0));
    sm.pagecreate(w, PAGESIZE, false);
    sm.release(w, 0);
    sm.check_quiescent();
}

pub const PAGE_LEFT_LOCKED: Scenario = Scenario {
    id: "segmap/page-left-locked",
    summary: "control: a page pagecreate left locked is still locked at rest (the end-of-scenario check reports it)",
    threads: 1,
    loom_bound: Some(1),
    pct_depth: 1,
    expect: Expect::Control(&[SYNC_MISUSE]),
    mutants: &[],
    orders: &[&LOCK_ORDER],
    params: &[],
    body: page_left_locked,
};

/// `segmap_fault` on a window after its release.
fn fault_after_release() {
    let sm = segmap_with_pages(1, 1, 1, Fixes::default());
    let w = sm.getmap(VP, key(0));
    sm.release(w, 0);
    let _ = sm.fault(w, PAGESIZE, FaultType::Invalid, SegRw::Read);
    sm.check_quiescent();
}

pub const FAULT_AFTER_RELEASE: Scenario = Scenario {
    id: "segmap/fault-after-release",
    summary:
        "control: segmap_fault on a window already released (the seed's sm_refcnt > 0 assertion)",
    threads: 1,
    loom_bound: Some(1),
    pct_depth: 1,
    expect: Expect::Control(&[SEGMAP_REFCNT]),
    mutants: &[],
    orders: &[&LOCK_ORDER],
    params: &[],
    body: fault_after_release,
};

//! The kernel primitives of the facade beyond mutex and condvar: rwlock,
//! page lock, page I/O lock, callouts and the timed condvar wait (the
//! `prim/*` scenarios, scenarios/src/prim/). Each scenario must meet its
//! expectation exhaustively under loom at its declared bound, under PCT
//! and on real threads, and every mutant must be caught with its check.
//! Scenarios whose point is that an outcome is *possible* mark each
//! outcome with a `prim.*` coverage point; loom must reach every one.

use harness::testing::{assert_caught, assert_expectation, assert_suite, scenario};
use harness::{Scenario, Sched};
use scenarios::prim::SCENARIOS;
use std::collections::BTreeSet;

fn prim(id: &str) -> &'static Scenario {
    scenario(SCENARIOS.to_vec(), id)
}

/// loom at the bound `s` declares (the suite caps it at the CI bound).
fn declared_loom(s: &Scenario) -> Sched {
    Sched::Loom {
        bound: s.loom_bound.expect("primitive scenarios run under loom"),
        max: None,
    }
}

/// Runs `id` under loom at its declared bound, asserts its expectation,
/// and returns the `prim.*` coverage points the run reached.
fn reached(id: &str) -> BTreeSet<&'static str> {
    let s = prim(id);
    let o = assert_expectation(s, declared_loom(s));
    o.coverage
        .iter()
        .filter(|(point, n)| point.starts_with("prim.") && **n > 0)
        .map(|(point, _)| *point)
        .collect()
}

fn set(points: &[&'static str]) -> BTreeSet<&'static str> {
    points.iter().copied().collect()
}

#[test]
fn every_prim_scenario_and_mutant() {
    assert_suite(SCENARIOS);
}

#[test]
fn every_prim_scenario_and_mutant_at_the_declared_loom_bound() {
    for s in SCENARIOS {
        let s = prim(s.id);
        assert_expectation(s, declared_loom(s));
        for m in s.mutants {
            assert_caught(s, m.name, declared_loom(s));
        }
    }
}

#[test]
fn rw_waiting_writer_refuses_new_readers() {
    assert_eq!(
        reached("prim/rw-writer-preference"),
        set(&[
            "prim.rw-pref.reader-admitted",
            "prim.rw-pref.reader-refused"
        ])
    );
}

#[test]
fn page_lock_with_mutex_fails_after_dropping_it() {
    assert_eq!(
        reached("prim/page-lock-drops-mutex"),
        set(&[
            "prim.page-drop.dropped-mutex-failed",
            "prim.page-drop.locked"
        ])
    );
}

#[test]
fn io_lock_excludes_and_io_wait_waits() {
    assert_eq!(
        reached("prim/io-lock"),
        set(&["prim.io-lock.trylock-failed", "prim.io-lock.trylock-ok"])
    );
}

#[test]
fn cancelled_callout_never_runs() {
    assert_eq!(
        reached("prim/untimeout-cancels"),
        set(&[
            "prim.untimeout-cancels.cancelled-never-ran",
            "prim.untimeout-cancels.ran"
        ])
    );
}

#[test]
fn untimeout_waits_for_running_handler() {
    assert_eq!(
        reached("prim/untimeout-waits"),
        set(&["prim.untimeout-waits.waited-for-running-handler"])
    );
}

#[test]
fn timed_wait_can_time_out_or_be_signalled() {
    assert_eq!(
        reached("prim/timed-wait"),
        set(&["prim.timed-wait.signalled", "prim.timed-wait.timed-out"])
    );
}

#[test]
fn timed_wait_does_not_consume_a_signal() {
    assert_eq!(
        reached("prim/timed-wait-passes-signal"),
        set(&[
            "prim.timed-pass.timed-waiter-signalled",
            "prim.timed-pass.timed-waiter-timed-out"
        ])
    );
}

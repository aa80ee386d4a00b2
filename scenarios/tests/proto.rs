//! Foundation I: the protocol scenarios behave as stated, under loom
//! (bounded), PCT and real threads; each negative control fails with the
//! expected check, and each mutant is caught by its check.

use harness::testing::{assert_caught, assert_expectation, assert_suite, scenario};
use harness::Sched;
use model::check::{SYNC_DEADLOCK, SYNC_LOCKORDER};

fn proto(id: &str) -> &'static harness::Scenario {
    scenario(scenarios::proto::SCENARIOS.to_vec(), id)
}

#[test]
fn every_proto_scenario_and_mutant() {
    assert_suite(scenarios::proto::SCENARIOS);
}

#[test]
fn tryenter_inversion_passes_at_bounds_1_2_3() {
    let s = proto("proto/tryenter-inversion");
    for bound in 1..=3 {
        let o = assert_expectation(s, Sched::Loom { bound, max: None });
        assert!(o.found.is_empty());
    }
    // Unbounded DFS lets the back-off loop spin forever: shuttle's step
    // limit reports it as SCHED-BOUND, not as a protocol violation.
    let o = harness::run(&harness::RunSpec::new(s, Sched::Dfs { max: None }));
    assert_eq!(o.checks(), vec![model::check::SCHED_BOUND]);
}

#[test]
fn enter_inversion_reports_both_classes_and_who_waits() {
    let s = proto("proto/enter-inversion");
    for sched in [
        Sched::Loom {
            bound: 2,
            max: None,
        },
        Sched::Pct {
            depth: 3,
            iterations: 1000,
            seed: 7,
        },
    ] {
        let o = assert_expectation(s, sched);
        let d = &o.find(SYNC_DEADLOCK).expect("deadlock").captured.violation;
        assert!(d.message.contains("proto.slot") && d.message.contains("proto.freelist"));
        let waiting: Vec<_> = d.threads.iter().filter(|t| t.waits.is_some()).collect();
        assert_eq!(waiting.len(), 2, "both threads wait: {d}");
        assert!(waiting.iter().all(|t| t.holds.len() == 1), "{d}");
        let lo = &o
            .find(SYNC_LOCKORDER)
            .expect("lock order")
            .captured
            .violation;
        assert!(
            lo.message.contains("possible unsafe locking scenario"),
            "{lo}"
        );
    }
}

#[test]
fn order_inversion_apart_reports_the_cycle_without_deadlock() {
    let s = proto("proto/order-inversion-apart");
    let o = assert_expectation(
        s,
        Sched::Loom {
            bound: 2,
            max: None,
        },
    );
    assert!(o.find(SYNC_DEADLOCK).is_none());
    let lo = &o.find(SYNC_LOCKORDER).unwrap().captured.violation;
    assert!(lo.message.contains("closes a cycle"), "{lo}");
}

#[test]
fn mutants_are_caught_with_their_own_check_only() {
    let s = proto("proto/tryenter-inversion");
    let o = assert_caught(
        s,
        "blocking-enter",
        Sched::Loom {
            bound: 2,
            max: None,
        },
    );
    assert!(o.checks().contains(&SYNC_DEADLOCK));
}

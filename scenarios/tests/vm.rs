//! The composed scenarios (segmap on the x86 HAT): each meets its
//! expectation under loom (bounded), PCT and real threads; every mutant is
//! caught by its own check under loom and PCT.

use harness::testing::{assert_suite, loom, scenario};
use harness::{run, RunSpec};
use subsys::htable::windows as htable;
use subsys::segmap::windows as w;

#[test]
fn every_composed_scenario_and_mutant() {
    assert_suite(scenarios::vm::SCENARIOS);
}

/// The composed scenarios reach the windows they are written for, on both
/// sides of the composition.
#[test]
fn composed_windows_reached() {
    let windows: &[(&str, &[&str])] = &[
        (
            "vm/window-reuse-x86",
            &[
                w::GET_REUSE.point,
                w::ACCESS_FAULT.point,
                w::FREE_DIRTY.point,
                htable::INVAL_INVAL,
            ],
        ),
        (
            "vm/inval-vs-access-x86",
            &[w::REL_HASHOUT.point, w::FREE.point, htable::INVAL_INVAL],
        ),
        (
            "vm/steal-vs-reuse",
            &[
                w::FREE_MAPPED.point,
                w::FREE.point,
                "htable.steal_active.stole",
                htable::UNLINK_INVAL,
            ],
        ),
    ];
    for (id, points) in windows {
        let s = scenario(scenarios::vm::SCENARIOS.to_vec(), id);
        let o = run(&RunSpec::new(s, loom(s)));
        for p in *points {
            assert!(
                o.coverage.get(*p).copied().unwrap_or(0) > 0,
                "{id} never reaches {p}: {:?}",
                o.coverage
            );
        }
    }
}

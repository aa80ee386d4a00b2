//! The composed scenarios (segmap on the x86 HAT): each meets its
//! expectation under loom (bounded), PCT and real threads; every mutant is
//! caught by its own check under loom and PCT.

use harness::testing::{assert_suite, loom, scenario};
use harness::{run, RunSpec};

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
                "segmap.get_reuse",
                "segmap.access_fault",
                "segmap.free_dirty",
                "htable.x86pte_inval.shootdown",
            ],
        ),
        (
            "vm/inval-vs-access-x86",
            &[
                "segmap.rel_hashout",
                "segmap.free",
                "htable.x86pte_inval.shootdown",
            ],
        ),
        (
            "vm/steal-vs-reuse",
            &[
                "segmap.free_mapped",
                "segmap.free",
                "htable.steal_active.stole",
                "htable.unlink_ptp.shootdown",
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

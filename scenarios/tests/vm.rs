//! The composed scenarios (segmap on the x86 HAT): each meets its
//! expectation under loom (bounded), PCT and real threads; every mutant is
//! caught by its own check under loom and PCT.

use harness::testing::assert_suite;

#[test]
fn every_composed_scenario_and_mutant() {
    assert_suite(scenarios::vm::SCENARIOS);
}

//! The ports' mutants are typed constants (`subsys::*::mutants`): every
//! one is declared by a scenario that proves it is caught, and every
//! mutant a port's scenario declares is one of them.

use std::collections::BTreeSet;

#[test]
fn every_port_mutant_is_declared_and_typed() {
    let typed: Vec<&str> = [
        subsys::segmap::mutants::ALL,
        subsys::htable::mutants::ALL,
        subsys::vm::mutants::ALL,
        subsys::pcache::mutants::ALL,
        subsys::devmap::mutants::ALL,
        subsys::pvn::mutants::ALL,
    ]
    .concat();
    let unique: BTreeSet<&str> = typed.iter().copied().collect();
    assert_eq!(unique.len(), typed.len(), "a mutant is listed twice");
    let declared: BTreeSet<&str> = [
        scenarios::segmap::SCENARIOS,
        scenarios::htable::SCENARIOS,
        scenarios::vm::SCENARIOS,
        scenarios::pcache::SCENARIOS,
        scenarios::devmap::SCENARIOS,
        scenarios::pvn::SCENARIOS,
    ]
    .concat()
    .iter()
    .flat_map(|s| s.mutants.iter().map(|m| m.name))
    .collect();
    let undeclared: Vec<_> = unique.difference(&declared).collect();
    assert!(undeclared.is_empty(), "no scenario declares {undeclared:?}");
    let untyped: Vec<_> = declared.difference(&unique).collect();
    assert!(untyped.is_empty(), "not a typed port mutant: {untyped:?}");
}

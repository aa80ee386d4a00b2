//! The mutation gate (MUTANTS.md): one test per subsystem, named after it,
//! that `cargo mutants -- <subsystem>` runs for every mutant of that
//! subsystem's files (`harness::gate::assert_gate`: its scenarios as
//! mutated, then its typed mutants still caught). A new subsystem is one
//! more name in the list.

macro_rules! gate {
    ($($subsystem:ident),* $(,)?) => {$(
        #[test]
        fn $subsystem() {
            harness::gate::assert_gate(scenarios::$subsystem::SCENARIOS);
        }
    )*};
}

gate!(segmap, htable, pcache);

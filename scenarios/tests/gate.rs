//! The mutation gate (MUTANTS.md): one test per subsystem, named after it,
//! that `cargo mutants -- <subsystem>` runs for every mutant of that
//! subsystem's files (`harness::gate::assert_gate`: its scenarios as
//! mutated, the race windows they must reach, then its typed mutants
//! still caught). A new subsystem is one more line: its name and its
//! coverage points.

macro_rules! gate {
    ($($subsystem:ident: $windows:expr),* $(,)?) => {$(
        #[test]
        fn $subsystem() {
            let windows: Vec<&str> = $windows;
            harness::gate::assert_gate(scenarios::$subsystem::SCENARIOS, &windows);
        }
    )*};
}

gate!(
    segmap: scenarios::segmap::REACHED.iter().flat_map(|(_, p)| p.iter().copied()).collect(),
    htable: subsys::htable::WINDOWS.iter().map(|w| w.point).collect(),
    pcache: subsys::pcache::WINDOWS.iter().map(|w| w.point).collect(),
);

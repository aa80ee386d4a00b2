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

/// A subsystem's coverage points but those it declares unreachable.
fn reachable<'a>(
    windows: impl Iterator<Item = &'a subsys::vm::windows::Window>,
) -> Vec<&'static str> {
    windows
        .filter(|w| w.unreachable.is_none())
        .map(|w| w.point)
        .collect()
}

gate!(
    segmap: reachable(subsys::segmap::windows::WINDOWS.iter().chain(subsys::vm::windows::WINDOWS)),
    htable: subsys::htable::WINDOWS.iter().map(|w| w.point).collect(),
    pcache: subsys::pcache::WINDOWS.iter().map(|w| w.point).collect(),
    devmap: subsys::devmap::WINDOWS.iter().map(|w| w.point).collect(),
    pvn: subsys::pvn::WINDOWS.iter().map(|w| w.point).collect(),
);

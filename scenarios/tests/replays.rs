//! Every failure pinned during development replays to its recorded check.
//! The files live in scenarios/replays/ (written by `vmspec check --out`).

use harness::capture::ReplayFile;
use harness::runner::guide;
use harness::RunSpec;
use harness::Sched;

#[test]
fn pinned_replays_reproduce_their_checks() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("replays");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let file = ReplayFile::read(&path).unwrap_or_else(|e| panic!("{e}"));
        let s = harness::testing::scenario(scenarios::all(), &file.scenario);
        let mut spec = RunSpec::new(s, Sched::Dfs { max: Some(1) });
        spec.mutant = file.mutant.clone();
        spec.params = file.params.clone();
        let r = guide(spec.shared(), s.body, file.choices().unwrap());
        assert!(
            r.checks.iter().any(|c| *c == file.check),
            "{} no longer reproduces {} (saw {:?})",
            path.display(),
            file.check,
            r.checks
        );
        assert_eq!(r.schedule.len(), file.steps, "{}", path.display());
        assert!(
            file.steps > 0,
            "{}: an empty schedule replays nothing",
            path.display()
        );
        n += 1;
    }
    assert!(n >= 6, "only {n} pinned replays");
}

/// `vmspec replay` refuses a schedule naming a thread beyond a scenario's
/// declared count, so every declared count must be what the scenario
/// spawns (the main thread and actors included).
#[test]
fn declared_thread_counts_are_spawned() {
    for s in scenarios::all() {
        let s = harness::testing::scenario(scenarios::all(), s.id);
        let r = guide(
            RunSpec::new(s, Sched::Dfs { max: Some(1) }).shared(),
            s.body,
            vec![],
        );
        let spawned = r
            .events
            .iter()
            .filter(|e| e.op == model::trace::Op::Spawn)
            .count();
        assert_eq!(
            spawned + 1,
            s.threads,
            "{} declares {} threads",
            s.id,
            s.threads
        );
    }
}

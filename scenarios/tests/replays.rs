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

/// The timed wait that times out: the callout actor wakes the waiter,
/// logs the handler's end, then, logging nothing, marks the callout no
/// longer running, which `untimeout` in the waiter's wakeup waits for.
fn times_out() {
    use model::sync::{Callouts, KCondvar, KMutex, Wakeup};
    let co = Callouts::start();
    let m = KMutex::new("test.mutex", 0);
    let cv = KCondvar::new("test.cv", 0);
    m.enter();
    let woken = cv.timed_wait(&m, &co);
    m.exit();
    co.shutdown();
    if woken == Wakeup::TimedOut {
        model::check::fail(model::check::PANIC, "timed out");
    }
}

/// A loom trace in which a thread takes steps that log no event before
/// another thread's next event (the callout actor's end of a handler,
/// before the waiter's `untimeout`) is followed event for event: the
/// follower delays the switch to the waiter until the actor has taken
/// those steps (at once, the waiter would find the handler running and
/// wait for it), and the violation replays from loom's own execution.
#[test]
fn loom_traces_with_unlogged_steps_are_followed() {
    use harness::capture::{capture, Origin};
    use harness::runner::{departure, follow};
    let s: &'static harness::Scenario = Box::leak(Box::new(harness::Scenario {
        id: "test/times-out",
        summary: "",
        threads: 2,
        loom_bound: Some(2),
        pct_depth: 2,
        expect: harness::Expect::Control(&[model::check::PANIC]),
        mutants: &[],
        orders: &[],
        params: &[],
        body: times_out,
    }));
    let spec = RunSpec::new(
        s,
        Sched::Loom {
            bound: 2,
            max: None,
        },
    );
    let o = harness::run(&spec);
    let found = o.find(model::check::PANIC).expect("the wait times out");
    let trace = &found.captured.events;
    let r = follow(spec.shared(), s.body, trace);
    let followed: Vec<String> = r.events.iter().map(|e| format!("t{} {e}", e.tid)).collect();
    assert_eq!(departure(trace, &r.events), None, "{followed:#?}");
    let c = capture(&spec, found).expect("a replayable schedule");
    assert_eq!(c.origin, Origin::Followed);
}

//! shuttle runs: randomized exploration (PCT, random), DFS, and single
//! guided executions for replay, minimization and loom conversion.

use super::steer::{Follow, Plan, Schedule, Steer};
use super::{execute, Sched};
use model::exec::{Backend, RunShared};
use model::trace::Event;
use shuttle::scheduler::{DfsScheduler, PctScheduler, RandomScheduler};
use shuttle::{Config, FailurePersistence, MaxSteps, Runner};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

/// A single execution should never need more steps than this; more means a
/// livelock in the scenario.
const MAX_STEPS: usize = 200_000;

fn config() -> Config {
    let mut c = Config::new();
    c.failure_persistence = FailurePersistence::None;
    c.silence_warnings = true;
    c.max_steps = MaxSteps::FailAfter(MAX_STEPS);
    c
}

type Schedules = Arc<Mutex<Vec<(&'static str, Schedule)>>>;

/// Runs `plan` and returns, for every violation found, the schedule of the
/// execution that found it.
fn run_plan(shared: &Arc<RunShared>, body: fn(), plan: Plan) -> Vec<(&'static str, Schedule)> {
    let (steer, rec) = Steer::new(plan);
    let captured: Schedules = Arc::new(Mutex::new(Vec::new()));
    let (run, rec2, cap2) = (shared.clone(), rec.clone(), captured.clone());
    let silence = super::quiet::Silence::new();
    let result = catch_unwind(AssertUnwindSafe(|| {
        Runner::new(steer, config()).run(move || {
            let _ = execute(Backend::Shuttle, &run, body);
            // Non-fatal violations (lock order) found in this execution.
            note_new(&run, &rec2, &cap2);
        })
    }));
    drop(silence);
    if result.is_err() {
        note_new(shared, &rec, &captured);
    }
    let out = captured.lock().unwrap_or_else(|e| e.into_inner()).clone();
    out
}

fn note_new(run: &RunShared, rec: &Mutex<Schedule>, captured: &Schedules) {
    let mut cap = captured.lock().unwrap_or_else(|e| e.into_inner());
    for v in run.violations() {
        if !cap.iter().any(|(c, _)| *c == v.violation.check) {
            let s = rec.lock().unwrap_or_else(|e| e.into_inner()).clone();
            cap.push((v.violation.check, s));
        }
    }
}

pub(super) fn explore(
    shared: &Arc<RunShared>,
    body: fn(),
    sched: &Sched,
) -> Vec<(&'static str, Schedule)> {
    let plan = match *sched {
        Sched::Pct {
            depth,
            iterations,
            seed,
        } => Plan::Pct(PctScheduler::new_from_seed(seed, depth, iterations)),
        Sched::Random { iterations, seed } => {
            Plan::Random(RandomScheduler::new_from_seed(seed, iterations))
        }
        Sched::Dfs { max } => Plan::Dfs(DfsScheduler::new(max, false)),
        Sched::Loom { .. } | Sched::Std { .. } => unreachable!("not a shuttle schedule"),
    };
    run_plan(shared, body, plan)
}

/// The result of one guided execution.
#[derive(Debug)]
pub struct GuideResult {
    /// The schedule actually executed.
    pub schedule: Schedule,
    /// The violations it produced (first per check).
    pub checks: Vec<&'static str>,
    pub events: Vec<Event>,
    pub shared: Arc<RunShared>,
}

fn single(shared: Arc<RunShared>, body: fn(), plan: Plan) -> GuideResult {
    super::quiet::install();
    let (steer, rec) = Steer::new(plan);
    let run = shared.clone();
    let events: Arc<Mutex<Vec<Event>>> = Arc::default();
    let ev2 = events.clone();
    let silence = super::quiet::Silence::new();
    let _ = catch_unwind(AssertUnwindSafe(|| {
        Runner::new(steer, config()).run(move || {
            let exec = execute(Backend::Shuttle, &run, body);
            *ev2.lock().unwrap_or_else(|e| e.into_inner()) = exec.events();
        })
    }));
    drop(silence);
    model::exec::exit_execution();
    let violations = shared.violations();
    let mut events = events.lock().unwrap_or_else(|e| e.into_inner()).clone();
    if let Some(v) = violations.iter().find(|v| v.violation.fatal) {
        events = v.events.clone();
    }
    let schedule = rec.lock().unwrap_or_else(|e| e.into_inner()).clone();
    GuideResult {
        schedule,
        checks: violations.iter().map(|v| v.violation.check).collect(),
        events,
        shared,
    }
}

/// Runs one execution following `choices` (then without preemption).
pub fn guide(shared: Arc<RunShared>, body: fn(), choices: Vec<usize>) -> GuideResult {
    single(shared, body, Plan::Guide(choices))
}

/// Delays (decisions) a follower tries at one switch of threads.
const MAX_DELAY: usize = 8;
/// Executions one [`follow`] runs at most.
const MAX_FOLLOW: usize = 64;

/// Follows the thread order of a recorded trace: runs, at every step, the
/// thread of the trace's next event. A thread also takes steps that log no
/// event (a monitor's bookkeeping, a callout handler's end): where the
/// traced execution ran such steps of the thread that logged event `k - 1`
/// before event `k` of another, switching at once takes another path. So
/// where an execution departs from the trace, the follower tries again
/// with the switch into the departing stretch delayed by one, two, ...
/// decisions of the running thread ([`MAX_DELAY`]), keeping a delay that
/// follows the trace further, until one execution logs the whole trace or
/// nothing gets further ([`MAX_FOLLOW`] executions at most). Returns the
/// execution that followed the trace furthest.
pub fn follow(shared: Arc<RunShared>, body: fn(), trace: &[Event]) -> GuideResult {
    let tids: Vec<usize> = trace.iter().map(|e| e.tid).collect();
    let once = |shared: Arc<RunShared>, delays: &BTreeMap<usize, usize>| {
        let plan = Plan::Follow(Follow::new(tids.clone(), delays.clone()));
        single(shared, body, plan)
    };
    let mut delays = BTreeMap::new();
    let mut best = once(shared.clone(), &delays);
    let mut runs = 1;
    while let Some(k) = departure(trace, &best.events) {
        // The last switch of threads at or before the departure.
        let switch = (1..=k)
            .rev()
            .find(|&i| trace[i].tid != trace[i - 1].tid)
            .unwrap_or(k);
        let before = delays.get(&switch).copied().unwrap_or(0);
        let further = (1..=MAX_DELAY).take(MAX_FOLLOW - runs).find_map(|d| {
            runs += 1;
            let mut tried = delays.clone();
            tried.insert(switch, before + d);
            let r = once(Arc::new(RunShared::new(shared.config.clone())), &tried);
            departure(trace, &r.events)
                .is_none_or(|at| at > k)
                .then_some((tried, r))
        });
        let Some((tried, r)) = further else { break };
        delays = tried;
        best = r;
    }
    best
}

/// The index of the first event of `trace` that `followed` does not log
/// alike (same thread, operation, object and values); `None` when it logs
/// the whole trace.
pub fn departure(trace: &[Event], followed: &[Event]) -> Option<usize> {
    let alike =
        |a: &Event, b: &Event| (a.tid, a.op, a.obj, a.a, a.b) == (b.tid, b.op, b.obj, b.a, b.b);
    (0..trace.len()).find(|&i| !followed.get(i).is_some_and(|b| alike(&trace[i], b)))
}

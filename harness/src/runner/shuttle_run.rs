//! shuttle runs: randomized exploration (PCT, random), DFS, and single
//! guided executions for replay, minimization and loom conversion.

use super::steer::{Plan, Schedule, Steer};
use super::{execute, Sched};
use model::exec::{Backend, RunShared};
use model::trace::Event;
use shuttle::scheduler::{DfsScheduler, PctScheduler, RandomScheduler};
use shuttle::{Config, FailurePersistence, MaxSteps, Runner};
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

/// Runs one execution following the thread order of a recorded trace.
pub fn follow(shared: Arc<RunShared>, body: fn(), trace: &[Event]) -> GuideResult {
    single(
        shared,
        body,
        Plan::Follow(trace.iter().map(|e| e.tid).collect()),
    )
}

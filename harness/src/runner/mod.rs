//! Runners: one scenario, one scheduler, one run of many executions.
//!
//! Backend choice lives here and in `model::sync::monitor` only. Every
//! runner wraps the scenario body in [`execute`], so the body is the same
//! program whatever explores it.

mod loom_run;
mod quiet;
mod shuttle_run;
mod std_run;
pub mod steer;

use crate::scenario::Scenario;
use model::exec::{self, Backend, Captured, Exec, RunConfig, RunShared};
use model::lockdep::LockGraph;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
pub use steer::Schedule;

/// How a run explores interleavings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sched {
    /// loom, exhaustive within a preemption bound; `max` caps executions.
    Loom { bound: usize, max: Option<usize> },
    /// shuttle PCT with bug depth `depth`.
    Pct {
        depth: usize,
        iterations: usize,
        seed: u64,
    },
    /// shuttle uniform random.
    Random { iterations: usize, seed: u64 },
    /// shuttle depth-first (exhaustive without a bound; `max` caps it).
    Dfs { max: Option<usize> },
    /// Real threads, `iterations` executions; `watchdog` declares a
    /// deadlock when one execution makes no progress for that long.
    Std {
        iterations: usize,
        watchdog: Duration,
    },
}

impl Sched {
    pub fn backend(&self) -> Backend {
        match self {
            Sched::Loom { .. } => Backend::Loom,
            Sched::Std { .. } => Backend::Std,
            _ => Backend::Shuttle,
        }
    }

    /// A short description for reports (`loom bound 2`, `pct depth 3 seed 1`).
    pub fn describe(&self) -> String {
        match self {
            Sched::Loom { bound, .. } => format!("loom {}", crate::scenario::bound_name(*bound)),
            Sched::Pct { depth, seed, .. } => format!("pct depth {depth} seed {seed}"),
            Sched::Random { seed, .. } => format!("random seed {seed}"),
            Sched::Dfs { .. } => "dfs".to_string(),
            Sched::Std { .. } => "std threads".to_string(),
        }
    }
}

/// What to run.
#[derive(Clone, Debug)]
pub struct RunSpec {
    pub scenario: &'static Scenario,
    pub sched: Sched,
    pub mutant: Option<String>,
    pub params: BTreeMap<String, String>,
    /// Stop in `model::exec::vmspec_break` at this event (replay only).
    pub break_at: Option<usize>,
    /// Record each execution's final-state fingerprint
    /// ([`fingerprint`]; `scenarios/tests/reduction.rs`).
    pub fingerprints: bool,
}

impl RunSpec {
    /// Runs `scenario` with its declared parameters.
    pub fn new(scenario: &'static Scenario, sched: Sched) -> Self {
        RunSpec {
            scenario,
            sched,
            mutant: None,
            break_at: None,
            fingerprints: false,
            params: scenario
                .params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// Fresh run state for this spec.
    pub fn shared(&self) -> Arc<RunShared> {
        Arc::new(RunShared::new(RunConfig {
            scenario: self.scenario.id.to_string(),
            mutant: self.mutant.clone(),
            params: self.params.clone(),
            orders: self.scenario.orders.to_vec(),
            break_at: self.break_at,
            fingerprints: self.fingerprints,
        }))
    }
}

/// A violation found by a run, with the shuttle schedule that reproduces
/// it when the run could capture one.
#[derive(Clone, Debug)]
pub struct Found {
    pub captured: Captured,
    pub schedule: Option<Schedule>,
}

impl Found {
    pub fn check(&self) -> &'static str {
        self.captured.violation.check
    }
}

/// The result of one run.
#[derive(Debug)]
pub struct Outcome {
    pub spec: RunSpec,
    pub executions: u64,
    pub elapsed: Duration,
    pub found: Vec<Found>,
    pub graph: LockGraph,
    pub coverage: BTreeMap<&'static str, u64>,
    /// The distinct final states of the executions that ended normally,
    /// if the spec asked for them ([`RunSpec::fingerprints`]).
    pub fingerprints: std::collections::BTreeSet<u64>,
}

impl Outcome {
    pub fn checks(&self) -> Vec<&'static str> {
        self.found.iter().map(Found::check).collect()
    }

    /// The first violation of `check`, if any.
    pub fn find(&self, check: &str) -> Option<&Found> {
        self.found.iter().find(|f| f.check() == check)
    }
}

/// Runs the scenario body as one execution of `run` on `backend`, and
/// returns the execution (its events stay readable after it ends).
pub(crate) fn execute(backend: Backend, run: &Arc<RunShared>, body: fn()) -> Arc<Exec> {
    let exec = Exec::begin(backend, run.clone());
    body();
    exec::exit_execution();
    if run.config.fingerprints {
        run.add_fingerprint(fingerprint(&exec.events()));
    }
    exec
}

/// A fingerprint of the state an execution ended in, from its trace: the
/// last value written to every modelled word (atomics, the ports' keyed
/// words, PTEs and TLB entries: what the trace shows as `atomic`) and
/// whether each kmem object ended allocated or freed, with its generation.
/// Two explorations of one scenario that reach the same final states have
/// the same set of fingerprints; ghost-only state (lists under `Locked` and
/// `Keyed`, the ports' ledgers) is not in it.
pub fn fingerprint(events: &[model::trace::Event]) -> u64 {
    use model::trace::Op;
    use std::hash::{Hash, Hasher};
    let mut last: BTreeMap<model::trace::ObjName, (u8, u64)> = BTreeMap::new();
    for e in events {
        let v = match e.op {
            Op::Store | Op::Swap | Op::FetchOp | Op::CasOk if e.obj.kind == "atomic" => (0, e.b),
            Op::Alloc => (1, e.a),
            Op::Free => (2, e.a),
            _ => continue,
        };
        last.insert(e.obj, v);
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    last.hash(&mut h);
    h.finish()
}

/// Runs `spec` to completion (or to its first fatal violation).
pub fn run(spec: &RunSpec) -> Outcome {
    run_with(spec, spec.shared())
}

/// Runs `spec` on `shared`, which the caller may watch (progress).
pub fn run_with(spec: &RunSpec, shared: Arc<RunShared>) -> Outcome {
    quiet::install();
    tracing::info!(
        scenario = spec.scenario.id,
        explorer = %spec.sched.describe(),
        mutant = ?spec.mutant,
        "run starts"
    );
    let start = Instant::now();
    let schedules = match &spec.sched {
        Sched::Loom { bound, max } => {
            loom_run::run(&shared, spec.scenario.body, *bound, *max);
            Vec::new()
        }
        Sched::Std {
            iterations,
            watchdog,
        } => {
            std_run::run(&shared, spec.scenario.body, *iterations, *watchdog);
            Vec::new()
        }
        sched => shuttle_run::explore(&shared, spec.scenario.body, sched),
    };
    exec::exit_execution();
    let elapsed = start.elapsed();
    let found: Vec<Found> = shared
        .violations()
        .into_iter()
        .map(|captured| {
            let schedule = schedules
                .iter()
                .find(|(c, _)| *c == captured.violation.check)
                .map(|(_, s)| s.clone());
            Found { captured, schedule }
        })
        .collect();
    let graph = shared.graph().clone();
    tracing::info!(
        scenario = spec.scenario.id,
        executions = shared.executions(),
        seconds = elapsed.as_secs_f64(),
        violations = ?found.iter().map(Found::check).collect::<Vec<_>>(),
        "run ends"
    );
    Outcome {
        spec: spec.clone(),
        executions: shared.executions(),
        elapsed,
        found,
        graph,
        coverage: shared.coverage(),
        fingerprints: shared.fingerprints(),
    }
}

pub use shuttle_run::{departure, follow, guide, GuideResult};
